"""The tamper-evident journal of each account (format: `vaultcore/journal.py`, docs/crypto.md *Journal*).

Chains: an event belongs to the chain of its subject (the account, or structure application, it is
about); an event without subject to its actor's chain; an event with neither to the chain `platform`.
A beneficiary's journal is therefore everything recorded about them, plus what they did that was
about no one.

Appending locks the chain's head row (SELECT … FOR UPDATE on PostgreSQL; on SQLite the INSERT that
comes first takes the database's write lock), so two requests appending to one chain at once are
serialised: each reads the tip the other committed. The lock is held until the request commits.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from keyservice.errors import VersionConflict
from vaultcore import journal, statement
from vaultcore.journal import Entry, JournalBroken

from .models import AuditEvent, JournalHead

log = logging.getLogger(__name__)
PLATFORM_CHAIN = "platform"
HEAD_KIND = journal.PURPOSE_HEAD  # the key service's high-water kind for journal heads
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Verdict:
    chain_id: str
    intact: bool
    events: int  # events that verified, in order, before any break
    signed_seq: int  # the event the newest signed head pins; 0 when none was signed yet
    broken_at: int | None  # the first event found wrong, when one was
    checked_at: datetime


def chain_of(subject_id: str | None, actor_id: str | None) -> str:
    return subject_id or actor_id or PLATFORM_CHAIN


def append(db: Session, event: AuditEvent) -> None:
    """Give `event` its place in its chain: next sequence number and link, under the chain's lock."""
    chain = chain_of(event.subject_id, event.actor_id)
    head = _locked_head(db, chain)
    event.chain_id, event.seq = chain, head.seq + 1
    event.link = journal.link(head.link, journal.encode_entry(chain, entry_of(event)))
    head.seq, head.link = event.seq, event.link


def _locked_head(db: Session, chain: str) -> JournalHead:
    insert = (postgresql if db.get_bind().dialect.name == "postgresql" else sqlite).insert
    db.execute(insert(JournalHead).values(chain_id=chain, seq=0, link=journal.genesis(chain), signed_seq=0)
               .on_conflict_do_nothing(index_elements=["chain_id"]))
    return db.scalars(select(JournalHead).where(JournalHead.chain_id == chain).with_for_update()
                      .execution_options(populate_existing=True)).one()


def entry_of(event: AuditEvent) -> Entry:
    return Entry(event.seq, (event.at - _EPOCH) // timedelta(microseconds=1), event.action, event.actor_id,
                 event.subject_id, event.structure_id, canonical_json(event.details or {}))


def canonical_json(details: dict) -> str:
    return json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chained_events(db: Session, chain: str) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.chain_id == chain).order_by(AuditEvent.seq)))


def verify(db: Session, keys: KeyServiceClient, chain: str, now: datetime) -> Verdict:
    """Recompute the chain from its first event and check that the newest signed head (at the key
    service's high-water version) pins it and that the chain is not shorter than that head."""
    return _checked(db, keys, chain, now)[0]


def _checked(db: Session, keys: KeyServiceClient, chain: str, now: datetime) -> tuple[Verdict, bytes]:
    head = db.get(JournalHead, chain)
    verified, tip = 0, journal.genesis(chain)
    try:
        signed = journal.open_head(head.signed_head if head else None, keys.platform_keys().keys, chain,
                                   keys.high_water(HEAD_KIND, chain))
        events = chained_events(db, chain)
        verified, tip = journal.verify_chain(chain, ((entry_of(event), event.link or b"") for event in events), signed)
        if head is None and verified:
            raise JournalBroken()  # events without their head row: the next append could not follow them
    except JournalBroken as broken:
        verified = broken.seq - 1 if broken.seq else verified
        return Verdict(chain, False, verified, head.signed_seq if head else 0, broken.seq, now), tip
    return Verdict(chain, True, verified, signed.seq if signed else 0, None, now), tip


def sign_head(db: Session, keys: KeyServiceClient, chain: str, now: datetime) -> bool:
    """Have the key service sign the chain's tip at its next version, after the chain verified; commits.
    False when the chain does not verify (nothing is signed, so a broken chain is never blessed), or
    when another signer took that version first. Events appended while this runs wait for the next."""
    verdict, tip = _checked(db, keys, chain, now)
    if not verdict.intact:
        log.warning("journal head not signed: chain %s does not verify (first wrong event %s)", chain, verdict.broken_at)
        db.rollback()
        return False
    if verdict.events == verdict.signed_seq:
        db.rollback()
        return False  # nothing new since the last signed head
    version = keys.high_water(HEAD_KIND, chain) + 1
    try:
        record = keys.sign_record(journal.head_context(chain, version), journal.head_body(verdict.events, tip))
    except VersionConflict:
        db.rollback()
        return False
    head = db.scalars(select(JournalHead).where(JournalHead.chain_id == chain).with_for_update()
                      .execution_options(populate_existing=True)).one()
    if head.signed_head is None or int(statement.peek_context(head.signed_head)["version"]) < version:
        head.signed_head, head.signed_seq = record, verdict.events  # a slower signer never stores an older head
    db.commit()
    return True


def chains_to_sign(db: Session) -> list[str]:
    """Chains that moved since their last signed head."""
    return list(db.scalars(select(JournalHead.chain_id).where(JournalHead.seq > JournalHead.signed_seq)
                           .order_by(JournalHead.chain_id)))
