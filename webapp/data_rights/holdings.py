"""Everything the service holds about a person besides their items (R20, L.103): the directory
(identifier, names, birth date, contacts, secret question — never the answer), the accepted terms,
the Relais (affiliations for a beneficiary, memberships for staff) and their journal with whether
it verifies. One JSON-ready dict, read by the page, the API and the export's metadata.json."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient

from ..accounts.models import Account
from ..audit import journal
from ..structures import affiliations
from ..structures.models import Membership, Structure


def held(db: Session, keys: KeyServiceClient, account: Account, now: datetime) -> dict:
    person = account.person
    verdict = journal.verify(db, keys, account.id, now)
    return {
        "account": {"id": account.id, "identifier": account.identifier, "role": account.role,
                    "created_at": _iso(account.created_at), "last_activity_at": _iso(account.last_activity_at),
                    # The time rules' dates (docs/time-rules.md): a Relais's last activity, the last deletion notice.
                    "last_professional_activity_at": _iso(account.last_professional_activity_at),
                    "inactivity_notice_at": _iso(account.inactivity_notice_at)},
        "profile": {
            "first_name": person.first_name if person else "", "last_name": person.last_name if person else "",
            "birth_date": person.birth_date.isoformat() if person and person.birth_date else None,
            "email": person.email if person else None, "phone": person.phone if person else None,
            "secret_question": person.secret_question if person else None,
        },
        "terms": {"version": account.terms_version, "accepted_at": _iso(account.terms_accepted_at)},
        "structures": _structures(db, account),
        "journal": {
            "intact": verdict.intact, "checked_at": _iso(verdict.checked_at), "events_verified": verdict.events,
            "first_wrong_event": verdict.broken_at,
            "events": [{"seq": event.seq, "at": _iso(event.at), "action": event.action, "actor_id": event.actor_id,
                        "structure_id": event.structure_id, "details": event.details}
                       for event in journal.chained_events(db, account.id)],
        },
    }


def _structures(db: Session, account: Account) -> list[dict]:
    if account.role == "beneficiary":
        return [{"id": structure.id, "name": structure.name, "status": row.status,
                 "consents_to_contributions": row.consents_to_contributions, "started_at": _iso(row.started_at),
                 "confirmed_by": row.confirmed_by, "confirmed_at": _iso(row.confirmed_at), "ended_at": _iso(row.ended_at),
                 "last_professional_activity_at": _iso(row.last_professional_activity_at),
                 "idle_notice_at": _iso(row.idle_notice_at)}
                for structure, row in affiliations.of_beneficiary(db, account.id)]
    rows = db.execute(select(Structure, Membership).join(Membership, Membership.structure_id == Structure.id)
                      .where(Membership.account_id == account.id).order_by(Structure.name))
    return [{"id": structure.id, "name": structure.name, "status": "member", "role": membership.role,
             "started_at": _iso(membership.created_at)} for structure, membership in rows]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
