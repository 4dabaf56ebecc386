"""RFC 9497 OPRF, mode 0x00 (OPRF, no verifiability), suite ristretto255-SHA512.

    contextString = "OPRFV1-" || I2OSP(0, 1) || "-" || "ristretto255-SHA512"

Sections followed:
  - §3.2   GenerateKeyPair, §3.2.1 DeriveKeyPair (counter loop, DST "DeriveKeyPair" || context)
  - §3.3.1 Blind, BlindEvaluate, Finalize, Evaluate
  - §4.1   the ristretto255 group: HashToGroup is hash_to_ristretto255 (RFC 9380, expand_message_xmd
           with SHA-512, 64 bytes, then the RFC 9496 one-way map), HashToScalar reduces 64 expanded
           bytes modulo the group order, element and scalar (de)serialisation rules
  - §4.7   random scalars: libsodium's rejection sampling, never zero
  - §5.1   inputs are limited by their two-byte length prefix: at most 65535 bytes
  - RFC 9380 §5.3.1 expand_message_xmd

Scalars and elements are the 32-byte encodings of §4.1; the output is 64 bytes of SHA-512.
Every rejected value, whatever the reason, raises the same `CryptoError`.
"""
from __future__ import annotations

import hashlib
import hmac

import rbcl

from .errors import CryptoError

ELEMENT_BYTES = 32
SCALAR_BYTES = 32
OUTPUT_BYTES = 64

_CONTEXT_STRING = b"OPRFV1-" + b"\x00" + b"-" + b"ristretto255-SHA512"
_DST_HASH_TO_GROUP = b"HashToGroup-" + _CONTEXT_STRING
_DST_HASH_TO_SCALAR = b"HashToScalar-" + _CONTEXT_STRING
# RFC 9497 §3.2.1 concatenates without a hyphen here, unlike the two DSTs above.
_DST_DERIVE_KEY_PAIR = b"DeriveKeyPair" + _CONTEXT_STRING

_MAX_INPUT_BYTES = 0xFFFF
_DERIVE_KEY_PAIR_ATTEMPTS = 256
_SHA512_BLOCK_BYTES = 128
_SHA512_DIGEST_BYTES = 64
_ZERO_SCALAR = bytes(SCALAR_BYTES)


def _i2osp(value: int, length: int) -> bytes:
    return value.to_bytes(length, "big")


def _as_bytes(value: object) -> bytes:
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise CryptoError()
    return bytes(value)


def _length_prefixed(value: bytes) -> bytes:
    if len(value) > _MAX_INPUT_BYTES:
        raise CryptoError()
    return _i2osp(len(value), 2) + value


