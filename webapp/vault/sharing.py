"""The shared part's epochs, from a session that holds an epoch key: the owner's (through their
identity) or a professional's (through their structure's current generation).

`current_epoch` gives the epoch under which new shares are sealed: the latest one if it is still
fresh (`vaultcore/sharedpart.py`), otherwise a new one, signed by the key service, wrapped to the
owner and to the current generation of each affiliated structure, chained to the one before.

The reader is who opens the epoch wraps (the owner's identity, or a structure generation); the
signer is the account acting, who signs every wrap it makes. For the owner both are the same.
`grant` is called from the owner's keys when an affiliation starts, `revoke` from either side's
when it ends.

The structures an epoch is wrapped to are those of the signed affiliation set (`affiliation_set.py`)
that also have an active affiliation row: a row written into the database alone receives nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore import sharedpart
from vaultcore.keys import BoxKeyPair, IdentityKeys
from vaultcore.statement import Statement, check_current, open_statement
from vaultcore.structure import Generation

from ..structures.models import Affiliation, Structure
from .affiliation_set import AffiliationSets
from .keyring import Keyring
from .models import EpochWrap, SharedEpoch

EPOCH_PURPOSE = "shared-part-epoch"


@dataclass(frozen=True)
class EpochReader:
    """Whose wraps this session opens: an account (version = identity version) or a structure
    (version = generation)."""

    id: str
    version: int
    keys: BoxKeyPair = field(repr=False)


@dataclass(frozen=True)
class Signer:
    id: str
    identity: IdentityKeys = field(repr=False)


class SharedPart:
    def __init__(self, db: Session, keys: KeyServiceClient, keyring: Keyring, owner_id: str,
                 reader: EpochReader, signer: Signer) -> None:
        self._db, self._keys, self._keyring = db, keys, keyring
        self.owner_id = owner_id
        self._reader, self._signer = reader, signer
        self._sets = AffiliationSets(db, keys, keyring)
        self._epochs: dict[int, sharedpart.Epoch] = {}

    @classmethod
    def for_owner(cls, db: Session, keys: KeyServiceClient, keyring: Keyring, owner_id: str, identity_version: int,
                  identity: IdentityKeys) -> "SharedPart":
        return cls(db, keys, keyring, owner_id, EpochReader(owner_id, identity_version, identity.box),
                   Signer(owner_id, identity))

    @classmethod
    def for_structure(cls, db: Session, keys: KeyServiceClient, keyring: Keyring, owner_id: str,
                      generation: Generation, member_id: str, member_identity: IdentityKeys) -> "SharedPart":
        """A member of an affiliated structure reads through the structure's current generation."""
        return cls(db, keys, keyring, owner_id, EpochReader(generation.structure, generation.number, generation.keys),
                   Signer(member_id, member_identity))

    @classmethod
    def keyless(cls, db: Session, keys: KeyServiceClient, keyring: Keyring, owner_id: str) -> "SharedPart":
        """For `revoke` only, which needs no key: a time rule that ends an affiliation holds none."""
        return cls(db, keys, keyring, owner_id, reader=None, signer=None)

    def current_epoch(self) -> sharedpart.Epoch:
        latest = self._latest_row()
        generations = self._affiliated_generations()
        if latest is not None:
            record = self._verified_record(latest)
            epoch = self.epoch(latest.number)
            if sharedpart.is_fresh(record, generations):
                return epoch
            return self._new_epoch(epoch, generations)
        return self._new_epoch(None, generations)

    def epoch(self, number: int) -> sharedpart.Epoch:
        """Epoch `number`'s key: unwrapped from the latest epoch the reader holds, down the chain."""
        if number in self._epochs:
            return self._epochs[number]
        latest = self._latest_row()
        if latest is None or number > latest.number:
            raise LookupError("no such epoch")
        epoch = self._unwrap_latest(latest)
        while epoch.number > number:
            row = self._db.get(SharedEpoch, (self.owner_id, epoch.number))
            epoch = sharedpart.open_chain(epoch, row.chain)
            self._check(epoch, self._db.get(SharedEpoch, (self.owner_id, epoch.number)))
            self._epochs[epoch.number] = epoch
        return epoch

    def grant(self, structure_id: str) -> int:
        """Open the shared part to a structure: one wrap of the latest epoch to its current certified
        generation (older epochs are reached through the chain). With no epoch yet, the first one is
        made for every affiliated structure and this one. Returns the number of wraps made.

        The structure first joins the signed affiliation set, with the owner's consent: only the
        owner's keys can do that. The latest epoch's record does not name the structure, so it turns
        stale: the next share makes a new epoch for the new set of structures."""
        if not self._reader.id == self._signer.id == self.owner_id:
            raise ValueError("only the owner's keys open the shared part to a structure")
        structure = self._db.get(Structure, structure_id)
        if structure is None:
            raise LookupError("no such structure")
        self._sets.add(self.owner_id, self._reader.version, self._signer.identity, structure.id)
        latest = self._latest_row()
        if latest is None:
            generations = {**self._affiliated_generations(), structure.id: structure.current_generation}
            self._new_epoch(None, generations)
            return 1 + len(generations)
        existing = self._db.get(EpochWrap, (self.owner_id, latest.number, structure.id))
        if existing is not None and existing.recipient_version == structure.current_generation:
            return 0
        epoch = self.epoch(latest.number)
        if existing is not None:
            self._db.delete(existing)
            self._db.flush()
        certified = self._keyring.current_structure(structure.id, structure.current_generation)
        self._add_wrap(epoch, structure.id, structure.current_generation, certified.box_public)
        return 1

    def latest(self) -> sharedpart.Epoch | None:
        """The latest epoch's key, its record checked at the key service's high-water version; None
        when nothing was ever shared. LookupError if this reader holds no wrap of it."""
        latest = self._latest_row()
        if latest is None:
            return None
        self._verified_record(latest)
        return self.epoch(latest.number)

    def regrant_owner(self) -> int:
        """After the owner's identity was rotated (`accounts/identity.py`), give the shared part back
        to them from an affiliated structure's session: the latest epoch is wrapped to the owner's new
        certified identity and signed by the acting member; the owner reaches older epochs down the
        chain. The owner's wraps to earlier identities go (their keys are lost). LookupError if this
        structure holds no wrap of the latest epoch. Returns the number of wraps made (0 when
        nothing was ever shared)."""
        if self._reader is None or self._reader.id == self.owner_id:
            raise ValueError("the shared part is re-granted from a structure's keys")
        epoch = self.latest()
        if epoch is None:
            return 0
        owner = self._keyring.current_identity(self.owner_id)
        for row in self._db.scalars(select(EpochWrap).where(EpochWrap.owner_id == self.owner_id,
                                                            EpochWrap.recipient_id == self.owner_id)):
            self._db.delete(row)
        self._db.flush()
        self._add_wrap(epoch, self.owner_id, owner.version, owner.box_public)
        return 1

    def revoke(self, structure_id: str) -> int:
        """Close the shared part to a structure: its epoch wraps go. Whatever is shared next goes under
        a new epoch it never receives (the affiliated set no longer matches the latest record), and it
        leaves the signed affiliation set (no key needed to remove). Returns the number of wraps deleted."""
        self._sets.remove(self.owner_id, structure_id)
        rows = self._db.scalars(select(EpochWrap).where(EpochWrap.owner_id == self.owner_id,
                                                        EpochWrap.recipient_id == structure_id)).all()
        for row in rows:
            self._db.delete(row)
        return len(rows)

    def _unwrap_latest(self, latest: SharedEpoch) -> sharedpart.Epoch:
        wrap = self._db.get(EpochWrap, (self.owner_id, latest.number, self._reader.id))
        if wrap is None:
            raise LookupError("this reader holds no key of this shared part")
        epoch = sharedpart.unwrap_epoch(
            wrap.blob, self.owner_id, latest.number, self._reader.id, self._reader.version, self._reader.keys,
            wrap.signer_id, self._keyring.wrap_signer(wrap.signer_id, wrap.blob),
        )
        self._check(epoch, latest)
        self._epochs[epoch.number] = epoch
        return epoch

    def _check(self, epoch: sharedpart.Epoch, row: SharedEpoch) -> None:
        statement = open_statement(row.record, self._keyring.platform_keys, EPOCH_PURPOSE)
        sharedpart.check_epoch_key(epoch, statement)

    def _verified_record(self, row: SharedEpoch) -> Statement:
        statement = open_statement(row.record, self._keyring.platform_keys, EPOCH_PURPOSE).require(
            owner=self.owner_id, version=row.number
        )
        return check_current(statement, self._keys.high_water(EPOCH_PURPOSE, self.owner_id))

    def _new_epoch(self, previous: sharedpart.Epoch | None, generations: dict[str, int]) -> sharedpart.Epoch:
        epoch = previous.next() if previous else sharedpart.Epoch.first(self.owner_id)
        record = self._keys.sign_record(
            sharedpart.epoch_context(self.owner_id, epoch.number), sharedpart.epoch_body(epoch, generations)
        )
        chain = sharedpart.chain(epoch, previous) if previous else None
        self._db.add(SharedEpoch(owner_id=self.owner_id, number=epoch.number, record=record, chain=chain))
        owner = self._keyring.current_identity(self.owner_id)
        self._add_wrap(epoch, self.owner_id, owner.version, owner.box_public)
        for structure_id, generation in generations.items():
            certified = self._keyring.current_structure(structure_id, generation)
            self._add_wrap(epoch, structure_id, generation, certified.box_public)
        self._epochs[epoch.number] = epoch
        return epoch

    def _add_wrap(self, epoch: sharedpart.Epoch, recipient: str, version: int, public: bytes) -> None:
        blob = sharedpart.wrap_epoch(epoch, recipient, version, public, self._signer.id, self._signer.identity)
        self._db.add(EpochWrap(owner_id=self.owner_id, epoch=epoch.number, recipient_id=recipient,
                               recipient_version=version, blob=blob, signer_id=self._signer.id))

    def _latest_row(self) -> SharedEpoch | None:
        return self._db.scalar(
            select(SharedEpoch).where(SharedEpoch.owner_id == self.owner_id).order_by(SharedEpoch.number.desc()).limit(1)
        )

    def _affiliated_generations(self) -> dict[str, int]:
        """Structures with an active row that the verified affiliation set names (CryptoError if it
        does not verify), with their current generations."""
        allowed = self._sets.current(self.owner_id)
        rows = self._db.execute(
            select(Structure.id, Structure.current_generation)
            .join(Affiliation, Affiliation.structure_id == Structure.id)
            .where(Affiliation.beneficiary_id == self.owner_id, Affiliation.status == "active")
        )
        return {structure_id: generation for structure_id, generation in rows if structure_id in allowed}
