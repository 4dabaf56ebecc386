import os

import pytest
from hypothesis import given, settings, strategies as st

from vaultcore.errors import CryptoError
from vaultcore.record import open_record, seal_record

from .tamper import assert_generic_failure

CONTEXT = {"purpose": "item-meta", "item": "i1", "owner": "b1", "revision": 1}
contexts = st.dictionaries(
    st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True),
    st.one_of(st.text(max_size=40), st.integers(min_value=0, max_value=2**40)),
    min_size=1,
    max_size=6,
)


@given(plaintext=st.binary(max_size=4096), context=contexts)
@settings(max_examples=150)
def test_round_trip(plaintext, context):
    key = os.urandom(32)
    assert open_record(key, context, seal_record(key, context, plaintext)) == plaintext


def test_every_tampering_fails_the_same_way():
    key = os.urandom(32)
    blob = seal_record(key, CONTEXT, b"carte vitale")
    assert_generic_failure(lambda b: open_record(key, CONTEXT, b), blob)


@pytest.mark.parametrize("field,value", [("item", "i2"), ("owner", "b2"), ("revision", 2), ("purpose", "session")])
def test_record_copied_to_another_place_does_not_open(field, value):
    key = os.urandom(32)
    blob = seal_record(key, CONTEXT, b"note")
    with pytest.raises(CryptoError):
        open_record(key, dict(CONTEXT, **{field: value}), blob)


def test_wrong_key_fails():
    blob = seal_record(os.urandom(32), CONTEXT, b"note")
    with pytest.raises(CryptoError):
        open_record(os.urandom(32), CONTEXT, blob)


@pytest.mark.parametrize("version", [0x00, 0x02, 0xFF])
def test_unknown_version_is_refused(version):
    key = os.urandom(32)
    blob = bytearray(seal_record(key, CONTEXT, b"note"))
    blob[0] = version
    with pytest.raises(CryptoError):
        open_record(key, CONTEXT, bytes(blob))


@given(st.binary(max_size=300))
@settings(max_examples=300)
def test_fuzz_open_record(data):
    with pytest.raises(CryptoError):
        open_record(b"k" * 32, CONTEXT, data)
