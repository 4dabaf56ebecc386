"""The one-time recovery code (factor "code"): a second recovery bundle of the identity keys.

20 Crockford base-32 characters (100 random bits, `vaultcore/recovery.py`), shown once on a page the
person prints, never stored: only a bundle sealed through the key service's OPRF, exactly like the
secret answer, with the same counted guesses. Issuing a new code replaces the bundle and the key
service's key, so the old code stops working; recovering with a code uses it up (a new one is
issued at once and shown after the new password is set).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore import recovery
from vaultcore.keys import IdentityKeys

from ..audit.services import record_event
from .errors import AccountError
from .factors import FactorErrors, open_factor, seal_factor
from .models import Account, KeyBundle
from .services import Unlocked

CODE = "code"


class NoRecoveryCode(AccountError):
    code = "no_recovery_code"


class WrongRecoveryCode(AccountError):
    code = "wrong_recovery_code"

    def __init__(self, guesses_left: int) -> None:
        super().__init__(f"{guesses_left} guesses left")
        self.guesses_left = guesses_left


class RecoveryCodeLocked(AccountError):
    """Every guess at the code is spent: the key service refuses until its operator unlocks it."""

    code = "recovery_code_locked"


ERRORS = FactorErrors(NoRecoveryCode, WrongRecoveryCode, RecoveryCodeLocked)


def issue_code(db: Session, keys: KeyServiceClient, unlocked: Unlocked, actor_id: str | None = None) -> str:
    """A new code for the account, replacing the previous one. Returned once, to be shown; never kept."""
    code = recovery.generate_recovery_code()
    seal_factor(db, keys, unlocked, CODE, recovery.normalise_recovery_code(code))
    account = unlocked.account
    record_event(db, "recovery_code.issued", actor_id=actor_id or account.id, subject_id=account.id)
    return code


def has_code(db: Session, account: Account) -> bool:
    return db.get(KeyBundle, (account.id, CODE)) is not None


def open_with_code(db: Session, keys: KeyServiceClient, account: Account, code: str, actor_id: str) -> IdentityKeys:
    """The identity keys, if `code` is the account's current code. A malformed code spends no guess;
    raises WrongRecoveryCode, RecoveryCodeLocked or NoRecoveryCode. The caller commits either way."""
    try:
        secret = recovery.normalise_recovery_code(code)
    except ValueError:
        secret = None
    return open_factor(db, keys, account, CODE, secret, actor_id, event="recovery_code", errors=ERRORS)
