"""The journeys' accounts, made before the server starts as a professional will make them (issue 6).

Amina's first visit is the main journey. Karim has already accepted the terms (the inactivity journey
starts straight in his vault) and keeps a private note that Amina's search must never find.
The platform administrator of the structures journey exists already, has accepted the terms and has
opened the console once (so the review key that seals the structures' supporting documents exists).
The life-cycle journey has its Relais de la Gare already approved, with its manager Hélène and its
professional Bruno (both past their first login), and three beneficiaries: Lucie (a confirmed phone,
a secret answer and a private note) forgets her password; Marc (affiliated, a private note and a
shared PDF) has lost everything and is reset with Bruno; Nora (affiliated, a shared note) deletes her
account.
Run as `python -m tests.e2e.seed` with INSTANCE_DIR set: the same instance the server then serves.
"""
from __future__ import annotations

PASSWORD = "le soleil se lève sur la colline"
BENEFICIARY = "amina.diallo.12/05/1990"
OTHER_BENEFICIARY = "karim.benali.03/02/1985"
OTHER_PRIVATE_WORD = "Tamanrasset"
ADMIN = "admin.plateforme"
GARE = "Relais de la Gare"
GARE_MANAGER = "helene.faure"
GARE_PROFESSIONAL = "bruno.lemaire"
FORGETFUL = "lucie.martin.21/09/1979"  # forgets her password, then uses her recovery code
FORGETFUL_ANSWER = "Brest"
FORGETFUL_PHONE = "+33612345680"
FORGETFUL_NOTE = "Code de la consigne"
STRANDED = "marc.petit.02/11/1970"  # has neither password, nor answer, nor code: reset with Bruno
STRANDED_PRIVATE = "Adresse de ma fille"
STRANDED_SHARED = "attestation CAF"
SHARED_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(256)) * 8
LEAVING = "nora.said.30/06/1995"  # deletes her account
LEAVING_SHARED = "Rendez-vous à la préfecture"


def main() -> None:
    from webapp import create_app
    from webapp.accounts import services
    from webapp.accounts.models import Person
    from webapp.cli import ensure_terms
    from webapp.database import db
    from webapp.migrations import upgrade
    from webapp.structures.review_keys import ReviewKeys
    from webapp.vault.services import Vault

    app = create_app()
    upgrade(app.config["SETTINGS"].database_url)
    keys = app.extensions["keys"]
    with app.app_context():
        ensure_terms()
        services.create_account(db(), keys, identifier=BENEFICIARY, role="beneficiary", password=PASSWORD,
                                person=Person(first_name="Amina", last_name="Diallo"))
        other = services.create_account(db(), keys, identifier=OTHER_BENEFICIARY, role="beneficiary", password=PASSWORD,
                                        person=Person(first_name="Karim", last_name="Benali"))
        services.accept_terms(db(), other.account, services.current_terms(db()).version)
        vault = Vault(db(), keys, other.account.id, other.account.identity_version, other.identity)
        vault.create_record_item("note", {"title": "Mon cousin", "text": f"Il habite à {OTHER_PRIVATE_WORD}."})
        admin = services.create_account(db(), keys, identifier=ADMIN, role="admin", password=PASSWORD,
                                        person=Person(first_name="Nadia", last_name="Admin"))
        services.accept_terms(db(), admin.account, services.current_terms(db()).version)
        ReviewKeys(db(), keys).share_with_administrators(admin.account.id, admin.account.identity_version, admin.identity)
        db().commit()
        life_cycle(app, keys, admin)


def life_cycle(app, keys, admin) -> None:
    """The life-cycle journey's Relais, staff and beneficiaries, made by the services the pages use."""
    from datetime import datetime, timezone

    from webapp.accounts.models import Person
    from webapp.accounts.secret_answer import enroll_answer
    from webapp.database import db
    from webapp.structures.affiliations import affiliate_at_creation
    from webapp.structures.models import StructureApplication
    from webapp.structures.services import Actor, Structures

    application = StructureApplication(
        name=GARE, kind="association", address="3 place de la Gare, 69007 Lyon", siret="44306184100047",
        referent_first_name="Hélène", referent_last_name="Faure", referent_position="Directrice",
        referent_email="direction@example.org", referent_phone="0478000000", review_version=1,
        sealer_verify_key=bytes(32))
    db().add(application)
    db().flush()
    structure, manager = Structures(db(), keys, Actor(admin.account.id, admin.account.identity_version, admin.identity)
                                    ).approve(application.id)
    db().commit()
    manager_actor = own_password(keys, manager)
    professional = Structures(db(), keys, manager_actor).create_professional(
        structure, Person(first_name="Bruno", last_name="Lemaire"))
    db().commit()
    assert (manager.account.identifier, professional.account.identifier) == (GARE_MANAGER, GARE_PROFESSIONAL)
    professional_actor = own_password(keys, professional)

    lucie = beneficiary(keys, FORGETFUL, Person(first_name="Lucie", last_name="Martin", phone=FORGETFUL_PHONE))
    enroll_answer(db(), keys, lucie, "Dans quelle ville êtes-vous né ou née ?", FORGETFUL_ANSWER)
    vault_of(keys, lucie).create_record_item("note", {"title": FORGETFUL_NOTE, "text": "1234"})
    for identifier, person in ((STRANDED, Person(first_name="Marc", last_name="Petit")),
                               (LEAVING, Person(first_name="Nora", last_name="Saïd"))):
        unlocked = beneficiary(keys, identifier, person)
        affiliate_at_creation(db(), keys, structure, Actor(unlocked.account.id, unlocked.account.identity_version,
                                                           unlocked.identity),
                              professional_actor.id, datetime.now(timezone.utc))
        db().commit()
        vault = vault_of(keys, unlocked)
        if identifier == STRANDED:
            vault.create_record_item("note", {"title": STRANDED_PRIVATE, "text": "12 rue Jean Jaurès"})
            vault.create_document({"title": STRANDED_SHARED, "file_name": f"{STRANDED_SHARED}.pdf",
                                   "mime": "application/pdf"}, app.extensions["blobs"], [SHARED_PDF], shared=True)
        else:
            vault.create_record_item("note", {"title": LEAVING_SHARED, "text": "Mardi 9 h."}, shared=True)
    db().commit()


def own_password(keys, made):
    """A staff account past its first login: its own password chosen, the terms accepted."""
    from webapp.accounts import services
    from webapp.database import db
    from webapp.structures.services import Actor

    unlocked = services.authenticate(db(), keys, made.account.identifier, made.password)
    services.change_password(db(), keys, unlocked, PASSWORD)
    services.accept_terms(db(), unlocked.account, services.current_terms(db()).version)
    db().commit()
    return Actor(unlocked.account.id, unlocked.account.identity_version, unlocked.identity)


def beneficiary(keys, identifier: str, person):
    from webapp.accounts import services
    from webapp.database import db

    unlocked = services.create_account(db(), keys, identifier=identifier, role="beneficiary", password=PASSWORD,
                                       person=person)
    services.accept_terms(db(), unlocked.account, services.current_terms(db()).version)
    return unlocked


def vault_of(keys, unlocked):
    from webapp.database import db
    from webapp.vault.services import Vault

    return Vault(db(), keys, unlocked.account.id, unlocked.account.identity_version, unlocked.identity)


if __name__ == "__main__":
    main()
