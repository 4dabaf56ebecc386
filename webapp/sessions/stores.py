"""Where sealed session records live. The stores see ciphertext and a random id, nothing else."""
from __future__ import annotations

import os
import re
import time
from abc import ABC, abstractmethod
from pathlib import Path

_KEY = re.compile(r"^[0-9a-f]{32}$")


class SessionStore(ABC):
    @abstractmethod
    def get(self, key: str) -> bytes | None: ...

    @abstractmethod
    def put(self, key: str, blob: bytes, ttl_seconds: int) -> None: ...

    @abstractmethod
    def delete(self, key: str) -> None: ...


class RedisSessionStore(SessionStore):
    def __init__(self, client, prefix: str = "cs:session:") -> None:
        self._redis = client
        self._prefix = prefix

    def get(self, key: str) -> bytes | None:
        return self._redis.get(self._prefix + _checked(key))

    def put(self, key: str, blob: bytes, ttl_seconds: int) -> None:
        self._redis.set(self._prefix + _checked(key), blob, ex=ttl_seconds)

    def delete(self, key: str) -> None:
        self._redis.delete(self._prefix + _checked(key))


class LocalSessionStore(SessionStore):
    """One file per session; the file's mtime plus the TTL is its expiry. For a single process."""

    def __init__(self, folder: Path) -> None:
        self._folder = Path(folder)
        self._folder.mkdir(mode=0o700, parents=True, exist_ok=True)

    def get(self, key: str) -> bytes | None:
        path = self._folder / _checked(key)
        try:
            expires = float(path.with_suffix(".ttl").read_text())
            if expires < time.time():
                self.delete(key)
                return None
            return path.read_bytes()
        except (FileNotFoundError, ValueError):
            return None

    def put(self, key: str, blob: bytes, ttl_seconds: int) -> None:
        path = self._folder / _checked(key)
        _write_private(path, blob)
        _write_private(path.with_suffix(".ttl"), str(time.time() + ttl_seconds).encode())

    def delete(self, key: str) -> None:
        for path in (self._folder / _checked(key), (self._folder / key).with_suffix(".ttl")):
            path.unlink(missing_ok=True)

    def purge_expired(self) -> int:
        removed = 0
        for ttl in self._folder.glob("*.ttl"):
            try:
                if float(ttl.read_text()) < time.time():
                    self.delete(ttl.stem)
                    removed += 1
            except (FileNotFoundError, ValueError):
                continue
        return removed


def _write_private(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


def _checked(key: str) -> str:
    if not _KEY.match(key):
        raise ValueError("bad session key")
    return key
