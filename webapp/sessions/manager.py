"""Opening, refreshing and ending vault sessions.

The cookie (or API bearer token) carries `session id || cookie key`, base64url. The store keeps the
record sealed under the cookie key. Every request re-seals it with a new `last_seen`, which is
what makes 20 minutes of inactivity end the session; logout deletes the record, so a replayed
cookie finds nothing.
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Callable

from vaultcore import session as sealed_session
from vaultcore.errors import CryptoError
from vaultcore.keys import IdentityKeys

from .stores import SessionStore


@dataclass
class OpenSession:
    cookie: sealed_session.SessionCookie = field(repr=False)
    account_id: str
    identity: IdentityKeys = field(repr=False)
    identity_version: int
    created: int
    last_seen: int
    epoch: int = 0  # the account's session epoch when it was opened (`Account.session_epoch`)

    @property
    def token(self) -> str:
        return base64.urlsafe_b64encode(self.cookie.encode()).decode().rstrip("=")


class VaultSessions:
    def __init__(self, store: SessionStore, clock: Callable[[], float], idle_seconds: int) -> None:
        self._store = store
        self._clock = clock
        self.idle_seconds = idle_seconds

    def start(self, account_id: str, identity: IdentityKeys, identity_version: int, epoch: int = 0) -> OpenSession:
        now = int(self._clock())
        opened = OpenSession(sealed_session.SessionCookie.new(), account_id, identity, identity_version, now, now, epoch)
        self._save(opened)
        return opened

    def resume(self, token: str | None) -> OpenSession | None:
        """The session a token names, refreshed; None if absent, expired, ended or forged."""
        cookie = _decode(token)
        if cookie is None:
            return None
        blob = self._store.get(cookie.store_key)
        if blob is None:
            return None
        now = int(self._clock())
        try:
            record = sealed_session.open_session(cookie, blob, now, self.idle_seconds)
            payload = json.loads(record.payload)
            opened = OpenSession(
                cookie,
                payload["account"],
                IdentityKeys.from_bytes(base64.b64decode(payload["identity"])),
                int(payload["identity_version"]),
                record.created,
                now,
                int(payload.get("epoch", 0)),
            )
        except (CryptoError, ValueError, KeyError, binascii.Error):
            self._store.delete(cookie.store_key)
            return None
        self._save(opened)
        return opened

    def end(self, opened: OpenSession) -> None:
        self._store.delete(opened.cookie.store_key)

    def _save(self, opened: OpenSession) -> None:
        payload = json.dumps(
            {
                "account": opened.account_id,
                "identity": base64.b64encode(opened.identity.to_bytes()).decode(),
                "identity_version": opened.identity_version,
                "epoch": opened.epoch,
            }
        ).encode()
        blob = sealed_session.seal_session(opened.cookie, payload, opened.created, opened.last_seen)
        self._store.put(opened.cookie.store_key, blob, self.idle_seconds)


def _decode(token: str | None) -> sealed_session.SessionCookie | None:
    if not token or len(token) > 100:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        return sealed_session.SessionCookie.decode(raw)
    except (binascii.Error, ValueError, CryptoError):
        return None
