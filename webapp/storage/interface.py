"""What a blob store is: named, opaque, encrypted blobs, written whole or not at all.

Blob names are ids the caller chooses (`items/<item id>/<revision>`): lowercase segments of
`[a-z0-9_-]`, each starting with a letter or digit, joined by single slashes, at most 200 characters.
They carry no personal data, and the contents are vaultcore streams, so a store (and whoever runs
it) sees nothing but ids and sizes. The strict shape also means a name can never climb out of a
directory or clash with a store's own temporary files, which start with a dot.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Iterable, Iterator

from .errors import InvalidBlobName

READ_CHUNK_BYTES = 65_536 + 17  # one sealed vaultcore chunk
MAX_NAME_LENGTH = 200
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)*")


def is_valid_name(name: object) -> bool:
    # fullmatch, not match with `$`: `$` also matches before a trailing newline.
    return isinstance(name, str) and len(name) <= MAX_NAME_LENGTH and _NAME.fullmatch(name) is not None


def checked_name(name: str) -> str:
    if not is_valid_name(name):
        raise InvalidBlobName("blob names are lowercase ids separated by single slashes")
    return name


def checked_prefix(prefix: str) -> str:
    """A listing prefix: empty, or the start of a valid name, possibly ending with a slash."""
    if prefix != "" and not is_valid_name(prefix.removesuffix("/")):
        raise InvalidBlobName("a prefix is the start of a blob name")
    return prefix


class BlobStore(ABC):
    @abstractmethod
    def put(self, name: str, chunks: Iterable[bytes]) -> int:
        """Store the chunks as one blob, replacing any blob of that name; the number of bytes written.

        The chunks are consumed one at a time. If they raise midway, or the store fails, nothing of
        the new blob remains and the exception propagates.
        """

    @abstractmethod
    def open(self, name: str) -> Iterator[bytes]:
        """The blob's bytes in chunks of READ_CHUNK_BYTES (the last may be shorter).

        BlobNotFound is raised by this call itself, before any chunk is read.
        """

    @abstractmethod
    def size(self, name: str) -> int:
        """The blob's size in bytes; BlobNotFound if there is none."""

    @abstractmethod
    def exists(self, name: str) -> bool: ...

    @abstractmethod
    def delete(self, name: str) -> None:
        """Remove the blob; removing one that is not there is not an error."""

    @abstractmethod
    def names(self, prefix: str = "") -> Iterator[str]:
        """The names of the blobs that start with `prefix`, for clean-up jobs."""
