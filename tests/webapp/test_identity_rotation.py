"""Identity rotation (`webapp/accounts/identity.py`): new keys at version v+1, the old record kept so
old signatures verify, the old private keys out of reach of any copy, open sessions ended."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from vaultcore import bundle, oprf, recovery, unlock, wrap
from vaultcore.errors import CryptoError
from vaultcore.keys import BoxKeyPair
from webapp.accounts import services as accounts
from webapp.accounts.errors import InvalidCredentials, WeakPassword
from webapp.accounts.identity import rotate_identity
from webapp.accounts.models import Account, IdentityRecord, KeyBundle
from webapp.accounts.secret_answer import enroll_answer
from webapp.audit.models import AuditEvent
from webapp.database import db
from webapp.vault.keyring import Keyring

from .conftest import PASSWORD, log_in

NEW_PASSWORD = "un tout autre mot de passe pour la suite"
ANSWER = "le chien de ma grand-mere"


def _rotate(app, made, *, then=None):
    account = db().get(Account, made.id)
    return rotate_identity(db(), app.extensions["keys"], account, NEW_PASSWORD, actor_id=made.id, then=then)


def test_the_new_password_opens_the_new_identity_and_the_old_one_nothing(app, make_account):
    made = make_account()
    with app.app_context():
        keys = app.extensions["keys"]
        before = accounts.authenticate(db(), keys, made.identifier, PASSWORD)
        rotated = _rotate(app, made)
        assert rotated.identity.verify_key != before.identity.verify_key
        after = accounts.authenticate(db(), keys, made.identifier, NEW_PASSWORD)
        assert (after.account.identity_version, after.identity.verify_key) == (2, rotated.identity.verify_key)
        with pytest.raises(InvalidCredentials):
            accounts.authenticate(db(), keys, made.identifier, PASSWORD)
        history = db().scalars(select(IdentityRecord).where(IdentityRecord.account_id == made.id)).all()
        assert [row.version for row in history] == [1]
        event = db().scalars(select(AuditEvent).where(AuditEvent.action == "identity.rotated")).one()
        assert (event.subject_id, event.details) == (made.id, {"from_version": 1, "version": 2})


def test_a_weak_password_changes_nothing(app, make_account):
    made = make_account()
    with app.app_context():
        account = db().get(Account, made.id)
        with pytest.raises(WeakPassword):
            rotate_identity(db(), app.extensions["keys"], account, "court", actor_id=made.id)
        assert app.extensions["keys"].high_water("identity", made.id) == 1
        accounts.authenticate(db(), app.extensions["keys"], made.identifier, PASSWORD)


def test_a_copy_taken_before_with_the_old_secrets_opens_nothing(app, make_account):
    made = make_account()
    with app.app_context():
        keys = app.extensions["keys"]
        enroll_answer(db(), keys, accounts.authenticate(db(), keys, made.identifier, PASSWORD), "Mon chien ?", ANSWER)
        db().commit()
        copy = [(row.factor, row.key_version, row.blob) for row in db().scalars(
            select(KeyBundle).where(KeyBundle.account_id == made.id))]
        assert {factor for factor, _, _ in copy} == {"password", "answer"}
        _rotate(app, made)
        assert db().scalars(select(KeyBundle.factor).where(KeyBundle.account_id == made.id)).all() == ["password"]
        assert not keys.status(made.id, "answer").enrolled
        secrets = {"password": unlock.normalise_password(PASSWORD), "answer": _normalised(ANSWER)}
        opened = 0
        for factor, key_version, blob in copy:
            for secret in secrets.values():
                opened += _opens(keys, made.id, factor, key_version, blob, secret)
        assert opened == 0


def _normalised(answer: str) -> bytes:
    return recovery.normalise_answer(answer)


def _opens(keys, account_id, factor, key_version, blob, secret) -> bool:
    data = unlock.oprf_input(account_id, factor, secret)
    blind, blinded = oprf.blind(data)
    try:
        evaluated = keys.evaluate(account_id, factor, blinded).evaluated
    except Exception:  # noqa: BLE001 - a forgotten factor answers NotEnrolled: nothing to open with
        return False
    context = bundle.bundle_context(account_id, factor, key_version)
    try:
        found = bundle.unlock_keys_for(blob, context, oprf.finalize(data, blind, evaluated))
        bundle.open_bundle(blob, context, found)
    except CryptoError:
        return False
    return True


def test_old_signatures_still_verify_through_the_history(app, make_account):
    made = make_account()
    with app.app_context():
        keys = app.extensions["keys"]
        before = accounts.authenticate(db(), keys, made.identifier, PASSWORD)
        old_wrap = _wrap_signed_by(made.id, before.identity)
        rotated = _rotate(app, made)
        new_wrap = _wrap_signed_by(made.id, rotated.identity)
        keyring = Keyring(db(), keys)
        assert keyring.signer(made.id, 1) == before.identity.verify_key
        assert keyring.signer(made.id, 2) == rotated.identity.verify_key
        assert keyring.verify_keys(made.id) == (rotated.identity.verify_key, before.identity.verify_key)
        assert keyring.wrap_signer(made.id, old_wrap) == before.identity.verify_key
        assert keyring.wrap_signer(made.id, new_wrap) == rotated.identity.verify_key
        assert keyring.current_identity(made.id).version == 2


def test_a_wrap_by_a_key_never_certified_for_the_signer_is_refused(app, make_account):
    made, other = make_account(), make_account()
    with app.app_context():
        keys = app.extensions["keys"]
        stranger = accounts.authenticate(db(), keys, other.identifier, PASSWORD)
        _rotate(app, made)
        with pytest.raises(CryptoError):
            Keyring(db(), keys).wrap_signer(made.id, _wrap_signed_by(made.id, stranger.identity))


def test_a_history_record_moved_to_another_account_or_version_is_refused(app, make_account):
    made, other = make_account(), make_account()
    with app.app_context():
        keys = app.extensions["keys"]
        _rotate(app, made)
        old = db().get(IdentityRecord, (made.id, 1)).record
        db().add(IdentityRecord(account_id=other.id, version=0, record=old))
        db().get(IdentityRecord, (made.id, 1)).version = 7
        db().add(IdentityRecord(account_id=made.id, version=1, record=db().get(Account, other.id).identity_record))
        db().commit()
        keyring = Keyring(db(), keys)
        for account_id, version in ((other.id, 0), (made.id, 7), (made.id, 1)):
            with pytest.raises(CryptoError):
                keyring.signer(account_id, version)
        assert len(keyring.verify_keys(made.id)) == 1  # only the current key is left


def test_an_open_session_stops_after_a_rotation(app, client, make_account):
    made = make_account()
    assert log_in(client, made).status_code == 302
    assert client.get("/coffre/").status_code == 200
    with app.app_context():
        _rotate(app, made)
    assert client.get("/coffre/").status_code == 302
    made.password = NEW_PASSWORD
    assert log_in(client, made).status_code == 302
    assert client.get("/coffre/").status_code == 200


def test_what_then_writes_commits_with_the_rotation_or_not_at_all(app, make_account):
    made = make_account()
    with app.app_context():
        def fail(unlocked):
            unlocked.account.must_change_password = True
            raise RuntimeError("the caller's own step failed")

        with pytest.raises(RuntimeError):
            _rotate(app, made, then=fail)
        db().rollback()
        account = db().get(Account, made.id)
        assert (account.identity_version, account.must_change_password) == (1, False)
        assert db().get(IdentityRecord, (made.id, 1)) is None
        with pytest.raises(InvalidCredentials):  # version 2 is certified: the old keys are retired
            accounts.authenticate(db(), app.extensions["keys"], made.identifier, PASSWORD)
        _rotate(app, made)  # run again, it certifies the next version the key service allows
        assert accounts.authenticate(db(), app.extensions["keys"], made.identifier, NEW_PASSWORD).account.identity_version == 3


def _wrap_signed_by(account_id: str, identity) -> bytes:
    context = {"purpose": "item-key", "subject": "x", "recipient": account_id, "recipient-version": 1,
               "signer": account_id}
    return wrap.wrap_key(b"k" * 32, BoxKeyPair.generate().public, context, identity)
