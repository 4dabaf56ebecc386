"""Staff recovery: a professional or manager who forgot their password gets a new one and loses nothing.

- A manager of structure S resets a member of S: the member's identity is rotated
  (`accounts/identity.py`: new keys at version v+1, a generated password to change at the next
  login), and the manager's session wraps S's current generation to the new identity at once.
- The member's other structures, whose keys that manager does not hold, *wait*: their wraps were made
  for version v. The login skips them (`check_structure_keys`), the member's home says so, and the next
  login of any member who holds a structure's current generation completes the wraps
  (`complete_waiting_wraps`): only to members named by the verified roster, at their certified identity.
- A platform administrator resets a structure's last manager (while another manager exists, that one
  does it). An administrator holds no structure key, so the wraps wait as above. When no other member
  holds the current generation either, nobody ever could complete them: the administrator's session
  starts generation g+1 for the roster's members (`Structures.restart_generation`), and each affiliated
  beneficiary's shared part is re-granted to it at their next login (the affiliation waits as
  `confirmed`, as after an SMS confirmation, `affiliations.complete_pending_grants`).

The temporary password is returned to be shown once; it is never stored, logged or put in an event.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore import structure as generations
from vaultcore.errors import CryptoError
from vaultcore.publickey import PublicKeyRecord

from ..accounts.identity import rotate_identity
from ..accounts.models import Account
from ..accounts.services import Unlocked, generated_password
from ..audit.services import record_event
from ..vault.errors import ItemNotFound
from ..vault.keyring import Keyring
from .affiliations import ACTIVE as AFFILIATION_ACTIVE
from .affiliations import CONFIRMED
from .errors import MemberNotFound, NotLastManager, StructureNotFound
from .models import Affiliation, GenerationWrap, Membership, Structure
from .services import ACTIVE, MANAGER, STAFF_ROLES, Actor, Structures, current_generation_keys, structures_of, verified_roster

RESET = "staff.password_reset"
REWRAPPED = "structure.keys_rewrapped"
REGRANT_AWAITED = "affiliation.regrant_awaited"
BY_MANAGER, BY_ADMINISTRATOR = "manager", "administrator"


@dataclass(frozen=True)
class Reset:
    """Who was reset, with the temporary password to show once."""

    account: Account
    password: str = field(repr=False)
    keys_renewed: bool = False


@dataclass(frozen=True)
class ManagerView:
    account: Account
    # Whether an administrator may reset this manager: the structure has no other manager.
    last_manager: bool
    # Whether that reset would start a new generation: no other member holds the current one.
    renews_keys: bool


# A manager resets a member of their structure

def reset_by_manager(db: Session, keys: KeyServiceClient, manager: Actor, structure: Structure,
                     account_id: str) -> Reset:
    """The manager's own keys must open the structure first (KeysWaiting otherwise), so the member's
    access here is back at once. One's own password is changed from one's account (MemberNotFound)."""
    if account_id == manager.id:
        raise MemberNotFound()
    account = member_of(db, structure, account_id)
    generation = current_generation_keys(db, keys, structure, manager)

    def rewrap(_new: Unlocked) -> None:
        account.must_change_password = True
        _wrap_to(db, generation, Keyring(db, keys).current_identity(account.id), manager)
        record_event(db, RESET, actor_id=manager.id, subject_id=account.id, structure_id=structure.id,
                     details={"by": BY_MANAGER})

    password = generated_password()
    rotate_identity(db, keys, account, password, actor_id=manager.id, then=rewrap)
    return Reset(account, password)


def member_of(db: Session, structure: Structure, account_id: str, role: str | None = None) -> Account:
    """An active staff member of the structure (in that role); MemberNotFound otherwise."""
    membership = db.get(Membership, (structure.id, account_id))
    account = db.get(Account, account_id) if membership else None
    if (account is None or not account.is_active or account.role not in STAFF_ROLES
            or (role is not None and membership.role != role)):
        raise MemberNotFound()
    return account


# A platform administrator resets a structure's last manager

def managers(db: Session, structure_id: str) -> tuple[Structure, list[ManagerView]]:
    """The active structure and its managers, as the administrators' page lists them."""
    structure = _active_structure(db, structure_id)
    rows = list(db.scalars(select(Account).join(Membership, Membership.account_id == Account.id).where(
        Membership.structure_id == structure.id, Membership.role == MANAGER).order_by(Account.identifier)))
    holders = _holders(db, structure)
    return structure, [ManagerView(account, len(rows) == 1, not holders - {account.id}) for account in rows]


def reset_last_manager(db: Session, keys: KeyServiceClient, admin: Actor, structure_id: str,
                       account_id: str) -> Reset:
    """NotLastManager while the structure has another manager: that one resets this one."""
    structure = _active_structure(db, structure_id)
    account = member_of(db, structure, account_id, MANAGER)
    if _count_managers(db, structure) > 1:
        raise NotLastManager()
    renew = not _holders(db, structure) - {account.id}

    def renew_keys(_new: Unlocked) -> None:
        account.must_change_password = True
        if renew:
            Structures(db, keys, admin).restart_generation(structure)
            _await_regrants(db, structure, admin)
        record_event(db, RESET, actor_id=admin.id, subject_id=account.id, structure_id=structure.id,
                     details={"by": BY_ADMINISTRATOR, "keys_renewed": renew})

    password = generated_password()
    rotate_identity(db, keys, account, password, actor_id=admin.id, then=renew_keys)
    return Reset(account, password, keys_renewed=renew)


