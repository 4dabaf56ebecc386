"""A beneficiary who forgot their password gets back into their account, keeping everything.

Three ways, each opening the identity keys with a recovery factor (`factors.py`), then sealing them
under a new password:

- "answer": the secret answer, after a prior factor (crypto.md 6): an SMS code sent to the
  account's confirmed phone and typed back (`send_code`, `check_code`), or a professional of a
  structure the person is affiliated to starting the procedure with them present;
- "code": the one-time recovery code, which is used up: a new one is issued at once.

A stranger who types an identifier learns nothing from these steps: whether the account exists, has
a phone or a code, every answer looks the same until a code sent by SMS has been typed back.

Every success is audited (`recovery.succeeded`, with the path), ends the account's open sessions
(`Account.session_epoch`) and leaves an SMS notice on the confirmed phone (no secret in it).
"""
from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore import recovery as recovery_rules
from vaultcore.keys import IdentityKeys

from ..audit.services import record_event
from ..db import new_id
from ..sms import delivery
from ..sms.codes import CodeThrottled, NoPendingCode, OneTimeCodes
from ..sms.errors import SmsError
from . import services
from .errors import WeakPassword
from .models import Account
from .passwords import password_problem
from .recovery_code import WrongRecoveryCode, issue_code, open_with_code
from .secret_answer import open_with_answer

log = logging.getLogger(__name__)
BENEFICIARY = "beneficiary"
CODE_PURPOSE = "reset"
BY_ANSWER, BY_CODE, BY_PROFESSIONAL = "answer", "code", "professional"
PARIS = ZoneInfo("Europe/Paris")


def recoverable(db: Session, identifier: str) -> Account | None:
    """The active beneficiary account this identifier names, if any. Staff recover through a manager."""
    return db.scalar(select(Account).where(Account.identifier == services.normalise_identifier(identifier or ""),
                                           Account.role == BENEFICIARY, Account.status == "active"))


def send_code(db: Session, codes: OneTimeCodes, identifier: str, now: datetime) -> None:
    """A code to the account's confirmed phone, if there is an account with one. Never raises and never
    says which: a throttled or failed send is kept in the audit trail by `codes.send`, not shown."""
    account = recoverable(db, identifier)
    if account is None or account.person is None or not account.person.phone:
        return
    try:
        codes.send(account_id=account.id, purpose=CODE_PURPOSE, phone_e164=account.person.phone, now=now)
    except (CodeThrottled, SmsError) as error:
        log.info("recovery code not sent: %s", type(error).__name__)


def check_code(db: Session, codes: OneTimeCodes, identifier: str, code: str, now: datetime) -> Account:
    """The account whose SMS code this is: the prior factor of the answer path. Raises a CodeError
    (NoPendingCode when there is no such account); the caller commits either way."""
    account = recoverable(db, identifier)
    if account is None:
        raise NoPendingCode()
    codes.verify(account_id=account.id, purpose=CODE_PURPOSE, code=code, now=now)
    return account


def check_new_password(identifier: str, account: Account | None, new_password: str) -> None:
    """Before any guess is spent: a refused new password must not cost one. Raises WeakPassword."""
    person = account.person if account is not None else None
    problem = password_problem(new_password, BENEFICIARY, services._personal_words(identifier, person))
    if problem:
        raise WeakPassword(problem)


def recover_with_answer(db: Session, keys: KeyServiceClient, account: Account, answer: str, new_password: str,
                        now: datetime, *, actor_id: str | None = None, structure_id: str | None = None) -> None:
    """Once the prior factor is checked by the caller: the answer opens the keys, the new password
    seals them. Raises WeakPassword (no guess spent), WrongAnswer, AnswerLocked or NoSecretAnswer."""
    check_new_password(account.identifier, account, new_password)
    identity = open_with_answer(db, keys, account, answer, actor_id or account.id, structure_id)
    _finish(db, keys, account, identity, new_password, now, path=BY_PROFESSIONAL if structure_id else BY_ANSWER,
            actor_id=actor_id, structure_id=structure_id)


def recover_with_code(db: Session, keys: KeyServiceClient, identifier: str, code: str, new_password: str,
                      now: datetime) -> str:
    """The recovery code opens the keys, the new password seals them; returns the new recovery code
    (the one typed is used up). Raises WrongRecoveryCode for what cannot be a code, then WeakPassword
    (no guess spent either way), then WrongRecoveryCode for an unknown identifier as for a wrong code,
    RecoveryCodeLocked or NoRecoveryCode."""
    try:
        recovery_rules.normalise_recovery_code(code)
    except ValueError:  # cannot be a code: refused before anything else, for every identifier alike
        raise WrongRecoveryCode(0) from None
    check_new_password(identifier, None, new_password)  # the identifier's words only: the same for everyone
    account = recoverable(db, identifier)
    if account is None:
        services._spend_like_a_login()  # as long as a real try, so the time says nothing either
        raise WrongRecoveryCode(0)
    identity = open_with_code(db, keys, account, code, account.id)
    _finish(db, keys, account, identity, new_password, now, path=BY_CODE)
    return issue_code(db, keys, services.Unlocked(account, identity))


def _finish(db: Session, keys: KeyServiceClient, account: Account, identity: IdentityKeys, new_password: str,
            now: datetime, *, path: str, actor_id: str | None = None, structure_id: str | None = None) -> None:
    services.change_password(db, keys, services.Unlocked(account, identity), new_password)
    account.session_epoch = (account.session_epoch or 0) + 1
    record_event(db, "recovery.succeeded", actor_id=actor_id or account.id, subject_id=account.id,
                 structure_id=structure_id, details={"path": path})
    notify_password_changed(db, account, now)


def notify_password_changed(db: Session, account: Account, now: datetime) -> None:
    """The SMS notice to the confirmed phone, if any; a refused send (STOP, quota) is logged, not raised."""
    if account.person is None or not account.person.phone:
        return
    local = now.astimezone(PARIS)
    body = _("Le mot de passe de votre compte Cloud Solidaire a été changé le %(date)s à %(time)s. "
             "Si ce n'est pas vous, parlez-en à votre Relais.", date=local.strftime("%d/%m/%Y"),
             time=local.strftime("%H:%M"))
    try:
        delivery.schedule(db, phone_e164=account.person.phone, body=body, purpose="notice",
                          idempotency_key=f"password-changed:{new_id()}", send_after=now, now=now,
                          account_id=account.id)
    except SmsError as error:
        log.info("password change notice not sent: %s", type(error).__name__)
