"""The life-cycle journeys, in a real browser (issue 7), on the accounts `seed.py` made: each person
has a browser of their own, every page is checked with axe-core (no serious or critical violation),
the main ones photographed at phone and desktop widths (`check_page`).

1. Lucie forgets her password: "Mot de passe oublié", her identifier, the SMS code read on her phone,
   one wrong answer (the page says how many guesses are left), the right one and a new password; she
   logs in and finds the private note she had made before. She then asks "Mon compte" for a new
   recovery code (printed with its QR code), logs out, gets back in with that code, and the used
   code is refused the next time. Her phone receives a notice for each of the two changes.
2. In the Relais de la Gare: Bruno, a professional, resets with Marc, who has neither password nor
   answer nor code; the page counts the private items that will be lost and refuses without the
   ticked box (keeping what was typed); Marc logs in with his new password: his shared PDF opens with
   the same bytes, his private note is gone. Hélène, the manager, gives Bruno a new password; Bruno
   logs in with the temporary one, chooses his own and still sees Marc's shared part. Nora deletes
   her account from "Mes données" (the export downloaded first, a wrong password refused); she can
   no longer log in, and Bruno gets 404 on her pages.

The login allows 10 tries a minute per address and every browser here, of every journey, is
127.0.0.1: these journeys log in 2 and 6 times (the refused try after the deletion included), so
that the journeys after them keep room under the limit.
"""
from __future__ import annotations

import json
import re
import time
import zipfile

from playwright.sync_api import expect

from .seed import (FORGETFUL, FORGETFUL_ANSWER, FORGETFUL_NOTE, FORGETFUL_PHONE, GARE, GARE_MANAGER,
                   GARE_PROFESSIONAL, LEAVING, LEAVING_SHARED, PASSWORD, SHARED_PDF, STRANDED, STRANDED_PRIVATE,
                   STRANDED_SHARED)
from .test_journey import SCREENSHOTS, check_page, flash
from .test_structures_journey import check_accessibility, person  # noqa: F401  (fixture)

BY_ANSWER = "les mouettes crient au-dessus du port"
BY_CODE = "un phare clignote au bout de la jetée"
RESET = "une nouvelle page commence aujourd'hui"
BRUNO_OWN = "le train de nuit arrive à l'heure"
CODE_SHAPE = re.compile(r"([0-9A-Z]{4}-){4}[0-9A-Z]{4}")


def printed_code(page) -> str:
    code = "-".join(page.locator(".recovery-code span").all_inner_texts())
    assert CODE_SHAPE.fullmatch(code), code
    expect(page.locator(".recovery-qr svg")).to_be_visible()
    return code


def new_password(page, password: str) -> None:
    page.get_by_label("Nouveau mot de passe").fill(password)
    page.get_by_label("Le même mot de passe, encore une fois").fill(password)
    page.get_by_role("button", name="Changer mon mot de passe").click()
    expect(page.get_by_role("heading", name="Votre mot de passe est changé")).to_be_visible()


