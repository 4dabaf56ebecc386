"""Key pairs: an account's identity (X25519 to receive wraps, Ed25519 to sign) and a structure's.

Private halves serialise to fixed-length bytes only to be sealed at once in a key bundle
(`bundle.py`), a session record (`session.py`) or a wrap (`wrap.py`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from nacl import bindings as sodium

from . import signing
from .errors import CryptoError

BOX_KEY_BYTES = 32


def new_symmetric_key() -> bytes:
    """An item key or a shared-part epoch key: 32 random bytes."""
    return os.urandom(32)


def box_public_key(box_secret: bytes) -> bytes:
    if len(box_secret) != BOX_KEY_BYTES:
        raise CryptoError()
    return sodium.crypto_scalarmult_base(box_secret)


@dataclass(frozen=True)
class BoxKeyPair:
    """An X25519 key pair: what a structure generation is, and half of an identity."""

    secret: bytes = field(repr=False)
    public: bytes

    @classmethod
    def generate(cls) -> "BoxKeyPair":
        return cls.from_secret(os.urandom(BOX_KEY_BYTES))

    @classmethod
    def from_secret(cls, secret: bytes) -> "BoxKeyPair":
        return cls(secret, box_public_key(secret))


@dataclass(frozen=True)
class IdentityKeys:
    box: BoxKeyPair
    sign_seed: bytes = field(repr=False)
    signing_key: bytes = field(repr=False)
    verify_key: bytes

    SERIALISED_BYTES = 64

    @classmethod
    def generate(cls) -> "IdentityKeys":
        return cls.from_bytes(os.urandom(cls.SERIALISED_BYTES))

    @classmethod
    def from_bytes(cls, data: bytes) -> "IdentityKeys":
        if len(data) != cls.SERIALISED_BYTES:
            raise CryptoError()
        seed = data[32:]
        return cls(
            BoxKeyPair.from_secret(data[:32]),
            seed,
            signing.secret_key_from_seed(seed),
            signing.verify_key_from_seed(seed),
        )

    def to_bytes(self) -> bytes:
        return self.box.secret + self.sign_seed

    @property
    def box_public(self) -> bytes:
        return self.box.public
