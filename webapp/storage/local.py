"""Blobs in a local directory: the embedded default (`make run`), one file per blob.

A blob is written to a temporary file under `<root>/.tmp`, fsynced, renamed into place, and its
directory fsynced: a reader sees the whole blob or none of it, even after a crash. Everything is
private to the service's user (directories 0700, files 0600), and a name never leads outside the
root, not even through a symlink planted inside it.
"""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path
from typing import Iterable, Iterator

from .errors import BlobNotFound, BlobStoreError
from .interface import READ_CHUNK_BYTES, BlobStore, checked_name, checked_prefix, is_valid_name

TEMPORARY_DIRECTORY = ".tmp"  # a dot: no blob name can start with one
# What the OS says when a path names no file: missing, a directory, or under a file.
_ABSENT = (FileNotFoundError, IsADirectoryError, NotADirectoryError)


class LocalBlobStore(BlobStore):
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        self._temporary = self.root / TEMPORARY_DIRECTORY
        self._temporary.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Either may exist already, made with looser permissions.
        os.chmod(self.root, 0o700)
        os.chmod(self._temporary, 0o700)

    def put(self, name: str, chunks: Iterable[bytes]) -> int:
        target = self._path(name)
        temporary = self._temporary / secrets.token_hex(16)
        try:
            written = _write_synced(temporary, chunks)
            self._move_into_place(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        return written

    def open(self, name: str) -> Iterator[bytes]:
        try:
            source = open(self._path(name), "rb")
        except _ABSENT:
            raise BlobNotFound(name) from None
        return _read(source)

    def size(self, name: str) -> int:
        try:
            status = self._path(name).stat()
        except _ABSENT:
            raise BlobNotFound(name) from None
        if not stat.S_ISREG(status.st_mode):
            raise BlobNotFound(name)
        return status.st_size

    def exists(self, name: str) -> bool:
        return self._path(name).is_file()

    def delete(self, name: str) -> None:
        path = self._path(name)
        try:
            path.unlink()
        except _ABSENT:
            return
        # Without it a crash could bring the erased blob back.
        _fsync_directory(path.parent)

    def names(self, prefix: str = "") -> Iterator[str]:
        # Only the prefix's own folder can hold its names: no need to walk the whole store.
        folder = self.root.joinpath(*checked_prefix(prefix).split("/")[:-1])
        for directory, subdirectories, files in os.walk(folder):
            subdirectories[:] = sorted(entry for entry in subdirectories if not entry.startswith("."))
            relative = Path(directory).relative_to(self.root)
            for file in sorted(files):
                name = (relative / file).as_posix()
                if name.startswith(prefix) and is_valid_name(name):
                    yield name

    def _path(self, name: str) -> Path:
        path = self.root / checked_name(name)
        # A valid name cannot climb out by itself; a symlink inside the root still could.
        if not path.resolve().is_relative_to(self.root):
            raise BlobStoreError("the blob's path leads outside the store")
        return path

    def _move_into_place(self, temporary: Path, target: Path) -> None:
        try:
            self._make_directories(target.parent)
            os.replace(temporary, target)
        except (IsADirectoryError, NotADirectoryError) as error:
            # S3 lets `a` and `a/b` both be blobs; a file system cannot.
            raise BlobStoreError("a blob name is also the folder of other blobs") from error
        _fsync_directory(target.parent)

    def _make_directories(self, folder: Path) -> None:
        """Create the folders missing down to `folder`, private, each one recorded durably in its parent."""
        current = self.root
        for part in folder.relative_to(self.root).parts:
            parent, current = current, current / part
            try:
                current.mkdir(mode=0o700)
            except FileExistsError:
                continue
            _fsync_directory(parent)


def _write_synced(path: Path, chunks: Iterable[bytes]) -> int:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    written = 0
    with os.fdopen(descriptor, "wb") as out:
        for chunk in chunks:
            written += out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return written


def _read(source) -> Iterator[bytes]:
    with source:
        while chunk := source.read(READ_CHUNK_BYTES):
            yield chunk


def _fsync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
