"""Byte layouts shared by every format: the version/kind prefix, the bound context, length fields.

Every ciphertext and signed statement starts with `version || kind` and carries its context in
clear, so `python -m vaultcore inspect` can show what a blob claims to be without any key. The
context is authenticated (associated data or signed), and the reader compares it with the context
the caller expects: a blob copied to another row carries the wrong context and does not open.
"""
from __future__ import annotations

import re
import struct
from typing import Mapping, Union

from .errors import CryptoError

VERSION = 0x01
ContextValue = Union[str, int]
Context = Mapping[str, ContextValue]

_NAME = re.compile(r"^[a-z][a-z0-9-]{0,31}$")


def encode_context(context: Context) -> bytes:
    """Canonical encoding: u8 count, then per field in name order u8 len, name, u16 len, value."""
    if not 1 <= len(context) <= 255:
        raise ValueError("a context has 1 to 255 fields")
    out = bytearray([len(context)])
    for name in sorted(context):
        if not _NAME.match(name):
            raise ValueError(f"bad context field name {name!r}")
        value = _value_bytes(context[name])
        out += bytes([len(name)]) + name.encode("ascii")
        out += struct.pack(">H", len(value)) + value
    return bytes(out)


def _value_bytes(value: ContextValue) -> bytes:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError("context values are str or int")
    encoded = str(value).encode("utf-8")
    if len(encoded) > 0xFFFF:
        raise ValueError("context value too long")
    return encoded


def normalise_context(context: Context) -> dict[str, str]:
    """The context as the reader sees it after a round trip: every value a string."""
    return {name: str(value) for name, value in context.items()}


class Reader:
    """Bounds-checked cursor over untrusted bytes: any shortfall is a CryptoError."""

    def __init__(self, data: bytes) -> None:
        self._data = memoryview(bytes(data))
        self._pos = 0
        self.ran_short = False  # lets a stream reader tell "needs more bytes" from "invalid"

    def take(self, n: int) -> bytes:
        if n < 0 or self._pos + n > len(self._data):
            self.ran_short = n >= 0
            raise CryptoError()
        chunk = self._data[self._pos : self._pos + n].tobytes()
        self._pos += n
        return chunk

    def u8(self) -> int:
        return self.take(1)[0]

    def u16(self) -> int:
        return struct.unpack(">H", self.take(2))[0]

    def u32(self) -> int:
        return struct.unpack(">I", self.take(4))[0]

    def u64(self) -> int:
        return struct.unpack(">Q", self.take(8))[0]

    def context(self) -> dict[str, str]:
        count = self.u8()
        if count == 0:
            raise CryptoError()
        fields: dict[str, str] = {}
        previous = ""
        for _ in range(count):
            name = self._ascii_name()
            if name <= previous:
                raise CryptoError()  # names must be sorted and unique: one encoding per context
            fields[name] = self._utf8(self.u16())
            previous = name
        return fields

    def _ascii_name(self) -> str:
        raw = self.take(self.u8())
        try:
            name = raw.decode("ascii")
        except UnicodeDecodeError:
            raise CryptoError() from None
        if not _NAME.match(name):
            raise CryptoError()
        return name

    def _utf8(self, n: int) -> str:
        try:
            return self.take(n).decode("utf-8")
        except UnicodeDecodeError:
            raise CryptoError() from None

    @property
    def offset(self) -> int:
        return self._pos

    def rest(self) -> bytes:
        return self.take(len(self._data) - self._pos)

    def end(self) -> None:
        if self._pos != len(self._data):
            raise CryptoError()


def header(kind: bytes, context: Context) -> bytes:
    return bytes([VERSION]) + kind + encode_context(context)


def read_header(reader: Reader, kind: bytes) -> dict[str, str]:
    """Read `version || kind || context`, refusing any other version or kind."""
    if reader.u8() != VERSION or reader.take(1) != kind:
        raise CryptoError()
    return reader.context()


def expect_context(found: Mapping[str, str], expected: Context) -> None:
    if dict(found) != normalise_context(expected):
        raise CryptoError()


def u16(n: int) -> bytes:
    return struct.pack(">H", n)


def u32(n: int) -> bytes:
    return struct.pack(">I", n)


def u64(n: int) -> bytes:
    return struct.pack(">Q", n)
