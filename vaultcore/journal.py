"""The tamper-evident journal: each chain of audit events is hash-linked, its head signed by the key service.

    entry   = 0x01 || "J" || context {purpose: "journal-entry", chain, seq, at, action,
                                      [actor], [subject], [structure], details}
    genesis = BLAKE2b-256(person=PERSON, msg="journal-genesis" || u16 len || chain)
    link_n  = BLAKE2b-256(key=link_(n-1), person=PERSON, msg="journal-link" || entry_n)   link_0 = genesis
    head    = statement "journal-head", context {account: chain, version}, body u64 seq || link_seq[32]

Anyone can recompute links, so links alone only catch a careless edit: the signed head pins the chain
up to its `seq`, and the key service's high-water mark pins which head is the newest. An entry is
only hashed, never stored in this form; the web app stores each event's fields and its link.
"""
from __future__ import annotations

import hashlib
import hmac
import struct
from dataclasses import dataclass
from typing import Collection, Iterable

from . import statement
from .encoding import header, u16, u64
from .errors import CryptoError
from .kdf import PERSON

KIND = b"J"
PURPOSE_ENTRY = "journal-entry"
PURPOSE_HEAD = "journal-head"
LINK_BYTES = 32
HEAD_BODY_BYTES = 8 + LINK_BYTES


class JournalBroken(CryptoError):
    """The chain does not verify. `seq` is the first event found wrong, None when the signed head itself
    is missing, stale or longer than the chain. The message stays the generic one."""

    def __init__(self, seq: int | None = None) -> None:
        super().__init__()
        self.seq = seq


@dataclass(frozen=True)
class Entry:
    """One event as the journal pins it. `at` is microseconds since the Unix epoch (UTC); `details`
    is canonical JSON (sorted keys, separators "," and ":")."""

    seq: int
    at: int
    action: str
    actor: str | None
    subject: str | None
    structure: str | None
    details: str


@dataclass(frozen=True)
class SignedHead:
    version: int
    seq: int
    link: bytes


def encode_entry(chain: str, entry: Entry) -> bytes:
    context: dict[str, str | int] = {
        "purpose": PURPOSE_ENTRY, "chain": chain, "seq": entry.seq, "at": entry.at, "action": entry.action,
        "details": entry.details,
    }
    # An absent field is left out rather than empty, so "no actor" and an empty actor never collide.
    for name, value in (("actor", entry.actor), ("subject", entry.subject), ("structure", entry.structure)):
        if value is not None:
            context[name] = value
    return header(KIND, context)


def genesis(chain: str) -> bytes:
    name = chain.encode("utf-8")
    return hashlib.blake2b(b"journal-genesis" + u16(len(name)) + name, digest_size=LINK_BYTES, person=PERSON).digest()


def link(previous: bytes, entry: bytes) -> bytes:
    if len(previous) != LINK_BYTES:
        raise ValueError("links are 32 bytes")
    return hashlib.blake2b(b"journal-link" + entry, key=previous, digest_size=LINK_BYTES, person=PERSON).digest()


def head_context(chain: str, version: int) -> dict[str, str | int]:
    return {"purpose": PURPOSE_HEAD, "account": chain, "version": version}


def head_body(seq: int, head_link: bytes) -> bytes:
    if seq < 1 or len(head_link) != LINK_BYTES:
        raise ValueError("a head names an event and its 32-byte link")
    return u64(seq) + head_link


def open_head(blob: bytes | None, trusted_signers: Collection[bytes], chain: str, high_water: int) -> SignedHead | None:
    """The chain's newest signed head, or None when the key service never signed one. A missing head
    after one was signed, an older head (rollback), or one signed for another chain is refused."""
    if high_water == 0:
        if blob is not None:
            raise JournalBroken()
        return None
    if blob is None:
        raise JournalBroken()
    try:
        signed = statement.open_statement(blob, trusted_signers, PURPOSE_HEAD).require(account=chain)
        statement.check_current(signed, high_water)
    except CryptoError:
        raise JournalBroken() from None
    if len(signed.body) != HEAD_BODY_BYTES:
        raise JournalBroken()
    seq = struct.unpack(">Q", signed.body[:8])[0]
    if seq < 1:
        raise JournalBroken()
    return SignedHead(signed.version, seq, signed.body[8:])


def verify_chain(chain: str, events: Iterable[tuple[Entry, bytes]], head: SignedHead | None) -> tuple[int, bytes]:
    """Recompute the chain from genesis over (entry, stored link) pairs in stored order: sequence numbers
    1, 2, 3…, every stored link equal to the recomputed one, the signed head's link at its seq, and no
    fewer events than the head names. Returns the number of events and the last link."""
    previous = genesis(chain)
    count = 0
    for count, (entry, stored) in enumerate(events, start=1):
        if entry.seq != count:
            raise JournalBroken(count)
        previous = link(previous, encode_entry(chain, entry))
        if not hmac.compare_digest(previous, stored):
            raise JournalBroken(count)
        if head is not None and count == head.seq and not hmac.compare_digest(previous, head.link):
            raise JournalBroken(count)
    if head is not None and count < head.seq:
        raise JournalBroken()  # truncated after a signed head
    return count, previous
