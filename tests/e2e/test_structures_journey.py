"""The structures journey, in a real browser (issue 6): a structure applies through the public form
with its supporting document; the platform administrator approves it and reads the manager's
generated password once; the manager changes it, creates a professional; the professional opens a
beneficiary account with the person present, affiliated at creation; the person adds a private and
a shared note and a shared PDF, and confirms a phone number; the professional sees only the shared
items and downloads the PDF; a second
structure, approved the same way, joins by an SMS code the person reads on their phone; the person
ends the first affiliation in "Mes Relais", and that structure no longer sees them; a manager
removes the professional. Along the way the professional reports the shared document with a copy
attached, the administrator reads it and dismisses the report, and the person writes to support
and reads the answer. Each person has a browser of their own. Every page is checked with
axe-core; the main ones are photographed at phone and desktop widths (`check_page`)."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .seed import PASSWORD
from .test_journey import PDF, PHONE, SCREENSHOTS, check_page, flash, log_in

PRIVATE_TITLE = "Lettre de mon avocat"
SHARED_TITLE = "Dossier logement"
SHARED_DOCUMENT = "attestation d'hébergement"
MOBILE = "06 12 34 56 78"


@dataclass(frozen=True)
class Relais:
    name: str
    siret: str
    referent_first_name: str
    referent_last_name: str


SOLEIL = Relais("Accueil du Soleil", "73282932000074", "Élise", "Marchand")
PORT = Relais("CCAS du Port", "44306184100047", "Jules", "Perrin")


def check_accessibility(page, name: str) -> None:
    """axe-core on a page that is not photographed: no serious or critical violation."""
    results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert serious == [], f"{name}: {serious}"


@pytest.fixture
def person(browser, server):
    """A browser of their own for each person of the journey: their sessions live side by side."""
    contexts = []

    def open_browser():
        context = browser.new_context(viewport=PHONE, locale="fr-FR", base_url=server)
        contexts.append(context)
        return context.new_page()

    yield open_browser
    for context in contexts:
        context.close()


def test_structures_journey(person, admin, phone_inbox, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    statutes = tmp_path / "statuts de l'association.pdf"
    statutes.write_bytes(PDF)

    applicant = person()
    apply(applicant, SOLEIL, statutes, first=True)
    administrator = person()
    administrator.goto("/connexion")
    log_in(administrator, admin)
    manager_identifier, manager_password = approve(administrator, SOLEIL, first=True)

    manager = person()
    first_login(manager, manager_identifier, manager_password, check=True)
    manager.get_by_role("link", name="Mon Relais").click()
    expect(manager.get_by_role("heading", name=SOLEIL.name)).to_be_visible()
    check_page(manager, "relais-manager")
    professional_identifier, professional_password = create_professional(manager)

    professional = person()
    first_login(professional, professional_identifier, professional_password)
    professional.get_by_role("link", name="Mon Relais").click()
    beneficiary_identifier = create_beneficiary(professional)

    beneficiary = person()
    beneficiary.goto("/connexion")
    beneficiary_first_visit(beneficiary, beneficiary_identifier, phone_inbox, statutes.with_name(f"{SHARED_DOCUMENT}.pdf"))

    see_only_the_shared_items(professional, "Leïla Haddad", check=True)
    report_the_shared_document(professional)
    handle_the_report(administrator)
    ask_support_and_get_an_answer(beneficiary, administrator)

    # A second structure, approved the same way; its manager asks to accompany the person.
    apply(applicant, PORT, statutes)
    port_identifier, port_password = approve(administrator, PORT)
    port_manager = person()
    first_login(port_manager, port_identifier, port_password)
    join_by_sms_code(port_manager, beneficiary_identifier, phone_inbox)

    # The grant needs the person's keys: it completes at their next login.
    beneficiary.get_by_role("button", name="Se déconnecter").click()
    log_in(beneficiary, beneficiary_identifier)
    beneficiary.get_by_role("link", name="Mes Relais").click()
    mine = beneficiary.get_by_role("main")
    expect(mine.get_by_role("listitem").filter(has_text=PORT.name)).to_contain_text("Ce Relais vous accompagne")
    check_page(beneficiary, "mes-relais")
    see_only_the_shared_items(port_manager, "Leïla Haddad")

    end_affiliation(beneficiary, SOLEIL)
    no_longer_seen(professional, beneficiary_identifier)
    remove_professional(manager, professional, professional_identifier)


def apply(page, relais: Relais, document, first: bool = False) -> None:
    page.goto("/connexion")
    page.get_by_role("link", name="Devenir Relais").click()
    expect(page.get_by_role("heading", name="Devenir Relais de Cloud Solidaire")).to_be_visible()
    if first:
        check_page(page, "structure-apply")
    page.get_by_label("Nom de la structure", exact=True).fill(relais.name)
    page.get_by_label("Type de structure", exact=True).select_option(label="Association")
    page.get_by_label("Adresse", exact=True).fill("12 rue des Lilas, 13002 Marseille")
    page.get_by_label("Numéro SIRET (14 chiffres)", exact=True).fill(relais.siret)
    page.get_by_label("Prénom du référent", exact=True).fill(relais.referent_first_name)
    page.get_by_label("Nom du référent", exact=True).fill(relais.referent_last_name)
    page.get_by_label("Fonction du référent", exact=True).fill("Directrice")
    page.get_by_label("Adresse e-mail professionnelle", exact=True).fill("direction@example.org")
    page.get_by_label("Téléphone professionnel", exact=True).fill("04 91 00 00 00")
    page.get_by_label("Statuts, avis de situation SIRET").set_input_files(str(document))
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("heading", name="Votre demande est envoyée")).to_be_visible()
    if first:
        check_accessibility(page, "structure-applied")


def approve(page, relais: Relais, first: bool = False) -> tuple[str, str]:
    """The administrator opens the application, its document, accepts it; returns the manager's
    identifier and the password shown this once."""
    page.goto("/")
    page.get_by_role("link", name="Relais et candidatures").click()
    pending = page.get_by_role("main").get_by_role("link", name=relais.name)
    expect(pending).to_be_visible()
    if first:
        check_page(page, "admin-structures")
    pending.click()
    document = page.get_by_role("link", name="statuts de l'association.pdf")
    expect(document).to_be_visible()
    opened = page.request.get(document.get_attribute("href"))
    assert opened.status == 200 and opened.body() == PDF
    if first:
        check_page(page, "admin-application")
    page.get_by_role("button", name="Accepter : créer le Relais et le compte du gestionnaire").click()
    return shown_once(page, first)


def shown_once(page, check: bool) -> tuple[str, str]:
    """The identifier and the provisional password on the "Compte créé" page."""
    expect(page.get_by_role("heading", name="Compte créé")).to_be_visible()
    details = page.get_by_role("main").locator("dd code")
    identifier, password = details.nth(0).inner_text(), details.nth(1).inner_text()
    assert identifier and len(password) >= 10
    if check:
        check_accessibility(page, "account-created")
    return identifier, password


def first_login(page, identifier: str, provisional: str, check: bool = False) -> None:
    """Log in with a provisional password: accept the terms, then choose one's own password."""
    page.goto("/connexion")
    page.get_by_label("Identifiant").fill(identifier)
    page.get_by_label("Mot de passe").fill(provisional)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("J'accepte les conditions générales du service").check()
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", name="Changer de mot de passe")).to_be_visible()
    if check:
        check_page(page, "password-forced")
    page.get_by_label("Nouveau mot de passe").fill(PASSWORD)
    page.get_by_label("Le même mot de passe, encore une fois").fill(PASSWORD)
    page.get_by_role("button", name="Enregistrer").click()
    expect(flash(page, "Votre mot de passe est changé.")).to_be_visible()
    if check:
        check_accessibility(page, "staff-home")


