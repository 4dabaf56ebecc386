"""Structures (Relais), their key generations, members and rosters, affiliations, the applications
that become structures, and the platform review key that opens the applications' documents."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UtcDateTime, new_id, utcnow


class Structure(Base):
    __tablename__ = "structures"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | suspended
    siret: Mapped[str | None] = mapped_column(String(14), nullable=True)
    current_generation: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class StructureGeneration(Base):
    """Generation `number`'s platform-signed public-key record (`vaultcore/structure.py`)."""

    __tablename__ = "structure_generations"

    structure_id: Mapped[str] = mapped_column(ForeignKey("structures.id", ondelete="CASCADE"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    record: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Membership(Base):
    __tablename__ = "memberships"

    structure_id: Mapped[str] = mapped_column(ForeignKey("structures.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class GenerationWrap(Base):
    """A generation's private key wrapped to one member."""

    __tablename__ = "generation_wraps"

    structure_id: Mapped[str] = mapped_column(ForeignKey("structures.id", ondelete="CASCADE"), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    blob: Mapped[bytes] = mapped_column(LargeBinary)
    signer_id: Mapped[str] = mapped_column(String(32))


class Roster(Base):
    __tablename__ = "rosters"

    structure_id: Mapped[str] = mapped_column(ForeignKey("structures.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    record: Mapped[bytes] = mapped_column(LargeBinary)


class Affiliation(Base):
    """A beneficiary and a structure (`affiliations.py`): pending (a professional asked), confirmed
    (the beneficiary agreed without their keys at hand: the grant waits for their next login),
    active (the shared part is wrapped to the structure), or ended."""

    __tablename__ = "affiliations"

    beneficiary_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    structure_id: Mapped[str] = mapped_column(ForeignKey("structures.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    consents_to_contributions: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    started_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # How the beneficiary agreed: sms | account | answer | creation.
    confirmed_by: Mapped[str | None] = mapped_column(String(16), nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    ended_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    last_professional_activity_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # R16c (docs/time-rules.md): when both sides were told it would end for want of activity.
    idle_notice_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class StructureApplication(Base):
    """A structure's application (R1). The directory facts are in clear, like every structure's;
    the supporting documents are sealed to the platform review key (`ApplicationDocument`)."""

    __tablename__ = "structure_applications"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(60))
    address: Mapped[str] = mapped_column(String(300))
    siret: Mapped[str] = mapped_column(String(14))
    referent_first_name: Mapped[str] = mapped_column(String(100))
    referent_last_name: Mapped[str] = mapped_column(String(100))
    referent_position: Mapped[str] = mapped_column(String(100))
    referent_email: Mapped[str] = mapped_column(String(254))
    referent_phone: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | approved | rejected
    # Kept for the administrators only: the applicant is told the outcome, not this text.
    rejection_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    review_version: Mapped[int] = mapped_column(Integer)
    # The one-time key that signed the document wraps: it proves integrity, not who applied.
    sealer_verify_key: Mapped[bytes] = mapped_column(LargeBinary)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    structure_id: Mapped[str | None] = mapped_column(
        ForeignKey("structures.id", ondelete="SET NULL"), nullable=True)


class ApplicationDocument(Base):
    """A supporting document: content blob and metadata record under a document key, which is
    wrapped to the platform review key only."""

    __tablename__ = "application_documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(
        ForeignKey("structure_applications.id", ondelete="CASCADE"), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    blob_name: Mapped[str] = mapped_column(String(200))
    meta: Mapped[bytes] = mapped_column(LargeBinary)
    key_wrap: Mapped[bytes] = mapped_column(LargeBinary)


class ReviewKey(Base):
    """Version `version` of the platform review key: its platform-signed public-key record."""

    __tablename__ = "review_keys"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    record: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ReviewKeyWrap(Base):
    """A review key's private half wrapped to one platform administrator."""

    __tablename__ = "review_key_wraps"

    version: Mapped[int] = mapped_column(ForeignKey("review_keys.version", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    blob: Mapped[bytes] = mapped_column(LargeBinary)
    signer_id: Mapped[str] = mapped_column(String(32))


class DeletionRequest(Base):
    """A professional asks their manager to delete their account (R15); pending while it exists."""

    __tablename__ = "deletion_requests"

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    structure_id: Mapped[str] = mapped_column(ForeignKey("structures.id", ondelete="CASCADE"), primary_key=True)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
