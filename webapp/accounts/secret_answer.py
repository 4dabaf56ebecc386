"""The secret question and answer (R5): a second key bundle of the identity keys, factor "answer".

The answer is normalised by `vaultcore/recovery.py`'s versioned rule, goes through the key
service's OPRF like a password, and seals the identity keys (`docs/crypto.md`, *Recovery*). The
key service counts the guesses: it spends one before it evaluates, refuses at zero, and gives
them all back only on a proof that a wrong answer cannot make. Only the question is stored in
clear, in the directory (R19); the answer never is.

A guess is spent only after a prior factor: a professional of the structure the person is joining
(R7) or of a structure they belong to has started the procedure with them, or an SMS code sent to
the account's phone was typed back (`recovery.py`). The sealing and the counting are `factors.py`.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore import recovery
from vaultcore.keys import IdentityKeys

from ..audit.services import record_event
from .errors import AccountError
from .factors import FactorErrors, open_factor, seal_factor
from .models import Account
from .services import Unlocked

ANSWER = "answer"
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
    """Seal the identity keys under the answer, replacing an earlier one; the person keeps the question."""
    account = unlocked.account
    seal_factor(db, keys, unlocked, ANSWER, recovery.normalise_answer(answer))
    account.person.secret_question = question.strip()[:MAX_QUESTION]
    record_event(db, "secret_answer.set", actor_id=actor_id or account.id, subject_id=account.id)


def open_with_answer(db: Session, keys: KeyServiceClient, account: Account, answer: str,
                     actor_id: str, structure_id: str | None = None) -> IdentityKeys:
    """The identity keys, if `answer` is right. Spends one guess at the key service first; raises
    WrongAnswer (with the guesses left), AnswerLocked or NoSecretAnswer. The caller commits either
    way, so the audit trail keeps every try."""
    try:
        secret = recovery.normalise_answer(answer)
    except ValueError:
        secret = None
    return open_factor(db, keys, account, ANSWER, secret, actor_id, event="secret_answer", errors=ERRORS,
                       structure_id=structure_id)


ERRORS = FactorErrors(NoSecretAnswer, WrongAnswer, AnswerLocked)