def create_professional(page) -> tuple[str, str]:
    page.get_by_role("link", name="Créer un compte professionnel").click()
    expect(page.get_by_role("heading", name="Créer un compte professionnel")).to_be_visible()
    check_accessibility(page, "professional-new")
    page.get_by_label("Prénom").fill("Sofiane")
    page.get_by_label("Nom", exact=True).fill("Roche")
    page.get_by_role("button", name="Créer le compte").click()
    identifier, password = shown_once(page, check=False)
    page.get_by_role("link", name="Retour au Relais").click()
    expect(page.get_by_role("main").get_by_role("listitem").filter(has_text=identifier)).to_contain_text("Professionnel")
    return identifier, password


def create_beneficiary(page) -> str:
    """With the person present: they type their password and secret answer; affiliated at once."""
    page.get_by_role("link", name="Créer un compte bénéficiaire").click()
    expect(page.get_by_role("heading", name="Créer un compte bénéficiaire")).to_be_visible()
    check_page(page, "beneficiary-new")
    page.get_by_label("Prénom").fill("Leïla")
    page.get_by_label("Nom", exact=True).fill("Haddad")
    page.get_by_label("Date de naissance (JJ/MM/AAAA)").fill("07/03/1985")
    page.get_by_label("Mot de passe choisi par la personne").fill(PASSWORD)
    page.get_by_label("Le même mot de passe, encore une fois").fill(PASSWORD)
    page.get_by_label("Question secrète").fill("Dans quelle ville êtes-vous né ou née ?")
    page.get_by_label("Réponse secrète, écrite par la personne").fill("Oran")
    page.get_by_label("La personne veut être accompagnée par ce Relais").check()
    page.get_by_role("button", name="Créer le compte").click()
    expect(page.get_by_role("heading", name="Compte créé")).to_be_visible()
    identifier = page.get_by_role("main").locator("dd code").inner_text()
    assert identifier == "leila.haddad.07/03/1985"
    expect(page.get_by_text(f"La personne est rattachée à {SOLEIL.name}")).to_be_visible()
    check_accessibility(page, "beneficiary-created")
    return identifier


