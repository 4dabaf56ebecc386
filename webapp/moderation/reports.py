"""Making reports (R12): any user reports an item they can see, an account or a Relais they deal with.

Who may report what, checked here (anything else answers ReportNotFound, a 404):
- a beneficiary: an item of their own vault (e.g. one a Relais added), a Relais they are or were
  affiliated to;
- a professional or manager: an item of a shared part they can read (`SharedAccess`), optionally
  attached for the administrators, and a beneficiary actively affiliated to one of their Relais.

An attached item is its kind and metadata as the reporter reads them, encrypted under a fresh key
wrapped to the current platform review key and signed by a one-time sealer; the plaintext exists
only in the request. Without an attachment, nobody but the owner can read the item.
"""
from __future__ import annotations

import os
from datetime import datetime

from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore import item as items
from vaultcore import review

from ..accounts.models import Account
from ..audit.services import record_event
from ..db import new_id
from ..structures.models import Affiliation
from ..structures.review_keys import ReviewKeys
from ..structures.services import structure_for
from ..structures.errors import StructureNotFound
from ..vault.models import Item
from .errors import ReportNotFound
from .models import REASONS, Report

MAX_DETAILS = 1000
ITEM_KEY_BYTES = 32


def report_own_item(db: Session, reporter: Account, item_id: str, reason: str, details: str, now: datetime) -> Report:
    """A beneficiary reports an item of their own vault; the author (a Relais's member, say) is named."""
    row = check_own_item(db, reporter, item_id)
    return _save(db, Report(kind="item", reporter_id=reporter.id, item_id=row.id, item_owner_id=row.owner_id,
                            item_kind=row.kind, account_id=row.author_id, structure_id=row.added_by_structure_id,
                            reason=reason, details=details.strip(), created_at=now))


def report_shared_item(db: Session, keys: KeyServiceClient, access, reporter_id: str, item_id: str, reason: str,
                       details: str, attach: bool, now: datetime) -> Report:
    """A member reports an item of a shared part they read through `access` (a SharedAccess)."""
    view = access.get(item_id)
    report = Report(id=new_id(), kind="item", reporter_id=reporter_id, item_id=view.id, item_owner_id=access.beneficiary.id,
                    item_kind=view.kind, account_id=view.author_id, structure_id=access.structure.id,
                    reason=reason, details=details.strip(), created_at=now)
    if attach:
        _attach(db, keys, report, {"kind": view.kind, "metadata": view.metadata})
    return _save(db, report)


def report_beneficiary(db: Session, reporter: Account, structure_id: str, beneficiary_id: str, reason: str,
                       details: str, now: datetime) -> Report:
    """A member reports a beneficiary actively affiliated to one of their Relais."""
    check_beneficiary(db, reporter, structure_id, beneficiary_id)
    return _save(db, Report(kind="account", reporter_id=reporter.id, account_id=beneficiary_id,
                            structure_id=structure_id, reason=reason, details=details.strip(), created_at=now))


def check_own_item(db: Session, reporter: Account, item_id: str) -> Item:
    """The reporter's own item, not in the trash; ReportNotFound otherwise."""
    row = db.get(Item, item_id)
    if row is None or row.owner_id != reporter.id or row.trashed_at is not None:
        raise ReportNotFound()
    return row


def check_beneficiary(db: Session, reporter: Account, structure_id: str, beneficiary_id: str) -> None:
    """ReportNotFound unless the beneficiary is actively affiliated to this Relais of the reporter's."""
    try:
        structure = structure_for(db, reporter.id, structure_id)
    except StructureNotFound:
        raise ReportNotFound() from None
    affiliation = db.get(Affiliation, (beneficiary_id, structure.id))
    if affiliation is None or affiliation.status != "active":
        raise ReportNotFound()


def check_structure(db: Session, reporter: Account, structure_id: str) -> None:
    """ReportNotFound unless the reporter is or was affiliated to this Relais."""
    if db.get(Affiliation, (reporter.id, structure_id)) is None:
        raise ReportNotFound()


def report_structure(db: Session, reporter: Account, structure_id: str, reason: str, details: str,
                     now: datetime) -> Report:
    """A beneficiary reports a Relais they are or were affiliated to (its members: named in the text)."""
    check_structure(db, reporter, structure_id)
    return _save(db, Report(kind="structure", reporter_id=reporter.id, structure_id=structure_id, reason=reason,
                            details=details.strip(), created_at=now))


def _attach(db: Session, keys: KeyServiceClient, report: Report, content: dict) -> None:
    record = ReviewKeys(db, keys).current_record()
    key, sealer = os.urandom(ITEM_KEY_BYTES), review.new_sealer()
    report.attachment = items.encrypt_metadata(key, attachment_ref(report.id), content)
    report.attachment_key_wrap = review.wrap_report_key(key, report.id, record, sealer)
    report.review_version, report.sealer_verify_key = record.version, sealer.verify_key


def attachment_ref(report_id: str) -> items.ItemRef:
    return items.ItemRef(report_id, report_id, 1)


def _save(db: Session, report: Report) -> Report:
    if report.reason not in REASONS or len(report.details) > MAX_DETAILS:
        raise ValueError("reason or details")
    db.add(report)
    db.flush()
    # The free text stays out of the journal: the report row is where it lives.
    record_event(db, "report.made", actor_id=report.reporter_id, subject_id=report.account_id or report.item_owner_id,
                 structure_id=report.structure_id,
                 details={"report": report.id, "kind": report.kind, "reason": report.reason,
                          "attached": report.attachment is not None})
    return report
