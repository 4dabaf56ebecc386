"""Response headers, the interface language, and what a logged-in account must do first.

The CSP allows no inline script or style: every script is a file under /static. HSTS only in
production, where TLS is guaranteed.
"""
from __future__ import annotations

from flask import Flask, Response, redirect, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from .config import Settings

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
LANGUAGES = ("fr", "en")
LANGUAGE_COOKIE = "lang"
# Pages an account may reach before accepting the terms or replacing a generated password (and
# the contact form: someone stuck there can still ask for help).
OPEN_ENDPOINTS = {"accounts.health", "accounts.login", "accounts.logout", "accounts.terms", "accounts.change_password",
                  "accounts.language", "static", "contact.index"}


def init_app(app: Flask, settings: Settings) -> None:
    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = "camera=(self), geolocation=(), microphone=()"
        if settings.production:
            response.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        return response

    @app.context_processor
    def page_globals() -> dict:
        return {"current_locale": lambda: str(get_locale()), "idle_seconds": settings.idle_timeout_seconds}

    @app.before_request
    def first_things_first():
        if request.blueprint == "api" or request.endpoint in OPEN_ENDPOINTS or not current_user.is_authenticated:
            return None
        from .accounts.services import needs_terms
        from .database import db

        if needs_terms(db(), current_user):
            return redirect(url_for("accounts.terms"))
        if current_user.must_change_password:
            return redirect(url_for("accounts.change_password"))
        if request.endpoint != "moderation.notice":
            from .moderation.decisions import unseen_notice

            notice = unseen_notice(db(), current_user.id)
            if notice is not None:  # a formal notice is read first, once (R12)
                return redirect(url_for("moderation.notice", notice_id=notice.id))
        return None


def select_locale() -> str:
    chosen = request.args.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "fr"
