"""The secret question and answer (R5): a second key bundle of the identity keys, factor "answer".

The answer is normalised by `vaultcore/recovery.py`'s versioned rule, goes through the key
service's OPRF like a password, and seals the identity keys (`docs/crypto.md`, *Recovery*). The
key service counts the guesses: it spends one before it evaluates, refuses at zero, and gives
them all back only on a proof that a wrong answer cannot make. Only the question is stored in
clear, in the directory (R19); the answer never is.

A guess is spent only after a prior factor: here, a professional of the structure the person is
joining has started the procedure with them (R7).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from keyservice.errors import GuessesExhausted
from vaultcore import bundle, oprf, recovery, unlock
from vaultcore.errors import CryptoError
from vaultcore.keys import IdentityKeys

from ..audit.services import record_event
from .errors import AccountError
from .models import Account, KeyBundle
from .services import Unlocked, _enroll, _matches_certified

ANSWER = "answer"
KEY_VERSION = 1
MAX_QUESTION = 200


class NoSecretAnswer(AccountError):
    """The account has no secret answer (staff accounts, or made before answers existed)."""

    code = "no_secret_answer"


class WrongAnswer(AccountError):
    code = "wrong_answer"

    def __init__(self, guesses_left: int) -> None:
        super().__init__(f"{guesses_left} guesses left")
        self.guesses_left = guesses_left


class AnswerLocked(AccountError):
    """Every guess is spent: the key service refuses until an administrator unlocks it."""

    code = "answer_locked"


def usable_answer(answer: str) -> bool:
    """Something is left once the rule drops punctuation, symbols and spaces."""
    try:
        recovery.normalise_answer(answer)
    except ValueError:
        return False
    return True


def enroll_answer(db: Session, keys: KeyServiceClient, unlocked: Unlocked, question: str, answer: str,
                  actor_id: str | None = None) -> None:
    """Seal the identity keys under the answer; the account's person keeps the question."""
    account = unlocked.account
    pending = _enroll(keys, account.id, recovery.normalise_answer(answer), unlocked.identity, KEY_VERSION, ANSWER)
    db.add(KeyBundle(account_id=account.id, factor=ANSWER, key_version=KEY_VERSION, blob=pending.blob))
    db.flush()
    keys.commit(account.id, ANSWER, pending.enrollment_id, pending.proof_verify_key)
    account.person.secret_question = question.strip()[:MAX_QUESTION]
    record_event(db, "secret_answer.set", actor_id=actor_id or account.id, subject_id=account.id)


def open_with_answer(db: Session, keys: KeyServiceClient, account: Account, answer: str,
                     actor_id: str) -> IdentityKeys:
    """The identity keys, if `answer` is right. Spends one guess at the key service first; raises
    WrongAnswer (with the guesses left), AnswerLocked or NoSecretAnswer. The caller commits either
    way, so the audit trail keeps every try."""
    row = db.get(KeyBundle, (account.id, ANSWER))
    if row is None:
        raise NoSecretAnswer()
    try:
        secret = recovery.normalise_answer(answer)
    except ValueError:
        raise WrongAnswer(keys.status(account.id, ANSWER).guesses_left or 0) from None
    data = unlock.oprf_input(account.id, ANSWER, secret)
    blind, blinded = oprf.blind(data)
    events = {"actor_id": actor_id, "subject_id": account.id}
    try:
        evaluation = keys.evaluate(account.id, ANSWER, blinded)
    except GuessesExhausted:
        record_event(db, "secret_answer.locked", **events)
        raise AnswerLocked() from None
    context = bundle.bundle_context(account.id, ANSWER, row.key_version)
    try:
        found = bundle.unlock_keys_for(row.blob, context, oprf.finalize(data, blind, evaluation.evaluated))
        identity = bundle.open_bundle(row.blob, context, found)
    except CryptoError:
        identity = None
    if identity is None or not _matches_certified(keys, account, identity):
        record_event(db, "secret_answer.wrong", **events, details={"guesses_left": evaluation.guesses_left})
        raise WrongAnswer(evaluation.guesses_left or 0)
    challenge = {"purpose": "guess-proof", "account": account.id, "factor": ANSWER, "challenge": evaluation.challenge}
    keys.prove(account.id, ANSWER, evaluation.challenge, found.prove(challenge))
    record_event(db, "secret_answer.confirmed", **events)
    return identity
