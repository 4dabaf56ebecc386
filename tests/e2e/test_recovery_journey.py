"""The recovery journey, in a real browser (issue 7): Sami asks for a new recovery code in "Mon
compte" and sees it printed with its QR code; having forgotten his password, he gets back in with
that code from "Mot de passe oublié" (a new code is shown at once), then by his secret answer once
the SMS code sent to his phone is typed back. Every page is checked with axe-core."""
from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from .seed import PASSWORD, RECOVERING, RECOVERING_ANSWER
from .test_journey import check_page, flash, page  # noqa: F401  (fixture)
from .test_structures_journey import check_accessibility

BY_CODE = "la marée monte sur la digue"
BY_ANSWER = "le vent souffle fort sur la lande"
CODE_SHAPE = re.compile(r"([0-9A-Z]{4}-){4}[0-9A-Z]{4}")


def log_in(page, password: str) -> None:
    page.goto("/connexion")
    page.get_by_label("Identifiant").fill(RECOVERING)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Bonjour")).to_be_visible()


def printed_code(page) -> str:
    code = "-".join(page.locator(".recovery-code span").all_inner_texts())
    assert CODE_SHAPE.fullmatch(code), code
    expect(page.locator(".recovery-qr svg")).to_be_visible()
    return code


def reset_code(phone_inbox, before: int) -> str:
    """The code of the first "changer votre mot de passe" SMS after the `before` already there (a
    notice of an earlier recovery may arrive in between)."""
    for line in phone_inbox.path.read_text(encoding="utf-8").splitlines()[before:]:
        text = json.loads(line)["text"]
        if "changer votre mot de passe" in text:
            return re.search(r"\b([0-9]{6})\b", text).group(1)
    raise AssertionError("no code received")


def new_password(page, password: str) -> None:
    page.get_by_label("Nouveau mot de passe").fill(password)
    page.get_by_label("Le même mot de passe, encore une fois").fill(password)
    page.get_by_role("button", name="Changer mon mot de passe").click()
    expect(page.get_by_role("heading", name="Votre mot de passe est changé")).to_be_visible()


def forgot(page) -> None:
    page.goto("/connexion")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    page.get_by_label("Identifiant").fill(RECOVERING)
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", name="Comment retrouver votre compte ?")).to_be_visible()


def test_recovery_journey(page, phone_inbox):  # noqa: F811  (the fixture)
    log_in(page, PASSWORD)
    page.get_by_role("link", name="Mon compte").click()
    expect(page.get_by_role("heading", name="Mon compte")).to_be_visible()
    check_accessibility(page, "settings")
    page.get_by_role("link", name="Avoir un nouveau code de secours").click()
    page.get_by_label("Mot de passe actuel").fill(PASSWORD)
    page.get_by_role("button", name="Avoir un nouveau code").click()
    expect(page.get_by_role("heading", name="Votre code de secours")).to_be_visible()
    code = printed_code(page)
    check_page(page, "recovery-code")
    page.get_by_role("button", name="Se déconnecter").click()

    forgot(page)
    check_accessibility(page, "recovery-choose")
    page.get_by_role("link", name="Avec mon code de secours").click()
    expect(page.get_by_label("Identifiant")).to_have_value(RECOVERING)
    page.get_by_label("Code de secours").fill(code.lower().replace("-", " "))
    new_password(page, BY_CODE)
    expect(page.get_by_text("Votre ancien code de secours est utilisé")).to_be_visible()
    assert printed_code(page) != code
    check_accessibility(page, "recovery-done")
    log_in(page, BY_CODE)
    page.get_by_role("button", name="Se déconnecter").click()

    forgot(page)
    page.get_by_role("link", name="Avec ma réponse secrète").click()
    check_accessibility(page, "recovery-answer-start")
    before = phone_inbox.count()
    page.get_by_role("button", name="Envoyer le code par SMS").click()
    expect(flash(page, "un code vient d'y être envoyé par SMS")).to_be_visible()
    page.get_by_label("Code reçu par SMS").fill(reset_code(phone_inbox, before))
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text("Quel est votre plat préféré ?")).to_be_visible()
    expect(page.get_by_text("Il vous reste 5 essais.")).to_be_visible()
    page.get_by_label("Réponse à la question secrète").fill("des pâtes")
    page.get_by_label("Nouveau mot de passe").fill(BY_ANSWER)
    page.get_by_label("Le même mot de passe, encore une fois").fill(BY_ANSWER)
    page.get_by_role("button", name="Changer mon mot de passe").click()
    expect(page.get_by_text("Ce n'est pas la bonne réponse. Il vous reste 4 essais.")).to_be_visible()
    check_page(page, "recovery-answer")
    page.get_by_label("Réponse à la question secrète").fill(RECOVERING_ANSWER.upper())
    new_password(page, BY_ANSWER)
    log_in(page, BY_ANSWER)