# Waiting wraps

def waiting_structures(db: Session, account: Account) -> list[Structure]:
    """The account's active structures whose keys wait for a re-wrap (shown on its home page)."""
    return [structure for structure in structures_of(db, account.id) if account.id in _waiting_members(db, structure)]


def complete_waiting_wraps(db: Session, keys: KeyServiceClient, member: Actor, structures: list[Structure]) -> int:
    """At a member's login, for each structure their session opened: wrap its current generation to
    every other member whose wrap is missing or made for an earlier identity, if the verified roster
    names them and their identity is certified. Returns the number of wraps made."""
    made = 0
    for structure in structures:
        waiting = _waiting_members(db, structure) - {member.id}
        if not waiting:
            continue
        generation = current_generation_keys(db, keys, structure, member)
        keyring = Keyring(db, keys)
        for account_id in waiting & set(verified_roster(db, keys, structure)):
            try:
                certified = keyring.current_identity(account_id)
            except (CryptoError, ItemNotFound):
                continue  # only ever to a certified identity
            if not _is_waiting(db.get(GenerationWrap, (structure.id, generation.number, account_id)), certified.version):
                continue  # the account's identity column claimed a newer version than the certified one
            _wrap_to(db, generation, certified, member)
            record_event(db, REWRAPPED, actor_id=member.id, subject_id=account_id, structure_id=structure.id,
                         details={"generation": generation.number, "identity_version": certified.version})
            made += 1
    return made


# Inner workings

def _wrap_to(db: Session, generation: generations.Generation, certified: PublicKeyRecord, signer: Actor) -> None:
    """Wrap the generation to a certified identity, replacing the member's wrap of that generation."""
    member = generations.Member(certified.owner, certified.version, certified.box_public)
    blob = generations.wrap_generation(generation, member, signer.id, signer.identity)
    row = db.get(GenerationWrap, (generation.structure, generation.number, certified.owner))
    if row is None:
        db.add(GenerationWrap(structure_id=generation.structure, generation=generation.number,
                              account_id=certified.owner, blob=blob, signer_id=signer.id))
    else:
        row.blob, row.signer_id = blob, signer.id


def _waiting_members(db: Session, structure: Structure) -> set[str]:
    """Members whose wrap of the current generation is missing or claims an identity version older
    than their account's: read without any key, so only a hint of whom to re-wrap (checked then)."""
    return {account_id for account_id, version, wrap in _member_wraps(db, structure) if _is_waiting(wrap, version)}


def _holders(db: Session, structure: Structure) -> set[str]:
    """Members whose wrap of the current generation claims their identity version: who could open it."""
    return {account_id for account_id, version, wrap in _member_wraps(db, structure)
            if wrap is not None and _claimed(wrap) == version}


def _member_wraps(db: Session, structure: Structure) -> list[tuple[str, int, GenerationWrap | None]]:
    return list(db.execute(
        select(Membership.account_id, Account.identity_version, GenerationWrap)
        .join(Account, Account.id == Membership.account_id)
        .outerjoin(GenerationWrap, and_(GenerationWrap.structure_id == Membership.structure_id,
                                        GenerationWrap.account_id == Membership.account_id,
                                        GenerationWrap.generation == structure.current_generation))
        .where(Membership.structure_id == structure.id)))


def _is_waiting(wrap: GenerationWrap | None, identity_version: int) -> bool:
    if wrap is None:
        return True
    claimed = _claimed(wrap)
    return claimed is not None and claimed < identity_version


def _claimed(wrap: GenerationWrap) -> int | None:
    """None when unreadable: neither waiting nor holding, but invalid, so its member's login stops."""
    try:
        return generations.claimed_member_version(wrap.blob)
    except CryptoError:
        return None


def _await_regrants(db: Session, structure: Structure, admin: Actor) -> None:
    """The new generation holds no epoch key: each active affiliation waits for its beneficiary's next
    login, whose session re-grants the shared part (nothing is lost meanwhile, only out of reach)."""
    for row in db.scalars(select(Affiliation).where(Affiliation.structure_id == structure.id,
                                                   Affiliation.status == AFFILIATION_ACTIVE)):
        row.status = CONFIRMED
        record_event(db, REGRANT_AWAITED, actor_id=admin.id, subject_id=row.beneficiary_id, structure_id=structure.id)


def _active_structure(db: Session, structure_id: str) -> Structure:
    structure = db.get(Structure, structure_id)
    if structure is None or structure.status != ACTIVE:
        raise StructureNotFound()
    return structure


def _count_managers(db: Session, structure: Structure) -> int:
    return db.scalar(select(func.count()).select_from(Membership).where(
        Membership.structure_id == structure.id, Membership.role == MANAGER))
