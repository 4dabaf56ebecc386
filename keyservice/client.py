"""The web app's one interface to the key service, whether it runs as its own process or in-process.

`KeyServiceClient` names the operations; `HttpKeyServiceClient` calls the HTTP API and raises the
same named exceptions (`errors.py`) the service raises in-process, plus `KeyServiceUnavailable`
when it cannot be reached; `LocalKeyServiceClient` calls a `KeyService` directly (the embedded
default). `client_from_env` picks one: HTTP when `KEYSERVICE_URL` is set.

The HTTP client never retries: a retried `evaluate` would spend a second guess.
"""
from __future__ import annotations

import base64
import os
import threading
from abc import ABC, abstractmethod
from typing import Mapping
from urllib.parse import quote

import requests

from .config import Config
from .errors import ERRORS_BY_CODE, ConfigError, KeyServiceError, KeyServiceUnavailable
from .service import Enrollment, Evaluation, FactorStatus, KeyService, PlatformKeys

__all__ = [
    "Enrollment",
    "Evaluation",
    "FactorStatus",
    "HttpKeyServiceClient",
    "KeyServiceClient",
    "LocalKeyServiceClient",
    "PlatformKeys",
    "client_from_env",
]


class KeyServiceClient(ABC):
    @abstractmethod
    def platform_keys(self) -> PlatformKeys: ...

    @abstractmethod
    def certify_identity(
        self, owner: str, version: int, box_public: bytes, verify_key: bytes, possession: bytes
    ) -> bytes: ...

    @abstractmethod
    def certify_structure(self, owner: str, generation: int, box_public: bytes) -> bytes: ...

    @abstractmethod
    def certify_review(self, version: int, box_public: bytes) -> bytes: ...

    @abstractmethod
    def sign_record(self, context: dict, body: bytes) -> bytes: ...

    @abstractmethod
    def high_water(self, kind: str, subject: str) -> int: ...

    @abstractmethod
    def high_waters(self, kind: str, subjects: list[str]) -> dict[str, int]: ...

    @abstractmethod
    def enroll(self, account: str, factor: str, blinded: bytes) -> Enrollment: ...

    @abstractmethod
    def commit(self, account: str, factor: str, enrollment_id: str, proof_verify_key: bytes) -> None: ...

    @abstractmethod
    def evaluate(self, account: str, factor: str, blinded: bytes) -> Evaluation: ...

    @abstractmethod
    def prove(self, account: str, factor: str, challenge: str, signature: bytes) -> None: ...

    @abstractmethod
    def status(self, account: str, factor: str) -> FactorStatus: ...

    @abstractmethod
    def delete_account(self, account: str) -> None: ...

    @abstractmethod
    def forget_factor(self, account: str, factor: str) -> None: ...

    @abstractmethod
    def unlock(self, account: str, factor: str) -> int: ...


class LocalKeyServiceClient(KeyServiceClient):
    def __init__(self, service: KeyService) -> None:
        self.service = service

    def platform_keys(self) -> PlatformKeys:
        return self.service.platform_keys()

    def certify_identity(
        self, owner: str, version: int, box_public: bytes, verify_key: bytes, possession: bytes
    ) -> bytes:
        return self.service.certify_identity(owner, version, box_public, verify_key, possession)

    def certify_structure(self, owner: str, generation: int, box_public: bytes) -> bytes:
        return self.service.certify_structure(owner, generation, box_public)

    def certify_review(self, version: int, box_public: bytes) -> bytes:
        return self.service.certify_review(version, box_public)

    def sign_record(self, context: dict, body: bytes) -> bytes:
        return self.service.sign_record(context, body)

    def high_water(self, kind: str, subject: str) -> int:
        return self.service.high_water(kind, subject)

    def high_waters(self, kind: str, subjects: list[str]) -> dict[str, int]:
        return self.service.high_waters(kind, list(subjects))

    def enroll(self, account: str, factor: str, blinded: bytes) -> Enrollment:
        return self.service.enroll(account, factor, blinded)

    def commit(self, account: str, factor: str, enrollment_id: str, proof_verify_key: bytes) -> None:
        self.service.commit(account, factor, enrollment_id, proof_verify_key)

    def evaluate(self, account: str, factor: str, blinded: bytes) -> Evaluation:
        return self.service.evaluate(account, factor, blinded)

    def prove(self, account: str, factor: str, challenge: str, signature: bytes) -> None:
        self.service.prove(account, factor, challenge, signature)

    def status(self, account: str, factor: str) -> FactorStatus:
        return self.service.status(account, factor)

    def delete_account(self, account: str) -> None:
        self.service.delete_account(account)

    def forget_factor(self, account: str, factor: str) -> None:
        self.service.forget_factor(account, factor)

    def unlock(self, account: str, factor: str) -> int:
        return self.service.unlock(account, factor)


