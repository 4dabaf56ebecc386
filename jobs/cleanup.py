"""Housekeeping tasks: removing what has expired."""
from __future__ import annotations

from flask import current_app

from webapp.sessions import LocalSessionStore


def purge_expired_sessions() -> int:
    """Delete the embedded default's expired session files; how many went.

    Redis expires its session records by itself (TTL), so there is nothing to do there.
    """
    settings = current_app.config["SETTINGS"]
    if settings.redis_url:
        return 0
    return LocalSessionStore(settings.session_dir).purge_expired()
