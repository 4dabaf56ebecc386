"""Vault items and their key material. Everything about an item's content is ciphertext here:
the metadata record, the seal, the wraps; the content itself is a blob (`webapp/storage`)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UtcDateTime, new_id, utcnow

KINDS = ("document", "note", "contact", "appointment", "folder")


class Item(Base):
    __tablename__ = "items"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    folder_id: Mapped[str | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"), nullable=True)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    blob_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # The content stream's header, kept here so the seal can be checked before the blob is read.
    content_header: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    content_revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    meta: Mapped[bytes] = mapped_column(LargeBinary)
    seal: Mapped[bytes] = mapped_column(LargeBinary)
    author_id: Mapped[str] = mapped_column(String(32))
    author_version: Mapped[int] = mapped_column(Integer)
    owner_wrap: Mapped[bytes] = mapped_column(LargeBinary)
    owner_wrap_signer_id: Mapped[str] = mapped_column(String(32))
    # Set when a structure's professional added the item to the shared part (the seal names the person).
    added_by_structure_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    trashed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class SharedItemKey(Base):
    """A shared item's key sealed under a shared-part epoch key; absent while the item is private."""

    __tablename__ = "shared_item_keys"

    item_id: Mapped[str] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer)
    blob: Mapped[bytes] = mapped_column(LargeBinary)


class SharedEpoch(Base):
    __tablename__ = "shared_epochs"

    owner_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    record: Mapped[bytes] = mapped_column(LargeBinary)
    chain: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class AffiliationSetVersion(Base):
    """One version of the structures allowed to receive a beneficiary's shared part
    (`vaultcore/affiliationset.py`): the platform's record, and the owner's consent when it adds one."""

    __tablename__ = "affiliation_sets"

    owner_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    record: Mapped[bytes] = mapped_column(LargeBinary)
    consent: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class EpochWrap(Base):
    """An epoch key wrapped to the beneficiary or to a structure generation."""

    __tablename__ = "epoch_wraps"

    owner_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    recipient_version: Mapped[int] = mapped_column(Integer)
    blob: Mapped[bytes] = mapped_column(LargeBinary)
    signer_id: Mapped[str] = mapped_column(String(32))


class BlobDeletion(Base):
    """Blobs whose rows are gone, queued in the same transaction that deleted the rows: deleted from
    the store after the commit, and by `jobs/cleanup.py` if a crash came first (`accounts/deletion.py`)."""

    __tablename__ = "blob_deletions"

    prefix: Mapped[str] = mapped_column(String(200), primary_key=True)
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
