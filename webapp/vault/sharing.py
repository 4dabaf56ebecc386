"""The shared part's epochs, from a session that holds the epoch key (the owner's, for now).

`current_epoch` gives the epoch under which new shares are sealed: the latest one if it is still
fresh (`vaultcore/sharedpart.py`), otherwise a new one, signed by the key service, wrapped to the
owner and to the current generation of each affiliated structure, chained to the one before.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore import sharedpart
from vaultcore.keys import IdentityKeys
from vaultcore.statement import Statement, check_current, open_statement

from ..structures.models import Affiliation, Structure
from .keyring import Keyring
from .models import EpochWrap, SharedEpoch

EPOCH_PURPOSE = "shared-part-epoch"


class SharedPart:
    def __init__(self, db: Session, keys: KeyServiceClient, keyring: Keyring, owner_id: str,
                 reader_id: str, reader_version: int, reader: IdentityKeys) -> None:
        self._db, self._keys, self._keyring = db, keys, keyring
        self.owner_id = owner_id
        self._reader_id, self._reader_version, self._reader = reader_id, reader_version, reader
        self._epochs: dict[int, sharedpart.Epoch] = {}

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

    def _unwrap_latest(self, latest: SharedEpoch) -> sharedpart.Epoch:
        wrap = self._db.get(EpochWrap, (self.owner_id, latest.number, self._reader_id))
        if wrap is None:
            raise LookupError("this reader holds no key of this shared part")
        epoch = sharedpart.unwrap_epoch(
            wrap.blob, self.owner_id, latest.number, self._reader_id, self._reader_version, self._reader.box,
            wrap.signer_id, self._keyring.current_identity(wrap.signer_id).verify_key,
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
        blob = sharedpart.wrap_epoch(epoch, recipient, version, public, self._reader_id, self._reader)
        self._db.add(EpochWrap(owner_id=self.owner_id, epoch=epoch.number, recipient_id=recipient,
                               recipient_version=version, blob=blob, signer_id=self._reader_id))

    def _latest_row(self) -> SharedEpoch | None:
        return self._db.scalar(
            select(SharedEpoch).where(SharedEpoch.owner_id == self.owner_id).order_by(SharedEpoch.number.desc()).limit(1)
        )

    def _affiliated_generations(self) -> dict[str, int]:
        rows = self._db.execute(
            select(Structure.id, Structure.current_generation)
            .join(Affiliation, Affiliation.structure_id == Structure.id)
            .where(Affiliation.beneficiary_id == self.owner_id, Affiliation.status == "active")
        )
        return {structure_id: generation for structure_id, generation in rows}
