"""Crypto-shredding and the full unlock path, vaultcore with the real key service (in-process).

A copy of everything the web app stores (bundle, item blobs) taken before deletion, plus the right
password, opens nothing after the key service deleted the account's secrets.
"""
import copy
import os

import pytest

from keyservice.client import LocalKeyServiceClient
from keyservice.errors import NotEnrolled
from keyservice.service import KeyService
from keyservice.storage import open_engine
from vaultcore import bundle, item, oprf, publickey, unlock
from vaultcore.errors import CryptoError
from vaultcore.keys import IdentityKeys

PASSWORD = unlock.normalise_password("une phrase de passe assez longue")


@pytest.fixture
def key_service(tmp_path):
    service = KeyService(open_engine(f"sqlite:///{tmp_path / 'keyservice.db'}"))
    yield LocalKeyServiceClient(service)
    service.close()


def oprf_output(client, account, secret, enroll=False):
    data = unlock.oprf_input(account, "password", secret)
    blind, blinded = oprf.blind(data)
    answer = client.enroll(account, "password", blinded) if enroll else client.evaluate(account, "password", blinded)
    return oprf.finalize(data, blind, answer.evaluated), answer


def sign_up(client, account):
    identity = IdentityKeys.generate()
    record = client.certify_identity(account, 1, identity.box_public, identity.verify_key,
                                     publickey.prove_possession(identity, account, 1))
    output, enrollment = oprf_output(client, account, PASSWORD, enroll=True)
    sealed = bundle.seal_bundle(bundle.bundle_context(account, "password", 1), output, identity)
    client.commit(account, "password", enrollment.enrollment_id, sealed.proof_verify_key)
    ref = item.ItemRef("doc-1", account)
    item_key = os.urandom(32)
    author = item.Author(account, 1, identity)
    return {
        "record": record,
        "bundle": sealed.blob,
        "meta": item.encrypt_metadata(item_key, ref, {"title": "canary-titre-de-sejour"}),
        "wrap": item.wrap_item_key_to_owner(item_key, ref, identity.box_public, 1, author),
    }


def log_in(client, account, stored):
    context = bundle.bundle_context(account, "password", 1)
    output, _ = oprf_output(client, account, PASSWORD)
    identity = bundle.open_bundle(stored["bundle"], context, bundle.unlock_keys_for(stored["bundle"], context, output))
    certified = publickey.open_public_key(stored["record"], client.platform_keys().keys, account, "identity", 1)
    ref = item.ItemRef("doc-1", account)
    item_key = item.unwrap_item_key(stored["wrap"], identity.box, ref, 1, account, certified.verify_key)
    return item.decrypt_metadata(item_key, ref, stored["meta"])


def test_login_opens_the_private_item(key_service):
    stored = sign_up(key_service, "b1")
    assert log_in(key_service, "b1", stored)["title"] == "canary-titre-de-sejour"


def test_backup_plus_right_password_opens_nothing_after_deletion(key_service):
    stored = sign_up(key_service, "b1")
    backup = copy.deepcopy(stored)
    key_service.delete_account("b1")
    with pytest.raises(NotEnrolled):
        log_in(key_service, "b1", backup)
    # Even someone who re-enrols the same password (a running web server can) gets a new OPRF key.
    output, enrollment = oprf_output(key_service, "b1", PASSWORD, enroll=True)
    key_service.commit("b1", "password", enrollment.enrollment_id, os.urandom(32))
    with pytest.raises(CryptoError):
        log_in(key_service, "b1", backup)


def test_deleting_one_account_leaves_the_others(key_service):
    first, second = sign_up(key_service, "b1"), sign_up(key_service, "b2")
    key_service.delete_account("b1")
    assert log_in(key_service, "b2", second)["title"] == "canary-titre-de-sejour"
    with pytest.raises(NotEnrolled):
        log_in(key_service, "b1", first)
