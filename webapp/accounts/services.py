"""Creating accounts, logging in, changing passwords, accepting the terms.

The web app holds the keys of a logged-in user only inside their session record; here they exist
just long enough to seal bundles or to be handed to `VaultSessions`.
"""
from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from keyservice.errors import KeyServiceError, NotEnrolled, RateLimited
from vaultcore import bundle, oprf, publickey, unlock
from vaultcore.errors import CryptoError
from vaultcore.keys import IdentityKeys

from .. import clock
from ..audit.services import record_event
from ..db import new_id, utcnow
from .errors import AccountSuspended, IdentifierTaken, InvalidCredentials, TooManyAttempts, WeakPassword
from .models import Account, KeyBundle, Person, TermsVersion
from .passwords import password_problem

log = logging.getLogger(__name__)
PASSWORD = "password"


@dataclass(frozen=True)
class Unlocked:
    account: Account
    identity: IdentityKeys = field(repr=False)


def create_account(
    db: Session,
    keys: KeyServiceClient,
    *,
    identifier: str,
    role: str,
    password: str,
    person: Person | None = None,
    must_change_password: bool = False,
    actor_id: str | None = None,
) -> Unlocked:
    identifier = normalise_identifier(identifier)
    if db.scalar(select(Account.id).where(Account.identifier == identifier)):
        raise IdentifierTaken(identifier)
    problem = password_problem(password, role, _personal_words(identifier, person))
    if problem:
        raise WeakPassword(problem)
    identity = IdentityKeys.generate()
    account = Account(id=new_id(), identifier=identifier, role=role, must_change_password=must_change_password)
    account.identity_record = keys.certify_identity(
        account.id, 1, identity.box_public, identity.verify_key, publickey.prove_possession(identity, account.id, 1)
    )
    pending = _enroll(keys, account.id, unlock.normalise_password(password), identity, key_version=1)
    db.add(account)
    if person is not None:
        account.person = person
    db.add(KeyBundle(account_id=account.id, factor=PASSWORD, key_version=1, blob=pending.blob))
    db.flush()
    keys.commit(account.id, PASSWORD, pending.enrollment_id, pending.proof_verify_key)
    record_event(db, "account.created", actor_id=actor_id, subject_id=account.id, details={"role": role})
    return Unlocked(account, identity)


def authenticate(db: Session, keys: KeyServiceClient, identifier: str, password: str) -> Unlocked:
    account = db.scalar(select(Account).where(Account.identifier == normalise_identifier(identifier)))
    if account is None:
        _spend_like_a_login()
        raise InvalidCredentials()
    row = db.get(KeyBundle, (account.id, PASSWORD))
    try:
        output = _evaluate(keys, account.id, unlock.normalise_password(password))
    except RateLimited:
        raise TooManyAttempts() from None
    except NotEnrolled:
        raise InvalidCredentials() from None
    identity = _open_either(account.id, row, output) if row else None
    if identity is None or not _matches_certified(keys, account, identity):
        record_event(db, "login.failed", subject_id=account.id)
        raise InvalidCredentials()
    if not account.is_active:
        record_event(db, "login.refused_suspended", subject_id=account.id)
        raise AccountSuspended()
    account.last_activity_at = clock.now()  # the app's clock, which the time rules' tests move (R16b)
    record_event(db, "login.succeeded", actor_id=account.id, subject_id=account.id)
    return Unlocked(account, identity)


def change_password(db: Session, keys: KeyServiceClient, unlocked: Unlocked, new_password: str) -> None:
    account = unlocked.account
    problem = password_problem(new_password, account.role, _personal_words(account.identifier, account.person))
    if problem:
        raise WeakPassword(problem)
    row = db.get(KeyBundle, (account.id, PASSWORD))
    pending = _enroll(keys, account.id, unlock.normalise_password(new_password), unlocked.identity, row.key_version)
    row.pending_blob = pending.blob
    db.commit()  # the new bundle must be durable before the key service switches keys
    keys.commit(account.id, PASSWORD, pending.enrollment_id, pending.proof_verify_key)
    row.blob, row.pending_blob = pending.blob, None
    account.must_change_password = False
    record_event(db, "password.changed", actor_id=account.id, subject_id=account.id)


