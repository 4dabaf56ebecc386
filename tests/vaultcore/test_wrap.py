import os

import pytest
from hypothesis import given, settings, strategies as st
from nacl.public import PublicKey, SealedBox

from vaultcore.errors import CryptoError
from vaultcore.keys import BoxKeyPair, IdentityKeys
from vaultcore.wrap import unwrap_key, wrap_key

from .tamper import assert_generic_failure


def context(**changes):
    base = {"purpose": "item-key", "subject": "i1", "recipient": "b1", "recipient-version": 1, "signer": "b1"}
    return dict(base, **changes)


@pytest.fixture
def parties():
    return IdentityKeys.generate(), IdentityKeys.generate()  # recipient, signer


@given(payload=st.binary(min_size=1, max_size=1024))
@settings(max_examples=60)
def test_round_trip(payload):
    recipient, signer = IdentityKeys.generate(), IdentityKeys.generate()
    blob = wrap_key(payload, recipient.box_public, context(), signer)
    assert unwrap_key(blob, recipient.box, context(), signer.verify_key) == payload


def test_every_tampering_fails_the_same_way(parties):
    recipient, signer = parties
    blob = wrap_key(os.urandom(32), recipient.box_public, context(), signer)
    assert_generic_failure(lambda b: unwrap_key(b, recipient.box, context(), signer.verify_key), blob)


@pytest.mark.parametrize(
    "changes",
    [
        {"subject": "i2"},  # copied from item A to item B
        {"recipient": "b2"},  # copied to another beneficiary
        {"recipient-version": 2},
        {"purpose": "structure-key"},
        {"signer": "p1"},
    ],
)
def test_wrap_copied_to_another_place_does_not_open(parties, changes):
    recipient, signer = parties
    blob = wrap_key(os.urandom(32), recipient.box_public, context(), signer)
    with pytest.raises(CryptoError):
        unwrap_key(blob, recipient.box, context(**changes), signer.verify_key)


def test_wrap_for_another_recipient_does_not_open(parties):
    recipient, signer = parties
    other = IdentityKeys.generate()
    blob = wrap_key(os.urandom(32), other.box_public, context(), signer)
    with pytest.raises(CryptoError):
        unwrap_key(blob, recipient.box, context(), signer.verify_key)


def test_wrap_signed_by_someone_else_is_refused(parties):
    recipient, signer = parties
    intruder = IdentityKeys.generate()
    blob = wrap_key(os.urandom(32), recipient.box_public, context(), intruder)
    with pytest.raises(CryptoError):
        unwrap_key(blob, recipient.box, context(), signer.verify_key)


def test_plain_sealed_box_to_the_genuine_key_never_unwraps(parties):
    recipient, signer = parties
    sealed = SealedBox(PublicKey(recipient.box_public)).encrypt(os.urandom(32))
    with pytest.raises(CryptoError):
        unwrap_key(sealed, recipient.box, context(), signer.verify_key)


def test_resigned_wrap_does_not_open(parties):
    """Stripping the signature and re-signing as another account changes the bound context."""
    recipient, signer = parties
    from vaultcore import signing

    intruder = IdentityKeys.generate()
    blob = wrap_key(os.urandom(32), recipient.box_public, context(), signer)
    unsigned = blob[: -64 - 32] + intruder.verify_key
    forged = unsigned + signing.sign(intruder.signing_key, signing.DOMAIN_WRAP, unsigned)
    with pytest.raises(CryptoError):
        unwrap_key(forged, recipient.box, context(), signer.verify_key)
    with pytest.raises(CryptoError):
        unwrap_key(forged, recipient.box, context(signer="intruder"), intruder.verify_key)


def test_low_order_recipient_key_is_refused():
    signer = IdentityKeys.generate()
    with pytest.raises(CryptoError):
        wrap_key(os.urandom(32), bytes(32), context(), signer)


def test_context_must_name_its_binding(parties):
    recipient, signer = parties
    incomplete = context()
    del incomplete["recipient-version"]
    with pytest.raises(ValueError):
        wrap_key(os.urandom(32), recipient.box_public, incomplete, signer)


@given(st.binary(max_size=400))
@settings(max_examples=300)
def test_fuzz_unwrap(data):
    keys = BoxKeyPair.from_secret(b"\x07" * 32)
    with pytest.raises(CryptoError):
        unwrap_key(data, keys, context(), b"\x01" * 32)
