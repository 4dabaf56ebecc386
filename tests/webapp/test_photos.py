"""Photos lose their metadata (place, time, device) and are turned upright before encryption; HEIC
photos become JPEGs; each photo gets a small thumbnail without metadata."""
import io

import pytest
from PIL import Image

from webapp.vault.photos import THUMBNAIL_SIZE, UnreadableImage, clean_photo

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


def heic_with_gps(orientation: int = 6, size=(60, 40)) -> bytes:
    """A real HEIC photo, made by pillow-heif: left half blue, right half red, rotated by the camera,
    with a place, a phone model and XMP."""
    image = Image.new("RGB", size, (220, 20, 20))
    image.paste((20, 20, 220), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "CanariPhone"
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 5.0)}
    out = io.BytesIO()
    image.save(out, "HEIF", exif=exif.tobytes(), xmp=b"<x:xmpmeta>CanariXMP</x:xmpmeta>", quality=90)
    return out.getvalue()


def test_exif_is_removed_and_orientation_applied():
    original = photo_with_gps()
    assert b"CanariPhone" in original
    cleaned = clean_photo(original)
    assert cleaned.mime == "image/jpeg"
    assert b"CanariPhone" not in cleaned.content and b"Exif" not in cleaned.content
    with Image.open(io.BytesIO(cleaned.content)) as image:
        assert image.size == (20, 40) and not image.getexif()


def test_heic_is_cleaned_into_an_upright_jpeg():
    original = heic_with_gps()
    assert original[4:12] == b"ftypheic" and b"CanariPhone" in original and b"CanariXMP" in original
    cleaned = clean_photo(original)
    assert cleaned.mime == "image/jpeg" and cleaned.content.startswith(b"\xff\xd8\xff")
    for trace in (b"CanariPhone", b"CanariXMP", b"Exif", b"xmpmeta", b"ICC_PROFILE"):
        assert trace not in cleaned.content and trace not in cleaned.thumbnail
    with Image.open(io.BytesIO(cleaned.content)) as image:
        assert image.format == "JPEG" and image.size == (40, 60) and not image.getexif() and not image.info.get("xmp")
        top, bottom = image.convert("RGB").getpixel((20, 10)), image.convert("RGB").getpixel((20, 50))
    assert top[2] > 150 > top[0] and bottom[0] > 150 > bottom[2]  # the camera's left (blue) is now the top


def test_thumbnail_is_a_small_jpeg_without_metadata():
    cleaned = clean_photo(photo_with_gps_sized((1200, 900)))
    with Image.open(io.BytesIO(cleaned.thumbnail)) as image:
        assert image.format == "JPEG" and image.size == (240, 320)  # upright, fits 320×320
        assert not image.getexif() and "icc_profile" not in image.info
    assert b"CanariPhone" not in cleaned.thumbnail and len(cleaned.thumbnail) < 40_000


def test_transparent_photo_thumbnail_is_flattened_on_white():
    out = io.BytesIO()
    Image.new("RGBA", (50, 50), (0, 0, 0, 0)).save(out, "PNG")
    with Image.open(io.BytesIO(clean_photo(out.getvalue()).thumbnail)) as image:
        assert image.mode == "RGB" and min(image.getpixel((25, 25))) > 240


def photo_with_gps_sized(size) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "CanariPhone"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.mark.parametrize("data", [b"\xff\xd8\xff" + b"\x00" * 100, b"\x89PNG\r\n\x1a\n" + b"junk" * 20,
                                  heic_with_gps()[:300], heic_with_gps()[:40] + b"\x00" * 500])
def test_corrupt_images_are_refused(data):
    with pytest.raises(UnreadableImage):
        clean_photo(data)


def test_decompression_bomb_is_refused():
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG")  # 400 megapixels, a few kilobytes
    with pytest.raises(UnreadableImage):
        clean_photo(out.getvalue())


def test_heic_bomb_is_refused(monkeypatch):
    # Encoding a real 60-megapixel HEIC takes seconds: the same check, against a lower limit.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)
    with pytest.raises(UnreadableImage):
        clean_photo(heic_with_gps(size=(40, 40)))  # over the limit, not yet twice over it: a warning made an error
    with pytest.raises(UnreadableImage):
        clean_photo(heic_with_gps(size=(128, 128)))  # more than twice over: Pillow's own error


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


def test_uploaded_heic_is_stored_as_a_jpeg_without_its_metadata(app, client, make_account):
    log_in(client, make_account())
    data = {"csrf_token": csrf_token(client, "/coffre/ajouter-document"), "shared": "0",
            "fichiers": [(io.BytesIO(heic_with_gps()), "IMG_0042.HEIC")]}
    assert client.post("/coffre/ajouter-document", data=data, content_type="multipart/form-data").status_code == 302
    [item_id] = item_ids(app)
    downloaded = client.get(f"/coffre/element/{item_id}/telecharger")
    assert downloaded.mimetype == "image/jpeg" and 'filename="IMG_0042.jpg"' in downloaded.headers["Content-Disposition"]
    assert b"CanariPhone" not in downloaded.data and b"CanariXMP" not in downloaded.data
    with Image.open(io.BytesIO(downloaded.data)) as image:
        assert image.format == "JPEG" and image.size == (40, 60) and not image.getexif()
    page = client.get(f"/coffre/element/{item_id}").text
    assert "IMG_0042.jpg" in page and f"/coffre/element/{item_id}/apercu" in page  # a picture the browser can show


def test_corrupt_heic_is_refused_in_plain_words(app, client, make_account):
    log_in(client, make_account())
    data = {"csrf_token": csrf_token(client, "/coffre/ajouter-document"), "shared": "0",
            "fichiers": [(io.BytesIO(heic_with_gps()[:300]), "IMG_0043.heic")]}
    response = client.post("/coffre/ajouter-document", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and "est abîmée ou trop grande" in response.text
    assert item_ids(app) == [] and list(app.extensions["blobs"].names()) == []


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
