"""Server-side session records, sealed under a key only the user's cookie holds (`vaultcore/session.py`).

`SessionStore` keeps opaque blobs by session id with a time to live: Redis in production (shared by
every web process), a local directory in the embedded default. `VaultSessions` opens, refreshes
and ends them.
"""
from .manager import OpenSession, VaultSessions
from .stores import LocalSessionStore, RedisSessionStore, SessionStore

__all__ = ["LocalSessionStore", "OpenSession", "RedisSessionStore", "SessionStore", "VaultSessions"]
