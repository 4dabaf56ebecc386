"""What every API endpoint shares: JSON bodies checked against a small schema, errors, auth."""
from __future__ import annotations

from functools import wraps

from flask import current_app, g, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from ..errors import error_response
from ..extensions import csrf

MAX_STRING = 1024


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str | None = None) -> None:
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


def json_body(**fields: type) -> dict:
    """The request's JSON object with exactly these fields of these types (strings are bounded)."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request")
    unknown = set(body) - set(fields)
    missing = [name for name in fields if name not in body]
    if unknown or missing:
        raise ApiError(400, "bad_request")
    for name, kind in fields.items():
        value = body[name]
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            raise ApiError(400, "bad_request")
        if isinstance(value, str) and (len(value) > MAX_STRING or "\x00" in value):
            raise ApiError(400, "bad_request")
    return body


def authenticated(view):
    @wraps(view)
    def checked(*args, **kwargs):
        if not current_user.is_authenticated:
            raise ApiError(401, "unauthorized")
        if g.get("vault_via_cookie") and request.method not in ("GET", "HEAD", "OPTIONS"):
            try:
                csrf.protect()
            except CSRFError:
                raise ApiError(400, "csrf_failed") from None
        return view(*args, **kwargs)

    return checked


def require_role(*roles: str) -> None:
    """The API's one answer to an account whose role may not call this operation."""
    if current_user.role not in roles:
        raise ApiError(403, "forbidden")


def keys():
    return current_app.extensions["keys"]


def register_errors(blueprint) -> None:
    @blueprint.errorhandler(ApiError)
    def api_error(error: ApiError):
        return error_response(error.status, error.code, error.message)
