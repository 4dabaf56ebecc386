"""The SMS that goes with a time rule's notice, to the account's confirmed mobile if it has one."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..accounts.models import Account
from ..sms import delivery
from ..sms.errors import SmsOptedOut, SmsQuotaExceeded
from .calendar import sms_time


def send(db: Session, account: Account, body: str, idempotency_key: str, now: datetime) -> bool:
    """Schedule it; False when there is no confirmed number, or it opted out or is over its daily limit
    (the in-app notice still waits for the person). The caller commits."""
    phone = account.person.phone if account.person else None
    if not phone:
        return False
    try:
        delivery.schedule(db, phone_e164=phone, body=body, purpose="notice", idempotency_key=idempotency_key,
                          send_after=sms_time(now), now=now, account_id=account.id)
    except (SmsOptedOut, SmsQuotaExceeded):
        return False
    return True
