"""Photos lose their metadata (place, time, device) and are turned upright before encryption."""
import io

import pytest
from PIL import Image

from webapp.vault.photos import UnreadableImage, clean_photo

from .conftest import csrf_token, log_in
from .test_uploads import item_ids


def photo_with_gps(orientation: int = 6) -> bytes:
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = orientation  # rotated 90° by the camera
    exif[0x010F] = "CanariPhone"  # maker
    exif[0x8825] = {2: (48.0, 51.0, 24.0), 1: "N"}  # GPS latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_exif_is_removed_and_orientation_applied():
    original = photo_with_gps()
    assert b"CanariPhone" in original
    cleaned = clean_photo(original)
    assert b"CanariPhone" not in cleaned and b"Exif" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.size == (20, 40) and not image.getexif()


@pytest.mark.parametrize("data", [b"\xff\xd8\xff" + b"\x00" * 100, b"\x89PNG\r\n\x1a\n" + b"junk" * 20])
def test_corrupt_images_are_refused(data):
    with pytest.raises(UnreadableImage):
        clean_photo(data)


def test_decompression_bomb_is_refused():
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG")  # 400 megapixels, a few kilobytes
    with pytest.raises(UnreadableImage):
        clean_photo(out.getvalue())


def test_uploaded_photo_is_stored_without_its_metadata(app, client, make_account):
    log_in(client, make_account())
    data = {"csrf_token": csrf_token(client, "/coffre/ajouter-document"), "shared": "0",
            "fichiers": [(io.BytesIO(photo_with_gps()), "photo.jpg")]}
    assert client.post("/coffre/ajouter-document", data=data, content_type="multipart/form-data").status_code == 302
    [item_id] = item_ids(app)
    downloaded = client.get(f"/coffre/element/{item_id}/telecharger").data
    assert b"CanariPhone" not in downloaded
    with Image.open(io.BytesIO(downloaded)) as image:
        assert image.size == (20, 40)


def test_several_photos_of_one_paper_become_one_pdf(app, client, make_account):
    log_in(client, make_account())
    pages = [(io.BytesIO(photo_with_gps()), "recto.jpg"), (io.BytesIO(photo_with_gps(orientation=1)), "verso.jpg")]
    data = {"csrf_token": csrf_token(client, "/coffre/ajouter-document"), "shared": "0", "une_seule_piece": "1",
            "titre": "Carte d'identité", "fichiers": pages}
    assert client.post("/coffre/ajouter-document", data=data, content_type="multipart/form-data").status_code == 302
    [item_id] = item_ids(app)
    downloaded = client.get(f"/coffre/element/{item_id}/telecharger")
    assert downloaded.mimetype == "application/pdf" and downloaded.data.startswith(b"%PDF-")
    assert downloaded.data.count(b"/Type /Page") - downloaded.data.count(b"/Type /Pages") == 2
    assert b"CanariPhone" not in downloaded.data
    assert "recto.pdf" in downloaded.headers["Content-Disposition"]


def test_without_the_box_the_photos_stay_separate(app, client, make_account):
    log_in(client, make_account())
    data = {"csrf_token": csrf_token(client, "/coffre/ajouter-document"), "shared": "0",
            "fichiers": [(io.BytesIO(photo_with_gps()), "a.jpg"), (io.BytesIO(photo_with_gps()), "b.jpg")]}
    client.post("/coffre/ajouter-document", data=data, content_type="multipart/form-data")
    assert len(item_ids(app)) == 2
