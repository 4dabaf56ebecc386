"""The key service's HTTP API: `service.KeyService` one to one, JSON in and out, bytes as base64.

Every endpoint but `GET /v1/health` needs `Authorization: Bearer <KEYSERVICE_TOKEN>`; the admin
unlock needs `KEYSERVICE_ADMIN_TOKEN` instead and is refused outright when that is unset. Bodies
are at most 64 KiB. Every refusal is `{"error": code}` with the code of `errors.py`; a malformed
request also has a `message` naming the field, never its value.
"""
from __future__ import annotations

import base64
import binascii
import dataclasses
import hmac
import json
import logging

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from .config import Config
from .errors import (
    BadRequest,
    Forbidden,
    KeyServiceError,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
)
from .service import KeyService

log = logging.getLogger("keyservice")

MAX_BODY_BYTES = 64 * 1024
SERVICE_EXTENSION = "keyservice"
# Health is public; the admin endpoint checks its own token.
_ENDPOINTS_WITHOUT_CALLER_TOKEN = frozenset({"health", "admin_unlock"})
_HTTP_ERRORS = {400: BadRequest, 404: NotFound, 405: MethodNotAllowed, 413: PayloadTooLarge}


def create_app(config: Config | None = None) -> Flask:
    """The WSGI application. Refuses (ConfigError) without a caller token."""
    config = config or Config.from_env()
    caller_token = config.require_token()
    service = KeyService.from_config(config)
    app = Flask("keyservice")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.extensions[SERVICE_EXTENSION] = service

    @app.before_request
    def authenticate() -> None:
        if request.endpoint in _ENDPOINTS_WITHOUT_CALLER_TOKEN:
            return
        if not _bearer_matches(caller_token):
            raise Unauthorized()

    _register_error_handlers(app)
    _register_routes(app, service, caller_token, config.admin_token)
    return app


def service_of(app: Flask) -> KeyService:
    return app.extensions[SERVICE_EXTENSION]


