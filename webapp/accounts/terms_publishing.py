"""Publishing a new version of the terms (R10): every account must accept it at its next page."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..audit.services import record_event
from .models import TermsVersion
from .services import current_terms

MAX_TERMS = 200_000


def publish_terms(db: Session, text: str, admin_id: str | None = None) -> TermsVersion:
    text = text.strip()
    if not text or len(text) > MAX_TERMS:
        raise ValueError("terms text")
    latest = current_terms(db)
    terms = TermsVersion(version=(latest.version if latest else 0) + 1, text=text)
    db.add(terms)
    db.flush()
    record_event(db, "terms.published", actor_id=admin_id, details={"version": terms.version})
    return terms
