"""The periodic tasks: which run on their own, and how often.

Each line names a task (no arguments) and its interval. `python -m jobs scheduler` registers them
with rq in production; `jobs.runner.run_due` runs them in the embedded default.
"""
from __future__ import annotations

from datetime import timedelta

PERIODIC: list[tuple[str, timedelta]] = [
    ("jobs.cleanup.purge_expired_sessions", timedelta(minutes=10)),
    ("jobs.cleanup.purge_old_trash", timedelta(hours=6)),
    ("jobs.cleanup.finish_deletions", timedelta(minutes=10)),
    ("jobs.sms.dispatch_due_sms", timedelta(minutes=1)),
    ("jobs.journal.sign_journal_heads", timedelta(hours=1)),
    ("jobs.moderation.suspend_unanswered_notices", timedelta(hours=1)),
    ("jobs.time_rules.warn_and_end_idle_affiliations", timedelta(hours=1)),
    ("jobs.time_rules.warn_and_delete_inactive_accounts", timedelta(hours=1)),
]