def _expand_message_xmd(msg: bytes, dst: bytes, length: int) -> bytes:
    """RFC 9380 §5.3.1 with SHA-512."""
    ell = -(-length // _SHA512_DIGEST_BYTES)
    if ell > 255 or length > 0xFFFF or len(dst) > 255:
        raise CryptoError()
    dst_prime = dst + _i2osp(len(dst), 1)
    msg_prime = bytes(_SHA512_BLOCK_BYTES) + msg + _i2osp(length, 2) + b"\x00" + dst_prime
    b_0 = hashlib.sha512(msg_prime).digest()
    b_i = hashlib.sha512(b_0 + b"\x01" + dst_prime).digest()
    blocks = [b_i]
    for i in range(2, ell + 1):
        chained = bytes(x ^ y for x, y in zip(b_0, b_i))
        b_i = hashlib.sha512(chained + _i2osp(i, 1) + dst_prime).digest()
        blocks.append(b_i)
    return b"".join(blocks)[:length]


def _hash_to_group(msg: bytes) -> bytes:
    uniform = _expand_message_xmd(msg, _DST_HASH_TO_GROUP, 64)
    return rbcl.crypto_core_ristretto255_from_hash(uniform)


def _hash_to_scalar(msg: bytes, dst: bytes = _DST_HASH_TO_SCALAR) -> bytes:
    uniform = _expand_message_xmd(msg, dst, 64)
    return rbcl.crypto_core_ristretto255_scalar_reduce(uniform)


def _is_zero(value: bytes) -> bool:
    return hmac.compare_digest(value, bytes(len(value)))


def _check_scalar(value: object) -> bytes:
    """§4.1 DeserializeScalar, plus the non-zero rule every key and blind must meet."""
    scalar = _as_bytes(value)
    if len(scalar) != SCALAR_BYTES:
        raise CryptoError()
    # A scalar is canonical iff reducing it changes nothing; libsodium's reduction avoids
    # branching on a secret key the way a Python integer comparison would.
    reduced = rbcl.crypto_core_ristretto255_scalar_reduce(scalar + _ZERO_SCALAR)
    if not hmac.compare_digest(reduced, scalar) or _is_zero(scalar):
        raise CryptoError()
    return scalar


def _check_element(value: object) -> bytes:
    """§4.1 DeserializeElement: canonical ristretto255 encoding, and never the identity."""
    element = _as_bytes(value)
    if len(element) != ELEMENT_BYTES:
        raise CryptoError()
    # libsodium accepts the identity as a valid point, so it is refused separately. The libsodium
    # bundled in rbcl 1.1.2 also ignores the top bit, so a second encoding of every element would
    # pass; RFC 9496 §4.3.1 requires s < p, which that bit alone already breaks.
    if _is_zero(element) or element[-1] & 0x80:
        raise CryptoError()
    if not rbcl.crypto_core_ristretto255_is_valid_point(element):
        raise CryptoError()
    return element


def _check_input(value: object) -> bytes:
    data = _as_bytes(value)
    if len(data) > _MAX_INPUT_BYTES:
        raise CryptoError()
    return data


def _scalar_mult(scalar: bytes, element: bytes) -> bytes:
    # libsodium fails on a result equal to the identity; that is also our refusal.
    try:
        product = rbcl.crypto_scalarmult_ristretto255(scalar, element)
    except (RuntimeError, ValueError, TypeError):
        raise CryptoError() from None
    if _is_zero(product):
        raise CryptoError()
    return product


def _scalar_mult_base(scalar: bytes) -> bytes:
    try:
        return rbcl.crypto_scalarmult_ristretto255_base(scalar)
    except (RuntimeError, ValueError, TypeError):
        raise CryptoError() from None


def _input_element(data: bytes) -> bytes:
    element = _hash_to_group(data)
    # §3.3.1 InvalidInputError: only a hash collision with the identity could get here.
    if _is_zero(element):
        raise CryptoError()
    return element


def _random_scalar() -> bytes:
    # libsodium already excludes zero; the loop keeps §4.7's rule without relying on that.
    while True:
        scalar = rbcl.crypto_core_ristretto255_scalar_random()
        if not _is_zero(scalar):
            return scalar


def _finalize_hash(data: bytes, element: bytes) -> bytes:
    transcript = _length_prefixed(data) + _length_prefixed(element) + b"Finalize"
    return hashlib.sha512(transcript).digest()


def derive_key_pair(seed: bytes, info: bytes) -> tuple[bytes, bytes]:
    """§3.2.1 DeriveKeyPair: (skS, pkS) from a 32-byte secret seed and a public info string."""
    seed, info = _as_bytes(seed), _as_bytes(info)
    if len(seed) != SCALAR_BYTES:
        raise CryptoError()
    derive_input = seed + _length_prefixed(info)
    for counter in range(_DERIVE_KEY_PAIR_ATTEMPTS):
        sk = _hash_to_scalar(derive_input + _i2osp(counter, 1), _DST_DERIVE_KEY_PAIR)
        if not _is_zero(sk):
            return sk, _scalar_mult_base(sk)
    raise CryptoError()  # DeriveKeyPairError: 256 zero scalars in a row


def generate_key_pair() -> tuple[bytes, bytes]:
    """§3.2 GenerateKeyPair: a random non-zero skS and pkS = skS * G."""
    sk = _random_scalar()
    return sk, _scalar_mult_base(sk)


def blind(input: bytes, blind: bytes | None = None) -> tuple[bytes, bytes]:
    """§3.3.1 Blind: returns (blind, blindedElement). Pass `blind` only to replay test vectors."""
    data = _check_input(input)
    scalar = _random_scalar() if blind is None else _check_scalar(blind)
    return scalar, _scalar_mult(scalar, _input_element(data))


def blind_evaluate(sk: bytes, blinded_element: bytes) -> bytes:
    """§3.3.1 BlindEvaluate: evaluatedElement = skS * blindedElement, for a client's element."""
    return _scalar_mult(_check_scalar(sk), _check_element(blinded_element))


def finalize(input: bytes, blind: bytes, evaluated_element: bytes) -> bytes:
    """§3.3.1 Finalize: unblind the server's element and hash it with the input (64 bytes)."""
    data = _check_input(input)
    scalar = _check_scalar(blind)
    element = _check_element(evaluated_element)
    unblinded = _scalar_mult(rbcl.crypto_core_ristretto255_scalar_invert(scalar), element)
    return _finalize_hash(data, unblinded)


def evaluate(sk: bytes, input: bytes) -> bytes:
    """§3.3.1 Evaluate: the PRF computed directly by whoever holds both skS and the input."""
    data = _check_input(input)
    return _finalize_hash(data, _scalar_mult(_check_scalar(sk), _input_element(data)))