class HttpKeyServiceClient(KeyServiceClient):
    """`unlock` needs `admin_token`, which the web app does not hold: without it the server answers
    Forbidden."""

    def __init__(self, base_url: str, token: str, timeout: float = 10, *, admin_token: str | None = None) -> None:
        self._base_url = base_url.rstrip("/")
        self._token = token
        self._admin_token = admin_token
        self._timeout = timeout
        self._thread_local = threading.local()  # requests.Session is not documented thread-safe

    def platform_keys(self) -> PlatformKeys:
        answer = self._call("GET", "/v1/platform-keys")
        return PlatformKeys(_unb64(answer["active"]), tuple(_unb64(key) for key in answer["keys"]))

    def certify_identity(
        self, owner: str, version: int, box_public: bytes, verify_key: bytes, possession: bytes
    ) -> bytes:
        answer = self._call(
            "POST",
            "/v1/public-keys/identity",
            body={
                "owner": owner,
                "version": version,
                "box_public": _b64(box_public),
                "verify_key": _b64(verify_key),
                "possession": _b64(possession),
            },
        )
        return _unb64(answer["record"])

    def certify_structure(self, owner: str, generation: int, box_public: bytes) -> bytes:
        answer = self._call(
            "POST",
            "/v1/public-keys/structure",
            body={"owner": owner, "generation": generation, "box_public": _b64(box_public)},
        )
        return _unb64(answer["record"])

    def certify_review(self, version: int, box_public: bytes) -> bytes:
        answer = self._call("POST", "/v1/public-keys/review", body={"version": version, "box_public": _b64(box_public)})
        return _unb64(answer["record"])

    def sign_record(self, context: dict, body: bytes) -> bytes:
        answer = self._call("POST", "/v1/records", body={"context": context, "body": _b64(body)})
        return _unb64(answer["record"])

    def high_water(self, kind: str, subject: str) -> int:
        return self._call("GET", "/v1/high-water", params={"kind": kind, "subject": subject})["version"]

    def high_waters(self, kind: str, subjects: list[str]) -> dict[str, int]:
        return self._call("POST", "/v1/high-waters", body={"kind": kind, "subjects": list(subjects)})["versions"]

    def enroll(self, account: str, factor: str, blinded: bytes) -> Enrollment:
        answer = self._call(
            "POST", "/v1/oprf/enroll", body={"account": account, "factor": factor, "blinded": _b64(blinded)}
        )
        return Enrollment(answer["enrollment_id"], _unb64(answer["evaluated"]))

    def commit(self, account: str, factor: str, enrollment_id: str, proof_verify_key: bytes) -> None:
        self._call(
            "POST",
            "/v1/oprf/commit",
            body={
                "account": account,
                "factor": factor,
                "enrollment_id": enrollment_id,
                "proof_verify_key": _b64(proof_verify_key),
            },
        )

    def evaluate(self, account: str, factor: str, blinded: bytes) -> Evaluation:
        answer = self._call(
            "POST", "/v1/oprf/evaluate", body={"account": account, "factor": factor, "blinded": _b64(blinded)}
        )
        return Evaluation(_unb64(answer["evaluated"]), answer["challenge"], answer["guesses_left"])

    def prove(self, account: str, factor: str, challenge: str, signature: bytes) -> None:
        self._call(
            "POST",
            "/v1/oprf/prove",
            body={"account": account, "factor": factor, "challenge": challenge, "signature": _b64(signature)},
        )

    def status(self, account: str, factor: str) -> FactorStatus:
        answer = self._call("GET", "/v1/oprf/status", params={"account": account, "factor": factor})
        return FactorStatus(answer["enrolled"], answer["guesses_left"], answer["locked"])

    def delete_account(self, account: str) -> None:
        self._call("DELETE", f"/v1/accounts/{quote(account, safe='')}")

    def forget_factor(self, account: str, factor: str) -> None:
        self._call("POST", "/v1/oprf/forget", body={"account": account, "factor": factor})

    def unlock(self, account: str, factor: str) -> int:
        answer = self._call(
            "POST",
            "/v1/admin/unlock",
            body={"account": account, "factor": factor},
            token=self._admin_token or self._token,
        )
        return answer["guesses_left"]

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: dict | None = None,
        params: dict | None = None,
        token: str | None = None,
    ) -> dict:
        try:
            response = self._session().request(
                method,
                self._base_url + path,
                json=body,
                params=params,
                headers={"Authorization": f"Bearer {token or self._token}"},
                timeout=self._timeout,
            )
        except requests.RequestException as error:
            raise KeyServiceUnavailable() from error
        answer = _json_object(response)
        if response.ok and answer is not None:
            return answer
        raise _refusal(response.status_code, answer)

    def _session(self) -> requests.Session:
        session = getattr(self._thread_local, "session", None)
        if session is None:
            session = self._thread_local.session = requests.Session()
        return session


def client_from_env(environ: Mapping[str, str] | None = None) -> KeyServiceClient:
    """HTTP to `KEYSERVICE_URL` with `KEYSERVICE_TOKEN` when set; otherwise an in-process service
    on `KEYSERVICE_DATA_DIR` (or `KEYSERVICE_DATABASE_URL`)."""
    env = os.environ if environ is None else environ
    url = env.get("KEYSERVICE_URL")
    if not url:
        return LocalKeyServiceClient(KeyService.from_config(Config.from_env(env)))
    token = env.get("KEYSERVICE_TOKEN")
    if not token:
        raise ConfigError("KEYSERVICE_URL is set but KEYSERVICE_TOKEN is not")
    return HttpKeyServiceClient(url, token)


def _json_object(response: requests.Response) -> dict | None:
    try:
        answer = response.json()
    except ValueError:
        return None
    return answer if isinstance(answer, dict) else None


def _refusal(status: int, answer: dict | None) -> KeyServiceError:
    answer = answer or {}
    code, message = answer.get("error"), answer.get("message")
    error_class = ERRORS_BY_CODE.get(code) if isinstance(code, str) else None
    if error_class is None:
        if status in (502, 503, 504):
            return KeyServiceUnavailable()
        return KeyServiceError(f"unexpected answer from the key service (HTTP {status})")
    return error_class(message if isinstance(message, str) else None)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)
