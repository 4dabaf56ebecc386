"""A beneficiary's first visit, in a real browser at phone width: log in, accept the terms, add a note,
a contact and a PDF, share and unshare, download and compare, trash and restore, log out. Every
main page is checked with axe-core (no serious or critical violation) and photographed at phone
and desktop widths into docs/screenshots/."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import PASSWORD

# `make e2e` keeps the pictures in docs/screenshots; other runs leave the work tree alone.
SCREENSHOTS = (Path(__file__).resolve().parents[2] / "docs" / "screenshots" if os.environ.get("SAVE_SCREENSHOTS")
               else Path(tempfile.gettempdir()) / "cloud-solidaire-screenshots")
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + os.urandom(2000)


def check_page(page, name: str) -> None:
    results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert serious == [], f"{name}: {serious}"
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(PHONE)


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", base_url=server, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def test_first_visit(page, beneficiary, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/")
    check_page(page, "login")
    page.get_by_label("Identifiant").fill(beneficiary)
    page.get_by_label("Mot de passe").fill("pas le bon")
    page.get_by_role("button", name="Se connecter").click()
    assert page.get_by_text("Identifiant ou mot de passe incorrect.").is_visible()
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    check_page(page, "terms")
    page.get_by_label("J'accepte les conditions générales du service").check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("link", name="Ouvrir mon coffre").click()
    check_page(page, "vault-empty")

    page.get_by_role("link", name="Ajouter une note").click()
    check_page(page, "note-new")
    page.get_by_label("Titre").fill("Papiers pour la CAF")
    page.get_by_label("Texte").fill("Apporter le RIB et l'avis d'imposition.")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Privé").first.is_visible()
    check_page(page, "note")

    page.goto("/coffre/nouveau/contact")
    page.get_by_label("Nom").fill("Mme Martin, assistante sociale")
    page.get_by_label("Téléphone").fill("01 23 45 67 89")
    page.get_by_label("Moi et mes Relais (partagé)").check()
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Partagé").first.is_visible()
    page.get_by_role("button", name="Rendre privé").click()
    assert page.get_by_text("Rendu privé").is_visible()

    pdf_path = tmp_path / "avis d'imposition.pdf"
    pdf_path.write_bytes(PDF)
    page.goto("/coffre/ajouter-document")
    check_page(page, "upload")
    page.get_by_label("Ou choisir des fichiers").set_input_files(str(pdf_path))
    page.get_by_role("button", name="Ajouter", exact=True).click()  # sent by upload.js, with its progress bar
    page.get_by_text("1 document ajouté.").wait_for()
    assert page.url.endswith("/coffre/")
    check_page(page, "vault")
    page.get_by_role("link", name="avis d'imposition").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger").click()
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == PDF

    page.get_by_role("button", name="Mettre à la corbeille").click()
    page.get_by_role("link", name="Corbeille").click()
    check_page(page, "trash")
    page.get_by_role("button", name="Récupérer").click()
    assert page.get_by_role("heading", name="avis d'imposition").is_visible()

    page.get_by_role("button", name="Se déconnecter").click()
    assert page.get_by_text("Vous êtes déconnecté").is_visible()
    page.goto("/coffre/")
    assert "/connexion" in page.url


def test_inactivity_logout_without_javascript(browser, server, beneficiary):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", base_url=server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/connexion")
    page.get_by_label("Identifiant").fill(beneficiary)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    refresh = page.locator("noscript").first.inner_html()
    assert 'http-equiv="refresh"' in refresh and "1200;url=/session-expiree" in refresh
    context.close()
