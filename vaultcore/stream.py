"""Streamed content: a file of any size in 64 KiB chunks, memory flat whatever the size.

    stream = header || chunk_0 || ... || chunk_n
    header = 0x01 || "S" || context || u32 chunk_size (= 65536) || secretstream_header[24]
    chunk  = crypto_secretstream_xchacha20poly1305_push(plaintext, ad, tag)

Every chunk but the last holds exactly `chunk_size` plaintext bytes and has tag MESSAGE; the last
holds 0 to `chunk_size` bytes and has tag FINAL. The first chunk takes the header as associated
data, which binds the context to the content; secretstream itself chains the chunks, so a chunk
reordered, dropped, repeated or taken from another stream fails, and a stream cut anywhere lacks
its FINAL chunk and fails at `finalize`.

Decryption hands out each chunk only after its tag verified. A caller must still treat the output
as void until `finalize` returns: a web response aborts, a file is deleted.
"""
from __future__ import annotations

from typing import BinaryIO, Iterable, Iterator

from nacl import bindings as sodium

from .encoding import Context, Reader, expect_context, header, read_header, u32
from .errors import CryptoError

KIND = b"S"
CHUNK_BYTES = 64 * 1024
ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
SEALED_CHUNK_BYTES = CHUNK_BYTES + ABYTES
_TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
_TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
_SS_HEADER_BYTES = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES
MAX_HEADER_BYTES = 64 * 1024  # a longer header is refused rather than buffered


