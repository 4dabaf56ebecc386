import os

import pytest
from hypothesis import given, settings, strategies as st

from vaultcore import item, kdf
from vaultcore.errors import CryptoError
from vaultcore.keys import IdentityKeys
from vaultcore.record import open_record

from .tamper import assert_generic_failure

metadata = st.dictionaries(st.text(max_size=10), st.one_of(st.text(max_size=60), st.integers(), st.booleans()), max_size=5)


@pytest.fixture
def owner():
    return item.Author("b1", 1, IdentityKeys.generate())


def make_item(author, ref, kind="document", content=b"%PDF-1.7 scan"):
    key = os.urandom(32)
    meta = item.encrypt_metadata(key, ref, {"title": "Titre de séjour", "file_name": "titre.pdf"})
    encryptor = item.content_encryptor(key, ref)
    content_blob = encryptor.header + encryptor.update(content) + encryptor.finalize()
    seal = item.seal_item(author, ref, kind, key, meta, encryptor.header)
    return key, meta, content_blob, seal, encryptor.header


@given(value=metadata)
@settings(max_examples=80)
def test_metadata_round_trip(value):
    ref, key = item.ItemRef("i1", "b1", 3), os.urandom(32)
    assert item.decrypt_metadata(key, ref, item.encrypt_metadata(key, ref, value)) == value


def test_full_item_round_trip(owner):
    ref = item.ItemRef("i1", "b1")
    key, meta, content, seal, header = make_item(owner, ref)
    wrap = item.wrap_item_key_to_owner(key, ref, owner.keys.box_public, 1, owner)
    opened_key = item.unwrap_item_key(wrap, owner.keys.box, ref, 1, "b1", owner.keys.verify_key)
    item.open_item_seal(seal, owner.keys.verify_key, ref, "document", "b1", 1, opened_key, meta, header)
    decryptor = item.content_decryptor(opened_key, ref)
    assert decryptor.update(content) + decryptor.finalize() == b"%PDF-1.7 scan"
    assert item.decrypt_metadata(opened_key, ref, meta)["file_name"] == "titre.pdf"


def test_metadata_tampering_fails(owner):
    ref = item.ItemRef("i1", "b1")
    key, meta, *_ = make_item(owner, ref)
    assert_generic_failure(lambda b: item.decrypt_metadata(key, ref, b), meta)


def test_swapping_two_items_ciphertexts_fails(owner):
    a, b = item.ItemRef("a", "b1"), item.ItemRef("b", "b1")
    key_a, meta_a, content_a, seal_a, header_a = make_item(owner, a)
    key_b, meta_b, content_b, seal_b, header_b = make_item(owner, b)
    with pytest.raises(CryptoError):
        item.decrypt_metadata(key_a, a, meta_b)
    with pytest.raises(CryptoError):
        item.decrypt_metadata(key_b, a, meta_b)  # even with B's key, A's place refuses B's record
    with pytest.raises(CryptoError):
        decryptor = item.content_decryptor(key_b, a)
        decryptor.update(content_b)
        decryptor.finalize()
    with pytest.raises(CryptoError):
        item.open_item_seal(seal_b, owner.keys.verify_key, a, "document", "b1", 1, key_b, meta_b, header_b)


def test_swapping_wrapped_keys_between_items_or_accounts_fails(owner):
    a, b = item.ItemRef("a", "b1"), item.ItemRef("b", "b1")
    key_b = os.urandom(32)
    wrap_b = item.wrap_item_key_to_owner(key_b, b, owner.keys.box_public, 1, owner)
    with pytest.raises(CryptoError):
        item.unwrap_item_key(wrap_b, owner.keys.box, a, 1, "b1", owner.keys.verify_key)
    other = item.Author("b2", 1, IdentityKeys.generate())
    wrap_other = item.wrap_item_key_to_owner(key_b, item.ItemRef("b", "b2"), other.keys.box_public, 1, other)
    with pytest.raises(CryptoError):
        item.unwrap_item_key(wrap_other, owner.keys.box, b, 1, "b1", owner.keys.verify_key)


