"""Read what a blob claims to be, without any key: for reviewers and support, never for trust.

Nothing here is verified: the same fields are checked cryptographically only when the blob is
opened. `describe` needs the first bytes of a blob (the whole header) and its total length.
"""
from __future__ import annotations

from typing import Any

from . import bundle, record, statement, stream, wrap
from .encoding import Reader
from .errors import CryptoError

KIND_NAMES = {
    record.KIND: "record",
    stream.KIND: "stream",
    wrap.KIND: "wrap",
    statement.KIND: "statement",
    bundle.KIND: "key bundle",
}
HEAD_BYTES = stream.MAX_HEADER_BYTES


def describe(head: bytes, total_length: int) -> dict[str, Any]:
    if len(head) < 2 or head[1:2] not in KIND_NAMES:
        raise CryptoError()
    reader = Reader(head)
    version, kind = reader.u8(), reader.take(1)
    info: dict[str, Any] = {"version": version, "kind": KIND_NAMES[kind], "length": total_length}
    info["context"] = reader.context()
    info.update(_DESCRIBERS[kind](reader, total_length))
    return info


def _record(reader: Reader, total: int) -> dict[str, Any]:
    nonce_at = reader.offset
    return {"nonce_bytes": 24, "plaintext_bytes": total - nonce_at - 24 - 16}


def _stream(reader: Reader, total: int) -> dict[str, Any]:
    chunk_bytes = reader.u32()
    reader.take(24)
    body = total - reader.offset
    chunks = max(1, -(-body // stream.SEALED_CHUNK_BYTES))
    return {
        "header_bytes": reader.offset,
        "chunk_bytes": chunk_bytes,
        "chunks": chunks,
        "plaintext_bytes": body - chunks * stream.ABYTES,
    }


def _wrap(reader: Reader, total: int) -> dict[str, Any]:
    ephemeral = reader.take(32)
    sealed = reader.u16()
    reader.take(sealed)
    signer = reader.take(32)
    return {"ephemeral_public": ephemeral.hex(), "payload_bytes": sealed - 16, "signer_key": signer.hex()}


def _statement(reader: Reader, total: int) -> dict[str, Any]:
    body = reader.take(reader.u32())
    return {"body_bytes": len(body), "body": body.hex(), "signer_key": reader.take(32).hex()}


def _bundle(reader: Reader, total: int) -> dict[str, Any]:
    kdf = reader.u8()
    opslimit, memlimit_kib = reader.u32(), reader.u32()
    salt = reader.take(16)
    return {"kdf": kdf, "opslimit": opslimit, "memlimit_kib": memlimit_kib, "salt": salt.hex(),
            "sealed_bytes": total - reader.offset - 24}


_DESCRIBERS = {
    record.KIND: _record,
    stream.KIND: _stream,
    wrap.KIND: _wrap,
    statement.KIND: _statement,
    bundle.KIND: _bundle,
}