class StreamEncryptor:
    """Feed plaintext with `update`, end with `finalize`; each returns ciphertext to write out."""

    def __init__(self, key: bytes, context: Context) -> None:
        _check_key(key)
        self._state = sodium.crypto_secretstream_xchacha20poly1305_state()
        ss_header = sodium.crypto_secretstream_xchacha20poly1305_init_push(self._state, key)
        self.header = header(KIND, context) + u32(CHUNK_BYTES) + ss_header
        if len(self.header) > MAX_HEADER_BYTES:
            raise ValueError("stream context too long")
        self._ad: bytes | None = self.header
        self._pending = bytearray()
        self._done = False

    def update(self, data: bytes) -> bytes:
        if self._done:
            raise ValueError("stream already finalised")
        out: list[bytes] = []
        view = memoryview(data)
        while view:
            if len(self._pending) == CHUNK_BYTES:
                # A full chunk goes out only once more data proves it is not the last one.
                out.append(self._push(bytes(self._pending), _TAG_MESSAGE))
                self._pending.clear()
            if not self._pending and len(view) > CHUNK_BYTES:
                whole = (len(view) - 1) // CHUNK_BYTES * CHUNK_BYTES
                for start in range(0, whole, CHUNK_BYTES):
                    out.append(self._push(bytes(view[start : start + CHUNK_BYTES]), _TAG_MESSAGE))
                view = view[whole:]
                continue
            take = CHUNK_BYTES - len(self._pending)
            self._pending += view[:take]
            view = view[take:]
        return _joined(out)

    def seal(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """The whole stream, header first, from plaintext chunks of any size."""
        yield self.header
        for chunk in chunks:
            sealed = self.update(chunk)
            if sealed:
                yield sealed
        yield self.finalize()

    def finalize(self) -> bytes:
        if self._done:
            raise ValueError("stream already finalised")
        self._done = True
        return self._push(bytes(self._pending), _TAG_FINAL)

    def _push(self, chunk: bytes, tag: int) -> bytes:
        ad, self._ad = self._ad, None
        return sodium.crypto_secretstream_xchacha20poly1305_push(self._state, chunk, ad, tag)


class StreamDecryptor:
    """Feed ciphertext (header included) with `update`; `finalize` proves the stream was whole."""

    def __init__(self, key: bytes, context: Context) -> None:
        _check_key(key)
        self._key = key
        self._context = context
        self._state: object | None = None
        self._ad: bytes | None = None
        self._buffer = bytearray()
        self._final_seen = False
        self._failed = False

    def update(self, data: bytes) -> bytes:
        self._guard()
        self._buffer += data
        try:
            if self._state is None and not self._read_header():
                return b""
            return self._drain()
        except CryptoError:
            self._failed = True
            raise

    def open(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """The plaintext, chunk by chunk; CryptoError at the end if the stream was cut short."""
        for chunk in chunks:
            plain = self.update(chunk)
            if plain:
                yield plain
        last = self.finalize()
        if last:
            yield last

    def finalize(self) -> bytes:
        """Return the last plaintext bytes, or fail if the stream was cut short."""
        self._guard()
        try:
            if self._state is None:
                raise CryptoError()
            out = self._drain(at_end=True)
            if not self._final_seen:
                raise CryptoError()
        except CryptoError:
            self._failed = True
            raise
        self._failed = True  # nothing may be fed after the end
        return out

    def _guard(self) -> None:
        if self._failed:
            raise CryptoError()

    def _read_header(self) -> bool:
        reader = Reader(bytes(self._buffer))
        try:
            context = read_header(reader, KIND)
            chunk_bytes = reader.u32()
            ss_header = reader.take(_SS_HEADER_BYTES)
        except CryptoError:
            if reader.ran_short and len(self._buffer) < MAX_HEADER_BYTES:
                return False
            raise
        expect_context(context, self._context)
        if chunk_bytes != CHUNK_BYTES:
            raise CryptoError()
        self._ad = bytes(self._buffer[: reader.offset])
        del self._buffer[: reader.offset]
        self._state = sodium.crypto_secretstream_xchacha20poly1305_state()
        sodium.crypto_secretstream_xchacha20poly1305_init_pull(self._state, ss_header, self._key)
        return True

    def _drain(self, at_end: bool = False) -> bytes:
        out: list[bytes] = []
        start = 0
        available = len(self._buffer)
        with memoryview(self._buffer) as buffered:
            while available - start >= SEALED_CHUNK_BYTES or (at_end and start < available):
                if self._final_seen:
                    raise CryptoError()  # bytes after the FINAL chunk
                end = min(start + SEALED_CHUNK_BYTES, available)
                out.append(self._pull(buffered[start:end].tobytes()))
                start = end
        del self._buffer[:start]
        if self._final_seen and self._buffer:
            raise CryptoError()
        return _joined(out)

    def _pull(self, sealed: bytes) -> bytes:
        if len(sealed) < ABYTES:
            raise CryptoError()
        ad, self._ad = self._ad, None
        try:
            plain, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(self._state, sealed, ad)
        except Exception:
            raise CryptoError() from None
        if tag == _TAG_FINAL:
            self._final_seen = True
        elif tag != _TAG_MESSAGE or len(sealed) != SEALED_CHUNK_BYTES:
            raise CryptoError()
        return plain


def _joined(parts: list[bytes]) -> bytes:
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _check_key(key: bytes) -> None:
    if not isinstance(key, bytes) or len(key) != 32:
        raise CryptoError()


def encrypt_chunks(key: bytes, context: Context, chunks: Iterable[bytes]) -> Iterator[bytes]:
    return StreamEncryptor(key, context).seal(chunks)


def decrypt_chunks(key: bytes, context: Context, chunks: Iterable[bytes]) -> Iterator[bytes]:
    return StreamDecryptor(key, context).open(chunks)


def read_chunks(source: BinaryIO, size: int = CHUNK_BYTES) -> Iterator[bytes]:
    while chunk := source.read(size):
        yield chunk


def encrypt_file(key: bytes, context: Context, source: BinaryIO, target: BinaryIO) -> int:
    """Encrypt `source` into `target`; returns the number of ciphertext bytes written."""
    written = 0
    for sealed in encrypt_chunks(key, context, read_chunks(source)):
        target.write(sealed)
        written += len(sealed)
    return written


def decrypt_file(key: bytes, context: Context, source: BinaryIO, target: BinaryIO) -> int:
    written = 0
    for plain in decrypt_chunks(key, context, read_chunks(source, SEALED_CHUNK_BYTES)):
        target.write(plain)
        written += len(plain)
    return written
