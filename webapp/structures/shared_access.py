"""A beneficiary's shared part, from a member of an affiliated structure (R4, R8).

The member reads through the structure's current generation, unwrapped from their identity
(`current_generation_keys`) → the epoch wraps → the item's key sealed under its epoch
(`SharedItemKey`). Seals are checked as on the owner's path. What a member adds belongs to the
beneficiary: its key is wrapped to the beneficiary's identity and signed by the member, its seal names
the member, and it is shared under the current epoch. A member may edit shared notes, contacts and
appointments and make an item private (which ends their own access), but never delete or move.

Every consultation, download and change is an audit event about the beneficiary (their page "Qui a
consulté mes documents") and counts as the structure's activity for the 2-year rule (R16c).

A member may also schedule or send SMS reminders of a shared appointment (R4). They go only to the
beneficiary's confirmed mobile — the member neither types nor reads it (its last two digits at most:
the person gave it to the platform, not to every Relais) — count against the Relais's daily quota,
and only that Relais's reminders are seen and changed here. No consent to contributions is needed:
a reminder adds nothing to the shared part, and the beneficiary sees and can cancel every one.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore import item as items
from vaultcore import sharedpart

from ..accounts.models import Account
from ..audit.services import record_event
from ..db import utcnow
from ..reminders.errors import NoConfirmedPhone
from ..reminders.services import ReminderRequest, Reminders, ReminderView
from ..vault.errors import InvalidItem, ItemNotFound
from ..vault.models import Item, SharedItemKey
from ..vault.services import ItemView, Vault
from ..vault.sharing import SharedPart
from .errors import StructureError
from .models import Affiliation, Structure
from .services import Actor, current_generation_keys

ACTIVE = "active"
EDITABLE_KINDS = ("note", "contact", "appointment")
# The audit actions a beneficiary sees on "Qui a consulté mes documents".
LISTED, VIEWED, PREVIEWED, DOWNLOADED = "shared.listed", "shared.viewed", "shared.previewed", "shared.downloaded"
ADDED, EDITED, MADE_PRIVATE = "shared.added", "shared.edited", "shared.made_private"
REMINDER_SCHEDULED, REMINDER_CHANGED, REMINDER_DELETED = (
    "shared.reminder_scheduled", "shared.reminder_changed", "shared.reminder_deleted")
RESET = "account.reset_by_professional"  # `assisted_reset.py`: the person sees who reset their account
ACTIONS = (LISTED, VIEWED, PREVIEWED, DOWNLOADED, ADDED, EDITED, MADE_PRIVATE, REMINDER_SCHEDULED, REMINDER_CHANGED,
           REMINDER_DELETED, RESET)


class ContributionsRefused(StructureError):
    """The beneficiary does not (or no longer) allow this structure to add to or change their shared part."""

    code = "contributions_refused"


class SharedAccess:
    """One beneficiary's shared part as one member of one structure sees it. ItemNotFound (a 404)
    when the beneficiary is not actively affiliated to the structure, whatever the reason."""

    def __init__(self, db: Session, keys: KeyServiceClient, structure: Structure, member: Actor, beneficiary_id: str,
                 clock: Callable[[], datetime] = utcnow) -> None:
        affiliation = db.get(Affiliation, (beneficiary_id, structure.id))
        beneficiary = db.get(Account, beneficiary_id)
        if affiliation is None or affiliation.status != ACTIVE or beneficiary is None or not beneficiary.is_active:
            raise ItemNotFound()
        self._db, self._clock = db, clock
        self.structure, self.beneficiary, self.affiliation = structure, beneficiary, affiliation
        self._member = member
        generation = current_generation_keys(db, keys, structure, member)
        self._vault = _MemberVault(db, keys, beneficiary_id, member, generation, structure.id, clock)

    @property
    def accepts_contributions(self) -> bool:
        return self.affiliation.consents_to_contributions

    # Reading

    def list_items(self, kind: str | None = None) -> list[ItemView]:
        views = self._vault.list_items(kind)
        self._trace(LISTED, details={"count": len(views)})
        return views

    def get(self, item_id: str) -> ItemView:
        view = self._vault.get(item_id)
        self._trace(VIEWED, view)
        return view

    def open_content(self, item_id: str, store, disposition: str) -> tuple[ItemView, Iterator[bytes]]:
        """The document and its plaintext chunks; `disposition` "inline" is a preview, else a download."""
        view = self._vault.get(item_id)
        if view.kind != "document":
            raise ItemNotFound()
        self._trace(PREVIEWED if disposition == "inline" else DOWNLOADED, view)
        return view, self._vault.open_content(item_id, store)

    # Changing, with the beneficiary's agreement

    def add_record_item(self, kind: str, metadata: dict[str, Any]) -> ItemView:
        self._require_consent()
        if kind not in EDITABLE_KINDS:
            raise InvalidItem("kind")
        view = self._vault.create_record_item(kind, metadata, shared=True)
        self._trace(ADDED, view)
        return view

    def add_upload(self, spool, metadata: dict[str, Any], store) -> ItemView:
        self._require_consent()
        view = self._vault.add_upload(spool, metadata, store, shared=True)
        self._trace(ADDED, view)
        return view

    def update_metadata(self, item_id: str, metadata: dict[str, Any]) -> ItemView:
        self._require_consent()
        if self._vault.get(item_id).kind not in EDITABLE_KINDS:
            raise InvalidItem("kind")
        view = self._vault.update_metadata(item_id, metadata)
        self._trace(EDITED, view)
        return view

    def make_private(self, item_id: str) -> None:
        """The item (a folder: with what it holds) leaves the shared part; only the owner sees it now."""
        view = self._vault.get(item_id)
        self._vault.make_private(item_id)
        self._trace(MADE_PRIVATE, view)

    # SMS reminders of shared appointments (R4)

    @property
    def reminder_phone(self) -> str | None:
        """The beneficiary's confirmed mobile, where the reminders go; None when there is none."""
        return self.beneficiary.person.phone if self.beneficiary.person else None

    def reminders(self, appointment: ItemView) -> list[ReminderView]:
        return self._reminders().list(appointment)

    def reminder(self, appointment: ItemView, reminder_id: str) -> ReminderView:
        return self._reminders().get(appointment, reminder_id)

    def default_reminder_text(self, appointment: ItemView) -> str:
        return self._reminders().default_text(appointment)

    def schedule_reminder(self, appointment: ItemView, *, preset: str, text: str, night_ok: bool = False,
                          chosen_at: datetime | None = None) -> ReminderView:
        """Raises a ReminderError (NoConfirmedPhone among them), SmsOptedOut or SmsQuotaExceeded."""
        made = self._reminders().schedule(appointment, self.beneficiary.id,
                                          self._reminder_request(preset, text, night_ok, chosen_at))
        self._trace(REMINDER_SCHEDULED, appointment)
        return made

    def change_reminder(self, appointment: ItemView, reminder_id: str, *, preset: str, text: str,
                        night_ok: bool = False, chosen_at: datetime | None = None) -> ReminderView:
        reminders = self._reminders()
        reminders.get(appointment, reminder_id)  # another Relais's reminder is not found before the number is asked
        made = reminders.change(appointment, reminder_id, self._reminder_request(preset, text, night_ok, chosen_at))
        self._trace(REMINDER_CHANGED, appointment)
        return made

    def delete_reminder(self, appointment: ItemView, reminder_id: str) -> None:
        self._reminders().delete(appointment, reminder_id)
        self._trace(REMINDER_DELETED, appointment)

    # Inner workings

    def _reminders(self) -> Reminders:
        return Reminders(self._db, author_id=self._member.id, now=self._clock(), structure_id=self.structure.id)

    def _reminder_request(self, preset: str, text: str, night_ok: bool, chosen_at: datetime | None) -> ReminderRequest:
        if not self.reminder_phone:
            raise NoConfirmedPhone()
        return ReminderRequest(preset=preset, phone_e164=self.reminder_phone, text=text, night_ok=night_ok,
                               chosen_at=chosen_at)

    def _require_consent(self) -> None:
        if not self.affiliation.consents_to_contributions:
            raise ContributionsRefused()

    def _trace(self, action: str, view: ItemView | None = None, details: dict | None = None) -> None:
        # Every consultation and contribution passes here: the activity of R16c and R16b (docs/time-rules.md).
        self.affiliation.last_professional_activity_at = self.beneficiary.last_professional_activity_at = self._clock()
        record_event(self._db, action, actor_id=self._member.id, subject_id=self.beneficiary.id,
                     structure_id=self.structure.id,
                     details=details if view is None else {"item": view.id, "kind": view.kind})


