"""Records: small values (item metadata, wrapped symmetric keys, session data) under one key.

    record = 0x01 || "R" || context || nonce[24] || XChaCha20-Poly1305(key, nonce, ad, plaintext)
    ad     = 0x01 || "R" || context

The context is in clear and authenticated; `open_record` also requires it to equal the context the
caller expects, so a record copied to another row, account or purpose does not open.
"""
from __future__ import annotations

import os

from nacl import bindings
from nacl.exceptions import CryptoError as NaclCryptoError

from .encoding import Context, Reader, expect_context, header, read_header
from .errors import CryptoError

KIND = b"R"
KEY_BYTES = 32
NONCE_BYTES = 24
TAG_BYTES = 16


def seal_record(key: bytes, context: Context, plaintext: bytes) -> bytes:
    _check_key(key)
    ad = header(KIND, context)
    nonce = os.urandom(NONCE_BYTES)
    return ad + nonce + bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, nonce, key)


def open_record(key: bytes, context: Context, blob: bytes) -> bytes:
    _check_key(key)
    reader = Reader(blob)
    expect_context(read_header(reader, KIND), context)
    ad = bytes(blob[: reader.offset])
    nonce = reader.take(NONCE_BYTES)
    sealed = reader.rest()
    if len(sealed) < TAG_BYTES:
        raise CryptoError()
    try:
        return bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(sealed, ad, nonce, key)
    except NaclCryptoError:
        raise CryptoError() from None


def _check_key(key: bytes) -> None:
    if not isinstance(key, bytes) or len(key) != KEY_BYTES:
        raise CryptoError()
