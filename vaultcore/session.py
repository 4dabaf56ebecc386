"""Session records: the unlocked keys of a logged-in user, sealed under a key only the cookie holds.

    cookie  = session id (16 random bytes) and cookie key (32 random bytes); the server stores
              neither the key nor anything derived from it
    record  = `record.py` with key = cookie key,
              context {purpose: "session", session: <hex id>}
              plaintext = u64 created || u64 last_seen || payload

A thief of the session store (Redis, files) holds ciphertext without the key; a thief of the cookie
alone holds a key without the record, and logout deletes the record. `open_session` refuses a
record idle for longer than `idle_seconds` (20 minutes by default) by the clock the caller passes.
"""
from __future__ import annotations

import os
import struct
from dataclasses import dataclass

from .errors import CryptoError
from .record import open_record, seal_record

IDLE_SECONDS = 20 * 60
SESSION_ID_BYTES = 16
COOKIE_KEY_BYTES = 32
CLOCK_SKEW_SECONDS = 60


@dataclass(frozen=True)
class SessionCookie:
    session_id: bytes
    key: bytes

    @classmethod
    def new(cls) -> "SessionCookie":
        return cls(os.urandom(SESSION_ID_BYTES), os.urandom(COOKIE_KEY_BYTES))

    def encode(self) -> bytes:
        return self.session_id + self.key

    @classmethod
    def decode(cls, data: bytes) -> "SessionCookie":
        if len(data) != SESSION_ID_BYTES + COOKIE_KEY_BYTES:
            raise CryptoError()
        return cls(data[:SESSION_ID_BYTES], data[SESSION_ID_BYTES:])

    @property
    def store_key(self) -> str:
        """Where the server keeps the record: the id only, never the key."""
        return self.session_id.hex()


@dataclass(frozen=True)
class OpenedSession:
    created: int
    last_seen: int
    payload: bytes


def seal_session(cookie: SessionCookie, payload: bytes, created: int, now: int) -> bytes:
    plaintext = struct.pack(">QQ", created, now) + payload
    return seal_record(cookie.key, _context(cookie), plaintext)


def open_session(cookie: SessionCookie, blob: bytes, now: int, idle_seconds: int = IDLE_SECONDS) -> OpenedSession:
    plaintext = open_record(cookie.key, _context(cookie), blob)
    if len(plaintext) < 16:
        raise CryptoError()
    created, last_seen = struct.unpack(">QQ", plaintext[:16])
    if now - last_seen > idle_seconds or last_seen - now > CLOCK_SKEW_SECONDS:
        raise CryptoError()
    return OpenedSession(created, last_seen, plaintext[16:])


def _context(cookie: SessionCookie) -> dict[str, object]:
    return {"purpose": "session", "session": cookie.store_key}
