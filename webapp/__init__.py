"""Cloud Solidaire's web app: Flask application factory.

`create_app()` with no argument serves the embedded default (SQLite, local blobs and sessions, key
service in-process); the environment switches each part to its production service (`config.py`).
"""
from __future__ import annotations

import logging
import time
from typing import Callable

from flask import Flask

from .config import Settings
from .requests import VaultRequest, close_spools

log = logging.getLogger(__name__)
LANGUAGES = ("fr", "en")
MAX_REQUEST_BYTES = 250 * 1000 * 1000  # several files at once; each one has its own limit


def create_app(settings: Settings | None = None, *, key_service=None, clock: Callable[[], float] = time.time) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__, instance_path=str(settings.instance_dir))
    app.request_class = VaultRequest
    app.teardown_request(close_spools)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        MAX_FORM_MEMORY_SIZE=1024 * 1024,
        UPLOAD_LIMIT_BYTES=settings.upload_limit_bytes,
        LOGIN_RATE_LIMIT=settings.login_rate_limit,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.production,
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE="fr",
        BABEL_TRANSLATION_DIRECTORIES="translations",
        RATELIMIT_STORAGE_URI=settings.redis_url or "memory://",
        RATELIMIT_KEY_PREFIX="cs-limits",
        SETTINGS=settings,
    )
    from . import database, keyaccess, security, sessions_setup, tasks
    from .storage import blob_store_from_config
    from .sms import gateway as sms_gateway
    from .extensions import babel, csrf, limiter, login_manager

    if settings.proxy_count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_count, x_proto=settings.proxy_count)
    database.init_app(app, settings)
    app.extensions["keys"] = key_service or keyaccess.connect(settings)
    app.extensions["blobs"] = blob_store_from_config(settings.storage)
    sms_gateway.init_app(app)
    sessions_setup.init_app(app, settings, clock)
    tasks.init_app(app)
    babel.init_app(app, locale_selector=security.select_locale)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    security.init_app(app, settings)

    from .accounts.views import blueprint as accounts_blueprint
    from .api import blueprint as api_blueprint
    from .errors import init_app as init_errors

    from .vault.views import blueprint as vault_blueprint

    app.register_blueprint(accounts_blueprint)
    app.register_blueprint(vault_blueprint)
    from .sms.phone_views import blueprint as phone_blueprint

    app.register_blueprint(phone_blueprint)
    from .reminders.views import blueprint as reminders_blueprint

    app.register_blueprint(reminders_blueprint)
    from .admin.structures import blueprint as admin_structures_blueprint
    from .structures.views import blueprint as structures_blueprint

    app.register_blueprint(structures_blueprint)
    from .structures.affiliation_views import blueprint as affiliations_blueprint, mine as my_structures_blueprint

    app.register_blueprint(affiliations_blueprint)
    app.register_blueprint(my_structures_blueprint)
    app.register_blueprint(admin_structures_blueprint)
    from .structures.shared_views import blueprint as shared_part_blueprint, traces as traceability_blueprint

    app.register_blueprint(shared_part_blueprint)
    app.register_blueprint(traceability_blueprint)
    from .structures.shared_reminder_views import blueprint as shared_reminders_blueprint

    app.register_blueprint(shared_reminders_blueprint)
    from .admin.sms import blueprint as admin_sms_blueprint
    from .sms.views import blueprint as sms_webhooks_blueprint

    app.register_blueprint(admin_sms_blueprint)
    from .admin.moderation import blueprint as admin_moderation_blueprint
    from .admin.terms import blueprint as admin_terms_blueprint
    from .moderation.views import blueprint as moderation_blueprint

    app.register_blueprint(moderation_blueprint)
    app.register_blueprint(admin_moderation_blueprint)
    app.register_blueprint(admin_terms_blueprint)
    from .admin.contact import blueprint as admin_contact_blueprint
    from .contact.views import blueprint as contact_blueprint

    app.register_blueprint(contact_blueprint)
    app.register_blueprint(admin_contact_blueprint)
    app.register_blueprint(sms_webhooks_blueprint)
    from .data_rights.views import blueprint as my_data_blueprint
    from .data_rights.deletion_views import blueprint as data_rights_blueprint
    from .structures.departure_views import blueprint as departures_blueprint, managers as managers_blueprint
    from .admin.deletions import blueprint as admin_deletions_blueprint

    app.register_blueprint(my_data_blueprint)
    from .notices.views import blueprint as notices_blueprint

    app.register_blueprint(notices_blueprint)
    app.register_blueprint(data_rights_blueprint)
    app.register_blueprint(departures_blueprint)
    app.register_blueprint(managers_blueprint)
    app.register_blueprint(admin_deletions_blueprint)
    from .accounts.recovery_views import blueprint as recovery_blueprint
    from .accounts.settings_views import blueprint as settings_blueprint
    from .structures.recovery_views import blueprint as assisted_recovery_blueprint

    app.register_blueprint(recovery_blueprint)
    app.register_blueprint(settings_blueprint)
    app.register_blueprint(assisted_recovery_blueprint)
    from .structures.staff_recovery_views import admin as admin_staff_recovery_blueprint
    from .structures.staff_recovery_views import blueprint as staff_recovery_blueprint

    app.register_blueprint(staff_recovery_blueprint)
    app.register_blueprint(admin_staff_recovery_blueprint)
    from .structures.assisted_reset_views import blueprint as assisted_reset_blueprint

    app.register_blueprint(assisted_reset_blueprint)
    app.register_blueprint(api_blueprint)
    csrf.exempt(api_blueprint)  # the API checks CSRF itself when a cookie, not a token, authenticates
    init_errors(app)

    from .cli import register as register_cli

    register_cli(app)
    return app
