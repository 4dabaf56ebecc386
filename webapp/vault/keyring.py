"""Certified public keys, as a session needs them before it wraps to anyone or trusts a signature.

Every key comes from a platform-signed record checked against the key service's high-water mark
(`vaultcore/publickey.py`): a key written straight into the database is never used.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore import publickey
from vaultcore.errors import CryptoError

from ..accounts.models import Account
from ..structures.models import StructureGeneration
from .errors import ItemNotFound


class Keyring:
    """Per-request cache of verified identity and structure keys."""

    def __init__(self, db: Session, keys: KeyServiceClient) -> None:
        self._db, self._keys = db, keys
        self._identities: dict[tuple[str, int | None], publickey.PublicKeyRecord] = {}

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
        """The verify key an account had at `version`: what checks a signature it made then."""
        key = (account_id, version)
        if key not in self._identities:
            account = self._account(account_id)
            self._identities[key] = publickey.open_public_key(
                account.identity_record, self.platform_keys, account_id, publickey.ROLE_IDENTITY, version
            )
        return self._identities[key].verify_key

    def current_structure(self, structure_id: str, generation: int) -> publickey.PublicKeyRecord:
        row = self._db.get(StructureGeneration, (structure_id, generation))
        if row is None:
            raise CryptoError()
        high_water = self._keys.high_water(publickey.ROLE_STRUCTURE, structure_id)
        return publickey.open_current_public_key(row.record, self.platform_keys, structure_id, publickey.ROLE_STRUCTURE, high_water)

    def _account(self, account_id: str) -> Account:
        account = self._db.get(Account, account_id)
        if account is None:
            raise ItemNotFound()
        return account
