"""How long the trash keeps items: 30 days, then the rows and the blobs (content and thumbnail) go for good."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.services import record_event
from . import blobs
from .models import Item

TRASH_DAYS = 30


def purge_trash(db: Session, store, now: datetime) -> int:
    """Delete items trashed more than TRASH_DAYS before `now`; how many went. The row goes first:
    a blob without a row is an orphan a later run can remove, a row without its blob is a broken item."""
    expired = db.scalars(select(Item).where(Item.trashed_at < now - timedelta(days=TRASH_DAYS))).all()
    names = [name for row in expired if row.blob_name for name in blobs.every_name(row.id, row.content_revision)]
    for row in expired:
        record_event(db, "item.purged", subject_id=row.owner_id, details={"kind": row.kind})
        db.delete(row)
    db.commit()
    for name in names:
        store.delete(name)
    return len(expired)