def test_key_injected_by_a_database_writer_fails_the_seal(owner):
    """An attacker wraps a key of their choice to the owner's public key: the seal pins the real key."""
    ref = item.ItemRef("i1", "b1")
    key, meta, _, seal, header = make_item(owner, ref)
    attacker = item.Author("b1", 1, IdentityKeys.generate())
    injected = item.wrap_item_key_to_owner(os.urandom(32), ref, owner.keys.box_public, 1, attacker)
    with pytest.raises(CryptoError):
        item.unwrap_item_key(injected, owner.keys.box, ref, 1, "b1", owner.keys.verify_key)
    with pytest.raises(CryptoError):
        item.open_item_seal(seal, owner.keys.verify_key, ref, "document", "b1", 1, os.urandom(32), meta, header)


def test_item_added_by_a_professional_is_signed_by_them(owner):
    professional = item.Author("p1", 4, IdentityKeys.generate())
    ref = item.ItemRef("i9", "b1")
    key, meta, _, seal, header = make_item(professional, ref, kind="note")
    item.open_item_seal(seal, professional.keys.verify_key, ref, "note", "p1", 4, key, meta, header)
    with pytest.raises(CryptoError):  # claiming the beneficiary wrote it fails
        item.open_item_seal(seal, owner.keys.verify_key, ref, "note", "b1", 1, key, meta, header)
    with pytest.raises(CryptoError):  # claiming another kind fails
        item.open_item_seal(seal, professional.keys.verify_key, ref, "document", "p1", 4, key, meta, header)


def test_older_revision_of_metadata_does_not_open_as_the_current_one(owner):
    key = os.urandom(32)
    old = item.encrypt_metadata(key, item.ItemRef("i1", "b1", 1), {"title": "ancien"})
    with pytest.raises(CryptoError):
        item.decrypt_metadata(key, item.ItemRef("i1", "b1", 2), old)


def test_thumbnail_round_trip_under_its_own_key():
    key, ref = os.urandom(32), item.ItemRef("i1", "b1", 1)
    blob = item.encrypt_thumbnail(key, ref, b"\xff\xd8\xff petite image")
    assert item.decrypt_thumbnail(key, ref, blob, item.thumbnail_digest(blob)) == b"\xff\xd8\xff petite image"
    with pytest.raises(CryptoError):  # the content key never opens it: each purpose has its own key
        open_record(kdf.derive(key, kdf.LABEL_ITEM_CONTENT), ref.context("item-thumbnail"), blob)


def test_tampered_thumbnail_fails_generically():
    key, ref = os.urandom(32), item.ItemRef("i1", "b1", 1)
    blob = item.encrypt_thumbnail(key, ref, os.urandom(3000))
    digest = item.thumbnail_digest(blob)
    assert_generic_failure(lambda b: item.decrypt_thumbnail(key, ref, b, digest), blob)
    # Even a record re-made with the item key (as anyone who can read the item could) is not the pinned one.
    remade = item.encrypt_thumbnail(key, ref, b"autre image")
    with pytest.raises(CryptoError):
        item.decrypt_thumbnail(key, ref, remade, digest)
    for wrong in ("", "00" * 32, "é" * 64, None):
        with pytest.raises(CryptoError):
            item.decrypt_thumbnail(key, ref, blob, wrong)


def test_thumbnail_of_another_item_or_revision_does_not_open():
    key = os.urandom(32)
    blob = item.encrypt_thumbnail(key, item.ItemRef("a", "b1", 1), b"image de A")
    digest = item.thumbnail_digest(blob)
    for elsewhere in (item.ItemRef("b", "b1", 1), item.ItemRef("a", "b2", 1), item.ItemRef("a", "b1", 2)):
        with pytest.raises(CryptoError):
            item.decrypt_thumbnail(key, elsewhere, blob, digest)
