"""Photos are cleaned before they are stored: turned the right way up, and stripped of EXIF and every
other metadata (place, time, phone model), which a person rarely knows their photo carries.

This is the one step that holds a whole file in memory: decoding an image needs its pixels anyway.
Pillow's decompression-bomb limit refuses images whose pixel count is out of proportion. The same
decoding makes the photo's thumbnail, so a photo is decoded once.

HEIC/HEIF (iPhones' default) is decoded by pillow-heif (libheif), which applies the file's own
rotation. Browsers cannot show HEIC, so a cleaned HEIC photo is stored as a JPEG.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import img2pdf
import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import InvalidItem

# Embedded thumbnails, depth maps and auxiliary images are never used: not parsing them is less to attack.
pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)

MAX_PIXELS = 60_000_000  # a 60-megapixel photo is already more than any phone takes
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
SAVE_OPTIONS = {"JPEG": {"quality": 90, "optimize": True}, "PNG": {"optimize": True}, "WEBP": {"quality": 90}}
# The format a decoded photo is stored in: its own, but JPEG for HEIF, which browsers cannot show.
STORED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "HEIF": "JPEG"}
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
THUMBNAIL_SIZE = (320, 320)
THUMBNAIL_OPTIONS = {"quality": 80, "optimize": True}


class UnreadableImage(InvalidItem):
    def __init__(self) -> None:
        super().__init__("unreadable_image")


@dataclass(frozen=True)
class CleanedPhoto:
    content: bytes
    mime: str  # of `content`: image/jpeg for a HEIC photo
    thumbnail: bytes  # a JPEG fitting THUMBNAIL_SIZE, without metadata


def clean_photo(data: bytes) -> CleanedPhoto:
    """The same picture, upright, with no metadata, and its thumbnail; UnreadableImage if it is
    corrupt or a bomb."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                stored_format = STORED_FORMATS.get(image.format)
                if stored_format is None:
                    raise UnreadableImage()
                upright = ImageOps.exif_transpose(image)
                return CleanedPhoto(_saved_without_metadata(upright, stored_format, SAVE_OPTIONS[stored_format]),
                                    MIME_TYPES[stored_format], _thumbnail(upright))
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            ValueError, SyntaxError):
        raise UnreadableImage() from None


def _thumbnail(image: Image.Image) -> bytes:
    """Resized first, flattened after: no second full-size copy of a large photo."""
    if image.mode in ("1", "P", "PA"):  # palettes resize pixel by pixel: colours first
        image = image.convert("RGBA")
    width, height = image.size
    scale = min(1.0, THUMBNAIL_SIZE[0] / width, THUMBNAIL_SIZE[1] / height)  # never enlarged
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return _saved_without_metadata(_flattened(small), "JPEG", THUMBNAIL_OPTIONS)


def _flattened(image: Image.Image) -> Image.Image:
    """RGB or greyscale, transparent parts on white: what a JPEG can hold."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _saved_without_metadata(image: Image.Image, file_format: str, options: dict) -> bytes:
    # A new image from the pixels alone: no EXIF, XMP, ICC profile, comment or text chunk survives.
    if file_format == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    pixels = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P":
        pixels.putpalette(image.getpalette())
    out = io.BytesIO()
    pixels.save(out, file_format, **options)
    return out.getvalue()


def combine_into_pdf(photos: list[bytes]) -> bytes:
    """Cleaned photos of one paper's pages as one PDF, a page each, without re-encoding JPEG or PNG."""
    pages = [photo if photo[:3] == b"\xff\xd8\xff" or photo[:8] == b"\x89PNG\r\n\x1a\n" else _as_png(photo)
             for photo in photos]
    try:
        return img2pdf.convert(pages)
    except (img2pdf.ImageOpenError, ValueError, OSError):
        raise UnreadableImage() from None


def _as_png(photo: bytes) -> bytes:
    """img2pdf takes JPEG and PNG; anything else (WebP) becomes a PNG first."""
    with Image.open(io.BytesIO(photo)) as image:
        out = io.BytesIO()
        image.save(out, "PNG")
        return out.getvalue()
