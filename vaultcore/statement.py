"""Signed statements: public-key records, rosters, structure generations, shared-part epochs,
affiliation sets and the owner's consent to them, item seals, journal heads.

    statement = 0x01 || "T" || context || u32 body_len || body || signer_vk[32] || signature[64]
    signature = Ed25519(signer, "cloud-solidaire/v1 statement" || 0x00 || everything before it)

The context always has `purpose` and, for versioned records, `version`. Since the purpose is
signed, a statement made for one purpose never opens as another. The reader names the signers it
trusts (the platform keys, or one author's certified key): a statement signed by anyone else fails.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Collection

from . import signing
from .encoding import Context, Reader, expect_context, header, read_header, u32
from .errors import CryptoError

KIND = b"T"
MAX_BODY_BYTES = 1 << 24

PURPOSES = frozenset(
    {
        "public-key",
        "key-possession",
        "roster",
        "structure-generation",
        "shared-part-epoch",
        "affiliation-set",
        "affiliation-consent",
        "item-seal",
        "journal-head",
    }
)


@dataclass(frozen=True)
class Statement:
    context: dict[str, str]
    body: bytes
    signer: bytes

    @property
    def purpose(self) -> str:
        return self.context["purpose"]

    @property
    def version(self) -> int:
        return int(self.context["version"])

    def require(self, **expected: object) -> "Statement":
        """Fail unless each named context field has the given value."""
        for name, value in expected.items():
            if self.context.get(name.replace("_", "-")) != str(value):
                raise CryptoError()
        return self


def sign_statement(signing_key: bytes, verify_key: bytes, context: Context, body: bytes) -> bytes:
    if context.get("purpose") not in PURPOSES:
        raise ValueError("unknown statement purpose")
    if "version" in context and int(context["version"]) < 0:
        raise ValueError("versions are non-negative")
    if len(body) > MAX_BODY_BYTES:
        raise ValueError("statement body too long")
    signed = header(KIND, context) + u32(len(body)) + body + verify_key
    return signed + signing.sign(signing_key, signing.DOMAIN_STATEMENT, signed)


def open_statement(blob: bytes, trusted_signers: Collection[bytes], purpose: str) -> Statement:
    reader = Reader(blob)
    context = read_header(reader, KIND)
    body_len = reader.u32()
    if body_len > MAX_BODY_BYTES:
        raise CryptoError()
    body = reader.take(body_len)
    signer = reader.take(signing.VERIFY_KEY_BYTES)
    signed_len = reader.offset
    signature = reader.take(signing.SIGNATURE_BYTES)
    reader.end()
    if not any(hmac.compare_digest(signer, trusted) for trusted in trusted_signers):
        raise CryptoError()
    signing.verify(signer, signing.DOMAIN_STATEMENT, bytes(blob[:signed_len]), signature)
    if context.get("purpose") != purpose:
        raise CryptoError()
    if "version" in context and not _is_version(context["version"]):
        raise CryptoError()
    return Statement(context, body, signer)


def peek_context(blob: bytes) -> dict[str, str]:
    """The claimed context, unverified: only to find which key should verify the statement."""
    return read_header(Reader(blob), KIND)


def open_exact_statement(
    blob: bytes, trusted_signers: Collection[bytes], context: Context
) -> Statement:
    statement = open_statement(blob, trusted_signers, str(context.get("purpose")))
    expect_context(statement.context, context)
    return statement


def check_not_rolled_back(statement: Statement, high_water: int) -> Statement:
    """A versioned record older than the high-water mark kept by the key service is refused."""
    if statement.version < high_water:
        raise CryptoError()
    return statement


def _is_version(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 19 and (text == "0" or text[0] != "0")


def check_current(statement: Statement, high_water: int) -> Statement:
    """Only the newest version may receive new wraps: anything else is a rollback or a forgery."""
    if statement.version != high_water:
        raise CryptoError()
    return statement
