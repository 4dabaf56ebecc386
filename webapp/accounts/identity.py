"""Rotating an account's identity: new key pairs when the old private keys are out of reach.

Used when nobody can open the account's bundles any more (a forgotten password without answer or
code): a professional's reset of a beneficiary, a manager's reset of a member. The account keeps
its id and identifier; its identity becomes version `v+1`:

1. new `IdentityKeys`, certified by the key service at its high-water version + 1 after it checked
   a proof of possession (so a rotation that failed after certifying can simply be run again);
2. the other factors (secret answer, recovery code) are forgotten at the key service and their
   bundles deleted: they sealed the old keys, and a copy of them in an old backup must not open;
3. in one database transaction: the old record goes to `identity_records` (what the account signed
   before still verifies, `vault/keyring.py`), the new record and version replace it, the password
   bundle of the new keys waits in `pending_blob`, the caller's own changes (`then`), the audit event;
4. the key service switches the password's OPRF key; the pending bundle becomes the bundle.

The old private keys are lost by construction: every bundle that sealed them needs an OPRF key the
key service no longer has. A crash between 3 and 4 leaves the new identity committed and no
bundle that opens (the old one opens retired keys, which the login refuses); running the rotation
again repairs it. Sessions opened with the old keys stop at their next request
(`sessions_setup._load_account` compares identity versions).
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore import publickey, unlock
from vaultcore.keys import IdentityKeys

from ..audit.services import record_event
from .errors import WeakPassword
from .models import Account, IdentityRecord, KeyBundle
from .passwords import password_problem
from .services import PASSWORD, Unlocked, _enroll, _personal_words

OTHER_FACTORS = tuple(sorted(unlock.FACTORS - {PASSWORD}))


def rotate_identity(db: Session, keys: KeyServiceClient, account: Account, new_password: str, *, actor_id: str,
                    then: Callable[[Unlocked], None] | None = None) -> Unlocked:
    """Give `account` a new identity under `new_password` (WeakPassword if refused) and return it.
    `then` runs with the new keys inside the transaction that installs them, so what it writes
    (re-wraps to the new identity) commits with the rotation or not at all. Commits the session;
    `must_change_password` is the caller's."""
    problem = password_problem(new_password, account.role, _personal_words(account.identifier, account.person))
    if problem:
        raise WeakPassword(problem)
    identity = IdentityKeys.generate()
    version = keys.high_water(publickey.ROLE_IDENTITY, account.id) + 1
    record = keys.certify_identity(account.id, version, identity.box_public, identity.verify_key,
                                   publickey.prove_possession(identity, account.id, version))
    row = db.get(KeyBundle, (account.id, PASSWORD))
    pending = _enroll(keys, account.id, unlock.normalise_password(new_password), identity, row.key_version)
    _forget_other_factors(db, keys, account)
    previous = account.identity_version
    db.merge(IdentityRecord(account_id=account.id, version=previous, record=account.identity_record))
    account.identity_record, account.identity_version = record, version
    row.pending_blob = pending.blob
    unlocked = Unlocked(account, identity)
    db.flush()
    if then is not None:
        then(unlocked)
    record_event(db, "identity.rotated", actor_id=actor_id, subject_id=account.id,
                 details={"from_version": previous, "version": version})
    db.commit()  # the new bundle must be durable before the key service switches keys
    keys.commit(account.id, PASSWORD, pending.enrollment_id, pending.proof_verify_key)
    row.blob, row.pending_blob = pending.blob, None
    db.commit()
    return unlocked


def _forget_other_factors(db: Session, keys: KeyServiceClient, account: Account) -> None:
    """Before anything is committed: a failure after this costs the person their answer or code,
    never leaves a factor that opens the retired keys."""
    for factor in OTHER_FACTORS:
        keys.forget_factor(account.id, factor)
    for bundle_row in db.scalars(select(KeyBundle).where(KeyBundle.account_id == account.id,
                                                         KeyBundle.factor != PASSWORD)):
        db.delete(bundle_row)
    db.flush()  # so that the caller's `then` may enroll a new answer under the same key
    db.expire(account, ["bundles"])
