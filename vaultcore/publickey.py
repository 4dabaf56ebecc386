"""Public-key records: the only way a public key becomes something a session wraps to.

A public-key record is a statement (`statement.py`) signed by a platform key, which the key
service holds and never releases:

    context = {purpose: "public-key", owner: <account or structure id>, role, version}
    body    = box_public[32] || verify_key[32]      (role "identity")
    body    = box_public[32]                        (role "structure", one per generation)
    body    = box_public[32]                        (role "review", owner "platform", one per version)

Before the key service signs an identity record it checks a key-possession statement signed by the
identity's own Ed25519 key over the same body, so nobody can certify a signing key they lack.
A key written straight into the database has no valid record and nothing is wrapped to it.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Collection

from .errors import CryptoError
from .keys import BoxKeyPair, IdentityKeys, box_public_key
from .statement import Statement, check_current, open_statement, sign_statement

ROLE_IDENTITY = "identity"
ROLE_STRUCTURE = "structure"
ROLE_REVIEW = "review"
REVIEW_OWNER = "platform"  # never an account or structure id: those are 32 hex digits
ROLES = {ROLE_IDENTITY: 64, ROLE_STRUCTURE: 32, ROLE_REVIEW: 32}


@dataclass(frozen=True)
class PublicKeyRecord:
    owner: str
    role: str
    version: int
    box_public: bytes
    verify_key: bytes | None

    def body(self) -> bytes:
        return self.box_public + (self.verify_key or b"")

    def context(self) -> dict[str, object]:
        return {"purpose": "public-key", "owner": self.owner, "role": self.role, "version": self.version}


def identity_record(owner: str, version: int, keys: IdentityKeys) -> PublicKeyRecord:
    return PublicKeyRecord(owner, ROLE_IDENTITY, version, keys.box_public, keys.verify_key)


def structure_record(owner: str, generation: int, keys: BoxKeyPair) -> PublicKeyRecord:
    return PublicKeyRecord(owner, ROLE_STRUCTURE, generation, keys.public, None)


def review_record(version: int, keys: BoxKeyPair) -> PublicKeyRecord:
    return PublicKeyRecord(REVIEW_OWNER, ROLE_REVIEW, version, keys.public, None)


def parse_body(role: str, body: bytes) -> tuple[bytes, bytes | None]:
    if ROLES.get(role) != len(body):
        raise CryptoError()
    return body[:32], (body[32:] if role == ROLE_IDENTITY else None)


def prove_possession(keys: IdentityKeys, owner: str, version: int) -> bytes:
    """Self-signed statement the key service checks before it certifies an identity."""
    record = identity_record(owner, version, keys)
    context = dict(record.context(), purpose="key-possession")
    return sign_statement(keys.signing_key, keys.verify_key, context, record.body())


def check_possession(proof: bytes, record: PublicKeyRecord) -> None:
    if record.role != ROLE_IDENTITY or record.verify_key is None:
        raise CryptoError()
    statement = open_statement(proof, [record.verify_key], "key-possession")
    statement.require(owner=record.owner, role=record.role, version=record.version)
    if not hmac.compare_digest(statement.body, record.body()):
        raise CryptoError()


def certify(platform_signing_key: bytes, platform_verify_key: bytes, record: PublicKeyRecord) -> bytes:
    parse_body(record.role, record.body())
    return sign_statement(platform_signing_key, platform_verify_key, record.context(), record.body())


def open_public_key(
    blob: bytes, platform_keys: Collection[bytes], owner: str, role: str, version: int | None = None
) -> PublicKeyRecord:
    """Verify a record's platform signature and owner; `version` pins one version when given."""
    statement = open_statement(blob, platform_keys, "public-key").require(owner=owner, role=role)
    if version is not None:
        statement.require(version=version)
    return _record(statement)


def open_current_public_key(
    blob: bytes, platform_keys: Collection[bytes], owner: str, role: str, high_water: int
) -> PublicKeyRecord:
    """The record a session may wrap to: genuine, and the newest version the key service knows."""
    statement = open_statement(blob, platform_keys, "public-key").require(owner=owner, role=role)
    return _record(check_current(statement, high_water))


def _record(statement: Statement) -> PublicKeyRecord:
    role = statement.context.get("role", "")
    box_public, verify_key = parse_body(role, statement.body)
    return PublicKeyRecord(statement.context["owner"], role, statement.version, box_public, verify_key)


def check_unlocked_secret(box_secret: bytes, record: PublicKeyRecord) -> None:
    """After unwrapping a private key, its public half must be the certified one."""
    if not hmac.compare_digest(box_public_key(box_secret), record.box_public):
        raise CryptoError()
