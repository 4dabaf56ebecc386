"""Structures: a key pair per generation, its private half wrapped to every member.

- Generation g's public key is a platform-signed public-key record (role "structure", version g).
- Its private key is wrapped (`wrap.py`, purpose "structure-key", subject "<structure>/<g>") to the
  identity of each member; at login a member unwraps it and checks it against the certified record.
- The roster is a platform-signed statement (context {purpose: "roster", structure, version}),
  body = u64 generation || u16 n || n * (u16 len || member id), members sorted.
- Removing a member starts generation g+1: a new key pair wrapped to the remaining members, and each
  affiliated shared-part epoch key re-wrapped from generation g to g+1 (`rotate_epoch_wraps`).
  The epochs thereby become stale (`sharedpart.py`): the next share makes a new epoch the removed
  member never sees.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from .encoding import Reader, read_header, u16, u64
from .errors import CryptoError
from .keys import BoxKeyPair, IdentityKeys
from .publickey import PublicKeyRecord, check_unlocked_secret
from .sharedpart import Epoch, unwrap_epoch, wrap_epoch
from .statement import Statement
from .wrap import KIND as WRAP_KIND
from .wrap import unwrap_key, wrap_key


@dataclass(frozen=True)
class Generation:
    structure: str
    number: int
    keys: BoxKeyPair

    @classmethod
    def new(cls, structure: str, number: int) -> "Generation":
        return cls(structure, number, BoxKeyPair.generate())


@dataclass(frozen=True)
class Member:
    account: str
    version: int
    box_public: bytes


def wrap_generation(generation: Generation, member: Member, signer: str, signer_keys: IdentityKeys) -> bytes:
    context = _member_context(generation.structure, generation.number, member.account, member.version, signer)
    return wrap_key(generation.keys.secret, member.box_public, context, signer_keys)


def claimed_member_version(blob: bytes) -> int:
    """The identity version a stored generation wrap says it was made for, read from its clear head
    without any check: only to tell a wrap made before its member's identity was rotated (it waits for
    a re-wrap) from one to open. `unwrap_generation` checks the whole context. CryptoError if unreadable."""
    version = read_header(Reader(blob), WRAP_KIND).get("recipient-version", "")
    if not re.fullmatch(r"[1-9][0-9]{0,8}", version):
        raise CryptoError()
    return int(version)


def unwrap_generation(
    blob: bytes,
    record: PublicKeyRecord,
    member: str,
    member_version: int,
    member_keys: BoxKeyPair,
    signer: str,
    signer_verify_key: bytes,
) -> Generation:
    """Unwrap a generation key and prove it is the certified one, or stop."""
    context = _member_context(record.owner, record.version, member, member_version, signer)
    secret = unwrap_key(blob, member_keys, context, signer_verify_key)
    if len(secret) != 32:
        raise CryptoError()
    check_unlocked_secret(secret, record)
    return Generation(record.owner, record.version, BoxKeyPair.from_secret(secret))


def roster_body(generation: int, members: Iterable[str]) -> bytes:
    ordered = sorted(set(members))
    out = bytearray(u64(generation) + u16(len(ordered)))
    for member in ordered:
        encoded = member.encode("utf-8")
        out += u16(len(encoded)) + encoded
    return bytes(out)


def roster_context(structure: str, version: int) -> dict[str, object]:
    return {"purpose": "roster", "structure": structure, "version": version}


def parse_roster(statement: Statement) -> tuple[int, list[str]]:
    reader = Reader(statement.body)
    generation = reader.u64()
    members = []
    for _ in range(reader.u16()):
        try:
            members.append(reader.take(reader.u16()).decode("utf-8"))
        except UnicodeDecodeError:
            raise CryptoError() from None
    reader.end()
    return generation, members


@dataclass(frozen=True)
class EpochWrap:
    """A shared-part epoch key wrapped to a structure generation, as stored."""

    owner: str
    epoch: int
    blob: bytes
    signer: str
    signer_verify_key: bytes


def rotate_epoch_wraps(
    old: Generation, new: Generation, wraps: Iterable[EpochWrap], signer: str, signer_keys: IdentityKeys
) -> Iterator[tuple[EpochWrap, bytes]]:
    """Re-wrap each affiliated epoch key from generation `old` to `new`: one unwrap, one wrap each."""
    if old.structure != new.structure or new.number != old.number + 1:
        raise ValueError("a rotation goes from one generation to the next")
    for stored in wraps:
        epoch = unwrap_epoch_for_structure(old, stored)
        yield stored, wrap_epoch(epoch, new.structure, new.number, new.keys.public, signer, signer_keys)


def unwrap_epoch_for_structure(generation: Generation, stored: EpochWrap) -> Epoch:
    return unwrap_epoch(
        stored.blob,
        stored.owner,
        stored.epoch,
        generation.structure,
        generation.number,
        generation.keys,
        stored.signer,
        stored.signer_verify_key,
    )


def _member_context(structure: str, number: int, member: str, member_version: int, signer: str) -> dict[str, object]:
    return {
        "purpose": "structure-key",
        "subject": f"{structure}/{number}",
        "recipient": member,
        "recipient-version": member_version,
        "signer": signer,
    }
