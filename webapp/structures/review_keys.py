"""The platform review key (`vaultcore/review.py`), from the web app's side.

The current version is the one at the key service's high-water mark for ("review", "platform"); if
the database holds no record at that version, the next administrator session makes a new one.
Each version's private half is wrapped to every administrator by an administrator who holds it:
a new administrator receives it the first time another one opens the console after them.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore import publickey, review
from vaultcore.keys import BoxKeyPair, IdentityKeys

from ..accounts.models import Account
from ..audit.services import record_event
from ..vault.keyring import Keyring
from .errors import ReviewUnavailable
from .models import ReviewKey, ReviewKeyWrap


class ReviewKeys:
    def __init__(self, db: Session, keys: KeyServiceClient) -> None:
        self._db, self._keys = db, keys
        self._keyring = Keyring(db, keys)

    def current_record(self) -> publickey.PublicKeyRecord:
        """The certified review key that new application documents are wrapped to."""
        high_water = self._keys.high_water(publickey.ROLE_REVIEW, publickey.REVIEW_OWNER)
        row = self._db.get(ReviewKey, high_water) if high_water else None
        if row is None:
            raise ReviewUnavailable()
        return publickey.open_current_public_key(
            row.record, self._keyring.platform_keys, publickey.REVIEW_OWNER, publickey.ROLE_REVIEW, high_water)

    def share_with_administrators(self, admin_id: str, admin_version: int, identity: IdentityKeys) -> None:
        """From an administrator's session: make the review key if there is none at the current
        version, and wrap every version this administrator holds to the administrators who lack it."""
        try:
            self.current_record()
        except ReviewUnavailable:
            self._make(admin_id, identity)
        for row in self._db.scalars(select(ReviewKey)).all():
            if self._db.get(ReviewKeyWrap, (row.version, admin_id)) is None:
                continue
            secret = None
            for admin in self._admins_without(row.version):
                secret = secret or self.open(row.version, admin_id, admin_version, identity)
                self._wrap(secret, row.version, admin, admin_id, identity)

    def open(self, version: int, admin_id: str, admin_version: int, identity: IdentityKeys) -> BoxKeyPair:
        """Review key `version`, unwrapped in an administrator's session and checked against its record."""
        row, wrap = self._db.get(ReviewKey, version), self._db.get(ReviewKeyWrap, (version, admin_id))
        if row is None or wrap is None:
            raise ReviewUnavailable()
        record = publickey.open_public_key(
            row.record, self._keyring.platform_keys, publickey.REVIEW_OWNER, publickey.ROLE_REVIEW, version)
        return review.unwrap_review_key(wrap.blob, record, admin_id, admin_version, identity.box, wrap.signer_id,
                                        self._keyring.wrap_signer(wrap.signer_id, wrap.blob))

    def _make(self, admin_id: str, identity: IdentityKeys) -> None:
        version = self._keys.high_water(publickey.ROLE_REVIEW, publickey.REVIEW_OWNER) + 1
        keys = BoxKeyPair.generate()
        self._db.add(ReviewKey(version=version, record=self._keys.certify_review(version, keys.public)))
        self._db.flush()
        for admin in self._admins_without(version):
            self._wrap(keys, version, admin, admin_id, identity)
        record_event(self._db, "review_key.created", actor_id=admin_id, details={"version": version})

    def _wrap(self, keys: BoxKeyPair, version: int, admin: Account, signer_id: str, signer: IdentityKeys) -> None:
        certified = self._keyring.current_identity(admin.id)
        blob = review.wrap_review_key(keys, version, admin.id, certified.version, certified.box_public, signer_id, signer)
        self._db.add(ReviewKeyWrap(version=version, account_id=admin.id, blob=blob, signer_id=signer_id))

    def _admins_without(self, version: int) -> list[Account]:
        holders = select(ReviewKeyWrap.account_id).where(ReviewKeyWrap.version == version)
        return list(self._db.scalars(
            select(Account).where(Account.role == "admin", Account.status == "active", Account.id.not_in(holders))))
