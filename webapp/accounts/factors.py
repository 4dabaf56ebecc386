"""Recovery factors ("answer", "code"): a key bundle of the identity keys sealed under a secret the
key service counts guesses of (`docs/crypto.md`, *Recovery*).

Sealing again replaces the factor: the new bundle waits in `pending_blob` until the key service has
committed its new OPRF key, so a crash between the two leaves one of the two openable; once the key
service has switched, the old secret never opens anything again.

Opening spends one guess at the key service before it evaluates, and gives them all back only on a
proof that a wrong secret cannot make. Whoever calls `open_factor` has already checked the prior
factor: nothing here knows who may spend a guess.
"""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from keyservice.errors import GuessesExhausted
from vaultcore import bundle, oprf, unlock
from vaultcore.errors import CryptoError
from vaultcore.keys import IdentityKeys

from ..audit.services import record_event
from .models import Account, KeyBundle
from .services import Unlocked, _enroll, _matches_certified

KEY_VERSION = 1


class FactorErrors(NamedTuple):
    """The named errors one factor raises: (no bundle, wrong secret with guesses left, locked)."""

    missing: type[Exception]
    wrong: type[Exception]
    locked: type[Exception]


def seal_factor(db: Session, keys: KeyServiceClient, unlocked: Unlocked, factor: str, secret: bytes) -> None:
    """Seal the identity keys under `secret` for `factor`, replacing any earlier bundle. Commits the
    session when a bundle is replaced (the new one must be durable before the key service switches)."""
    account = unlocked.account
    row = db.get(KeyBundle, (account.id, factor))
    pending = _enroll(keys, account.id, secret, unlocked.identity, row.key_version if row else KEY_VERSION, factor)
    if row is None:
        db.add(KeyBundle(account_id=account.id, factor=factor, key_version=KEY_VERSION, blob=pending.blob))
        db.flush()
        keys.commit(account.id, factor, pending.enrollment_id, pending.proof_verify_key)
        return
    row.pending_blob = pending.blob
    db.commit()
    keys.commit(account.id, factor, pending.enrollment_id, pending.proof_verify_key)
    row.blob, row.pending_blob = pending.blob, None


def guesses_left(keys: KeyServiceClient, account: Account, factor: str) -> int:
    return keys.status(account.id, factor).guesses_left or 0


def open_factor(db: Session, keys: KeyServiceClient, account: Account, factor: str, secret: bytes | None,
                actor_id: str, *, event: str, errors: FactorErrors, structure_id: str | None = None) -> IdentityKeys:
    """The identity keys if `secret` is right. `secret` None (what was typed cannot be right under the
    normalisation rule) spends no guess. Audit events `<event>.wrong`, `.locked`, `.confirmed`; the
    caller commits either way, so the trail keeps every try."""
    row = db.get(KeyBundle, (account.id, factor))
    if row is None:
        raise errors.missing()
    if secret is None:
        raise errors.wrong(guesses_left(keys, account, factor))
    data = unlock.oprf_input(account.id, factor, secret)
    blind, blinded = oprf.blind(data)
    events = {"actor_id": actor_id, "subject_id": account.id, "structure_id": structure_id}
    try:
        evaluation = keys.evaluate(account.id, factor, blinded)
    except GuessesExhausted:
        record_event(db, f"{event}.locked", **events)
        raise errors.locked() from None
    output = oprf.finalize(data, blind, evaluation.evaluated)
    opened = _open_either(row, bundle.bundle_context(account.id, factor, row.key_version), output)
    if opened is None or not _matches_certified(keys, account, opened[1]):
        record_event(db, f"{event}.wrong", **events, details={"guesses_left": evaluation.guesses_left})
        raise errors.wrong(evaluation.guesses_left or 0)
    found, identity = opened
    challenge = {"purpose": "guess-proof", "account": account.id, "factor": factor, "challenge": evaluation.challenge}
    keys.prove(account.id, factor, evaluation.challenge, found.prove(challenge))
    record_event(db, f"{event}.confirmed", **events)
    return identity


def _open_either(row: KeyBundle, context, output: bytes):
    """(unlock keys, identity) from the committed bundle, or from the pending one if the key service
    switched keys before the web app could record it; None if neither opens."""
    for blob in filter(None, (row.blob, row.pending_blob)):
        try:
            found = bundle.unlock_keys_for(blob, context, output)
            identity = bundle.open_bundle(blob, context, found)
        except CryptoError:
            continue
        if blob is row.pending_blob:
            row.blob, row.pending_blob = blob, None
        return found, identity
    return None
