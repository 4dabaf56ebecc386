"""The app's clock as an aware UTC datetime: tests move it, nothing here sleeps."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app


def now() -> datetime:
    return datetime.fromtimestamp(current_app.extensions["clock"](), timezone.utc)
