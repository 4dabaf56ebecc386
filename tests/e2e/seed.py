"""The journeys' accounts, made before the server starts as a professional will make them (issue 6).

Amina's first visit is the main journey. Karim has already accepted the terms (the inactivity journey
starts straight in his vault) and keeps a private note that Amina's search must never find.
The platform administrator of the structures journey exists already, has accepted the terms and has
opened the console once (so the review key that seals the structures' supporting documents exists).
Run as `python -m tests.e2e.seed` with INSTANCE_DIR set: the same instance the server then serves.
"""
from __future__ import annotations

PASSWORD = "le soleil se lève sur la colline"
BENEFICIARY = "amina.diallo.12/05/1990"
OTHER_BENEFICIARY = "karim.benali.03/02/1985"
OTHER_PRIVATE_WORD = "Tamanrasset"
RECOVERING = "sami.roux.14/07/1988"  # forgets his password in the recovery journey
RECOVERING_ANSWER = "couscous"
RECOVERING_PHONE = "+33612345679"
ADMIN = "admin.plateforme"


def main() -> None:
    from webapp import create_app
    from webapp.accounts import services
    from webapp.accounts.secret_answer import enroll_answer
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
        sami = services.create_account(db(), keys, identifier=RECOVERING, role="beneficiary", password=PASSWORD,
                                       person=Person(first_name="Sami", last_name="Roux", phone=RECOVERING_PHONE))
        services.accept_terms(db(), sami.account, services.current_terms(db()).version)
        enroll_answer(db(), keys, sami, "Quel est votre plat préféré ?", RECOVERING_ANSWER)
        db().commit()


if __name__ == "__main__":
    main()
