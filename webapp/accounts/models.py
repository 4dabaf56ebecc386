"""Accounts, the directory of people, key bundles and the terms of service.

The directory (`Person`) is the only plaintext the service keeps about a person. Keys are stored
only as ciphertext: the platform-signed public-key record and one key bundle per factor.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UtcDateTime, new_id, utcnow

ROLES = ("beneficiary", "professional", "manager", "admin")
STATUSES = ("active", "suspended")


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    identifier: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="active")
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    identity_version: Mapped[int] = mapped_column(Integer, default=1)
    identity_record: Mapped[bytes] = mapped_column(LargeBinary)
    # Raised by a password recovery: a session opened under an older value no longer loads.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    terms_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    terms_accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_activity_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # R16b (docs/time-rules.md): the last consultation or contribution by a Relais on this account's
    # shared part, and the last notice that the account will be deleted for inactivity.
    last_professional_activity_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    inactivity_notice_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    person: Mapped["Person"] = relationship(back_populates="account", uselist=False, cascade="all, delete-orphan")
    bundles: Mapped[list["KeyBundle"]] = relationship(cascade="all, delete-orphan")

    # Flask-Login's protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return self.id


class Person(Base):
    __tablename__ = "people"
    __table_args__ = (Index("ix_people_name_key_birth_date", "name_key", "birth_date"),)

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    # "prenom nom" without accents, case or punctuation (`webapp/structures/beneficiaries.py`): with the
    # birth date, how a second account for the same person is caught (R13) and how people are found.
    name_key: Mapped[str | None] = mapped_column(String(220), nullable=True)
    # The question only; the answer is never stored, it opens a key bundle through the key service.
    secret_question: Mapped[str | None] = mapped_column(String(200), nullable=True)

    account: Mapped[Account] = relationship(back_populates="person")


class KeyBundle(Base):
    """The identity keys sealed under one factor (`vaultcore/bundle.py`)."""

    __tablename__ = "key_bundles"

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    factor: Mapped[str] = mapped_column(String(16), primary_key=True)
    key_version: Mapped[int] = mapped_column(Integer)
    blob: Mapped[bytes] = mapped_column(LargeBinary)
    # A new bundle waits here until the key service has committed its OPRF key: a crash between the
    # two leaves one of the two bundles openable, never neither.
    pending_blob: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class IdentityRecord(Base):
    """A past certified identity of an account (`accounts/identity.py`): kept so that what the account
    signed before a rotation still verifies. Each record is platform signed and names its owner and
    version, which every reader pins: a record moved to another account or version does not verify."""

    __tablename__ = "identity_records"

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    record: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class TermsVersion(Base):
    __tablename__ = "terms_versions"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text)
