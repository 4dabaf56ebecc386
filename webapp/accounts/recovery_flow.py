"""Where a "Mot de passe oublié" stands between two requests: a token signed with SECRET_KEY that
says "this identifier's SMS code was typed back at this time", and nothing else.

The pages keep it in the Flask session cookie, the API hands it to the client. It names the
identifier as typed, never an account id, so reading it says nothing about whether the account
exists; it never holds an answer, a code or a key. It is good for 15 minutes of the app's clock.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from .services import normalise_identifier

VALID_FOR = timedelta(minutes=15)
SALT = "cloud-solidaire/recovery-flow/v1"
CODE_TYPED = "code-typed"


class FlowExpired(Exception):
    """No token, a forged one, or one older than 15 minutes: start again with a new SMS code."""

    code = "recovery_expired"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def code_typed(identifier: str, now: datetime) -> str:
    return _serializer().dumps({"identifier": normalise_identifier(identifier), "step": CODE_TYPED,
                                "at": int(now.timestamp())})


def identifier_after_code(token: str | None, now: datetime) -> str:
    """The identifier whose SMS code was typed back less than 15 minutes ago; raises FlowExpired."""
    try:
        state = _serializer().loads(token or "")
    except BadSignature:
        raise FlowExpired() from None
    if not isinstance(state, dict) or state.get("step") != CODE_TYPED:
        raise FlowExpired()
    age = now.timestamp() - int(state.get("at", 0))
    if not 0 <= age <= VALID_FOR.total_seconds():
        raise FlowExpired()
    return state["identifier"]
