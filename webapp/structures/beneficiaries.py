"""Beneficiary accounts opened by a professional, with the person present (R4, R5, R13), and the
search for an existing one.

The service assigns the identifier, `prenom.nom.jj/mm/aaaa` as on the service this product is
modelled on: accents, case and punctuation go, so "Élise Le Bihan" born on 12 May 1990 is
`elise.le-bihan.12/05/1990`. The person types their password and their secret answer on the
professional's screen; neither is kept anywhere in clear.

One account per person (R13): the same names (once normalised) and birth date as an existing
account stop the creation, and the professional is offered to ask that account's affiliation
instead. Real homonyms exist (several people born on a 1st of January with the same common
name): the professional may then say so explicitly, which is audited, and the new identifier
takes a suffix (`-2`, `-3`…).

The search answers an exact identifier, or full names and a birth date together: never a list to
browse. Every search is audited; the pages and the API rate-limit it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient

from ..accounts.models import Account, Person
from ..accounts.recovery_code import issue_code
from ..accounts.secret_answer import enroll_answer
from ..accounts.services import create_account, normalise_identifier
from ..audit.services import record_event
from . import affiliations
from .errors import DuplicateAccount
from .models import Affiliation, Structure
from .services import Actor, staff_identifier

BENEFICIARY = "beneficiary"


@dataclass(frozen=True)
class NewBeneficiary:
    first_name: str
    last_name: str
    birth_date: date
    password: str = field(repr=False)
    secret_question: str
    secret_answer: str = field(repr=False)


@dataclass(frozen=True)
class Created:
    account: Account
    affiliation: Affiliation | None
    recovery_code: str = field(repr=False)  # shown once on the printable page, never kept


def name_key(first_name: str, last_name: str) -> str:
    """"Élise  LE-BIHAN" → "elise le bihan": what two spellings of one name have in common."""
    def part(text: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
        return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())

    return f"{part(first_name)} {part(last_name)}".strip()


def identifier_for(first_name: str, last_name: str, birth_date: date) -> str:
    return f"{staff_identifier(first_name, last_name)}.{birth_date:%d/%m/%Y}"


def same_person(db: Session, first_name: str, last_name: str, birth_date: date) -> list[Account]:
    """The active beneficiary accounts with these names and birth date (R13)."""
    return list(db.scalars(
        select(Account).join(Person, Person.account_id == Account.id)
        .where(Person.name_key == name_key(first_name, last_name), Person.birth_date == birth_date,
               Account.role == BENEFICIARY, Account.status == "active")
        .order_by(Account.created_at)))


def create(db: Session, keys: KeyServiceClient, actor: Actor, structure: Structure, new: NewBeneficiary,
           now: datetime, *, affiliate: bool, homonym: bool = False) -> Created:
    """Open the account; affiliate it at once when the person wishes (their keys are at hand).
    Raises DuplicateAccount, or WeakPassword from `create_account`."""
    existing = same_person(db, new.first_name, new.last_name, new.birth_date)
    if existing and not homonym:
        record_event(db, "beneficiary.duplicate_caught", actor_id=actor.id, structure_id=structure.id,
                     details={"existing": [account.id for account in existing]})
        raise DuplicateAccount([account.id for account in existing])
    person = Person(first_name=new.first_name.strip(), last_name=new.last_name.strip(), birth_date=new.birth_date,
                    name_key=name_key(new.first_name, new.last_name))
    unlocked = create_account(db, keys, identifier=_free_identifier(db, identifier_for(
        new.first_name, new.last_name, new.birth_date)), role=BENEFICIARY, password=new.password, person=person,
        actor_id=actor.id)
    enroll_answer(db, keys, unlocked, new.secret_question, new.secret_answer, actor_id=actor.id)
    recovery_code = issue_code(db, keys, unlocked, actor_id=actor.id)
    record_event(db, "beneficiary.created", actor_id=actor.id, subject_id=unlocked.account.id,
                 structure_id=structure.id, details={"homonym": bool(existing)})
    affiliation = None
    if affiliate:
        owner = Actor(unlocked.account.id, unlocked.account.identity_version, unlocked.identity)
        affiliation = affiliations.affiliate_at_creation(db, keys, structure, owner, actor.id, now)
    return Created(unlocked.account, affiliation, recovery_code)


def search(db: Session, actor_id: str, structure: Structure, *, identifier: str | None = None,
           first_name: str | None = None, last_name: str | None = None,
           birth_date: date | None = None) -> list[Account]:
    """An exact identifier, or both names and the birth date: never a partial match."""
    if identifier:
        found = db.scalars(select(Account).where(Account.identifier == normalise_identifier(identifier),
                                                 Account.role == BENEFICIARY, Account.status == "active"))
        results, by = list(found), "identifier"
    elif first_name and last_name and birth_date:
        results, by = same_person(db, first_name, last_name, birth_date), "name_and_birth_date"
    else:
        raise ValueError("an identifier, or first name, last name and birth date")
    record_event(db, "beneficiary.searched", actor_id=actor_id, structure_id=structure.id,
                 details={"by": by, "found": [account.id for account in results]})
    return results


def _free_identifier(db: Session, base: str) -> str:
    candidate, number = base, 1
    while db.scalar(select(Account.id).where(Account.identifier == candidate)) is not None:
        number += 1
        candidate = f"{base}-{number}"
    return candidate
