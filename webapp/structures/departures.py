"""A manager's account deletion goes through a platform administrator (R15).

The manager asks (one `DeletionRequest` per structure they belong to; a manager's requests are the
platform's to decide, not their co-managers'). An administrator lists the requests and refuses one
with a reason the manager reads, or validates it: the manager leaves every structure, then the
account is erased (`services.erase_account`: the key service shreds its secrets, the directory entry
and key bundles go, the row stays as a tombstone). Validation is refused while the manager is the
last manager of one of their structures: a Relais is never left without one.

An administrator holds no structure key, so the removal cannot start generation g+1 itself:
`Structures.remove_by_platform` signs the roster without the manager at once, and the next login
of any remaining member renews the generation (`complete_departures`, from `login.py`). Until then
the departed account cannot log in (its keys are shredded) and nobody can open its wrap.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient

from ..accounts.models import Account
from ..audit.models import AuditEvent
from ..audit.services import record_event
from .errors import LastManager, MemberNotFound, NotStaff, StructureNotFound
from .models import DeletionRequest, Membership, Structure
from .services import ACTIVE, MANAGER, Actor, Structures, erase_account, structures_of

MADE, REFUSED = "deletion_request.made", "deletion_request.refused"
MAX_REASON = 500


@dataclass(frozen=True)
class ManagerRequest:
    account: Account
    structures: list[Structure]
    sole_manager_of: list[Structure]  # validation waits until each of these has another manager

    @property
    def can_validate(self) -> bool:
        return not self.sole_manager_of


def ask(db: Session, account: Account) -> None:
    """The manager asks the platform to delete their account; asking again changes nothing."""
    if account.role != MANAGER:
        raise NotStaff()
    structure_ids = db.scalars(select(Membership.structure_id).where(Membership.account_id == account.id)).all()
    if not structure_ids:
        raise MemberNotFound()
    if pending(db, account.id):
        return
    db.add_all(DeletionRequest(account_id=account.id, structure_id=structure_id) for structure_id in structure_ids)
    record_event(db, MADE, actor_id=account.id, subject_id=account.id, details={"to": "platform"})


def pending(db: Session, account_id: str) -> bool:
    return db.scalar(select(func.count()).select_from(DeletionRequest)
                     .where(DeletionRequest.account_id == account_id)) > 0


def last_refusal(db: Session, account_id: str) -> str | None:
    """The reason of the platform's refusal, when it answered the manager's newest request."""
    newest = db.scalars(select(AuditEvent).where(AuditEvent.subject_id == account_id,
                                                 AuditEvent.action.in_((MADE, REFUSED)))
                        .order_by(AuditEvent.id.desc()).limit(1)).first()
    if newest is None or newest.action != REFUSED or pending(db, account_id):
        return None
    return (newest.details or {}).get("reason")


def manager_requests(db: Session) -> list[ManagerRequest]:
    accounts = db.scalars(select(Account).join(DeletionRequest, DeletionRequest.account_id == Account.id)
                          .where(Account.role == MANAGER).distinct().order_by(Account.identifier)).all()
    return [request_of(db, account) for account in accounts]


def manager_request(db: Session, account_id: str) -> ManagerRequest:
    account = db.get(Account, account_id)
    if account is None or account.role != MANAGER or not pending(db, account_id):
        raise MemberNotFound()
    return request_of(db, account)


def validate(db: Session, keys: KeyServiceClient, admin: Actor, account_id: str) -> None:
    """Removal from every structure, then erasure; LastManager while the manager is some Relais's only one."""
    request = manager_request(db, account_id)
    if not request.can_validate:
        raise LastManager()
    service = Structures(db, keys, admin)
    for structure in _memberships(db, account_id):
        service.remove_by_platform(structure, account_id)
    erase_account(db, keys, request.account)
    record_event(db, "account.deleted", actor_id=admin.id, subject_id=account_id, details={"reason": "self"})


def refuse(db: Session, admin_id: str, account_id: str, reason: str) -> None:
    """The request goes; the reason stays in the manager's journal, where their page reads it."""
    manager_request(db, account_id)
    for row in db.scalars(select(DeletionRequest).where(DeletionRequest.account_id == account_id)):
        db.delete(row)
    record_event(db, REFUSED, actor_id=admin_id, subject_id=account_id,
                 details={"by": "platform", "reason": reason.strip()[:MAX_REASON]})


def name_manager(db: Session, manager: Actor, structure: Structure, account_id: str) -> None:
    """A manager makes a member a manager too, so that a Relais may outlive its manager's departure.
    Every member already holds the structure's keys: nothing to wrap."""
    mine = db.get(Membership, (structure.id, manager.id))
    if mine is None or mine.role != MANAGER or structure.status != ACTIVE:
        raise StructureNotFound()
    membership = db.get(Membership, (structure.id, account_id))
    if membership is None or membership.role == MANAGER:
        raise MemberNotFound()
    membership.role = MANAGER
    db.get(Account, account_id).role = MANAGER
    record_event(db, "structure.manager_named", actor_id=manager.id, subject_id=account_id, structure_id=structure.id)


def complete_departures(db: Session, keys: KeyServiceClient, member: Actor) -> int:
    """At a member's login: renew each of their structures whose generation a departure left behind."""
    service, renewed = Structures(db, keys, member), 0
    for structure in structures_of(db, member.id):
        try:
            renewed += service.complete_departure(structure) is not None
        except StructureNotFound:  # this member's own wrap waits (`staff_recovery.py`): another member renews it
            continue
    return renewed


def request_of(db: Session, account: Account) -> ManagerRequest:
    structures = _memberships(db, account.id)
    sole = [structure for structure in structures if _is_sole_manager(db, structure, account.id)]
    return ManagerRequest(account, structures, sole)


def _memberships(db: Session, account_id: str) -> list[Structure]:
    return list(db.scalars(select(Structure).join(Membership, Membership.structure_id == Structure.id)
                           .where(Membership.account_id == account_id).order_by(Structure.name)))


def _is_sole_manager(db: Session, structure: Structure, account_id: str) -> bool:
    others = db.scalar(select(func.count()).select_from(Membership).where(
        Membership.structure_id == structure.id, Membership.role == MANAGER, Membership.account_id != account_id))
    membership = db.get(Membership, (structure.id, account_id))
    return membership is not None and membership.role == MANAGER and others == 0
