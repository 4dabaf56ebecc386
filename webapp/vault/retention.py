"""How long the trash keeps items: 30 days, then the rows and the blobs go for good."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.services import record_event
from .models import Item

TRASH_DAYS = 30


def purge_trash(db: Session, store, now: datetime) -> int:
    """Delete items trashed more than TRASH_DAYS before `now`; how many went. The row goes first:
    a blob without a row is an orphan a later run can remove, a row without its blob is a broken item."""
    expired = db.scalars(select(Item).where(Item.trashed_at < now - timedelta(days=TRASH_DAYS))).all()
    blobs = [row.blob_name for row in expired if row.blob_name]
    for row in expired:
        record_event(db, "item.purged", subject_id=row.owner_id, details={"kind": row.kind})
        db.delete(row)
    db.commit()
    for name in blobs:
        store.delete(name)
    return len(expired)
