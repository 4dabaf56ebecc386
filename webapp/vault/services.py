"""A beneficiary's vault, from their own session: create, read, edit, share, trash items.

Every item's content and metadata are encrypted under its own key (`vaultcore/item.py`); the server
keeps ciphertext, the key wrapped to the owner, and — while the item is shared — the key sealed
under the shared part's current epoch. Nothing here keeps plaintext beyond the call that uses it.

A photo's thumbnail is a blob of its own beside the content. Whether a document has one is said by
its encrypted metadata (field `thumbnail`, the digest of the thumbnail record), not by a column: the
author's seal covers the metadata, so the thumbnail is pinned, and the operator cannot tell photos
from PDFs by looking at the database. The list learns it from the metadata it decrypts anyway.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore import item as items
from vaultcore import sharedpart
from vaultcore.errors import CryptoError
from vaultcore.keys import IdentityKeys, new_symmetric_key

from ..db import new_id, utcnow
from ..reminders import follow as reminders
from . import blobs
from .errors import InvalidDestination, InvalidItem, ItemNotFound
from .keyring import Keyring
from .models import KINDS, Item, SharedItemKey
from .sharing import SharedPart

RECORD_KINDS = ("note", "contact", "appointment", "folder")  # kinds whose whole content is their metadata
THUMBNAIL_FIELD = "thumbnail"  # in a document's metadata: the hex digest of its thumbnail record
MAX_THUMBNAIL_BLOB_BYTES = 512 * 1024  # what we write is far smaller; a larger blob is not ours


@dataclass(frozen=True)
class ItemView:
    """An item as its reader sees it: directory facts plus the decrypted metadata."""

    id: str
    kind: str
    shared: bool
    folder_id: str | None
    size: int
    created_at: datetime
    updated_at: datetime
    trashed_at: datetime | None
    author_id: str
    metadata: dict[str, Any]
    has_thumbnail: bool = False
    added_by_structure_id: str | None = None  # a structure's professional added it to the shared part


class Vault:
    def __init__(self, db: Session, keys: KeyServiceClient, account_id: str, identity_version: int,
                 identity: IdentityKeys, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock  # the app's clock: reminders that follow an appointment must not move into the past
        self.owner_id = account_id
        self._author = items.Author(account_id, identity_version, identity)
        self._identity = identity
        self._keyring = Keyring(db, keys)
        self.shared_part = SharedPart.for_owner(db, keys, self._keyring, account_id, identity_version, identity)

    # Creating

    def create_record_item(self, kind: str, metadata: dict[str, Any], *, shared: bool = False,
                           folder_id: str | None = None) -> ItemView:
        if kind not in RECORD_KINDS:
            raise InvalidItem("kind")
        row, key = self._new_row(kind, folder_id, shared)
        self._seal(row, key, metadata)
        return self._view(row, metadata)

    def create_document(self, metadata: dict[str, Any], store, content: Iterable[bytes], *, shared: bool = False,
                        folder_id: str | None = None) -> ItemView:
        """Stream `content` through encryption into the blob store; the row exists only if the blob does."""
        row, key = self._new_row("document", folder_id, shared)
        encryptor = items.content_encryptor(key, self._content_ref(row))
        counter = _Counter()
        return self._store_document(row, key, encryptor.header, metadata, store,
                                    encryptor.seal(counter.count(content)), lambda: counter.total)

    def add_upload(self, spool, metadata: dict[str, Any], store, *, shared: bool = False,
                   folder_id: str | None = None) -> ItemView:
        """A file encrypted while it was uploaded (`uploads.EncryptingSpool`) becomes a document."""
        if spool.owner_id != self.owner_id:
            raise InvalidItem("owner")
        row, key = self._new_row("document", folder_id, shared, item_id=spool.item_id, key=spool.key)
        return self._store_document(row, key, spool.header, metadata, store, spool.ciphertext(), lambda: spool.size,
                                    thumbnail=spool.thumbnail)

    def _store_document(self, row: Item, key: bytes, header: bytes, metadata: dict[str, Any], store,
                        sealed: Iterable[bytes], size, thumbnail: bytes | None = None) -> ItemView:
        """The content blob, then the thumbnail's; if anything fails after the content is stored, neither stays."""
        if THUMBNAIL_FIELD in metadata:
            raise InvalidItem("metadata")
        row.content_header = header
        row.blob_name = blobs.content_name(row.id, row.content_revision)
        store.put(row.blob_name, sealed)
        try:
            if thumbnail is not None:
                record = items.encrypt_thumbnail(key, self._content_ref(row), thumbnail)
                store.put(blobs.thumbnail_name(row.id, row.content_revision), [record])
                metadata = {**metadata, THUMBNAIL_FIELD: items.thumbnail_digest(record)}
            row.size = size()
            self._seal(row, key, metadata)
        except BaseException:
            for name in blobs.every_name(row.id, row.content_revision):
                store.delete(name)
            raise
        return self._view(row, metadata)

    # Reading

    def list_items(self, kind: str | None = None, trashed: bool = False) -> list[ItemView]:
        query = select(Item).where(Item.owner_id == self.owner_id)
        query = query.where(Item.trashed_at.is_not(None) if trashed else Item.trashed_at.is_(None))
        if kind is not None:
            query = query.where(Item.kind == kind)
        rows = self._db.scalars(query.order_by(Item.updated_at.desc())).all()
        return [self._view(row, self._open_metadata(row)) for row in rows]

    def get(self, item_id: str) -> ItemView:
        row = self._row(item_id)
        return self._view(row, self._open_metadata(row))

    def open_content(self, item_id: str, store) -> Iterator[bytes]:
        """The document's plaintext, chunk by chunk; raises CryptoError at the end if it was cut."""
        row = self._row(item_id)
        if row.blob_name is None:
            raise InvalidItem("no content")
        key = self._item_key(row)
        self._check_seal(row, key)
        yield from items.content_decryptor(key, self._content_ref(row)).open(store.open(row.blob_name))

    def open_thumbnail(self, item_id: str, store) -> bytes:
        """The document's thumbnail, a small JPEG; ItemNotFound if it has none, CryptoError if the blob
        is not the one its sealed metadata names."""
        row = self._row(item_id)
        key = self._item_key(row)
        self._check_seal(row, key)
        digest = items.decrypt_metadata(key, self._ref(row), row.meta).get(THUMBNAIL_FIELD)
        if row.kind != "document" or digest is None:
            raise ItemNotFound()
        record = _read_at_most(store.open(blobs.thumbnail_name(row.id, row.content_revision)), MAX_THUMBNAIL_BLOB_BYTES)
        return items.decrypt_thumbnail(key, self._content_ref(row), record, digest)

    # Changing

    def update_metadata(self, item_id: str, metadata: dict[str, Any]) -> ItemView:
        row = self._row(item_id)
        key = self._item_key(row)
        self._check_seal(row, key)
        before = items.decrypt_metadata(key, self._ref(row), row.meta) if row.kind == "appointment" else None
        row.revision += 1
        row.updated_at = utcnow()
        self._seal(row, key, metadata)
        if before is not None:
            reminders.appointment_changed(self._db, row.id, before, metadata, now=self._clock(),
                                          actor_id=self._author.account)
        return self._view(row, metadata)

    def set_shared(self, item_id: str, shared: bool) -> ItemView:
        """Share or make private; a folder takes everything inside it along. An item in a private
        folder cannot be shared on its own."""
        row = self._row(item_id)
        if shared and row.folder_id is not None and not self._row(row.folder_id).shared:
            raise InvalidItem("private_folder")
        for member in [row, *self._descendants(row)]:
            self._set_row_shared(member, shared)
        return self._view(row, self._open_metadata(row))

    def move(self, item_id: str, folder_id: str | None) -> bool:
        """Put an item (or a folder, with its contents) into `folder_id`, or at the top when None.
        True when the move made it private: a private folder keeps everything inside it private."""
        row = self._row(item_id)
        if folder_id is not None:
            target = self._row(folder_id)
            if target.kind != "folder" or target.id in self._inside_of(row):
                raise InvalidDestination()
        row.folder_id, row.updated_at = folder_id, utcnow()
        if folder_id is not None and row.shared and not target.shared:
            for member in [row, *self._descendants(row)]:
                self._set_row_shared(member, False)
            return True
        return False

    def move_destinations(self, item_id: str) -> list[ItemView]:
        """The folders `item_id` may move into: every folder but itself and the folders inside it."""
        excluded = self._inside_of(self._row(item_id))
        return [view for view in self.list_items("folder") if view.id not in excluded]

    def folder_contents(self, folder_id: str | None) -> list[ItemView]:
        if folder_id is not None and self._row(folder_id).kind != "folder":
            raise ItemNotFound()
        in_folder = Item.folder_id.is_(None) if folder_id is None else Item.folder_id == folder_id
        query = select(Item).where(Item.owner_id == self.owner_id, Item.trashed_at.is_(None), in_folder)
        rows = self._db.scalars(query.order_by(Item.updated_at.desc())).all()
        return [self._view(row, self._open_metadata(row)) for row in rows]

    def folder_summary(self, folder_id: str) -> dict[str, int]:
        """How many items of each kind a folder holds, at any depth: what its deletion would take."""
        counts: dict[str, int] = {}
        for member in self._descendants(self._row(folder_id)):
            counts[member.kind] = counts.get(member.kind, 0) + 1
        return counts

    def trash(self, item_id: str) -> None:
        """A folder goes to the trash with everything inside it, at the same moment."""
        row, now = self._row(item_id), utcnow()
        members = [row, *self._descendants(row)]
        for member in members:
            member.trashed_at = now
        reminders.appointments_trashed(self._db, [m.id for m in members if m.kind == "appointment"], now=self._clock(),
                                       actor_id=self._author.account)

    def restore(self, item_id: str) -> None:
        row = self._row(item_id, trashed=True)
        moment = row.trashed_at
        for member in [row, *self._descendants(row, trashed_at=moment)]:
            member.trashed_at = None
        parent = self._db.get(Item, row.folder_id) if row.folder_id else None
        if parent is not None and parent.trashed_at is not None:
            row.folder_id = None  # its folder is still in the trash: it comes back at the top

    # Internals

    def _set_row_shared(self, row: Item, shared: bool) -> None:
        # A query, not Session.get: it flushes first, so a key added earlier in this unit of work is seen.
        existing = self._db.scalar(select(SharedItemKey).where(SharedItemKey.item_id == row.id))
        if shared and existing is None:
            key = self._item_key(row)
            self._check_seal(row, key)
            self._share(row, key)
        elif not shared and existing is not None:
            self._db.delete(existing)
            if row.kind == "appointment":
                reminders.appointment_made_private(self._db, row.id, now=self._clock(), actor_id=self._author.account)
        row.shared = shared
        row.updated_at = utcnow()

    def _inside_of(self, row: Item) -> set[str]:
        """The item and, for a folder, everything inside it: where a move of it would make a loop."""
        return {row.id, *(member.id for member in self._descendants(row))}

    def _descendants(self, row: Item, trashed_at: datetime | None = None) -> list[Item]:
        """Everything inside a folder, at any depth (not in the trash, or trashed at `trashed_at`)."""
        found, frontier = [], [row.id] if row.kind == "folder" else []
        while frontier:
            query = select(Item).where(Item.owner_id == self.owner_id, Item.folder_id.in_(frontier))
            query = query.where(Item.trashed_at == trashed_at if trashed_at else Item.trashed_at.is_(None))
            children = self._db.scalars(query).all()
            found += children
            frontier = [child.id for child in children if child.kind == "folder"]
        return found

    def _new_row(self, kind: str, folder_id: str | None, shared: bool, *, item_id: str | None = None,
                 key: bytes | None = None) -> tuple[Item, bytes]:
        if kind not in KINDS:
            raise InvalidItem("kind")
        if folder_id is not None:
            folder = self._row(folder_id)
            if folder.kind != "folder":
                raise InvalidDestination()
            shared = folder.shared  # what goes into a folder takes its setting
        now = utcnow()
        row = Item(id=item_id or new_id(), owner_id=self.owner_id, kind=kind, folder_id=folder_id, shared=shared, revision=1,
                   content_revision=1, size=0, author_id=self._author.account, author_version=self._author.version,
                   created_at=now, updated_at=now)
        key = key or new_symmetric_key()
        owner = self._keyring.current_identity(self.owner_id)
        row.owner_wrap = items.wrap_item_key_to_owner(key, self._ref(row), owner.box_public, owner.version, self._author)
        row.owner_wrap_signer_id = self._author.account
        if shared:
            self._share(row, key)
        return row, key

    def _seal(self, row: Item, key: bytes, metadata: dict[str, Any]) -> None:
        if not isinstance(metadata, dict):
            raise InvalidItem("metadata")
        row.meta = items.encrypt_metadata(key, self._ref(row), metadata)
        row.author_id, row.author_version = self._author.account, self._author.version
        row.seal = items.seal_item(self._author, self._ref(row), row.kind, key, row.meta, row.content_header or b"")
        self._db.add(row)

    def _share(self, row: Item, key: bytes) -> None:
        epoch = self.shared_part.current_epoch()
        self._db.add(SharedItemKey(item_id=row.id, epoch=epoch.number, blob=sharedpart.seal_item_key(epoch, row.id, key)))

    def _item_key(self, row: Item) -> bytes:
        owner = self._keyring.current_identity(self.owner_id)
        signer_key = self._keyring.wrap_signer(row.owner_wrap_signer_id, row.owner_wrap)
        return items.unwrap_item_key(row.owner_wrap, self._identity.box, self._ref(row), owner.version,
                                     row.owner_wrap_signer_id, signer_key)

    def _check_seal(self, row: Item, key: bytes) -> None:
        items.open_item_seal(row.seal, self._keyring.signer(row.author_id, row.author_version), self._ref(row),
                             row.kind, row.author_id, row.author_version, key, row.meta, row.content_header or b"")

    def _open_metadata(self, row: Item) -> dict[str, Any]:
        key = self._item_key(row)
        self._check_seal(row, key)
        return items.decrypt_metadata(key, self._ref(row), row.meta)

    def _row(self, item_id: str, trashed: bool = False) -> Item:
        row = self._db.get(Item, item_id)
        if row is None or row.owner_id != self.owner_id or (row.trashed_at is not None) != trashed:
            raise ItemNotFound()
        return row

    def _ref(self, row: Item) -> items.ItemRef:
        return items.ItemRef(row.id, row.owner_id, row.revision)

    def _content_ref(self, row: Item) -> items.ItemRef:
        return items.ItemRef(row.id, row.owner_id, row.content_revision)

    def _view(self, row: Item, metadata: dict[str, Any]) -> ItemView:
        has_thumbnail = row.kind == "document" and THUMBNAIL_FIELD in metadata
        if has_thumbnail:  # the readers' metadata is what the person gave; the digest is the vault's own
            metadata = {name: value for name, value in metadata.items() if name != THUMBNAIL_FIELD}
        return ItemView(row.id, row.kind, row.shared, row.folder_id, row.size, row.created_at, row.updated_at,
                        row.trashed_at, row.author_id, metadata, has_thumbnail, row.added_by_structure_id)


def _read_at_most(chunks: Iterable[bytes], limit: int) -> bytes:
    data = bytearray()
    for chunk in chunks:
        data += chunk
        if len(data) > limit:
            raise CryptoError()
    return bytes(data)


class _Counter:
    def __init__(self) -> None:
        self.total = 0

    def count(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        for chunk in chunks:
            self.total += len(chunk)
            yield chunk
