"""Which structures may receive a beneficiary's shared part, as the signed affiliation set says
(`vaultcore/affiliationset.py`), never as affiliation rows alone.

A new version is signed by the key service at exactly its high-water mark + 1. Adding a structure
needs the owner's identity keys (their consent is stored beside the record); removing one does not,
so either side can end an affiliation. Readers verify the version at the high-water mark, and the
removals back to the last consent, before any epoch is wrapped to a structure.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore import affiliationset
from vaultcore.errors import CryptoError
from vaultcore.keys import IdentityKeys

from .keyring import Keyring
from .models import AffiliationSetVersion

SET_PURPOSE = affiliationset.SET_PURPOSE


class AffiliationSets:
    """Per-request cache of verified sets, one per beneficiary."""

    def __init__(self, db: Session, keys: KeyServiceClient, keyring: Keyring) -> None:
        self._db, self._keys, self._keyring = db, keys, keyring
        self._verified: dict[str, frozenset[str]] = {}

    def current(self, owner_id: str) -> frozenset[str]:
        """The structures allowed now; CryptoError when the stored set does not verify (fail closed)."""
        if owner_id not in self._verified:
            self._verified[owner_id] = affiliationset.authorised_set(
                owner_id,
                self._keys.high_water(SET_PURPOSE, owner_id),
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
        self._verified[owner_id] = members

    def _stored(self, owner_id: str, version: int) -> affiliationset.StoredVersion | None:
        row = self._db.get(AffiliationSetVersion, (owner_id, version))
        return None if row is None else affiliationset.StoredVersion(row.record, row.consent)
