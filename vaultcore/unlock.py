"""From a secret a person types to the key that opens their identity keys.

    input    = "cloud-solidaire/v1 oprf" || 0x00 || u16 len || account || u16 len || factor || secret
    output   = OPRF(k_account_factor, input)                 (RFC 9497, ristretto255-SHA512, 64 bytes;
                                                              k held by the key service, never seen here)
    stretched = Argon2id(output, salt[16], opslimit, memlimit, 32 bytes)
    root     = BLAKE2b-256(key=stretched, person="cloud-solidaire1", msg="unlock-root" || output)
    unlock   = derive(root, "unlock-key")                    (opens the key bundle)
    proof    = Ed25519 seed derive(root, "guess-proof")      (proves a right guess to the key service)

The OPRF makes every guess a round trip to the key service, which counts and limits them, and the
key service sees only blinded values. Argon2id keeps guessing slow should the key service's keys
leak too. Deleting the per-account OPRF key at the key service shreds everything this opens.
The salt lives in the web app's database, so the key service alone cannot test a guess against the
proof key it stores.
"""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from nacl.pwhash import argon2id

from . import kdf, signing
from .encoding import Context, encode_context, u16
from .errors import CryptoError

FACTORS = frozenset({"password", "answer", "code"})
SALT_BYTES = 16


@dataclass(frozen=True, order=True)
class KdfParams:
    opslimit: int
    memlimit: int  # bytes

    def meets(self, floor: "KdfParams") -> bool:
        return self.opslimit >= floor.opslimit and self.memlimit >= floor.memlimit


# The floor is fixed in code: a stored bundle naming weaker parameters is refused, never obeyed.
FLOOR = KdfParams(opslimit=3, memlimit=64 * 1024 * 1024)
# What every new bundle uses; raising it is a code change, never read from stored data.
CURRENT = KdfParams(opslimit=3, memlimit=64 * 1024 * 1024)
CEILING = KdfParams(opslimit=16, memlimit=1024 * 1024 * 1024)


def normalise_password(password: str) -> bytes:
    """NFKC only: the same password typed on two keyboards gives the same bytes (NIST 800-63B)."""
    return unicodedata.normalize("NFKC", password).encode("utf-8")


def oprf_input(account: str, factor: str, secret: bytes) -> bytes:
    if factor not in FACTORS:
        raise ValueError("unknown factor")
    fields = [account.encode("utf-8"), factor.encode("ascii")]
    return b"cloud-solidaire/v1 oprf\x00" + b"".join(u16(len(f)) + f for f in fields) + secret


@dataclass(frozen=True)
class UnlockKeys:
    unlock_key: bytes
    proof_seed: bytes

    @property
    def proof_verify_key(self) -> bytes:
        return signing.verify_key_from_seed(self.proof_seed)

    def prove(self, challenge: Context) -> bytes:
        """Sign the key service's challenge: only the right secret yields this key."""
        secret_key = signing.secret_key_from_seed(self.proof_seed)
        return signing.sign(secret_key, signing.DOMAIN_GUESS_PROOF, encode_context(challenge))


def derive_unlock_keys(oprf_output: bytes, salt: bytes, params: KdfParams) -> UnlockKeys:
    if len(oprf_output) != 64 or len(salt) != SALT_BYTES:
        raise CryptoError()
    if not params.meets(FLOOR) or not CEILING.meets(params):
        raise CryptoError()
    stretched = argon2id.kdf(32, oprf_output, salt, opslimit=params.opslimit, memlimit=params.memlimit)
    root = hashlib.blake2b(b"unlock-root" + oprf_output, key=stretched, digest_size=32, person=kdf.PERSON).digest()
    return UnlockKeys(kdf.derive(root, kdf.LABEL_UNLOCK), kdf.derive(root, kdf.LABEL_GUESS_PROOF))


def verify_guess_proof(proof_verify_key: bytes, challenge: Context, signature: bytes) -> None:
    signing.verify(proof_verify_key, signing.DOMAIN_GUESS_PROOF, encode_context(challenge), signature)