def beneficiary_first_visit(page, identifier: str, phone_inbox, document) -> None:
    log_in(page, identifier)
    page.get_by_label("J'accepte les conditions générales du service").check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("link", name="Ouvrir mon coffre").click()
    for title, privacy in ((PRIVATE_TITLE, "Moi seul (privé)"), (SHARED_TITLE, "Moi et mes Relais (partagé)")):
        page.get_by_role("link", name="Ajouter une note").click()
        page.get_by_label("Titre").fill(title)
        page.get_by_label("Texte").fill("Pièces à apporter mardi.")
        page.get_by_label(privacy).check()
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_role("heading", name=title)).to_be_visible()
        page.goto("/coffre/")
    document.write_bytes(PDF)
    page.get_by_role("link", name="Ajouter un document").click()
    page.get_by_label("Ou choisir des fichiers").set_input_files(str(document))
    page.get_by_label("Moi et mes Relais (partagé)").check()
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(flash(page, "1 document ajouté.")).to_be_visible()

    # A confirmed mobile number, so that a Relais can later send an affiliation code.
    page.goto("/")
    page.get_by_role("link", name="Mon téléphone").click()
    page.get_by_label("Numéro de portable").fill(MOBILE)
    received = phone_inbox.count()
    page.get_by_role("button", name="Recevoir un code par SMS").click()
    expect(flash(page, "Un code a été envoyé par SMS")).to_be_visible()
    check_page(page, "phone-code")
    page.get_by_label("Code reçu par SMS").fill(phone_inbox.code_after(received))
    page.get_by_role("button", name="Confirmer mon numéro").click()
    expect(flash(page, "votre numéro 06 12 34 56 78 est confirmé")).to_be_visible()


def see_only_the_shared_items(page, name: str, check: bool = False) -> None:
    page.get_by_role("link", name="Cloud Solidaire").click()
    page.get_by_role("link", name="Mon Relais").click()
    page.get_by_role("link", name="Ce que les personnes partagent").click()
    expect(page.get_by_role("heading", name="Personnes accompagnées")).to_be_visible()
    if check:
        check_accessibility(page, "shared-people")
    page.get_by_role("link", name=re.compile(name)).click()
    expect(page.get_by_role("heading", name=f"Partage de {name}")).to_be_visible()
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name=SHARED_TITLE)).to_be_visible()
    expect(main).not_to_contain_text(PRIVATE_TITLE)
    if check:
        check_page(page, "shared-part")
    main.get_by_role("link", name=SHARED_DOCUMENT).click()
    downloaded = page.request.get(page.get_by_role("link", name="Télécharger").get_attribute("href"))
    assert downloaded.status == 200 and downloaded.body() == PDF
    if check:
        check_accessibility(page, "shared-document")


def report_the_shared_document(page) -> None:
    """On the shared document's page (where `see_only_the_shared_items` left off)."""
    page.get_by_role("main").get_by_role("link", name="Signaler").click()
    expect(page.get_by_role("heading", name="Signaler un élément partagé")).to_be_visible()
    page.get_by_label("Pourquoi signalez-vous ?").select_option(label="Utilisation frauduleuse")
    page.get_by_label("Expliquez, si vous le voulez").fill("Ce document ne semble pas authentique.")
    page.get_by_label("Joindre l'élément pour l'équipe").check()
    check_page(page, "report-item")
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(flash(page, "Merci. Votre signalement est transmis")).to_be_visible()


def handle_the_report(page) -> None:
    """The administrator reads the attached copy (sealed to the review key) and decides."""
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Signalements").click()
    expect(page.get_by_role("heading", name="Signalements")).to_be_visible()
    check_page(page, "admin-reports")
    page.get_by_role("main").get_by_role("link", name=re.compile("Utilisation frauduleuse")).click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Ce document ne semble pas authentique.")
    expect(main).to_contain_text(SHARED_DOCUMENT)
    check_page(page, "admin-report")
    page.get_by_role("button", name="Classer sans suite").click()
    expect(flash(page, "Le signalement est classé sans suite.")).to_be_visible()
    check_accessibility(page, "admin-reports-after")


