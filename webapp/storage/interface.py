"""What a blob store is: named, opaque, encrypted blobs, written whole or not at all.

Blob names are ids the caller chooses (`items/<item id>/<revision>`): they carry no personal data,
and the contents are vaultcore streams, so a store sees nothing but sizes.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Iterable, Iterator

from .errors import InvalidBlobName

READ_CHUNK_BYTES = 65_536 + 17  # one sealed vaultcore chunk
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*$")


def checked_name(name: str) -> str:
    if not isinstance(name, str) or len(name) > 200 or not _NAME.match(name):
        raise InvalidBlobName("blob names are lowercase ids separated by single slashes")
    return name


class BlobStore(ABC):
    @abstractmethod
    def put(self, name: str, chunks: Iterable[bytes]) -> int:
        """Store the chunks as one blob; the size written. If the chunks fail midway, nothing remains."""

    @abstractmethod
    def open(self, name: str) -> Iterator[bytes]:
        """The blob's bytes in chunks of about READ_CHUNK_BYTES. BlobNotFound if absent."""

    @abstractmethod
    def size(self, name: str) -> int: ...

    @abstractmethod
    def exists(self, name: str) -> bool: ...

    @abstractmethod
    def delete(self, name: str) -> None:
        """Idempotent."""

    @abstractmethod
    def names(self, prefix: str = "") -> Iterator[str]: ...
