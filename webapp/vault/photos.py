"""Photos are cleaned before they are stored: turned the right way up, and stripped of EXIF and every
other metadata (place, time, phone model), which a person rarely knows their photo carries.

This is the one step that holds a whole file in memory: decoding an image needs its pixels anyway.
Pillow's decompression-bomb limit refuses images whose pixel count is out of proportion.
"""
from __future__ import annotations

import io
import warnings

import img2pdf
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import InvalidItem

MAX_PIXELS = 60_000_000  # a 60-megapixel photo is already more than any phone takes
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
SAVE_OPTIONS = {"JPEG": {"quality": 90, "optimize": True}, "PNG": {"optimize": True}, "WEBP": {"quality": 90}}
CLEANED_FORMATS = frozenset(SAVE_OPTIONS)


class UnreadableImage(InvalidItem):
    def __init__(self) -> None:
        super().__init__("unreadable_image")


def clean_photo(data: bytes) -> bytes:
    """The same picture, upright, with no metadata; UnreadableImage if it is corrupt or a bomb."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                file_format = image.format
                if file_format not in CLEANED_FORMATS:
                    raise UnreadableImage()
                upright = ImageOps.exif_transpose(image)
                return _saved_without_metadata(upright, file_format)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            ValueError, SyntaxError):
        raise UnreadableImage() from None


def _saved_without_metadata(image: Image.Image, file_format: str) -> bytes:
    # A new image from the pixels alone: no EXIF, XMP, ICC profile, comment or text chunk survives.
    if file_format == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    pixels = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P":
        pixels.putpalette(image.getpalette())
    out = io.BytesIO()
    pixels.save(out, file_format, **SAVE_OPTIONS[file_format])
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
