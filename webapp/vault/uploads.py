"""Uploaded files are encrypted as they arrive: no plaintext ever reaches the server's disk.

Werkzeug's form parser asks the request for a stream to write each file into. `EncryptingSpool`
is that stream: it encrypts under a fresh item key (`vaultcore/stream.py`), writes only ciphertext
to a temporary file, keeps the first bytes of plaintext to recognise the file type, and refuses to
grow past the size limit. Memory stays flat whatever the size; the temporary file is deleted when
the spool is closed, whether the upload became an item or not. A photo's spool also carries the
thumbnail made while it was cleaned (`photos.py`), in memory until the item is stored.
"""
from __future__ import annotations

import re
import tempfile
import unicodedata
from dataclasses import dataclass
from typing import Iterator

from vaultcore import item as items
from vaultcore.keys import new_symmetric_key

from ..db import new_id
from .errors import InvalidItem
from .photos import UnreadableImage, clean_photo, combine_into_pdf

SNIFF_BYTES = 64
READ_BYTES = 65_553
DEFAULT_LIMIT_BYTES = 50 * 1000 * 1000


class FileTooLarge(InvalidItem):
    def __init__(self) -> None:
        super().__init__("too_large")


class EncryptingSpool:
    def __init__(self, owner_id: str, limit_bytes: int) -> None:
        self.item_id = new_id()
        self.key = new_symmetric_key()
        self.owner_id = owner_id
        self._limit = limit_bytes
        self._encryptor = items.content_encryptor(self.key, items.ItemRef(self.item_id, owner_id, 1))
        self.header = self._encryptor.header
        self._file = tempfile.TemporaryFile(prefix="cs-upload-")
        self._file.write(self.header)
        self.head = b""
        self.size = 0
        self._finished = False
        self.thumbnail: bytes | None = None  # a small JPEG, for photos only

    # The file protocol Werkzeug's parser uses
    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self._limit:
            raise FileTooLarge()
        if len(self.head) < SNIFF_BYTES:
            self.head += bytes(data[: SNIFF_BYTES - len(self.head)])
        self._file.write(self._encryptor.update(bytes(data)))
        return len(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0  # Werkzeug rewinds after writing; reading goes through `ciphertext`

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        return None

    def close(self) -> None:
        self._file.close()

    def plaintext(self) -> bytes:
        """The whole file, decrypted: only for photos, which are cleaned in memory (`photos.py`)."""
        decryptor = items.content_decryptor(self.key, items.ItemRef(self.item_id, self.owner_id, 1))
        return b"".join(decryptor.update(chunk) for chunk in self.ciphertext()) + decryptor.finalize()

    def replace_content(self, data: bytes) -> None:
        """Encrypt `data` in place of what was uploaded, under the same item key, in a new stream."""
        self._file.close()
        self._encryptor = items.content_encryptor(self.key, items.ItemRef(self.item_id, self.owner_id, 1))
        self.header = self._encryptor.header
        self._file = tempfile.TemporaryFile(prefix="cs-upload-")
        self._file.write(self.header)
        self.head, self.size, self._finished = b"", 0, False
        self.write(data)

    def ciphertext(self) -> Iterator[bytes]:
        """The whole sealed stream, once: the last chunk is sealed here."""
        if not self._finished:
            self._file.write(self._encryptor.finalize())
            self._finished = True
        self._file.seek(0)
        while chunk := self._file.read(READ_BYTES):
            yield chunk


@dataclass(frozen=True)
class FileType:
    mime: str
    extensions: tuple[str, ...]


TYPES = {
    "jpeg": FileType("image/jpeg", ("jpg", "jpeg")),
    "png": FileType("image/png", ("png",)),
    "webp": FileType("image/webp", ("webp",)),
    "heic": FileType("image/heic", ("heic", "heif")),
    "pdf": FileType("application/pdf", ("pdf",)),
}
CLEANED_MIME_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/heic"})
TYPES_BY_MIME = {file_type.mime: file_type for file_type in TYPES.values()}
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1")


def recognise(head: bytes) -> FileType | None:
    """The file's type from its first bytes, never from its name or the browser's word."""
    if head.startswith(b"\xff\xd8\xff"):
        return TYPES["jpeg"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return TYPES["png"]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return TYPES["webp"]
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return TYPES["heic"]
    if head.startswith(b"%PDF-"):
        return TYPES["pdf"]
    return None


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe_file_name(name: str, file_type: FileType) -> str:
    """A name to show and to download under: no path, no control or direction characters, the
    extension matching the content."""
    name = unicodedata.normalize("NFC", name or "")
    name = _UNSAFE.sub("", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:  # a photo straight from a camera may have no extension: give it the right one
        return f"{name[:150] or 'document'}.{file_type.extensions[0]}"
    if extension.lower() not in file_type.extensions:
        raise InvalidItem("extension")
    return f"{stem[:150] or 'document'}.{extension.lower()}"


def check_files(files) -> tuple[list[tuple[EncryptingSpool, str, FileType]], list[str]]:
    """(accepted spools with their safe names and types, problems in the user's language)."""
    from flask_babel import gettext as _

    accepted, problems = [], []
    for storage in files:
        spool = storage.stream
        shown = _UNSAFE.sub("", (storage.filename or "").rsplit("/", 1)[-1])[:80] or _("sans nom")
        file_type = recognise(spool.head)
        if spool.size == 0:
            problems.append(_("« %(name)s » est vide.", name=shown))
        elif file_type is None:
            problems.append(_("« %(name)s » n'est pas accepté : seulement des photos (JPEG, PNG, WebP, HEIC) et des PDF.", name=shown))
        else:
            try:
                name = safe_file_name(storage.filename, file_type)
                if file_type.mime in CLEANED_MIME_TYPES:
                    file_type, name = _cleaned(spool, file_type, name)
                accepted.append((spool, name, file_type))
            except UnreadableImage:
                problems.append(_("« %(name)s » est abîmée ou trop grande : reprenez la photo.", name=shown))
            except InvalidItem:
                problems.append(_("« %(name)s » : son nom ne correspond pas à son contenu.", name=shown))
    return accepted, problems


def _cleaned(spool: EncryptingSpool, file_type: FileType, name: str) -> tuple[FileType, str]:
    """Clean the photo in the spool and keep its thumbnail; (its stored type, its name with a matching
    extension): a HEIC photo comes out a JPEG, so « IMG_0042.HEIC » becomes « IMG_0042.jpg »."""
    photo = clean_photo(spool.plaintext())
    spool.replace_content(photo.content)
    spool.thumbnail = photo.thumbnail
    if photo.mime == file_type.mime:
        return file_type, name
    stored = TYPES_BY_MIME[photo.mime]
    return stored, f"{name.rsplit('.', 1)[0]}.{stored.extensions[0]}"


def content_disposition(disposition: str, file_name: str) -> str:
    """RFC 6266: an ASCII fallback, and the real name encoded for browsers that read it."""
    from urllib.parse import quote

    fallback = file_name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"


def combine_photos(accepted: list[tuple[EncryptingSpool, str, FileType]]):
    """Several photos of one paper become one PDF document, a page each, in the order they were chosen.
    Returns what to store: one PDF, or the files unchanged when they are not all photos."""
    if len(accepted) < 2 or any(file_type.mime not in CLEANED_MIME_TYPES for _, _, file_type in accepted):
        return accepted
    first, first_name, _ = accepted[0]
    first.replace_content(combine_into_pdf([spool.plaintext() for spool, _, _ in accepted]))
    return [(first, first_name.rsplit(".", 1)[0] + ".pdf", TYPES["pdf"])]
