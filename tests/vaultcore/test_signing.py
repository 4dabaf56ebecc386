"""Signatures, and the per-process memory of those that verified: a remembered success never
vouches for anything but the exact (key, signature, message) that verified."""
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vaultcore import signing
from vaultcore.errors import CryptoError

SEED = bytes(range(32))
SECRET, VERIFY = signing.secret_key_from_seed(SEED), signing.verify_key_from_seed(SEED)
OTHER_VERIFY = signing.verify_key_from_seed(bytes(32))


def test_a_signature_verifies_again_from_memory():
    signature = signing.sign(SECRET, signing.DOMAIN_WRAP, b"message")
    signing.verify(VERIFY, signing.DOMAIN_WRAP, b"message", signature)
    signing.verify(VERIFY, signing.DOMAIN_WRAP, b"message", signature)


@given(message=st.binary(max_size=64), flip=st.integers(min_value=0, max_value=8 * 64 - 1))
def test_a_remembered_success_does_not_vouch_for_a_changed_signature(message, flip):
    signature = signing.sign(SECRET, signing.DOMAIN_WRAP, message)
    signing.verify(VERIFY, signing.DOMAIN_WRAP, message, signature)
    changed = bytearray(signature)
    changed[flip // 8] ^= 1 << (flip % 8)
    with pytest.raises(CryptoError):
        signing.verify(VERIFY, signing.DOMAIN_WRAP, message, bytes(changed))


def test_a_remembered_success_does_not_vouch_for_another_message_domain_or_key():
    signature = signing.sign(SECRET, signing.DOMAIN_WRAP, b"message")
    signing.verify(VERIFY, signing.DOMAIN_WRAP, b"message", signature)
    for key, domain, message in ((VERIFY, signing.DOMAIN_WRAP, b"messagf"),
                                 (VERIFY, signing.DOMAIN_STATEMENT, b"message"),
                                 (OTHER_VERIFY, signing.DOMAIN_WRAP, b"message")):
        with pytest.raises(CryptoError):
            signing.verify(key, domain, message, signature)


def test_the_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(signing, "VERIFIED_CACHE_ENTRIES", 4)
    for _ in range(10):
        message = os.urandom(16)
        signing.verify(VERIFY, signing.DOMAIN_WRAP, message, signing.sign(SECRET, signing.DOMAIN_WRAP, message))
    assert len(signing._verified) <= 4
