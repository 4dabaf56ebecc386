"""Structures, their members and key generations (`vaultcore/structure.py`), acted on from a session.

A generation's private key only ever exists unwrapped inside the session of a member (or of the
administrator who approves the structure, for generation 1). Who receives a new generation is read
from the platform-signed roster at the key service's high-water version, never from membership
rows alone: a row written straight into the database gets no wrap.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore import structure as generations
from vaultcore.errors import CryptoError
from vaultcore.keys import IdentityKeys
from vaultcore.statement import check_current, open_statement

from ..accounts.deletion import delete_personal_rows
from ..accounts.models import Account, Person
from ..accounts.services import create_account, generated_password
from ..audit.services import record_event
from ..db import utcnow
from ..vault.affiliation_set import AffiliationSets
from ..vault.keyring import Keyring
from ..vault.models import EpochWrap
from .applications import APPROVED, pending_application
from .errors import (
    AlreadyMember,
    BelongsElsewhere,
    KeysWaiting,
    LastManager,
    MemberNotFound,
    NotStaff,
    StructureKeysInvalid,
    StructureNotFound,
)
from .models import Affiliation, DeletionRequest, GenerationWrap, Membership, Roster, Structure, StructureGeneration

ACTIVE, SUSPENDED = "active", "suspended"
MANAGER, PROFESSIONAL = "manager", "professional"
STAFF_ROLES = (MANAGER, PROFESSIONAL)
ROSTER = "roster"


@dataclass(frozen=True)
class Actor:
    """Whoever acts, with the keys their session unlocked."""

    id: str
    version: int
    identity: IdentityKeys = field(repr=False)


@dataclass(frozen=True)
class NewAccount:
    """An account made with a generated password: shown once, never stored in clear."""

    account: Account
    password: str = field(repr=False)


@dataclass(frozen=True)
class MemberView:
    account: Account
    role: str
    deletion_requested: bool


class Structures:
    def __init__(self, db: Session, keys: KeyServiceClient, actor: Actor) -> None:
        self._db, self._keys, self._actor = db, keys, actor
        self._keyring = Keyring(db, keys)

    # Approval (administrators)

    def approve(self, application_id: str) -> tuple[Structure, NewAccount]:
        """R1, R2: the structure, generation 1, its manager with a generated password, roster 1."""
        application = pending_application(self._db, application_id)
        structure = Structure(name=application.name, kind=application.kind, siret=application.siret, status=ACTIVE)
        self._db.add(structure)
        self._db.flush()
        person = Person(first_name=application.referent_first_name, last_name=application.referent_last_name,
                        email=application.referent_email, phone=application.referent_phone)
        manager = self._new_staff_account(person, MANAGER)
        self._db.add(Membership(structure_id=structure.id, account_id=manager.account.id, role=MANAGER))
        generation = self._new_generation(structure, 1, [manager.account.id])
        structure.current_generation = 1
        self._sign_roster(structure, generation.number, [manager.account.id])
        application.status, application.structure_id = APPROVED, structure.id
        application.decided_at, application.decided_by = utcnow(), self._actor.id
        record_event(self._db, "structure_application.approved", actor_id=self._actor.id, subject_id=application.id,
                     structure_id=structure.id)
        record_event(self._db, "structure.created", actor_id=self._actor.id, subject_id=manager.account.id,
                     structure_id=structure.id)
        return structure, manager

    def set_status(self, structure_id: str, status: str) -> Structure:
        """Suspend or reactivate: a suspended structure's members cannot act for it."""
        if status not in (ACTIVE, SUSPENDED):
            raise ValueError("unknown structure status")
        structure = self._db.get(Structure, structure_id)
        if structure is None:
            raise StructureNotFound()
        structure.status = status
        record_event(self._db, "structure.suspended" if status == SUSPENDED else "structure.reactivated",
                     actor_id=self._actor.id, structure_id=structure.id)
        return structure

    # Managers

    def create_professional(self, structure: Structure, person: Person) -> NewAccount:
        self._require_manager(structure)
        made = self._new_staff_account(person, PROFESSIONAL)
        self._add(structure, made.account, PROFESSIONAL)
        return made

    def add_existing(self, structure: Structure, identifier: str) -> Account:
        """R4: one professional, several structures."""
        self._require_manager(structure)
        account = self._db.scalar(select(Account).where(Account.identifier == identifier.strip().lower()))
        if account is None or account.role not in STAFF_ROLES or not account.is_active:
            raise NotStaff()
        if self._db.get(Membership, (structure.id, account.id)) is not None:
            raise AlreadyMember()
        self._add(structure, account, PROFESSIONAL)
        return account

    def remove_member(self, structure: Structure, account_id: str) -> int:
        """Removing a member starts generation g+1 (docs/crypto.md, *Structures*); returns g+1."""
        self._require_manager(structure)
        membership = self._db.get(Membership, (structure.id, account_id))
        if membership is None:
            raise MemberNotFound()
        if membership.role == MANAGER and self._count_managers(structure) <= 1:
            raise LastManager()
        remaining = [member for member in self.verified_roster(structure) if member != account_id]
        number, rewrapped = self._rotate(structure, remaining)
        self._forget_member(structure, membership)
        record_event(self._db, "structure.member_removed", actor_id=self._actor.id, subject_id=account_id,
                     structure_id=structure.id, details={"generation": number, "epochs_rewrapped": rewrapped})
        return number

    def remove_by_platform(self, structure: Structure, account_id: str) -> None:
        """A platform administrator removes a member (a manager's deletion, R15, `departures.py`). An
        administrator holds no structure key, so generation g+1 waits for the next login of a remaining
        member (`complete_departure`): the roster is signed without the member at once, and their wrap of
        generation g stays until then. A wrap of the current generation to someone the roster no longer
        names is what says that a departure waits."""
        membership = self._db.get(Membership, (structure.id, account_id))
        if membership is None:
            raise MemberNotFound()
        remaining = [member for member in self.verified_roster(structure) if member != account_id]
        self._sign_roster(structure, structure.current_generation, remaining)
        self._forget_member(structure, membership)
        record_event(self._db, "structure.member_removed", actor_id=self._actor.id, subject_id=account_id,
                     structure_id=structure.id, details={"generation": structure.current_generation,
                                                        "rotation": "waiting"})

    def departure_waits(self, structure: Structure) -> bool:
        holders = set(self._db.scalars(select(GenerationWrap.account_id).where(
            GenerationWrap.structure_id == structure.id, GenerationWrap.generation == structure.current_generation)))
        return bool(holders - set(self.verified_roster(structure)))

    def complete_departure(self, structure: Structure) -> int | None:
        """From any remaining member's session: generation g+1 for the roster's members when a
        departure waits (`remove_by_platform`); returns g+1, or None when none waits."""
        if not self.departure_waits(structure):
            return None
        number, rewrapped = self._rotate(structure, self.verified_roster(structure))
        record_event(self._db, "structure.keys_renewed", actor_id=self._actor.id, structure_id=structure.id,
                     details={"generation": number, "epochs_rewrapped": rewrapped})
        return number

    def restart_generation(self, structure: Structure) -> int:
        """When no member can open the current generation any more (the identity of each one who held it
        was rotated), make generation g+1 for the roster's members, signed by the actor (an
        administrator, as for generation 1). The structure's epoch wraps go with generation g, which
        nobody can open: each beneficiary re-grants their shared part (`staff_recovery.py`). Returns g+1."""
        members = self.verified_roster(structure)
        new = self._new_generation(structure, structure.current_generation + 1, members)
        self._sign_roster(structure, new.number, members)
        for wrap in self._db.scalars(select(GenerationWrap).where(GenerationWrap.structure_id == structure.id,
                                                                  GenerationWrap.generation < new.number)):
            self._db.delete(wrap)
        for wrap in self._db.scalars(select(EpochWrap).where(EpochWrap.recipient_id == structure.id)):
            self._db.delete(wrap)
        structure.current_generation = new.number
        record_event(self._db, "structure.keys_renewed", actor_id=self._actor.id, structure_id=structure.id,
                     details={"generation": new.number})
        return new.number

    def delete_professional(self, structure: Structure, account_id: str) -> None:
        """R3, R15: the account ends with its membership; its keys are shredded at the key service."""
        self._require_manager(structure)
        account = self._db.get(Account, account_id)
        if account is None or self._db.get(Membership, (structure.id, account_id)) is None:
            raise MemberNotFound()
        if account.role != PROFESSIONAL:
            raise NotStaff()
        elsewhere = self._db.scalar(select(func.count()).select_from(Membership).where(
            Membership.account_id == account_id, Membership.structure_id != structure.id))
        if elsewhere:
            raise BelongsElsewhere()
        self.remove_member(structure, account_id)
        erase_account(self._db, self._keys, account)
        record_event(self._db, "account.deleted", actor_id=self._actor.id, subject_id=account_id,
                     structure_id=structure.id)

    def refuse_deletion(self, structure: Structure, account_id: str) -> None:
        self._require_manager(structure)
        request = self._db.get(DeletionRequest, (account_id, structure.id))
        account = self._db.get(Account, account_id)
        if request is None or account.role == MANAGER:  # a manager's request is the platform's (`departures.py`)
            raise MemberNotFound()
        self._db.delete(request)
        record_event(self._db, "deletion_request.refused", actor_id=self._actor.id, subject_id=account_id,
                     structure_id=structure.id)

    def members(self, structure: Structure) -> list[MemberView]:
        requested = set(self._db.scalars(select(DeletionRequest.account_id)
                                         .where(DeletionRequest.structure_id == structure.id)))
        rows = self._db.execute(select(Account, Membership.role).join(Membership, Membership.account_id == Account.id)
                                .where(Membership.structure_id == structure.id).order_by(Account.identifier))
        return [MemberView(account, role, account.id in requested) for account, role in rows]

    def beneficiaries(self, structure: Structure) -> list[tuple[Account, Affiliation]]:
        """The directory of affiliated beneficiaries; affiliating is later work (issue #6, part 3)."""
        rows = self._db.execute(select(Account, Affiliation).join(Affiliation, Affiliation.beneficiary_id == Account.id)
                                .where(Affiliation.structure_id == structure.id, Affiliation.status == "active")
                                .order_by(Account.identifier))
        return [(account, affiliation) for account, affiliation in rows]

    def verified_roster(self, structure: Structure) -> list[str]:
        """The members named by the current platform-signed roster, for the current generation."""
        return verified_roster(self._db, self._keys, structure)

    # Inner workings

    def _add(self, structure: Structure, account: Account, role: str) -> None:
        generation = current_generation_keys(self._db, self._keys, structure, self._actor)
        members = self.verified_roster(structure)
        self._wrap_to(generation, account.id)
        self._db.add(Membership(structure_id=structure.id, account_id=account.id, role=role))
        self._sign_roster(structure, generation.number, [*members, account.id])
        record_event(self._db, "structure.member_added", actor_id=self._actor.id, subject_id=account.id,
                     structure_id=structure.id, details={"role": role})

    def _rotate(self, structure: Structure, remaining: list[str]) -> tuple[int, int]:
        """Generation g+1 for `remaining`, the epoch wraps carried to it and g's wraps deleted;
        returns g+1 and how many epoch wraps were carried."""
        old = current_generation_keys(self._db, self._keys, structure, self._actor)
        new = self._new_generation(structure, old.number + 1, remaining)
        rewrapped = self._rotate_epoch_wraps(structure, old, new)
        self._sign_roster(structure, new.number, remaining)
        for wrap in self._db.scalars(select(GenerationWrap).where(GenerationWrap.structure_id == structure.id,
                                                                  GenerationWrap.generation == old.number)):
            self._db.delete(wrap)
        structure.current_generation = new.number
        return new.number, rewrapped

    def _forget_member(self, structure: Structure, membership: Membership) -> None:
        request = self._db.get(DeletionRequest, (membership.account_id, structure.id))
        if request is not None:
            self._db.delete(request)
        self._db.delete(membership)

    def _new_staff_account(self, person: Person, role: str) -> NewAccount:
        password = generated_password()
        unlocked = create_account(self._db, self._keys, identifier=self._free_identifier(person), role=role,
                                  password=password, person=person, must_change_password=True,
                                  actor_id=self._actor.id)
        return NewAccount(unlocked.account, password)

    def _free_identifier(self, person: Person) -> str:
        base = staff_identifier(person.first_name, person.last_name)
        candidate, number = base, 1
        while self._db.scalar(select(Account.id).where(Account.identifier == candidate)) is not None:
            number += 1
            candidate = f"{base}{number}"
        return candidate

    def _new_generation(self, structure: Structure, number: int, members: list[str]) -> generations.Generation:
        generation = generations.Generation.new(structure.id, number)
        record = self._keys.certify_structure(structure.id, number, generation.keys.public)
        self._db.add(StructureGeneration(structure_id=structure.id, number=number, record=record))
        for member in members:
            self._wrap_to(generation, member)
        return generation

    def _wrap_to(self, generation: generations.Generation, account_id: str) -> None:
        certified = self._keyring.current_identity(account_id)
        member = generations.Member(account_id, certified.version, certified.box_public)
        blob = generations.wrap_generation(generation, member, self._actor.id, self._actor.identity)
        self._db.add(GenerationWrap(structure_id=generation.structure, generation=generation.number,
                                    account_id=account_id, blob=blob, signer_id=self._actor.id))

    def _rotate_epoch_wraps(self, structure: Structure, old: generations.Generation,
                            new: generations.Generation) -> int:
        """Re-wrap to generation g+1 the epochs of beneficiaries whose verified affiliation set names
        the structure; any other wrap (replayed into the database, or of a set that no longer
        verifies) is deleted, not carried forward."""
        sets, allowed = AffiliationSets(self._db, self._keys, self._keyring), {}
        rows = {}
        wraps = self._db.scalars(select(EpochWrap).where(
            EpochWrap.recipient_id == structure.id, EpochWrap.recipient_version == old.number)).all()
        sets.preload({row.owner_id for row in wraps})
        for row in wraps:
            if row.owner_id not in allowed:
                allowed[row.owner_id] = self._set_names(sets, row.owner_id, structure.id)
            if allowed[row.owner_id]:
                rows[(row.owner_id, row.epoch)] = row
            else:
                self._db.delete(row)
        stored = [generations.EpochWrap(row.owner_id, row.epoch, row.blob, row.signer_id,
                                        self._keyring.wrap_signer(row.signer_id, row.blob))
                  for row in rows.values()]
        for before, blob in generations.rotate_epoch_wraps(old, new, stored, self._actor.id, self._actor.identity):
            row = rows[(before.owner, before.epoch)]
            row.blob, row.recipient_version, row.signer_id = blob, new.number, self._actor.id
        return len(rows)

    @staticmethod
    def _set_names(sets: AffiliationSets, owner_id: str, structure_id: str) -> bool:
        try:
            return structure_id in sets.current(owner_id)
        except CryptoError:
            return False

    def _sign_roster(self, structure: Structure, generation: int, members: list[str]) -> None:
        version = self._keys.high_water(ROSTER, structure.id) + 1
        record = self._keys.sign_record(generations.roster_context(structure.id, version),
                                        generations.roster_body(generation, members))
        self._db.add(Roster(structure_id=structure.id, version=version, record=record))

    def _require_manager(self, structure: Structure) -> None:
        membership = self._db.get(Membership, (structure.id, self._actor.id))
        if membership is None or membership.role != MANAGER or structure.status != ACTIVE:
            raise StructureNotFound()

    def _count_managers(self, structure: Structure) -> int:
        return self._db.scalar(select(func.count()).select_from(Membership).where(
            Membership.structure_id == structure.id, Membership.role == MANAGER))


