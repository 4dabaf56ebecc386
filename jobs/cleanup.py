"""Housekeeping tasks: removing what has expired."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app

from webapp.accounts.deletion import finish_interrupted_deletions
from webapp.database import db
from webapp.sessions import LocalSessionStore
from webapp.vault.retention import purge_trash


def purge_expired_sessions() -> int:
    """Delete the embedded default's expired session files; how many went.

    Redis expires its session records by itself (TTL), so there is nothing to do there.
    """
    settings = current_app.config["SETTINGS"]
    if settings.redis_url:
        return 0
    return LocalSessionStore(settings.session_dir).purge_expired()


def purge_old_trash() -> int:
    """Erase items that have been in the trash for more than 30 days."""
    now = datetime.fromtimestamp(current_app.extensions["clock"](), timezone.utc)
    return purge_trash(db(), current_app.extensions["blobs"], now)


def finish_deletions() -> int:
    """Complete account deletions a crash interrupted, and delete the blobs they left queued."""
    return finish_interrupted_deletions(db(), current_app.extensions["keys"], current_app.extensions["blobs"])
