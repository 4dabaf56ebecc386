"""Blobs in a local directory (the embedded default): a temporary file, fsync, rename — a reader
sees the whole blob or none of it, even after a crash."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Iterable, Iterator

from .errors import BlobNotFound
from .interface import READ_CHUNK_BYTES, BlobStore, checked_name


class LocalBlobStore(BlobStore):
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        self._temporary = self.root / ".tmp"
        self._temporary.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)

    def put(self, name: str, chunks: Iterable[bytes]) -> int:
        target = self._path(name)
        temporary = self._temporary / secrets.token_hex(16)
        written = 0
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                    written += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        _fsync_directory(target.parent)
        return written

    def open(self, name: str) -> Iterator[bytes]:
        try:
            source = open(self._path(name), "rb")
        except FileNotFoundError:
            raise BlobNotFound(name) from None
        return _read(source)

    def size(self, name: str) -> int:
        try:
            return self._path(name).stat().st_size
        except FileNotFoundError:
            raise BlobNotFound(name) from None

    def exists(self, name: str) -> bool:
        return self._path(name).is_file()

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)

    def names(self, prefix: str = "") -> Iterator[str]:
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and self._temporary not in path.parents:
                name = path.relative_to(self.root).as_posix()
                if name.startswith(prefix):
                    yield name

    def _path(self, name: str) -> Path:
        return self.root / checked_name(name)


def _read(source) -> Iterator[bytes]:
    with source:
        while chunk := source.read(READ_CHUNK_BYTES):
            yield chunk


def _fsync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
