"""Which structures may receive a beneficiary's shared part, as the signed affiliation set says
(`vaultcore/affiliationset.py`), never as affiliation rows alone.

A new version is signed by the key service at exactly its high-water mark + 1. Adding a structure
needs the owner's identity keys (their consent is stored beside the record); removing one does not,
so either side can end an affiliation. Readers verify the version at the high-water mark, and the
removals back to the last consent, before any epoch is wrapped to a structure.
"""
from __future__ import annotations

from typing import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore import affiliationset
from vaultcore.errors import CryptoError
from vaultcore.keys import IdentityKeys

from ..accounts.models import Account
from .keyring import Keyring
from .models import AffiliationSetVersion

SET_PURPOSE = affiliationset.SET_PURPOSE
PRELOAD_CHUNK = 1000


class AffiliationSets:
    """Per-request cache of verified sets, one per beneficiary."""

    def __init__(self, db: Session, keys: KeyServiceClient, keyring: Keyring) -> None:
        self._db, self._keys, self._keyring = db, keys, keyring
        self._verified: dict[str, frozenset[str]] = {}
        self._high_waters: dict[str, int] = {}
        self._versions: dict[str, dict[int, affiliationset.StoredVersion]] = {}
        self._accounts: list[Account] = []  # held so the session's identity map keeps them for the keyring

    def preload(self, owner_ids: Collection[str]) -> None:
        """Read what `current` needs for many beneficiaries at once (a structure rotation): their
        high-water marks in one key-service call, their versions and accounts in one query per chunk."""
        owners = sorted(set(owner_ids) - self._verified.keys() - self._versions.keys())
        for start in range(0, len(owners), PRELOAD_CHUNK):
            chunk = owners[start:start + PRELOAD_CHUNK]
            self._high_waters.update(self._keys.high_waters(SET_PURPOSE, chunk))
            versions: dict[str, dict[int, affiliationset.StoredVersion]] = {owner: {} for owner in chunk}
            for row in self._db.scalars(select(AffiliationSetVersion).where(AffiliationSetVersion.owner_id.in_(chunk))):
                versions[row.owner_id][row.version] = affiliationset.StoredVersion(row.record, row.consent)
            self._versions.update(versions)
            self._accounts.extend(self._db.scalars(select(Account).where(Account.id.in_(chunk))))

    def current(self, owner_id: str) -> frozenset[str]:
        """The structures allowed now; CryptoError when the stored set does not verify (fail closed)."""
        if owner_id not in self._verified:
            high_water = self._high_waters.pop(owner_id, None)
            self._verified[owner_id] = affiliationset.authorised_set(
                owner_id,
                self._keys.high_water(SET_PURPOSE, owner_id) if high_water is None else high_water,
                lambda version: self._stored(owner_id, version),
                self._keyring.platform_keys,
                lambda identity_version: self._keyring.signer(owner_id, identity_version),
            )
        return self._verified[owner_id]

    def add(self, owner_id: str, identity_version: int, identity: IdentityKeys, structure_id: str) -> None:
        """A new version naming `structure_id` too, consented with the owner's keys."""
        members = self.current(owner_id)
        if structure_id not in members:
            self._write(owner_id, members | {structure_id}, (identity_version, identity))

    def remove(self, owner_id: str, structure_id: str) -> None:
        """A new version without `structure_id`. Ending must always work, even when the stored set
        no longer verifies (a database writer tampered with it): the empty set is written then, which
        cuts every structure off from new epochs until the owner grants again — failing closed."""
        try:
            members = self.current(owner_id)
        except CryptoError:
            members = frozenset({structure_id})
        if structure_id in members:
            self._write(owner_id, members - {structure_id}, None)

    def _write(self, owner_id: str, members: frozenset[str],
               consent_by: tuple[int, IdentityKeys] | None) -> None:
        version = self._keys.high_water(SET_PURPOSE, owner_id) + 1
        body = affiliationset.set_body(members)
        consent = None
        if consent_by is not None:
            identity_version, identity = consent_by
            consent = affiliationset.sign_consent(owner_id, version, identity_version, identity, body)
        record = self._keys.sign_record(affiliationset.set_context(owner_id, version), body)
        stale = self._db.get(AffiliationSetVersion, (owner_id, version))
        if stale is not None:  # a row the key service never signed for this version: not ours
            self._db.delete(stale)
            self._db.flush()
        self._db.add(AffiliationSetVersion(owner_id=owner_id, version=version, record=record, consent=consent))
        self._db.flush()
        self._versions.pop(owner_id, None)
        self._verified[owner_id] = members

    def _stored(self, owner_id: str, version: int) -> affiliationset.StoredVersion | None:
        if owner_id in self._versions:
            return self._versions[owner_id].get(version)
        row = self._db.get(AffiliationSetVersion, (owner_id, version))
        return None if row is None else affiliationset.StoredVersion(row.record, row.consent)