def normalise_identifier(identifier: str) -> str:
    """Identifiers are typed on phones: case and surrounding spaces never matter."""
    return identifier.strip().lower()


def current_terms(db: Session) -> TermsVersion | None:
    return db.scalar(select(TermsVersion).order_by(TermsVersion.version.desc()).limit(1))


def needs_terms(db: Session, account: Account) -> bool:
    latest = current_terms(db)
    return latest is not None and account.terms_version != latest.version


def accept_terms(db: Session, account: Account, version: int) -> None:
    latest = current_terms(db)
    if latest is None or version != latest.version:
        raise ValueError("not the current terms")
    account.terms_version, account.terms_accepted_at = version, utcnow()
    record_event(db, "terms.accepted", actor_id=account.id, subject_id=account.id, details={"version": version})


def generated_password() -> str:
    """For accounts an administrator creates: shown once, changed at first login (R2)."""
    return "-".join(secrets.token_urlsafe(6) for _ in range(4))


@dataclass(frozen=True)
class _PendingBundle:
    blob: bytes
    enrollment_id: str
    proof_verify_key: bytes


def _enroll(keys: KeyServiceClient, account_id: str, secret: bytes, identity: IdentityKeys, key_version: int,
            factor: str = PASSWORD) -> _PendingBundle:
    data = unlock.oprf_input(account_id, factor, secret)
    blind, blinded = oprf.blind(data)
    enrollment = keys.enroll(account_id, factor, blinded)
    output = oprf.finalize(data, blind, enrollment.evaluated)
    sealed = bundle.seal_bundle(bundle.bundle_context(account_id, factor, key_version), output, identity)
    return _PendingBundle(sealed.blob, enrollment.enrollment_id, sealed.proof_verify_key)


def _evaluate(keys: KeyServiceClient, account_id: str, secret: bytes) -> bytes:
    data = unlock.oprf_input(account_id, PASSWORD, secret)
    blind, blinded = oprf.blind(data)
    return oprf.finalize(data, blind, keys.evaluate(account_id, PASSWORD, blinded).evaluated)


def _open_either(account_id: str, row: KeyBundle, output: bytes) -> IdentityKeys | None:
    """The committed bundle, or the pending one if the key service committed its key before a crash."""
    context = bundle.bundle_context(account_id, PASSWORD, row.key_version)
    for blob in filter(None, (row.blob, row.pending_blob)):
        try:
            identity = bundle.open_bundle(blob, context, bundle.unlock_keys_for(blob, context, output))
        except CryptoError:
            continue
        if blob is row.pending_blob:
            row.blob, row.pending_blob = blob, None
        return identity
    return None


def _matches_certified(keys: KeyServiceClient, account: Account, identity: IdentityKeys) -> bool:
    try:
        record = publickey.open_current_public_key(
            account.identity_record,
            keys.platform_keys().keys,
            account.id,
            publickey.ROLE_IDENTITY,
            keys.high_water(publickey.ROLE_IDENTITY, account.id),
        )
    except (CryptoError, KeyServiceError):
        log.warning("login refused: the identity record of account %s does not verify", account.id)
        return False
    return record.box_public == identity.box_public and record.verify_key == identity.verify_key


def _spend_like_a_login() -> None:
    """Unknown identifiers cost the same Argon2id as known ones, so timing does not tell them apart."""
    unlock.derive_unlock_keys(os.urandom(64), os.urandom(unlock.SALT_BYTES), unlock.CURRENT)


def _personal_words(identifier: str, person: Person | None) -> tuple[str, ...]:
    words = [identifier, *identifier.replace(".", " ").split()]
    if person is not None:
        words += [person.first_name, person.last_name]
    return tuple(words)