class _MemberVault(Vault):
    """The beneficiary's vault as the owner's path handles it, but keyed through the shared part:
    only shared items exist here, their keys come from `SharedItemKey`, and whatever is written is
    authored (sealed, owner wrap signed) by the member."""

    def __init__(self, db: Session, keys: KeyServiceClient, owner_id: str, member: Actor, generation,
                 structure_id: str, clock: Callable[[], datetime]) -> None:
        super().__init__(db, keys, owner_id, member.version, member.identity, clock=clock)
        self._author = items.Author(member.id, member.version, member.identity)
        self._structure_id = structure_id
        self.shared_part = SharedPart.for_structure(db, keys, self._keyring, owner_id, generation, member.id,
                                                    member.identity)

    def list_items(self, kind: str | None = None, trashed: bool = False) -> list[ItemView]:
        query = (select(Item).join(SharedItemKey, SharedItemKey.item_id == Item.id)
                 .where(Item.owner_id == self.owner_id, Item.shared.is_(True), Item.trashed_at.is_(None)))
        if kind is not None:
            query = query.where(Item.kind == kind)
        rows = self._db.scalars(query.order_by(Item.updated_at.desc())).all()
        return [self._view(row, self._open_metadata(row)) for row in rows]

    def make_private(self, item_id: str) -> None:
        row = self._row(item_id)
        for member in [row, *self._descendants(row)]:
            self._set_row_shared(member, False)

    def _new_row(self, kind: str, folder_id: str | None, shared: bool, **given) -> tuple[Item, bytes]:
        row, key = super()._new_row(kind, None, True, **given)
        row.added_by_structure_id = self._structure_id
        return row, key

    def _row(self, item_id: str, trashed: bool = False) -> Item:
        row = self._db.get(Item, item_id)
        if row is None or row.owner_id != self.owner_id or trashed or row.trashed_at is not None or not row.shared:
            raise ItemNotFound()
        return row

    def _item_key(self, row: Item) -> bytes:
        sealed = self._db.scalar(select(SharedItemKey).where(SharedItemKey.item_id == row.id))
        if sealed is None:
            raise ItemNotFound()
        try:
            epoch = self.shared_part.epoch(sealed.epoch)
        except LookupError:
            raise ItemNotFound() from None
        return sharedpart.open_item_key(epoch, row.id, sealed.blob)


def shared_counts(db: Session, beneficiary_ids: Iterable[str]) -> dict[str, int]:
    """How many shared items each beneficiary has: directory facts, nothing decrypted."""
    ids = list(beneficiary_ids)
    counts = {beneficiary: 0 for beneficiary in ids}
    if ids:
        rows = db.execute(select(Item.owner_id).join(SharedItemKey, SharedItemKey.item_id == Item.id)
                          .where(Item.owner_id.in_(ids), Item.trashed_at.is_(None), Item.kind != "folder"))
        for (owner,) in rows:
            counts[owner] += 1
    return counts