def log_in(page, identifier: str, password: str) -> None:
    page.goto("/connexion")
    page.get_by_label("Identifiant").fill(identifier)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def log_out(page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté")).to_be_visible()


def sms_code(phone_inbox, phone: str, before: int) -> str:
    """The code of the first "changer votre mot de passe" SMS to `phone` after the `before` already there."""
    for line in phone_inbox.path.read_text(encoding="utf-8").splitlines()[before:]:
        message = json.loads(line)
        if message["phone"] == phone and "changer votre mot de passe" in message["text"]:
            return re.search(r"\b([0-9]{6})\b", message["text"]).group(1)
    raise AssertionError(f"no code received on {phone}")


def password_notices(phone_inbox, phone: str) -> list[str]:
    messages = [json.loads(line) for line in phone_inbox.path.read_text(encoding="utf-8").splitlines()]
    return [message["text"] for message in messages
            if message["phone"] == phone and "Cloud Solidaire a été changé" in message["text"]]


def wait_for_notices(phone_inbox, phone: str, count: int) -> list[str]:
    """Notices are queued and sent by the minute's SMS job: wait for them, at most 90 seconds."""
    deadline = time.monotonic() + 90
    while len(password_notices(phone_inbox, phone)) < count and time.monotonic() < deadline:
        time.sleep(1)
    return password_notices(phone_inbox, phone)


def forgot(page, identifier: str, check: bool = False) -> None:
    page.goto("/connexion")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    if check:
        check_page(page, "recovery-start")
    page.get_by_label("Identifiant").fill(identifier)
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", name="Comment retrouver votre compte ?")).to_be_visible()
    if check:
        check_page(page, "recovery-choose")


def test_forgotten_password(person, phone_inbox):  # noqa: F811  (the fixture)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    lucie = person()
    forgot(lucie, FORGETFUL, check=True)
    lucie.get_by_role("link", name="Avec ma réponse secrète").click()
    expect(lucie.get_by_role("button", name="Envoyer le code par SMS")).to_be_visible()
    check_accessibility(lucie, "recovery-answer-start")
    before = phone_inbox.count()
    lucie.get_by_role("button", name="Envoyer le code par SMS").click()
    expect(flash(lucie, "un code vient d'y être envoyé par SMS")).to_be_visible()
    check_page(lucie, "recovery-sms-code")
    lucie.get_by_label("Code reçu par SMS").fill(sms_code(phone_inbox, FORGETFUL_PHONE, before))
    lucie.get_by_role("button", name="Continuer").click()
    expect(lucie.get_by_text("Dans quelle ville êtes-vous né ou née ?")).to_be_visible()
    expect(lucie.get_by_text("Il vous reste 5 essais.")).to_be_visible()
    lucie.get_by_label("Réponse à la question secrète").fill("Quimper")
    lucie.get_by_label("Nouveau mot de passe").fill(BY_ANSWER)
    lucie.get_by_label("Le même mot de passe, encore une fois").fill(BY_ANSWER)
    lucie.get_by_role("button", name="Changer mon mot de passe").click()
    expect(lucie.get_by_text("Ce n'est pas la bonne réponse. Il vous reste 4 essais.")).to_be_visible()
    check_page(lucie, "recovery-wrong-answer")
    lucie.get_by_label("Réponse à la question secrète").fill(f"  {FORGETFUL_ANSWER.lower()} ")
    new_password(lucie, BY_ANSWER)
    check_accessibility(lucie, "recovery-answer-done")

    log_in(lucie, FORGETFUL, BY_ANSWER)
    lucie.get_by_role("link", name="Ouvrir mon coffre").click()
    lucie.get_by_role("link", name=FORGETFUL_NOTE).click()
    expect(lucie.get_by_role("heading", name=FORGETFUL_NOTE)).to_be_visible()
    expect(lucie.get_by_text("Privé").first).to_be_visible()

    lucie.get_by_role("link", name="Mon compte").click()
    check_accessibility(lucie, "settings")
    lucie.get_by_role("link", name="Avoir un nouveau code de secours").click()
    lucie.get_by_label("Mot de passe actuel").fill(BY_ANSWER)
    lucie.get_by_role("button", name="Avoir un nouveau code").click()
    expect(lucie.get_by_role("heading", name="Votre code de secours")).to_be_visible()
    check_page(lucie, "recovery-code")
    code = printed_code(lucie)
    log_out(lucie)

    forgot(lucie, FORGETFUL)
    lucie.get_by_role("link", name="Avec mon code de secours").click()
    check_page(lucie, "recovery-by-code")
    lucie.get_by_label("Code de secours").fill(code)
    new_password(lucie, BY_CODE)
    assert printed_code(lucie) != code
    check_page(lucie, "recovery-by-code-done")
    log_in(lucie, FORGETFUL, BY_CODE)
    expect(lucie.get_by_role("heading", name="Bonjour")).to_be_visible()
    log_out(lucie)

    forgot(lucie, FORGETFUL)
    lucie.get_by_role("link", name="Avec mon code de secours").click()
    lucie.get_by_label("Code de secours").fill(code)
    lucie.get_by_label("Nouveau mot de passe").fill(BY_ANSWER)
    lucie.get_by_label("Le même mot de passe, encore une fois").fill(BY_ANSWER)
    lucie.get_by_role("button", name="Changer mon mot de passe").click()
    expect(lucie.get_by_text("Cet identifiant et ce code de secours ne vont pas ensemble.")).to_be_visible()
    expect(lucie.get_by_label("Code de secours")).to_have_value(code)
    check_accessibility(lucie, "recovery-code-refused")

    notices = wait_for_notices(phone_inbox, FORGETFUL_PHONE, 2)
    assert len(notices) == 2, notices
    assert not any(re.search(r"[0-9]{6}|[0-9A-Z]{4}-", notice) for notice in notices), notices


def test_relais_life_cycle(person, tmp_path):  # noqa: F811  (the fixture)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    bruno = person()
    log_in(bruno, GARE_PROFESSIONAL, PASSWORD)
    nora_pages = shared_part_of(bruno, "Nora Saïd", LEAVING_SHARED)
    reset_with_professional(bruno)

    marc = person()
    log_in(marc, STRANDED, RESET)
    expect(marc.get_by_role("heading", name="Bonjour")).to_be_visible()
    marc.get_by_role("link", name="Ouvrir mon coffre").click()
    main = marc.get_by_role("main")
    expect(main.get_by_role("link", name=STRANDED_SHARED)).to_be_visible()
    expect(main).not_to_contain_text(STRANDED_PRIVATE)
    check_accessibility(marc, "reset-vault")
    main.get_by_role("link", name=STRANDED_SHARED).click()
    downloaded = marc.request.get(marc.get_by_role("link", name="Télécharger").get_attribute("href"))
    assert downloaded.status == 200 and downloaded.body() == SHARED_PDF

    staff_reset(person(), bruno)

    delete_account(person(), tmp_path)
    for url in nora_pages:
        assert bruno.request.get(url).status == 404, url
    bruno.goto("/relais/")
    bruno.get_by_role("link", name="Ce que les personnes partagent").click()
    expect(bruno.get_by_role("main")).not_to_contain_text("Nora")


def shared_part_of(page, name: str, title: str) -> list[str]:
    """The professional opens the person's shared part and one item; returns both addresses."""
    page.goto("/relais/")
    page.get_by_role("link", name="Ce que les personnes partagent").click()
    page.get_by_role("link", name=re.compile(name)).click()
    expect(page.get_by_role("heading", name=f"Partage de {name}")).to_be_visible()
    shared = page.url
    page.get_by_role("main").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    return [shared, page.url]


def reset_with_professional(page) -> None:
    """Bruno, with Marc present, finds him by his identifier: "Mot de passe perdu", then the reset."""
    page.goto("/relais/")
    page.get_by_role("link", name="Chercher une personne").click()
    page.get_by_label("Identifiant").fill(STRANDED)
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("link", name="Voir le rattachement").click()
    page.get_by_role("link", name="Mot de passe perdu").click()
    expect(page.get_by_role("heading", name="Mot de passe perdu")).to_be_visible()
    expect(page.get_by_text("Ce compte n'a pas de question secrète.")).to_be_visible()
    check_page(page, "reset-options")
    page.get_by_role("link", name="Remettre le compte à zéro").click()
    expect(page.get_by_role("heading", name="Remettre le compte à zéro")).to_be_visible()
    lost = page.get_by_role("region", name="Ce qui sera perdu pour toujours")
    expect(lost).to_contain_text("effacé")
    expect(lost.get_by_role("listitem")).to_have_text(["1 note privée"])
    check_page(page, "reset-confirm")

    page.get_by_label("Nouveau mot de passe, choisi par la personne").fill(RESET)
    page.get_by_label("Le même mot de passe, encore une fois").fill(RESET)
    page.get_by_label("Nouvelle question secrète").fill("Le prénom de ma fille ?")
    page.get_by_label("Réponse secrète, écrite par la personne").fill("Inès")
    page.get_by_role("button", name="Effacer la partie privée et remettre le compte à zéro").click()
    expect(page.get_by_text("Cochez la case pour dire que vous avez compris.")).to_be_visible()
    expect(page.get_by_label("Nouvelle question secrète")).to_have_value("Le prénom de ma fille ?")
    check_page(page, "reset-refused")
    # Passwords are never sent back to the page: the person types them again.
    page.get_by_label("Nouveau mot de passe, choisi par la personne").fill(RESET)
    page.get_by_label("Le même mot de passe, encore une fois").fill(RESET)
    page.get_by_label("Réponse secrète, écrite par la personne").fill("Inès")
    page.get_by_label(re.compile("J'ai compris")).check()
    page.get_by_role("button", name="Effacer la partie privée et remettre le compte à zéro").click()
    expect(page.get_by_role("heading", name="Compte remis à zéro")).to_be_visible()
    expect(page.get_by_text("1 élément privé a été effacé.")).to_be_visible()
    expect(page.get_by_text("1 élément partagé est gardé.")).to_be_visible()
    check_page(page, "reset-done")


def staff_reset(manager, professional) -> None:
    """Hélène gives Bruno a temporary password; his open session ends; he logs in with it, chooses his
    own, and still sees what Marc shares."""
    log_in(manager, GARE_MANAGER, PASSWORD)
    manager.get_by_role("link", name="Mon Relais").click()
    expect(manager.get_by_role("heading", name=GARE)).to_be_visible()
    manager.get_by_role("main").get_by_role("listitem").filter(has_text=GARE_PROFESSIONAL).get_by_role(
        "link", name="Nouveau mot de passe").click()
    expect(manager.get_by_role("heading", name="Donner un nouveau mot de passe à Bruno Lemaire ?")).to_be_visible()
    expect(manager.get_by_role("main")).to_contain_text("Bruno Lemaire ne perd rien")
    check_page(manager, "staff-reset-confirm")
    manager.get_by_role("button", name="Oui, donner un nouveau mot de passe").click()
    expect(manager.get_by_role("heading", name="Nouveau mot de passe")).to_be_visible()
    details = manager.get_by_role("main").locator("dd code")
    assert details.nth(0).inner_text() == GARE_PROFESSIONAL
    temporary = details.nth(1).inner_text()
    assert len(temporary) >= 10 and temporary != PASSWORD
    check_page(manager, "staff-reset-password")

    professional.goto("/relais/")
    expect(professional).to_have_url(re.compile(r"/connexion"))
    log_in(professional, GARE_PROFESSIONAL, temporary)
    expect(professional.get_by_role("heading", name="Changer de mot de passe")).to_be_visible()
    check_accessibility(professional, "staff-reset-forced")
    professional.get_by_label("Nouveau mot de passe").fill(BRUNO_OWN)
    professional.get_by_label("Le même mot de passe, encore une fois").fill(BRUNO_OWN)
    professional.get_by_role("button", name="Enregistrer").click()
    expect(flash(professional, "Votre mot de passe est changé.")).to_be_visible()
    shared_part_of(professional, "Marc Petit", STRANDED_SHARED)
    downloaded = professional.request.get(professional.get_by_role("link", name="Télécharger").get_attribute("href"))
    assert downloaded.status == 200 and downloaded.body() == SHARED_PDF
    check_accessibility(professional, "staff-reset-shared")


def delete_account(nora, tmp_path) -> None:
    log_in(nora, LEAVING, PASSWORD)
    nora.get_by_role("link", name="Mes données").click()
    nora.get_by_role("main").get_by_role("link", name="Supprimer mon compte").click()
    expect(nora.get_by_role("heading", name="Supprimer mon compte", exact=True)).to_be_visible()
    losses = nora.get_by_role("region", name="Ce qui va disparaître")
    expect(losses).to_contain_text("1 note")
    expect(losses).to_contain_text(f"{GARE} ne verra plus vos documents partagés")
    expect(losses).to_contain_text("vous ne pourrez plus vous connecter")
    check_page(nora, "account-delete")

    with nora.expect_download() as download:
        nora.get_by_role("link", name="Télécharger toutes mes données").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert zipfile.is_zipfile(path)
    with zipfile.ZipFile(path) as archive:
        assert LEAVING_SHARED in archive.read(f"notes/{LEAVING_SHARED}.txt").decode()

    nora.get_by_label("Votre mot de passe").fill("pas le bon mot de passe")
    nora.get_by_label(re.compile("Je comprends que mon compte")).check()
    nora.get_by_role("button", name="Supprimer mon compte pour toujours").click()
    expect(nora.get_by_text("Ce n'est pas votre mot de passe.")).to_be_visible()
    check_page(nora, "account-delete-refused")
    expect(nora.get_by_label(re.compile("Je comprends que mon compte"))).to_be_checked()
    nora.get_by_label("Votre mot de passe").fill(PASSWORD)
    nora.get_by_role("button", name="Supprimer mon compte pour toujours").click()
    expect(nora.get_by_role("heading", name="Votre compte a été supprimé")).to_be_visible()
    check_page(nora, "account-deleted")

    log_in(nora, LEAVING, PASSWORD)
    expect(nora.get_by_text("Identifiant ou mot de passe incorrect.")).to_be_visible()
