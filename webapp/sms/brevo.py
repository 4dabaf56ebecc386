"""Brevo's transactional SMS API, over HTTP with `requests` (docs/sms.md says why Brevo).

    POST {BREVO_API_URL}/transactionalSMS/send                 send one SMS; answers its messageId
    GET  {BREVO_API_URL}/transactionalSMS/statistics/events    what happened to the SMS with a tag

Every SMS carries its idempotency key as Brevo's `tag`: after a crash, the events filtered by that
tag say whether Brevo took the message, before anything is sent again. The API key goes in the
`api-key` header and never into a log or an error; neither does the text.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import requests

from ..config import SmsSettings
from .errors import SmsProviderError
from .gateway import Accepted, OutgoingSms

# Far shorter than the delivery lease (`delivery.LEASE`): a request still running when the lease
# expires would race the job that takes the message over.
TIMEOUT = (5, 30)
ONE_DAY = timedelta(days=1)
# Temporary: no credit left (topped up by the operator), throttled, or the provider is unwell.
RETRYABLE_STATUSES = {402, 408, 409, 425, 429}
# The GSM 03.38 basic alphabet: a text outside it is sent as Unicode (70 characters per SMS).
GSM_7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
            "¿abcdefghijklmnopqrstuvwxyzäöñüà")


class BrevoGateway:
    name = "brevo"

    def __init__(self, settings: SmsSettings, session: requests.Session | None = None) -> None:
        self._url = settings.brevo_api_url
        self._sender = settings.brevo_sender
        self._http = session or requests.Session()
        self._http.headers.update({"api-key": settings.brevo_api_key or "", "accept": "application/json"})

    def send(self, sms: OutgoingSms) -> Accepted:
        body = {
            "sender": self._sender,
            "recipient": brevo_number(sms.phone_e164),
            "content": sms.body,
            "type": "transactional",
            "tag": sms.idempotency_key,
            "unicodeEnabled": not set(sms.body) <= GSM_7,
        }
        answer = self._request("POST", "/transactionalSMS/send", json=body)
        message_id = answer.get("messageId")
        if message_id is None:
            raise SmsProviderError("Brevo answered without a messageId", retryable=True)
        return Accepted(provider_message_id=str(message_id))

    def find_accepted(self, idempotency_key: str, phone_e164: str, since: datetime, until: datetime) -> Accepted | None:
        # Brevo's report works in whole days: one day on each side covers time zones.
        params = {"tags": idempotency_key, "phoneNumber": brevo_number(phone_e164), "limit": 100, "sort": "asc",
                  "startDate": (since - ONE_DAY).date().isoformat(), "endDate": (until + ONE_DAY).date().isoformat()}
        events = [event for event in self._request("GET", "/transactionalSMS/statistics/events", params=params).get("events", [])
                  if event.get("tag") == idempotency_key and event.get("messageId")]
        if not events:
            return None
        delivered = any(event.get("event") == "delivered" for event in events)
        return Accepted(provider_message_id=str(events[0]["messageId"]), delivered=delivered)

    def _request(self, method: str, path: str, **kwargs) -> dict:
        try:
            response = self._http.request(method, self._url + path, timeout=TIMEOUT, **kwargs)
        except requests.Timeout:
            raise SmsProviderError("Brevo did not answer in time", retryable=True) from None
        except requests.RequestException as error:
            raise SmsProviderError(f"Brevo unreachable ({type(error).__name__})", retryable=True) from None
        if response.status_code >= 400:
            # Brevo's `code` names the problem; its `message` may quote what was sent: left out.
            code = _error_code(response)
            retryable = response.status_code in RETRYABLE_STATUSES or response.status_code >= 500
            raise SmsProviderError(f"Brevo answered {response.status_code} {code}".strip(), retryable=retryable)
        try:
            answer = response.json()
        except ValueError:
            raise SmsProviderError(f"Brevo answered {response.status_code} without JSON", retryable=True) from None
        return answer if isinstance(answer, dict) else {}


def brevo_number(phone_e164: str) -> str:
    """Brevo's recipient: the international number's digits, country code first, no "+"."""
    return phone_e164.removeprefix("+")


def _error_code(response: requests.Response) -> str:
    try:
        code = response.json().get("code", "")
    except (ValueError, AttributeError):
        return ""
    return code[:40] if isinstance(code, str) and code.replace("_", "").isalnum() else ""
