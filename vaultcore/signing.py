"""Ed25519 signatures, each under a domain prefix so no signature serves two uses.

    signed message = "cloud-solidaire/v1 " || domain || 0x00 || message

A statement (`statement.py`) also signs its purpose inside its context, so a roster signature
never verifies as a public-key record, and a wrap signature never verifies as either.

Verifications that succeeded are remembered, per process, as a BLAKE2b-256 digest of
(verify key, signature, signed message): listing 1,000 items checks 2,000 signatures whose bytes
rarely change between two page loads. A hit skips only the curve arithmetic; a forgery would need a
BLAKE2b collision with a message that genuinely verified. Nothing secret is kept.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from nacl import bindings as sodium
from nacl.exceptions import BadSignatureError

from .errors import CryptoError

DOMAIN_STATEMENT = b"statement"
DOMAIN_WRAP = b"wrap"
DOMAIN_GUESS_PROOF = b"guess-proof"
DOMAINS = frozenset({DOMAIN_STATEMENT, DOMAIN_WRAP, DOMAIN_GUESS_PROOF})

SEED_BYTES = 32
VERIFY_KEY_BYTES = 32
SIGNATURE_BYTES = 64
VERIFIED_CACHE_ENTRIES = 32768

_verified: OrderedDict[bytes, None] = OrderedDict()
_verified_lock = threading.Lock()


def _signed_message(domain: bytes, message: bytes) -> bytes:
    if domain not in DOMAINS:
        raise ValueError("unknown signature domain")
    return b"cloud-solidaire/v1 " + domain + b"\x00" + message


def verify_key_from_seed(seed: bytes) -> bytes:
    return sodium.crypto_sign_seed_keypair(seed)[0]


def secret_key_from_seed(seed: bytes) -> bytes:
    return sodium.crypto_sign_seed_keypair(seed)[1]


def sign(secret_key: bytes, domain: bytes, message: bytes) -> bytes:
    """`secret_key` is libsodium's 64-byte form (seed || verify key), see `secret_key_from_seed`."""
    return sodium.crypto_sign(_signed_message(domain, message), secret_key)[:SIGNATURE_BYTES]


def verify(verify_key: bytes, domain: bytes, message: bytes, signature: bytes) -> None:
    if len(verify_key) != VERIFY_KEY_BYTES or len(signature) != SIGNATURE_BYTES:
        raise CryptoError()
    signed = _signed_message(domain, message)
    digest = hashlib.blake2b(verify_key + signature + signed, digest_size=32).digest()
    with _verified_lock:
        if digest in _verified:
            _verified.move_to_end(digest)
            return
    try:
        sodium.crypto_sign_open(signature + signed, verify_key)
    except (BadSignatureError, ValueError, TypeError):
        raise CryptoError() from None
    except Exception:
        raise CryptoError() from None
    _remember(digest)


def _remember(digest: bytes) -> None:
    with _verified_lock:
        _verified[digest] = None
        while len(_verified) > VERIFIED_CACHE_ENTRIES:
            _verified.popitem(last=False)