def current_generation_keys(db: Session, keys: KeyServiceClient, structure: Structure,
                            member: Actor) -> generations.Generation:
    """The structure's current generation, unwrapped in a member's session and checked against its
    certified record; CryptoError if anything does not verify, KeysWaiting if the member's wrap is
    missing or was made for an earlier identity of theirs (`staff_recovery.py`)."""
    wrap = db.get(GenerationWrap, (structure.id, structure.current_generation, member.id))
    if wrap is None or generations.claimed_member_version(wrap.blob) < member.version:
        raise KeysWaiting()
    keyring = Keyring(db, keys)
    record = keyring.current_structure(structure.id, structure.current_generation)
    return generations.unwrap_generation(wrap.blob, record, member.id, member.version, member.identity.box,
                                         wrap.signer_id, keyring.wrap_signer(wrap.signer_id, wrap.blob))


def verified_roster(db: Session, keys: KeyServiceClient, structure: Structure) -> list[str]:
    high_water = keys.high_water(ROSTER, structure.id)
    row = db.get(Roster, (structure.id, high_water))
    if row is None:
        raise CryptoError()
    statement = open_statement(row.record, keys.platform_keys().keys, ROSTER).require(structure=structure.id)
    generation, members = generations.parse_roster(check_current(statement, high_water))
    if generation != structure.current_generation:
        raise CryptoError()
    return members