def ask_support_and_get_an_answer(person_page, admin_page) -> None:
    person_page.goto("/")
    person_page.get_by_role("main").get_by_role("link", name="Contacter l'équipe").click()
    person_page.get_by_role("button", name="Envoyer").click()
    expect(person_page.get_by_text("Écrivez votre message.")).to_be_visible()
    check_accessibility(person_page, "contact-refused")
    person_page.get_by_label("C'est pour").select_option(label="Un problème technique")
    person_page.get_by_label("Votre message").fill("La photo de mon passeport est floue.")
    check_page(person_page, "contact")
    person_page.get_by_role("button", name="Envoyer").click()
    expect(flash(person_page, "Merci. Votre message est transmis")).to_be_visible()

    admin_page.goto("/")
    admin_page.get_by_role("main").get_by_role("link", name="Messages reçus").click()
    check_accessibility(admin_page, "admin-contact")
    admin_page.get_by_role("main").get_by_role("link", name=re.compile("Un problème technique")).click()
    expect(admin_page.get_by_role("main")).to_contain_text("La photo de mon passeport est floue.")
    admin_page.get_by_label("Réponse").fill("Reprenez la photo près d'une fenêtre, sans flash.")
    admin_page.get_by_label("Clore la demande").check()
    check_accessibility(admin_page, "admin-contact-message")
    admin_page.get_by_role("button", name="Enregistrer").click()
    expect(flash(admin_page, "La demande est enregistrée.")).to_be_visible()

    person_page.goto("/contact/")
    person_page.get_by_role("link", name="Mes messages et les réponses").click()
    expect(person_page.get_by_role("main")).to_contain_text("Reprenez la photo près d'une fenêtre")
    check_accessibility(person_page, "contact-mine")


def join_by_sms_code(page, beneficiary_identifier: str, phone_inbox) -> None:
    page.get_by_role("link", name="Mon Relais").click()
    page.get_by_role("link", name="Chercher une personne").click()
    expect(page.get_by_role("heading", name="Chercher une personne")).to_be_visible()
    page.get_by_label("Identifiant").fill(beneficiary_identifier)
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_text("Cette personne n'est pas rattachée à ce Relais.")).to_be_visible()
    check_accessibility(page, "beneficiary-search")
    page.get_by_role("link", name="Voir le rattachement").click()
    page.get_by_role("button", name=f"Demander le rattachement à {PORT.name}").click()
    expect(flash(page, "La demande est faite.")).to_be_visible()
    received = phone_inbox.count()
    page.get_by_role("button", name="Envoyer un code à son portable").click()
    expect(flash(page, "Un code a été envoyé par SMS au portable de la personne.")).to_be_visible()
    check_page(page, "affiliation-code")
    page.get_by_label("Code reçu par SMS (6 chiffres)").fill(phone_inbox.code_after(received))
    page.get_by_role("button", name="Confirmer avec ce code").click()
    expect(flash(page, "Le partage sera ouvert à sa prochaine connexion").first).to_be_visible()


def end_affiliation(page, relais: Relais) -> None:
    page.get_by_role("main").get_by_role("listitem").filter(has_text=relais.name).get_by_role(
        "link", name="Arrêter avec ce Relais").click()
    expect(page.get_by_role("heading", name="Terminer le rattachement ?")).to_be_visible()
    check_accessibility(page, "affiliation-end")
    page.get_by_role("button", name="Oui, terminer").click()
    expect(flash(page, f"C'est terminé : {relais.name} ne verra plus rien")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("listitem").filter(has_text=relais.name)).to_contain_text("Terminé")


def no_longer_seen(page, beneficiary_identifier: str) -> None:
    shared_part_url = page.url
    page.goto("/relais/")
    page.get_by_role("link", name="Ce que les personnes partagent").click()
    expect(page.get_by_text("Aucune personne n'est encore rattachée à ce Relais.")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text(beneficiary_identifier)
    assert page.request.get(shared_part_url).status == 404


def remove_professional(manager, professional, professional_identifier: str) -> None:
    manager.goto("/relais/")
    member = manager.get_by_role("main").get_by_role("listitem").filter(has_text=professional_identifier)
    member.get_by_role("link", name="Retirer du Relais").click()
    expect(manager.get_by_role("heading", name="Retirer Sofiane Roche du Relais ?")).to_be_visible()
    check_accessibility(manager, "member-remove")
    manager.get_by_role("button", name="Oui, retirer du Relais").click()
    expect(flash(manager, "Cette personne ne fait plus partie du Relais.")).to_be_visible()
    expect(manager.get_by_role("main")).not_to_contain_text(professional_identifier)
    professional.goto("/relais/")
    expect(professional.get_by_text("Votre compte ne fait partie d'aucun Relais actif")).to_be_visible()
    expect(professional.locator("body")).not_to_contain_text(SOLEIL.name)
    check_accessibility(professional, "relais-none")
