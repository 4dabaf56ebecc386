"""Certified public keys, as a session needs them before it wraps to anyone or trusts a signature.

Every key comes from a platform-signed record checked against the key service's high-water mark
(`vaultcore/publickey.py`): a key written straight into the database is never used.
"""
from __future__ import annotations

import hmac

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore import publickey, wrap
from vaultcore.errors import CryptoError

from ..accounts.models import Account, IdentityRecord
from ..structures.models import StructureGeneration
from .errors import ItemNotFound


class Keyring:
    """Per-request cache of verified identity and structure keys."""

    def __init__(self, db: Session, keys: KeyServiceClient) -> None:
        self._db, self._keys = db, keys
        self._identities: dict[tuple[str, int | None], publickey.PublicKeyRecord] = {}
        self._verify_keys: dict[str, tuple[bytes, ...]] = {}

    @property
    def platform_keys(self) -> tuple[bytes, ...]:
        return self._keys.platform_keys().keys

    def current_identity(self, account_id: str) -> publickey.PublicKeyRecord:
        """The identity a session may wrap to: genuine and the newest version."""
        cached = self._identities.get((account_id, None))
        if cached is None:
            account = self._account(account_id)
            high_water = self._keys.high_water(publickey.ROLE_IDENTITY, account_id)
            cached = publickey.open_current_public_key(
                account.identity_record, self.platform_keys, account_id, publickey.ROLE_IDENTITY, high_water
            )
            self._identities[(account_id, None)] = cached
        return cached

    def signer(self, account_id: str, version: int) -> bytes:
        """The verify key an account had at `version`: what checks a signature it made then. A version
        before the account's current one comes from its identity history (`accounts/identity.py`)."""
        key = (account_id, version)
        if key not in self._identities:
            self._identities[key] = publickey.open_public_key(
                self._record_at(account_id, version), self.platform_keys, account_id, publickey.ROLE_IDENTITY,
                version
            )
        return self._identities[key].verify_key

    def verify_keys(self, account_id: str) -> tuple[bytes, ...]:
        """Every verify key the account has had, newest first: the current one at the key service's
        high-water version, then each version of its history that verifies for this account and
        version. A retired key still checks what it signed before the rotation; nobody can sign
        with it again, since its private half was sealed under OPRF keys the rotation shredded."""
        if account_id not in self._verify_keys:
            found = [self.current_identity(account_id).verify_key]
            versions = self._db.scalars(select(IdentityRecord.version).where(
                IdentityRecord.account_id == account_id).order_by(IdentityRecord.version.desc()))
            for version in versions:
                try:
                    found.append(self.signer(account_id, version))
                except CryptoError:
                    continue  # a row moved or altered in the database: only its own version stops verifying
            self._verify_keys[account_id] = tuple(found)
        return self._verify_keys[account_id]

    def wrap_signer(self, signer_id: str, blob: bytes) -> bytes:
        """The key to check a wrap made by `signer_id`: the one the wrap carries, if it is one of the
        signer's certified keys, current or retired; CryptoError otherwise."""
        claimed = wrap.claimed_signer(blob)
        for verify_key in self.verify_keys(signer_id):
            if hmac.compare_digest(verify_key, claimed):
                return verify_key
        raise CryptoError()

    def current_structure(self, structure_id: str, generation: int) -> publickey.PublicKeyRecord:
        row = self._db.get(StructureGeneration, (structure_id, generation))
        if row is None:
            raise CryptoError()
        high_water = self._keys.high_water(publickey.ROLE_STRUCTURE, structure_id)
        return publickey.open_current_public_key(row.record, self.platform_keys, structure_id, publickey.ROLE_STRUCTURE, high_water)

    def _record_at(self, account_id: str, version: int) -> bytes:
        account = self._account(account_id)
        if version == account.identity_version:
            return account.identity_record
        row = self._db.get(IdentityRecord, (account_id, version))
        if row is None:
            raise CryptoError()
        return row.record

    def _account(self, account_id: str) -> Account:
        account = self._db.get(Account, account_id)
        if account is None:
            raise ItemNotFound()
        return account
