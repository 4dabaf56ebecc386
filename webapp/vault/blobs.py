"""Where a document's blobs live in the store: names made of ids and revisions only."""
from __future__ import annotations


def content_name(item_id: str, content_revision: int) -> str:
    return f"items/{item_id}/{content_revision}"


def thumbnail_name(item_id: str, content_revision: int) -> str:
    return f"items/{item_id}/{content_revision}-thumbnail"


def every_name(item_id: str, content_revision: int) -> tuple[str, str]:
    """What deleting a document deletes; a thumbnail that was never made is simply not there."""
    return content_name(item_id, content_revision), thumbnail_name(item_id, content_revision)
