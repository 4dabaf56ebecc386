"""The platform review key: application documents open for administrators holding it, nowhere else."""
import os

import pytest
from nacl.public import PublicKey, SealedBox

from vaultcore import publickey, review
from vaultcore.errors import CryptoError
from vaultcore.keys import BoxKeyPair, IdentityKeys

from .tamper import assert_generic_failure


@pytest.fixture
def certified(platform):
    keys = BoxKeyPair.generate()
    blob = publickey.certify(platform.signing_key, platform.verify_key, publickey.review_record(3, keys))
    return keys, publickey.open_public_key(blob, [platform.verify_key], "platform", "review", 3)


def test_an_administrator_unwraps_the_certified_review_key(certified):
    keys, record = certified
    admin, signer = IdentityKeys.generate(), IdentityKeys.generate()
    blob = review.wrap_review_key(keys, 3, "admin1", 1, admin.box_public, "admin0", signer)
    opened = review.unwrap_review_key(blob, record, "admin1", 1, admin.box, "admin0", signer.verify_key)
    assert opened.secret == keys.secret
    assert_generic_failure(lambda b: review.unwrap_review_key(b, record, "admin1", 1, admin.box, "admin0", signer.verify_key), blob)
    with pytest.raises(CryptoError):  # wrapped to the admin under another name
        review.unwrap_review_key(blob, record, "admin2", 1, admin.box, "admin0", signer.verify_key)


def test_a_review_key_that_is_not_the_certified_one_stops(certified, platform):
    _, record = certified
    admin, signer, other = IdentityKeys.generate(), IdentityKeys.generate(), BoxKeyPair.generate()
    blob = review.wrap_review_key(other, 3, "admin1", 1, admin.box_public, "admin0", signer)
    with pytest.raises(CryptoError):
        review.unwrap_review_key(blob, record, "admin1", 1, admin.box, "admin0", signer.verify_key)


def test_document_keys_open_with_the_review_key_in_their_place_only(certified):
    keys, record = certified
    sealer, document_key = review.new_sealer(), os.urandom(32)
    blob = review.wrap_document_key(document_key, "app1", "doc1", record, sealer)
    assert review.unwrap_document_key(blob, "app1", "doc1", 3, keys, sealer.verify_key) == document_key
    for application, document, version in [("app2", "doc1", 3), ("app1", "doc2", 3), ("app1", "doc1", 2)]:
        with pytest.raises(CryptoError):
            review.unwrap_document_key(blob, application, document, version, keys, sealer.verify_key)
    with pytest.raises(CryptoError):  # another application's sealer
        review.unwrap_document_key(blob, "app1", "doc1", 3, keys, review.new_sealer().verify_key)
    with pytest.raises(CryptoError):  # any other key pair
        review.unwrap_document_key(blob, "app1", "doc1", 3, BoxKeyPair.generate(), sealer.verify_key)


def test_a_plain_sealed_box_to_the_review_key_never_opens(certified):
    keys, _ = certified
    sealer = review.new_sealer()
    plain = SealedBox(PublicKey(keys.public)).encrypt(os.urandom(32))
    with pytest.raises(CryptoError):
        review.unwrap_document_key(plain, "app1", "doc1", 3, keys, sealer.verify_key)


def test_a_structure_record_is_not_a_review_record(platform):
    keys = BoxKeyPair.generate()
    blob = publickey.certify(platform.signing_key, platform.verify_key, publickey.structure_record("platform", 1, keys))
    with pytest.raises(CryptoError):
        publickey.open_public_key(blob, [platform.verify_key], "platform", "review", 1)


def test_report_keys_open_with_the_review_key_for_their_report_only(certified):
    keys, record = certified
    sealer, report_key = review.new_sealer(), os.urandom(32)
    blob = review.wrap_report_key(report_key, "report1", record, sealer)
    assert review.unwrap_report_key(blob, "report1", 3, keys, sealer.verify_key) == report_key
    assert_generic_failure(lambda b: review.unwrap_report_key(b, "report1", 3, keys, sealer.verify_key), blob)
    for report, version in [("report2", 3), ("report1", 2)]:
        with pytest.raises(CryptoError):
            review.unwrap_report_key(blob, report, version, keys, sealer.verify_key)
    with pytest.raises(CryptoError):  # a report wrap is never an application document's, nor the reverse
        review.unwrap_document_key(blob, "report", "report1", 3, keys, sealer.verify_key)
    with pytest.raises(CryptoError):
        review.unwrap_report_key(blob, "report1", 3, BoxKeyPair.generate(), sealer.verify_key)
