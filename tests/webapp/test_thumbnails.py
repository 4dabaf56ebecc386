"""Thumbnails: made from the cleaned photo at upload, encrypted under their own key beside the content,
shown by a route that decrypts them in the session, and deleted with the document."""
import io
import re
from datetime import timedelta

import pytest
from PIL import Image

from webapp.db import utcnow
from webapp.storage import BlobStoreUnavailable
from webapp.vault import blobs

from .conftest import csrf_token, log_in
from .test_api import login
from .test_photos import heic_with_gps, photo_with_gps
from .test_uploads import PDF, item_ids, upload


@pytest.fixture
def beneficiary(client, make_account):
    made = make_account()
    log_in(client, made)
    return made


def big_photo(colour=(200, 30, 30), size=(1200, 900)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=95)
    return out.getvalue()


def stored_bytes(app) -> bytes:
    store = app.extensions["blobs"]
    return b"".join(b"".join(store.open(name)) for name in store.names())


def only_item(app) -> str:
    [item_id] = item_ids(app)
    return item_id


def test_photo_gets_an_encrypted_thumbnail_shown_in_the_list_and_its_page(app, client, beneficiary):
    assert upload(client, ("photo.jpg", photo_with_gps()), title="Carte vitale").status_code == 302
    item_id = only_item(app)
    assert sorted(app.extensions["blobs"].names()) == [blobs.content_name(item_id, 1), blobs.thumbnail_name(item_id, 1)]

    src = f"/coffre/element/{item_id}/vignette"
    listing = client.get("/coffre/").text
    assert re.search(rf'<img class="thumbnail" src="{src}" loading="lazy" alt=""[^>]*>\s*<span class="item-title">Carte vitale',
                     listing)
    assert f'src="{src}"' in client.get(f"/coffre/element/{item_id}").text

    response = client.get(src)
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert b"CanariPhone" not in response.data and b"Exif" not in response.data
    with Image.open(io.BytesIO(response.data)) as image:
        assert image.format == "JPEG" and image.size == (20, 40) and not image.getexif()  # upright, like the photo
    assert response.data not in stored_bytes(app)  # the store holds it encrypted


def test_large_photo_thumbnail_fits_320_and_is_not_in_the_store_in_clear(app, client, beneficiary):
    upload(client, ("grande.jpg", big_photo()))
    thumbnail = client.get(f"/coffre/element/{only_item(app)}/vignette").data
    with Image.open(io.BytesIO(thumbnail)) as image:
        assert image.size == (320, 240)
    stored = stored_bytes(app)
    assert thumbnail[100:400] not in stored and b"JFIF" not in stored


def test_heic_photo_gets_a_thumbnail(app, client, beneficiary):
    upload(client, ("IMG_0042.heic", heic_with_gps()))
    response = client.get(f"/coffre/element/{only_item(app)}/vignette")
    assert response.status_code == 200
    with Image.open(io.BytesIO(response.data)) as image:
        assert image.size == (40, 60) and not image.getexif()
    assert b"CanariPhone" not in response.data and b"CanariXMP" not in response.data


def test_pdf_has_no_thumbnail_but_a_document_icon(app, client, beneficiary):
    upload(client, ("avis.pdf", PDF), title="Avis d'imposition")
    item_id = only_item(app)
    assert list(app.extensions["blobs"].names()) == [blobs.content_name(item_id, 1)]
    listing = client.get("/coffre/").text
    assert 'class="thumbnail document-icon"' in listing and "/vignette" not in listing
    assert client.get(f"/coffre/element/{item_id}/vignette").status_code == 404


def test_pdf_made_of_photos_takes_its_first_photos_thumbnail(app, client, beneficiary):
    pages = [(io.BytesIO(big_photo((20, 20, 220))), "recto.jpg"), (io.BytesIO(big_photo((220, 20, 20))), "verso.jpg")]
    data = {"csrf_token": csrf_token(client, "/coffre/ajouter-document"), "shared": "0", "une_seule_piece": "1",
            "titre": "Carte d'identité", "fichiers": pages}
    client.post("/coffre/ajouter-document", data=data, content_type="multipart/form-data")
    item_id = only_item(app)
    assert client.get(f"/coffre/element/{item_id}/telecharger").mimetype == "application/pdf"
    with Image.open(io.BytesIO(client.get(f"/coffre/element/{item_id}/vignette").data)) as image:
        red, _green, blue = image.convert("RGB").getpixel((100, 100))
    assert blue > 150 > red  # the recto, blue
    assert f'src="/coffre/element/{item_id}/vignette"' in client.get(f"/coffre/element/{item_id}").text


