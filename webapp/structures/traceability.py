"""What professionals did with a beneficiary's shared part, as the beneficiary reads it: who (person
and structure), what, when. Read from the audit events `shared_access.py` records."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import Account
from ..audit.models import AuditEvent
from .models import Structure
from .shared_access import ACTIONS

SHOWN = 500  # the newest; older ones stay in the audit log


@dataclass(frozen=True)
class Trace:
    at: datetime
    action: str
    actor_id: str | None
    actor_name: str
    structure_id: str | None
    structure_name: str
    item_id: str | None
    kind: str | None


def traces_of(db: Session, beneficiary_id: str, limit: int = SHOWN) -> list[Trace]:
    events = db.scalars(select(AuditEvent).where(AuditEvent.subject_id == beneficiary_id, AuditEvent.action.in_(ACTIONS))
                        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)).all()
    people = {account.id: account for account in db.scalars(
        select(Account).where(Account.id.in_({event.actor_id for event in events if event.actor_id})))}
    structures = {structure.id: structure.name for structure in db.scalars(
        select(Structure).where(Structure.id.in_({event.structure_id for event in events if event.structure_id})))}
    return [Trace(event.at, event.action, event.actor_id, person_name(people.get(event.actor_id)), event.structure_id,
                  structures.get(event.structure_id, ""), event.details.get("item"), event.details.get("kind"))
            for event in events]


def person_name(account: Account | None) -> str:
    """A staff member's name as the beneficiary knows them; an erased account keeps no name."""
    if account is None or account.person is None:
        return ""
    return f"{account.person.first_name} {account.person.last_name}".strip()
