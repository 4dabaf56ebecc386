"""Rectification (R20): a person corrects their names, birth date and e-mail. The phone has its own
page (it is confirmed by a code).

The identifier stays what it is: people and their Relais know it, it is written on papers, and it
is not a fact about the person but a name for the account. The duplicate key (`people.name_key`,
with the birth date, R13) follows the new names, so a second account for the same person is still
caught. When the corrected names and birth date are those of another active account, the change is
kept (it is the person's own data) and the audit event names that account, for the platform to look at.
The event lists which fields changed, never their values."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from ..accounts.models import Account, Person
from ..audit.services import record_event
from ..structures.beneficiaries import name_key, same_person

FIELDS = ("first_name", "last_name", "birth_date", "email")


@dataclass(frozen=True)
class Rectified:
    first_name: str
    last_name: str
    birth_date: date | None
    email: str | None


def rectify(db: Session, account: Account, wanted: Rectified) -> list[str]:
    """Apply the corrections; the names of the fields that changed."""
    person = account.person or Person(account_id=account.id, first_name="", last_name="")
    account.person = person
    changed = [name for name in FIELDS if getattr(person, name) != getattr(wanted, name)]
    if not changed:
        return []
    for name in changed:
        setattr(person, name, getattr(wanted, name))
    details: dict = {"fields": changed}
    if account.role == "beneficiary":
        person.name_key = name_key(person.first_name, person.last_name)
        if person.birth_date is not None:
            db.flush()
            others = [other.id for other in same_person(db, person.first_name, person.last_name, person.birth_date)
                      if other.id != account.id]
            if others:
                details["same_names_and_birth_date_as"] = others
    record_event(db, "profile.rectified", actor_id=account.id, subject_id=account.id, details=details)
    return changed
