"""The JSON API under /api/v1: every action of the web pages, for phone apps, scripts and tests.

Authentication is the bearer token returned by `POST /api/v1/auth/login`, or the browser's session
cookie; with the cookie, state-changing calls need the `X-CSRFToken` header, as forms do.
"""
from flask import Blueprint

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")

from . import accounts, openapi, structures, vault  # noqa: E402,F401  (routes register on import)
from . import admin_sms  # noqa: E402,F401
from . import phone, reminders  # noqa: E402,F401
from . import shared_part, shared_reminders  # noqa: E402,F401
from . import affiliations  # noqa: E402,F401
from . import journal  # noqa: E402,F401
from . import moderation  # noqa: E402,F401
from . import contact  # noqa: E402,F401
from . import data_rights  # noqa: E402,F401
from . import assisted_reset  # noqa: E402,F401
from . import notices  # noqa: E402,F401
from . import deletion  # noqa: E402,F401
from . import recovery  # noqa: E402,F401
from . import staff_recovery  # noqa: E402,F401