def test_other_people_and_other_kinds_get_404(app, client, beneficiary, make_account):
    upload(client, ("photo.jpg", photo_with_gps()), shared="1")
    item_id = only_item(app)
    other = app.test_client()
    log_in(other, make_account())
    assert other.get(f"/coffre/element/{item_id}/vignette").status_code == 404
    assert client.get(f"/coffre/element/{'0' * 32}/vignette").status_code == 404
    note = client.post("/coffre/nouveau/note", data={"csrf_token": csrf_token(client, "/coffre/nouveau/note"), "title": "x"})
    assert client.get(note.headers["Location"] + "/vignette").status_code == 404


def test_tampered_thumbnail_is_an_error_not_a_picture(app, client, beneficiary):
    upload(client, ("photo.jpg", photo_with_gps()))
    item_id = only_item(app)
    store, name = app.extensions["blobs"], blobs.thumbnail_name(item_id, 1)
    record = bytearray(b"".join(store.open(name)))
    record[-5] ^= 0x01
    store.put(name, [bytes(record)])
    response = client.get(f"/coffre/element/{item_id}/vignette")
    assert response.status_code == 500 and response.mimetype == "text/html"
    assert client.get("/coffre/").status_code == 200  # the list never decrypts thumbnails
    assert client.get(f"/coffre/element/{item_id}/telecharger").status_code == 200


def test_thumbnail_of_another_document_does_not_open(app, client, beneficiary):
    upload(client, ("a.jpg", photo_with_gps()), ("b.jpg", big_photo()))
    first, second = item_ids(app)
    store = app.extensions["blobs"]
    store.put(blobs.thumbnail_name(first, 1), store.open(blobs.thumbnail_name(second, 1)))
    assert client.get(f"/coffre/element/{first}/vignette").status_code == 500
    store.put(blobs.thumbnail_name(first, 1), [b"\x00" * (600 * 1024)])  # too large to be one of ours: not read whole
    assert client.get(f"/coffre/element/{first}/vignette").status_code == 500


def test_purge_removes_the_thumbnail_with_the_content(app, client, beneficiary):
    from webapp.database import db
    from webapp.vault.retention import purge_trash

    upload(client, ("photo.jpg", photo_with_gps()))
    item_id = only_item(app)
    token = csrf_token(client, f"/coffre/element/{item_id}")
    client.post(f"/coffre/element/{item_id}/corbeille", data={"csrf_token": token})
    store = app.extensions["blobs"]
    assert len(list(store.names())) == 2  # the trash keeps both for 30 days
    token = csrf_token(client, "/coffre/corbeille")
    client.post(f"/coffre/element/{item_id}/restaurer", data={"csrf_token": token})
    assert client.get(f"/coffre/element/{item_id}/vignette").status_code == 200
    token = csrf_token(client, f"/coffre/element/{item_id}")
    client.post(f"/coffre/element/{item_id}/corbeille", data={"csrf_token": token})
    with app.app_context():
        assert purge_trash(db(), store, utcnow() + timedelta(days=31)) == 1
    assert list(store.names()) == []


@pytest.mark.parametrize("failing_put", [3, 4])
def test_failed_upload_leaves_no_thumbnail(app, client, beneficiary, failing_put):
    """Two photos: content and thumbnail of the first, then of the second. Whichever write fails, nothing stays."""
    store = app.extensions["blobs"]
    real_put, calls = store.put, []

    def put(name, chunks):
        calls.append(name)
        if len(calls) == failing_put:
            raise BlobStoreUnavailable("test")
        return real_put(name, chunks)

    store.put = put
    response = upload(client, ("a.jpg", photo_with_gps()), ("b.jpg", photo_with_gps()))
    store.put = real_put
    assert response.status_code == 503 and len(calls) == failing_put
    assert item_ids(app) == [] and list(store.names()) == []


def test_thumbnail_through_the_api(app, client, make_account):
    auth = login(client, make_account())
    created = client.post("/api/v1/documents", headers=auth, content_type="multipart/form-data",
                          data={"files": [(io.BytesIO(photo_with_gps()), "photo.jpg"), (io.BytesIO(PDF), "avis.pdf")]})
    photo, pdf = created.json["items"]
    assert photo["has_thumbnail"] is True and pdf["has_thumbnail"] is False
    assert "thumbnail" not in photo["metadata"]  # the digest that pins it is the vault's own
    response = client.get(f"/api/v1/items/{photo['id']}/thumbnail", headers=auth)
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert Image.open(io.BytesIO(response.data)).size == (20, 40)
    missing = client.get(f"/api/v1/items/{pdf['id']}/thumbnail", headers=auth)
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"
    other = login(client, make_account())
    assert client.get(f"/api/v1/items/{photo['id']}/thumbnail", headers=other).status_code == 404
    listed = client.get("/api/v1/items?kind=document", headers=auth).json["items"]
    assert {item["id"]: item["has_thumbnail"] for item in listed} == {photo["id"]: True, pdf["id"]: False}
