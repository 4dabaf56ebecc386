"""Applications to become a Relais (R1): submitted by anyone, read and decided by administrators.

The supporting documents are encrypted while they upload (`vault/uploads.py`, with the
application's id as owner) and their keys wrapped to the platform review key only
(`review_keys.py`): the database and blob store hold nothing an administrator's session is not
needed to open.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore import item as items
from vaultcore import review
from vaultcore.keys import IdentityKeys

from ..audit.services import record_event
from ..db import utcnow
from .errors import AlreadyDecided, ApplicationNotFound
from .models import ApplicationDocument, StructureApplication
from .review_keys import ReviewKeys

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
MAX_DOCUMENTS = 5


@dataclass(frozen=True)
class ApplicationFields:
    name: str
    kind: str
    address: str
    siret: str
    referent_first_name: str
    referent_last_name: str
    referent_position: str
    referent_email: str
    referent_phone: str


@dataclass(frozen=True)
class DocumentView:
    id: str
    file_name: str
    mime: str
    size: int


def submit(db: Session, keys: KeyServiceClient, store, application_id: str, fields: ApplicationFields,
           accepted: list) -> StructureApplication:
    """`accepted` are the checked uploads (`uploads.check_files`). All documents are stored, or none."""
    record = ReviewKeys(db, keys).current_record()
    sealer = review.new_sealer()
    application = StructureApplication(id=application_id, **vars(fields), review_version=record.version,
                                       sealer_verify_key=sealer.verify_key)
    stored: list[str] = []
    try:
        db.add(application)
        db.flush()  # before its documents, which refer to it
        for spool, file_name, file_type in accepted:
            if spool.owner_id != application_id:
                raise ValueError("an upload of another application")
            stored.append(_store_document(db, store, application, record, sealer, spool, file_name, file_type.mime))
        record_event(db, "structure_application.submitted", subject_id=application.id,
                     details={"documents": len(stored)})
        db.commit()
    except BaseException:
        db.rollback()
        for name in stored:
            store.delete(name)
        raise
    return application


def _store_document(db: Session, store, application: StructureApplication, record, sealer: IdentityKeys,
                    spool, file_name: str, mime: str) -> str:
    ref = items.ItemRef(spool.item_id, application.id, 1)
    blob_name = f"applications/{application.id}/{spool.item_id}"
    store.put(blob_name, spool.ciphertext())
    db.add(ApplicationDocument(
        id=spool.item_id, application_id=application.id, size=spool.size, blob_name=blob_name,
        meta=items.encrypt_metadata(spool.key, ref, {"file_name": file_name, "mime": mime}),
        key_wrap=review.wrap_document_key(spool.key, application.id, spool.item_id, record, sealer),
    ))
    return blob_name


def list_applications(db: Session, status: str | None = None) -> list[StructureApplication]:
    query = select(StructureApplication).order_by(StructureApplication.submitted_at.desc())
    if status is not None:
        query = query.where(StructureApplication.status == status)
    return list(db.scalars(query))


def get_application(db: Session, application_id: str) -> StructureApplication:
    application = db.get(StructureApplication, application_id)
    if application is None:
        raise ApplicationNotFound()
    return application


def pending_application(db: Session, application_id: str) -> StructureApplication:
    application = get_application(db, application_id)
    if application.status != PENDING:
        raise AlreadyDecided()
    return application


def reject(db: Session, application_id: str, reason: str, admin_id: str) -> StructureApplication:
    application = pending_application(db, application_id)
    application.status, application.rejection_reason = REJECTED, reason.strip()
    application.decided_at, application.decided_by = utcnow(), admin_id
    record_event(db, "structure_application.rejected", actor_id=admin_id, subject_id=application.id)
    return application


class DocumentReader:
    """An administrator's session opening an application's documents."""

    def __init__(self, db: Session, keys: KeyServiceClient, admin_id: str, admin_version: int,
                 identity: IdentityKeys) -> None:
        self._db, self._review = db, ReviewKeys(db, keys)
        self._admin = (admin_id, admin_version, identity)

    def documents(self, application: StructureApplication) -> list[DocumentView]:
        rows = self._db.scalars(select(ApplicationDocument).where(ApplicationDocument.application_id == application.id)
                                .order_by(ApplicationDocument.id))
        return [self._view(application, row, self._key(application, row)) for row in rows]

    def open(self, application: StructureApplication, document_id: str, store) -> tuple[DocumentView, Iterator[bytes]]:
        row = self._db.get(ApplicationDocument, document_id)
        if row is None or row.application_id != application.id:
            raise ApplicationNotFound()
        key = self._key(application, row)
        decryptor = items.content_decryptor(key, items.ItemRef(row.id, application.id, 1))
        return self._view(application, row, key), decryptor.open(store.open(row.blob_name))

    def _key(self, application: StructureApplication, row: ApplicationDocument) -> bytes:
        review_keys = self._review.open(application.review_version, *self._admin)
        return review.unwrap_document_key(row.key_wrap, application.id, row.id, application.review_version,
                                          review_keys, application.sealer_verify_key)

    @staticmethod
    def _view(application: StructureApplication, row: ApplicationDocument, key: bytes) -> DocumentView:
        metadata = items.decrypt_metadata(key, items.ItemRef(row.id, application.id, 1), row.meta)
        return DocumentView(row.id, str(metadata.get("file_name", "document")), str(metadata.get("mime", "")), row.size)