def check_structure_keys(db: Session, keys: KeyServiceClient, account: Account, member: Actor) -> list[Structure]:
    """At login: every active structure of a staff account whose keys do not wait for a re-wrap
    (KeysWaiting) opens and matches its certified generation and roster, or the session does not
    start. Returns the structures that opened."""
    found = []
    for structure in structures_of(db, account.id):
        try:
            current_generation_keys(db, keys, structure, member)
            if member.id not in verified_roster(db, keys, structure):
                raise CryptoError()
        except KeysWaiting:
            continue
        except (CryptoError, StructureNotFound):
            record_event(db, "login.structure_keys_invalid", subject_id=account.id, structure_id=structure.id)
            raise StructureKeysInvalid() from None
        found.append(structure)
    return found


def structures_of(db: Session, account_id: str, role: str | None = None) -> list[Structure]:
    """The active structures an account may act for, by name."""
    query = (select(Structure).join(Membership, Membership.structure_id == Structure.id)
             .where(Membership.account_id == account_id, Structure.status == ACTIVE).order_by(Structure.name))
    if role is not None:
        query = query.where(Membership.role == role)
    return list(db.scalars(query))


def structure_for(db: Session, account_id: str, structure_id: str, role: str | None = None) -> Structure:
    """One structure the account may act for, in that role; StructureNotFound otherwise (a 404)."""
    structure = db.get(Structure, structure_id)
    membership = db.get(Membership, (structure_id, account_id)) if structure else None
    if membership is None or structure.status != ACTIVE or (role is not None and membership.role != role):
        raise StructureNotFound()
    return structure


def request_deletion(db: Session, account: Account, structure: Structure) -> None:
    """R15: a professional asks; a manager of the structure validates or refuses."""
    if account.role != PROFESSIONAL:
        raise NotStaff()
    if db.get(DeletionRequest, (account.id, structure.id)) is None:
        db.add(DeletionRequest(account_id=account.id, structure_id=structure.id))
        record_event(db, "deletion_request.made", actor_id=account.id, subject_id=account.id, structure_id=structure.id)


def erase_account(db: Session, keys: KeyServiceClient, account: Account) -> None:
    """The person's directory entry, key bundles, codes, SMS, notices and messages go; the key service
    shreds the OPRF keys, so no copy of a bundle ever opens again. The row stays, renamed, so
    signatures it made still verify."""
    keys.delete_account(account.id)
    delete_personal_rows(db, account)
    account.status, account.identifier = "deleted", f"supprime-{account.id}"


def staff_identifier(first_name: str, last_name: str) -> str:
    """"Élise Le Bihan" → "elise.le-bihan": what a professional types to log in."""
    def part(text: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
        return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")

    return ".".join(filter(None, (part(first_name), part(last_name)))) or "professionnel"
