"""Who is logged in: the vault session named by the cookie or the API bearer token.

Flask-Login's `current_user` is the session's account; the unlocked keys stay in `g.vault`, for
this request only. A request whose session is absent, expired or ended is anonymous.
"""
from __future__ import annotations

from typing import Callable

from flask import Flask, Response, current_app, g, request
from flask_login import current_user

from .accounts.models import Account
from .config import Settings
from .database import db
from .extensions import login_manager
from .sessions import LocalSessionStore, OpenSession, RedisSessionStore, VaultSessions

COOKIE_NAME = "cs_session"


def init_app(app: Flask, settings: Settings, clock: Callable[[], float]) -> None:
    if settings.redis_url:
        import redis

        store = RedisSessionStore(redis.Redis.from_url(settings.redis_url))
    else:
        store = LocalSessionStore(settings.session_dir)
    app.extensions["vault_sessions"] = VaultSessions(store, clock, settings.idle_timeout_seconds)
    app.extensions["clock"] = clock
    login_manager.request_loader(_load_account)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    app.after_request(_write_cookie)


def vault_sessions() -> VaultSessions:
    return current_app.extensions["vault_sessions"]


def current_vault() -> OpenSession | None:
    return g.get("vault")


def begin(account: Account, identity, via_api: bool = False) -> OpenSession:
    opened = vault_sessions().start(account.id, identity, account.identity_version, account.session_epoch or 0)
    g.vault, g.vault_via_cookie, g.vault_started = opened, not via_api, True
    return opened


def end() -> None:
    current_user.is_authenticated  # noqa: B018  (loads the session this request presents, if any)
    opened = current_vault()
    if opened is not None:
        vault_sessions().end(opened)
    g.vault = None
    g.vault_ended = True


def _load_account(req) -> Account | None:
    token, via_cookie = _presented_token(req)
    opened = vault_sessions().resume(token)
    if opened is None:
        if via_cookie and token:
            g.vault_ended = True  # clear a dead cookie
        return None
    account = db().get(Account, opened.account_id)
    # A rotated identity (`accounts/identity.py`) ends every session opened with the old keys.
    if (account is None or not account.is_active or opened.identity_version != account.identity_version
            or opened.epoch != (account.session_epoch or 0)):
        vault_sessions().end(opened)
        return None
    g.vault, g.vault_via_cookie = opened, via_cookie
    return account


def _presented_token(req) -> tuple[str | None, bool]:
    header = req.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[7:].strip(), False
    return req.cookies.get(COOKIE_NAME), True


def _write_cookie(response: Response) -> Response:
    settings: Settings = current_app.config["SETTINGS"]
    if g.get("vault_ended"):
        response.delete_cookie(COOKIE_NAME, path="/", samesite="Lax", secure=settings.production, httponly=True)
    opened = current_vault()
    if opened is not None and g.get("vault_started") and g.get("vault_via_cookie"):
        # No max-age: the cookie dies with the browser; the record dies after 20 idle minutes.
        response.set_cookie(COOKIE_NAME, opened.token, path="/", samesite="Lax", secure=settings.production, httponly=True)
    if (request.path.startswith("/api/") or opened is not None) and "no-store" not in response.headers.get("Cache-Control", ""):
        response.headers["Cache-Control"] = "no-store"  # a view may have said more, e.g. "private, no-store"
    return response
