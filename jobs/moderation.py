"""Moderation's periodic task: formal notices left unanswered past their deadline (R12)."""
from __future__ import annotations

from webapp import clock
from webapp.database import db
from webapp.moderation.decisions import suspend_unanswered


def suspend_unanswered_notices() -> int:
    """Suspend the accounts whose formal notice went unanswered 15 days; how many notices closed."""
    return suspend_unanswered(db(), clock.now())
