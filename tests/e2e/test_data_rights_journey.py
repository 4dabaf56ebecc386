"""Mes données in a real browser (issue 7): a person adds a PDF, reads what the service holds about
them, corrects their e-mail, downloads the export and finds the PDF's exact bytes, their note and an
index.html that links every file; then opens that index.html from the disk with the network cut.
The pages pass axe-core and are photographed at phone and desktop widths."""
from __future__ import annotations

import io
import os
import zipfile

import pytest
from playwright.sync_api import expect

from .seed import PASSWORD
from .test_journey import PHONE, SCREENSHOTS, check_page, flash

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + os.urandom(5000)


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", base_url=server, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def test_my_data_and_the_export(page, browser, other_beneficiary, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/")
    page.get_by_label("Identifiant").fill(other_beneficiary)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    pdf_path = tmp_path / "quittance de loyer.pdf"
    pdf_path.write_bytes(PDF)
    page.goto("/coffre/ajouter-document")
    page.get_by_label("Ou choisir des fichiers").set_input_files([str(pdf_path)])
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(flash(page, "1 document ajouté.")).to_be_visible()

    page.goto("/")
    page.get_by_role("link", name="Mes données").click()
    expect(page.get_by_role("heading", name="Mes données", exact=True)).to_be_visible()
    expect(page.get_by_text(other_beneficiary).first).to_be_visible()
    expect(page.get_by_text("Votre journal est intact")).to_be_visible()
    check_page(page, "my-data")

    page.get_by_role("link", name="Corriger mes informations").click()
    page.get_by_label("Adresse e-mail (si vous en avez une)").fill("pas-un-mail")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Cette adresse e-mail ne semble pas juste.")).to_be_visible()
    check_page(page, "my-data-edit")
    page.get_by_label("Adresse e-mail (si vous en avez une)").fill("karim@example.org")
    page.get_by_role("button", name="Enregistrer").click()
    expect(flash(page, "Vos informations sont corrigées.")).to_be_visible()
    expect(page.get_by_text("karim@example.org")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger toutes mes données").click()
    saved = tmp_path / "export.zip"
    download.value.save_as(saved)
    assert download.value.suggested_filename.startswith("cloud-solidaire-") and saved.suffix == ".zip"
    with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as archive:
        assert archive.read("documents/quittance de loyer.pdf") == PDF
        assert "Tamanrasset" in archive.read("notes/Mon cousin.txt").decode()
        unpacked = tmp_path / "export"
        archive.extractall(unpacked)

    offline = browser.new_context(viewport=PHONE, locale="fr-FR", offline=True)
    try:
        index = offline.new_page()
        requested: list[str] = []
        index.on("request", lambda request: requested.append(request.url))
        index.goto((unpacked / "index.html").as_uri())
        expect(index.get_by_role("heading", name="Mes données Cloud Solidaire")).to_be_visible()
        expect(index.get_by_role("link", name="quittance de loyer")).to_be_visible()
        assert all(url.startswith("file://") for url in requested)
        for label, size in (("phone", PHONE), ("desktop", {"width": 1280, "height": 900})):
            index.set_viewport_size(size)
            index.screenshot(path=str(SCREENSHOTS / f"export-index-{label}.png"), full_page=True)
    finally:
        offline.close()
