"""Key bundles: an account's identity keys sealed under a key derived from something it knows.

    bundle = head || u8 kdf (0x01) || u32 opslimit || u32 memlimit_kib || salt[16] || nonce[24] || sealed
    head   = 0x01 || "B" || context          context = {purpose: "identity-bundle", account, factor,
                                                         key-version}
    sealed = XChaCha20-Poly1305(unlock_key, nonce, ad = everything before the nonce, identity bytes)

kdf 0x01 is `unlock.py`'s OPRF-then-Argon2id. One account has a bundle per factor: password,
secret answer, recovery code. New bundles always take `unlock.CURRENT`; a bundle naming parameters
below `unlock.FLOOR`, or any other kdf byte, is refused before any work.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from nacl import bindings as sodium
from nacl.exceptions import CryptoError as NaclCryptoError

from .encoding import Reader, expect_context, header, read_header, u32
from .errors import CryptoError
from .keys import IdentityKeys
from .unlock import CEILING, CURRENT, FACTORS, FLOOR, SALT_BYTES, KdfParams, UnlockKeys, derive_unlock_keys

KIND = b"B"
KDF_OPRF_ARGON2ID = 0x01


def bundle_context(account: str, factor: str, key_version: int) -> dict[str, object]:
    if factor not in FACTORS:
        raise ValueError("unknown factor")
    return {"purpose": "identity-bundle", "account": account, "factor": factor, "key-version": key_version}


@dataclass(frozen=True)
class SealedBundle:
    blob: bytes
    proof_verify_key: bytes


@dataclass(frozen=True)
class BundleHeader:
    salt: bytes
    params: KdfParams
    head_len: int


def seal_bundle(context: dict[str, object], oprf_output: bytes, identity: IdentityKeys) -> SealedBundle:
    salt = os.urandom(SALT_BYTES)
    keys = derive_unlock_keys(oprf_output, salt, CURRENT)
    head = (
        header(KIND, context)
        + bytes([KDF_OPRF_ARGON2ID])
        + u32(CURRENT.opslimit)
        + u32(CURRENT.memlimit // 1024)
        + salt
    )
    nonce = os.urandom(24)
    sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(identity.to_bytes(), head, nonce, keys.unlock_key)
    return SealedBundle(head + nonce + sealed, keys.proof_verify_key)


def read_bundle_header(blob: bytes, context: dict[str, object]) -> BundleHeader:
    """Check version, context and parameters before anything costly; the salt is needed for the KDF."""
    reader = Reader(blob)
    expect_context(read_header(reader, KIND), context)
    if reader.u8() != KDF_OPRF_ARGON2ID:
        raise CryptoError()
    params = KdfParams(reader.u32(), reader.u32() * 1024)
    if not params.meets(FLOOR) or not CEILING.meets(params):
        raise CryptoError()
    salt = reader.take(SALT_BYTES)
    return BundleHeader(salt, params, reader.offset)


def unlock_keys_for(blob: bytes, context: dict[str, object], oprf_output: bytes) -> UnlockKeys:
    found = read_bundle_header(blob, context)
    return derive_unlock_keys(oprf_output, found.salt, found.params)


def open_bundle(blob: bytes, context: dict[str, object], keys: UnlockKeys) -> IdentityKeys:
    found = read_bundle_header(blob, context)
    reader = Reader(blob[found.head_len :])
    nonce = reader.take(24)
    sealed = reader.rest()
    try:
        plaintext = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
            sealed, bytes(blob[: found.head_len]), nonce, keys.unlock_key
        )
    except NaclCryptoError:
        raise CryptoError() from None
    return IdentityKeys.from_bytes(plaintext)
