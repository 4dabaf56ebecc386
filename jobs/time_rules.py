"""The time rules, run every hour, acting at most once a day (docs/time-rules.md): R16c ends the
affiliations idle for 2 years, R16b deletes the beneficiary accounts inactive for 10 years, each
after its notices. No arguments: the jobs carry nothing, they read the database on the app's clock."""
from __future__ import annotations

from flask import current_app
from flask_babel import force_locale

from webapp import clock
from webapp.database import db
from webapp.time_rules import idle_affiliations, inactive_accounts

# The SMS are written here, away from any browser that would tell the person's language: in French,
# the service's first language. In-app notices are written when shown, in the reader's.
SMS_LANGUAGE = "fr"


def warn_and_end_idle_affiliations() -> dict[str, int]:
    """Tell both sides 30 days before, then end, the affiliations without activity of their Relais."""
    with force_locale(SMS_LANGUAGE):
        return idle_affiliations.warn_and_end(db(), current_app.extensions["keys"], clock.now())


def warn_and_delete_inactive_accounts() -> dict[str, int]:
    """Tell 90 and 30 days before, then delete, the beneficiary accounts inactive for 10 years."""
    with force_locale(SMS_LANGUAGE):
        return inactive_accounts.warn_and_delete(db(), current_app.extensions["keys"], current_app.extensions["blobs"],
                                                 clock.now())
