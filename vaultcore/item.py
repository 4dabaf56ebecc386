"""Items: a document, note, contact or appointment under its own random item key.

    meta key      = derive(item_key, "item-meta")      -> record, context {purpose: "item-meta", item, owner, revision}
    content key   = derive(item_key, "item-content")   -> stream, context {purpose: "item-content", item, owner, revision}
    thumbnail key = derive(item_key, "item-thumbnail") -> record, context {purpose: "item-thumbnail", item, owner,
                                                                           revision = the content's revision}
    seal          = statement signed by the author,    context {purpose: "item-seal", item, owner, revision, kind,
                                                               author, author-version}
                    body = commitment(item_key) || BLAKE2b-256(meta record) || BLAKE2b-256(content header or "")

The item key is wrapped to the owner's identity (`wrap.py`, purpose "item-key", subject = item id)
and, when shared, to the owner's shared part (`sharedpart.py`). Whoever opens an item checks the seal
with the author's certified key: it pins the item key, so a key wrapped by someone else, metadata
of another item or another revision, or content of another stream, does not pass. A thumbnail is
pinned through the metadata, which carries its `thumbnail_digest`.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from . import kdf
from .errors import CryptoError
from .keys import BoxKeyPair, IdentityKeys
from .record import open_record, seal_record
from .statement import Statement, open_exact_statement, sign_statement
from .stream import StreamDecryptor, StreamEncryptor
from .wrap import unwrap_key, wrap_key

KINDS = frozenset({"document", "note", "contact", "appointment", "folder"})


@dataclass(frozen=True)
class ItemRef:
    item: str
    owner: str
    revision: int = 1

    def context(self, purpose: str) -> dict[str, object]:
        return {"purpose": purpose, "item": self.item, "owner": self.owner, "revision": self.revision}


@dataclass(frozen=True)
class Author:
    account: str
    version: int
    keys: IdentityKeys


def encrypt_metadata(item_key: bytes, ref: ItemRef, metadata: dict[str, Any]) -> bytes:
    plaintext = json.dumps(metadata, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return seal_record(_meta_key(item_key), ref.context("item-meta"), plaintext.encode("utf-8"))


def decrypt_metadata(item_key: bytes, ref: ItemRef, blob: bytes) -> dict[str, Any]:
    plaintext = open_record(_meta_key(item_key), ref.context("item-meta"), blob)
    try:
        value = json.loads(plaintext.decode("utf-8"))
    except ValueError:
        raise CryptoError() from None
    if not isinstance(value, dict):
        raise CryptoError()
    return value


def content_encryptor(item_key: bytes, ref: ItemRef) -> StreamEncryptor:
    return StreamEncryptor(_content_key(item_key), ref.context("item-content"))


def content_decryptor(item_key: bytes, ref: ItemRef) -> StreamDecryptor:
    return StreamDecryptor(_content_key(item_key), ref.context("item-content"))


def encrypt_thumbnail(item_key: bytes, content_ref: ItemRef, jpeg: bytes) -> bytes:
    """A small picture of the content, under its own key: the content key and its stream never see it."""
    return seal_record(_thumbnail_key(item_key), content_ref.context("item-thumbnail"), jpeg)


def decrypt_thumbnail(item_key: bytes, content_ref: ItemRef, blob: bytes, expected_digest: str) -> bytes:
    """The thumbnail, if `blob` is the very record whose digest the item's sealed metadata names."""
    expected = expected_digest.encode("ascii", "replace") if isinstance(expected_digest, str) else b""
    if not hmac.compare_digest(thumbnail_digest(blob).encode("ascii"), expected):
        raise CryptoError()
    return open_record(_thumbnail_key(item_key), content_ref.context("item-thumbnail"), blob)


def thumbnail_digest(blob: bytes) -> str:
    """What the metadata keeps to pin a thumbnail record: BLAKE2b-256 of the record, in hex."""
    return _digest(blob).hex()


def seal_item(
    author: Author, ref: ItemRef, kind: str, item_key: bytes, meta_blob: bytes, content_header: bytes = b""
) -> bytes:
    if kind not in KINDS:
        raise ValueError("unknown item kind")
    context = _seal_context(ref, kind, author.account, author.version)
    body = _seal_body(item_key, meta_blob, content_header)
    return sign_statement(author.keys.signing_key, author.keys.verify_key, context, body)


def open_item_seal(
    seal: bytes,
    author_verify_key: bytes,
    ref: ItemRef,
    kind: str,
    author: str,
    author_version: int,
    item_key: bytes,
    meta_blob: bytes,
    content_header: bytes = b"",
) -> Statement:
    context = _seal_context(ref, kind, author, author_version)
    statement = open_exact_statement(seal, [author_verify_key], context)
    if not hmac.compare_digest(statement.body, _seal_body(item_key, meta_blob, content_header)):
        raise CryptoError()
    return statement


def wrap_item_key_to_owner(
    item_key: bytes, ref: ItemRef, owner_public: bytes, owner_version: int, signer: Author
) -> bytes:
    return wrap_key(item_key, owner_public, _owner_wrap_context(ref, owner_version, signer.account), signer.keys)


def unwrap_item_key(
    blob: bytes, owner: BoxKeyPair, ref: ItemRef, owner_version: int, signer: str, signer_verify_key: bytes
) -> bytes:
    context = _owner_wrap_context(ref, owner_version, signer)
    return unwrap_key(blob, owner, context, signer_verify_key)


def _owner_wrap_context(ref: ItemRef, owner_version: int, signer: str) -> dict[str, object]:
    return {
        "purpose": "item-key",
        "subject": ref.item,
        "recipient": ref.owner,
        "recipient-version": owner_version,
        "signer": signer,
    }


def _seal_context(ref: ItemRef, kind: str, author: str, author_version: int) -> dict[str, object]:
    return dict(ref.context("item-seal"), kind=kind, author=author, **{"author-version": author_version})


def _seal_body(item_key: bytes, meta_blob: bytes, content_header: bytes) -> bytes:
    return kdf.commitment(item_key) + _digest(meta_blob) + _digest(content_header)


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32, person=kdf.PERSON).digest()


def _meta_key(item_key: bytes) -> bytes:
    return kdf.derive(item_key, kdf.LABEL_ITEM_META)


def _content_key(item_key: bytes) -> bytes:
    return kdf.derive(item_key, kdf.LABEL_ITEM_CONTENT)


def _thumbnail_key(item_key: bytes) -> bytes:
    return kdf.derive(item_key, kdf.LABEL_ITEM_THUMBNAIL)
