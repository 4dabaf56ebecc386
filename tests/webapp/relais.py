"""Test helpers: Relais made through the structures services (no pages), staff unlocked in memory,
and affiliations made active by a direct grant, as the affiliation workflow does. In an app context."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from webapp.accounts import services as accounts
from webapp.accounts.models import Person
from webapp.database import db
from webapp.structures.models import Affiliation, Structure, StructureApplication
from webapp.structures.services import Actor, Structures
from webapp.vault.keyring import Keyring
from webapp.vault.sharing import SharedPart

from .conftest import PASSWORD, Made


def unlock(app, identifier: str, password: str = PASSWORD) -> Actor:
    unlocked = accounts.authenticate(db(), app.extensions["keys"], identifier, password)
    return Actor(unlocked.account.id, unlocked.account.identity_version, unlocked.identity)


def make_structure(app, name: str) -> tuple[Structure, Made]:
    """An approved Relais and its manager, whose password is PASSWORD and terms accepted."""
    keys = app.extensions["keys"]
    admin = accounts.create_account(db(), keys, identifier=f"admin.{secrets.token_hex(3)}", role="admin",
                                    password=PASSWORD)
    application = StructureApplication(
        name=name, kind="association", address="1 rue de la Paix, 75002 Paris", siret="73282932000074",
        referent_first_name="Élise", referent_last_name=f"Gerante{secrets.token_hex(2)}", referent_position="Directrice",
        referent_email="elise@example.org", referent_phone="0123456789", review_version=1, sealer_verify_key=bytes(32))
    db().add(application)
    db().flush()
    structure, manager = Structures(db(), keys, Actor(admin.account.id, 1, admin.identity)).approve(application.id)
    db().commit()
    unlocked = accounts.authenticate(db(), keys, manager.account.identifier, manager.password)
    accounts.change_password(db(), keys, unlocked, PASSWORD)
    accounts.accept_terms(db(), unlocked.account, accounts.current_terms(db()).version)
    db().commit()
    return structure, Made(manager.account.identifier, PASSWORD, manager.account.id)


def fresh(structure: Structure) -> Structure:
    """The structure as the current session holds it: `make_account` ends the session objects were loaded in."""
    return db().get(Structure, structure.id)


def add_member(app, structure: Structure, manager: Made, member: Made) -> None:
    structure = fresh(structure)
    Structures(db(), app.extensions["keys"], unlock(app, manager.identifier)).add_existing(structure, member.identifier)
    db().commit()


def remove_member(app, structure: Structure, manager: Made, member_id: str) -> None:
    structure = fresh(structure)
    Structures(db(), app.extensions["keys"], unlock(app, manager.identifier)).remove_member(structure, member_id)
    db().commit()


def affiliate(app, beneficiary: Made, structure: Structure, *, contributions: bool = False) -> Affiliation:
    """An active affiliation, granted from the beneficiary's keys."""
    affiliation = db().get(Affiliation, (beneficiary.id, structure.id)) or Affiliation(
        beneficiary_id=beneficiary.id, structure_id=structure.id)
    affiliation.status, affiliation.consents_to_contributions = "active", contributions
    affiliation.ended_at = None
    db().add(affiliation)
    db().flush()
    owner_shared_part(app, beneficiary).grant(structure.id)
    db().commit()
    return affiliation


def end_affiliation(app, beneficiary: Made, structure: Structure) -> None:
    affiliation = db().get(Affiliation, (beneficiary.id, structure.id))
    affiliation.status = "ended"
    owner_shared_part(app, beneficiary).revoke(structure.id)
    db().commit()


def owner_shared_part(app, beneficiary: Made) -> SharedPart:
    keys = app.extensions["keys"]
    owner = unlock(app, beneficiary.identifier, beneficiary.password)
    return SharedPart.for_owner(db(), keys, Keyring(db(), keys), owner.id, owner.version, owner.identity)
