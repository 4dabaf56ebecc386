"""Adding documents: encrypted while they arrive, checked by their bytes, all or nothing."""
import io
import os

import pytest
from PIL import Image

from .conftest import csrf_token, log_in

def image_bytes(file_format: str, size=(300, 200)) -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(out, file_format)
    return out.getvalue()


JPEG = image_bytes("JPEG")
PDF = b"%PDF-1.7\n" + os.urandom(200_000)
PNG = image_bytes("PNG", (20, 20))


@pytest.fixture
def beneficiary(client, make_account):
    made = make_account()
    log_in(client, made)
    return made


def upload(client, *files, shared="0", title=""):
    data = {"csrf_token": csrf_token(client, "/coffre/ajouter-document"), "shared": shared, "titre": title,
            "fichiers": [(io.BytesIO(content), name) for name, content in files]}
    return client.post("/coffre/ajouter-document", data=data, content_type="multipart/form-data")


def item_ids(app):
    from webapp.database import db
    from webapp.vault.models import Item

    with app.app_context():
        return [row.id for row in db().query(Item).all()]


def test_photo_and_pdf_round_trip(app, client, beneficiary):
    response = upload(client, ("carte d'identité.jpg", JPEG), ("avis.pdf", PDF), shared="1")
    assert response.status_code == 302
    listing = client.get("/coffre/").text
    assert "carte d&#39;identité" in listing and "avis" in listing
    for item_id in item_ids(app):
        page = client.get(f"/coffre/element/{item_id}")
        assert "Partagé" in page.text
        download = client.get(f"/coffre/element/{item_id}/telecharger")
        if download.mimetype == "image/jpeg":
            assert Image.open(io.BytesIO(download.data)).size == (300, 200)  # re-encoded without metadata
        else:
            assert download.data == PDF
        assert download.headers["Content-Disposition"].startswith("attachment; filename=")
        assert "sandbox" in download.headers["Content-Security-Policy"]
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert download.headers["X-Accel-Buffering"] == "no" and download.headers["Cache-Control"] == "no-store"
        preview = client.get(f"/coffre/element/{item_id}/apercu")
        assert preview.data == download.data and preview.headers["Content-Disposition"].startswith("inline; filename=")
        assert "sandbox" in preview.headers["Content-Security-Policy"]
    store = app.extensions["blobs"]
    stored = b"".join(b"".join(store.open(name)) for name in store.names())
    assert JPEG[20:200] not in stored and PDF[20:200] not in stored


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("programme.exe", b"MZ\x90\x00" + os.urandom(100), "seulement des photos"),
        ("page.html", b"<html><script>alert(1)</script>", "seulement des photos"),
        ("dessin.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "seulement des photos"),
        ("photo.pdf", JPEG, "ne correspond pas"),
        ("vide.jpg", b"", "est vide"),
    ],
)
def test_refused_files_leave_nothing(app, client, beneficiary, name, content, message):
    response = upload(client, ("bon.png", PNG), (name, content))
    assert response.status_code == 400 and message in response.text
    assert item_ids(app) == [] and list(app.extensions["blobs"].names()) == []


def test_names_with_paths_and_direction_marks_are_neutralised(app, client, beneficiary):
    upload(client, ("../../etc/\u202eexe.jpg", JPEG))
    [item_id] = item_ids(app)
    disposition = client.get(f"/coffre/element/{item_id}/telecharger").headers["Content-Disposition"]
    assert "/" not in disposition.split("filename*=")[0] and "\u202e" not in disposition and "%E2%80%AE" not in disposition


def test_too_large_file_is_refused_in_plain_words(app, client, beneficiary):
    app.config["UPLOAD_LIMIT_BYTES"] = 100_000
    response = upload(client, ("gros.pdf", PDF))
    assert response.status_code == 413 and "dépasse" in response.text
    assert item_ids(app) == []


def test_upload_page_offers_camera_and_files_without_javascript(client, beneficiary):
    page = client.get("/coffre/ajouter-document").text
    assert 'capture="environment"' in page and 'multiple' in page and 'enctype="multipart/form-data"' in page


def test_file_parts_are_refused_elsewhere(client, beneficiary):
    response = client.post("/coffre/nouveau/note", data={"csrf_token": csrf_token(client, "/coffre/nouveau/note"),
                                                         "title": "x", "f": (io.BytesIO(b"secret"), "a.txt")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
