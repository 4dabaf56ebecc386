import io
import os

import pytest
from hypothesis import given, settings, strategies as st

from vaultcore.errors import CryptoError
from vaultcore.stream import (
    CHUNK_BYTES,
    SEALED_CHUNK_BYTES,
    StreamDecryptor,
    StreamEncryptor,
    decrypt_file,
    encrypt_file,
)

CONTEXT = {"purpose": "item-content", "item": "i1", "owner": "b1", "revision": 1}


def encrypt(key, data, context=CONTEXT, feed=7919):
    encryptor = StreamEncryptor(key, context)
    out = [encryptor.header]
    for start in range(0, len(data), feed):
        out.append(encryptor.update(data[start : start + feed]))
    out.append(encryptor.finalize())
    return b"".join(out)


def decrypt(key, blob, context=CONTEXT, feed=65537):
    decryptor = StreamDecryptor(key, context)
    out = [decryptor.update(blob[start : start + feed]) for start in range(0, len(blob), feed)]
    out.append(decryptor.finalize())
    return b"".join(out)


def split(blob):
    """(header, [sealed chunks]) of a stream; the header length is found by decrypting nothing."""
    header_len = len(StreamEncryptor(os.urandom(32), CONTEXT).header)
    body = blob[header_len:]
    return blob[:header_len], [body[i : i + SEALED_CHUNK_BYTES] for i in range(0, len(body), SEALED_CHUNK_BYTES)]


@pytest.mark.parametrize(
    "size", [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES, 3 * CHUNK_BYTES + 5]
)
def test_round_trip_at_chunk_edges(size):
    key, data = os.urandom(32), os.urandom(size)
    blob = encrypt(key, data)
    assert decrypt(key, blob) == data
    assert len(blob) == len(split(blob)[0]) + size + 17 * max(1, -(-size // CHUNK_BYTES))


@given(size=st.integers(0, 4 * CHUNK_BYTES), feed=st.integers(1, 3 * CHUNK_BYTES), pull=st.integers(1, 200_000))
@settings(max_examples=40, deadline=None)
def test_round_trip_whatever_the_feeding(size, feed, pull):
    key, data = os.urandom(32), os.urandom(size)
    assert decrypt(key, encrypt(key, data, feed=feed), feed=pull) == data


def test_file_helpers_round_trip():
    key, data = os.urandom(32), os.urandom(5 * CHUNK_BYTES + 3)
    sealed, opened = io.BytesIO(), io.BytesIO()
    encrypt_file(key, CONTEXT, io.BytesIO(data), sealed)
    decrypt_file(key, CONTEXT, io.BytesIO(sealed.getvalue()), opened)
    assert opened.getvalue() == data


def failing(key, blob, context=CONTEXT):
    with pytest.raises(CryptoError) as caught:
        decrypt(key, blob, context)
    assert str(caught.value) == "decryption failed"


@pytest.fixture
def four_chunks():
    key = os.urandom(32)
    return key, encrypt(key, os.urandom(3 * CHUNK_BYTES + 100))


def test_chunk_reorder_fails(four_chunks):
    key, blob = four_chunks
    header, chunks = split(blob)
    failing(key, header + chunks[1] + chunks[0] + b"".join(chunks[2:]))


@pytest.mark.parametrize("dropped", [0, 1, 3])
def test_chunk_drop_fails(four_chunks, dropped):
    key, blob = four_chunks
    header, chunks = split(blob)
    failing(key, header + b"".join(c for i, c in enumerate(chunks) if i != dropped))


def test_chunk_repeat_fails(four_chunks):
    key, blob = four_chunks
    header, chunks = split(blob)
    failing(key, header + chunks[0] + chunks[0] + b"".join(chunks[1:]))


@pytest.mark.parametrize("cut", [1, 17, SEALED_CHUNK_BYTES, SEALED_CHUNK_BYTES + 117])
def test_truncation_fails(four_chunks, cut):
    key, blob = four_chunks
    failing(key, blob[:-cut])


def test_truncation_at_a_chunk_boundary_fails():
    key = os.urandom(32)
    blob = encrypt(key, os.urandom(2 * CHUNK_BYTES + 1))
    header, chunks = split(blob)
    failing(key, header + chunks[0] + chunks[1])


def test_trailing_bytes_fail(four_chunks):
    key, blob = four_chunks
    failing(key, blob + b"\x00")


def test_byte_flips_anywhere_fail(four_chunks):
    key, blob = four_chunks
    for position in [0, 1, 5, 30, len(split(blob)[0]) - 1, len(split(blob)[0]) + 3, len(blob) // 2, len(blob) - 1]:
        mutated = bytearray(blob)
        mutated[position] ^= 0x80
        failing(key, bytes(mutated))


def test_stream_of_another_item_fails():
    key = os.urandom(32)
    blob = encrypt(key, b"bulletin de salaire")
    failing(key, blob, dict(CONTEXT, item="i2"))
    failing(key, blob, dict(CONTEXT, revision=2))


def test_swap_first_chunks_of_two_items_fails():
    key = os.urandom(32)
    a = encrypt(key, os.urandom(2 * CHUNK_BYTES))
    b = encrypt(key, os.urandom(2 * CHUNK_BYTES), dict(CONTEXT, item="i2"))
    header_a, chunks_a = split(a)
    _, chunks_b = split(b)
    failing(key, header_a + chunks_b[0] + chunks_a[1])


def test_other_chunk_size_in_header_is_refused():
    key = os.urandom(32)
    blob = bytearray(encrypt(key, b"x"))
    header_len = len(split(bytes(blob))[0])
    blob[header_len - 24 - 2] ^= 0x01  # inside the u32 chunk size
    failing(key, bytes(blob))


def test_decryptor_refuses_use_after_failure(four_chunks):
    key, blob = four_chunks
    decryptor = StreamDecryptor(key, CONTEXT)
    with pytest.raises(CryptoError):
        decryptor.update(b"\x02" + blob[1:])
    with pytest.raises(CryptoError):
        decryptor.update(blob)


@given(st.binary(max_size=2048))
@settings(max_examples=300)
def test_fuzz_decryptor(data):
    with pytest.raises(CryptoError):
        decrypt(b"k" * 32, data)