def _register_routes(app: Flask, service: KeyService, caller_token: str, admin_token: str | None) -> None:
    @app.get("/v1/health")
    def health():
        return {"status": "ok"}

    @app.get("/v1/platform-keys")
    def platform_keys():
        keys = service.platform_keys()
        return {"active": _b64(keys.active), "keys": [_b64(key) for key in keys.keys]}

    @app.post("/v1/public-keys/identity")
    def certify_identity():
        body = _Fields.from_request()
        record = service.certify_identity(
            body.text("owner"),
            body.integer("version"),
            body.blob("box_public"),
            body.blob("verify_key"),
            body.blob("possession"),
        )
        return {"record": _b64(record)}

    @app.post("/v1/public-keys/structure")
    def certify_structure():
        body = _Fields.from_request()
        record = service.certify_structure(body.text("owner"), body.integer("generation"), body.blob("box_public"))
        return {"record": _b64(record)}

    @app.post("/v1/public-keys/review")
    def certify_review():
        body = _Fields.from_request()
        return {"record": _b64(service.certify_review(body.integer("version"), body.blob("box_public")))}

    @app.post("/v1/records")
    def sign_record():
        body = _Fields.from_request()
        return {"record": _b64(service.sign_record(body.mapping("context"), body.blob("body")))}

    @app.get("/v1/high-water")
    def high_water():
        kind, subject = _query("kind"), _query("subject")
        return {"kind": kind, "subject": subject, "version": service.high_water(kind, subject)}

    @app.post("/v1/high-waters")
    def high_waters():
        body = _Fields.from_request()
        kind = body.text("kind")
        return {"kind": kind, "versions": service.high_waters(kind, body.sequence("subjects"))}

    @app.post("/v1/oprf/enroll")
    def enroll():
        body = _Fields.from_request()
        enrollment = service.enroll(body.text("account"), body.text("factor"), body.blob("blinded"))
        return {"enrollment_id": enrollment.enrollment_id, "evaluated": _b64(enrollment.evaluated)}

    @app.post("/v1/oprf/commit")
    def commit():
        body = _Fields.from_request()
        service.commit(
            body.text("account"), body.text("factor"), body.text("enrollment_id"), body.blob("proof_verify_key")
        )
        return {"status": "ok"}

    @app.post("/v1/oprf/evaluate")
    def evaluate():
        body = _Fields.from_request()
        evaluation = service.evaluate(body.text("account"), body.text("factor"), body.blob("blinded"))
        return {
            "evaluated": _b64(evaluation.evaluated),
            "challenge": evaluation.challenge,
            "guesses_left": evaluation.guesses_left,
        }

    @app.post("/v1/oprf/prove")
    def prove():
        body = _Fields.from_request()
        service.prove(body.text("account"), body.text("factor"), body.text("challenge"), body.blob("signature"))
        return {"status": "ok"}

    @app.get("/v1/oprf/status")
    def status():
        return dataclasses.asdict(service.status(_query("account"), _query("factor")))

    @app.delete("/v1/accounts/<path:account>")
    def delete_account(account: str):
        service.delete_account(account)
        return {"status": "ok"}

    @app.post("/v1/oprf/forget")
    def forget_factor():
        body = _Fields.from_request()
        service.forget_factor(body.text("account"), body.text("factor"))
        return {"status": "ok"}

    @app.post("/v1/admin/unlock")
    def admin_unlock():
        if admin_token is None:
            raise Forbidden("the admin endpoint is disabled: KEYSERVICE_ADMIN_TOKEN is not set")
        if _bearer_matches(caller_token):
            raise Forbidden()
        if not _bearer_matches(admin_token):
            raise Unauthorized()
        body = _Fields.from_request()
        return {"guesses_left": service.unlock(body.text("account"), body.text("factor"))}


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(KeyServiceError)
    def refused(error: KeyServiceError) -> tuple[Response, int]:
        return _error_response(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response, int]:
        named = _HTTP_ERRORS.get(error.code or 500, KeyServiceError)
        return _error_response(named())

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[Response, int]:
        log.exception("op=%s outcome=internal", request.endpoint)
        return _error_response(KeyServiceError())


def _error_response(error: KeyServiceError) -> tuple[Response, int]:
    payload = {"error": error.code}
    if isinstance(error, BadRequest):
        payload["message"] = str(error)
    return jsonify(payload), error.status


def _bearer_matches(expected: str) -> bool:
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        presented.strip().encode("utf-8", "replace"), expected.encode("utf-8")
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _query(name: str) -> str:
    value = request.args.get(name)
    if value is None:
        raise BadRequest(f"query parameter {name} is missing")
    return value


class _Fields:
    """A request's JSON object; each accessor refuses a missing or mistyped field by its name."""

    def __init__(self, data: dict) -> None:
        self._data = data

    @classmethod
    def from_request(cls) -> "_Fields":
        try:
            data = json.loads(request.get_data(cache=False))
        except (ValueError, RecursionError):  # ValueError covers UnicodeDecodeError
            raise BadRequest("the body is not JSON") from None
        if not isinstance(data, dict):
            raise BadRequest("the body must be a JSON object")
        return cls(data)

    def _field(self, name: str, kind: type | tuple[type, ...], described: str):
        value = self._data.get(name)
        if value is None:
            raise BadRequest(f"field {name} is missing")
        if not isinstance(value, kind) or isinstance(value, bool):
            raise BadRequest(f"field {name} must be {described}")
        return value

    def text(self, name: str) -> str:
        return self._field(name, str, "a string")

    def integer(self, name: str) -> int:
        return self._field(name, int, "an integer")

    def mapping(self, name: str) -> dict:
        return self._field(name, dict, "an object")

    def sequence(self, name: str) -> list:
        return self._field(name, list, "an array")

    def blob(self, name: str) -> bytes:
        try:
            return base64.b64decode(self._field(name, str, "a base64 string"), validate=True)
        except (binascii.Error, ValueError):
            raise BadRequest(f"field {name} must be standard base64") from None
