"""The export of everything (R20 portability, R21, L.103): a zip streamed to the browser while it is
built, inside the person's session. Documents are decrypted chunk by chunk (`Vault.open_content`)
straight into the zip stream, so memory does not grow with a file's size and no decrypted copy is
ever written on the server; no key leaves the request.

Layout: `documents/<folder path>/<file name>` (the original bytes), `notes/*.txt`, `contacts/*.vcf`
(vCard 4.0), `appointments/*.ics` (iCalendar), `metadata.json` (every item's metadata, the folders
and what `holdings.held` says) and `index.html`, a page that opens offline and links every file.
Names are made safe for any system and unique (`name (2).pdf`). The trash is not exported.

A failure in the middle (a blob that does not decrypt, the store gone) stops the stream: the zip
never gets its central directory, so the browser reports a failed download and no tool opens it
as if it were complete. Only ids are logged.
"""
from __future__ import annotations

import json
import logging
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterator
from zoneinfo import ZoneInfo

from ..vault.services import ItemView, Vault
from . import formats

log = logging.getLogger(__name__)
PARIS = ZoneInfo("Europe/Paris")
FORMAT = "cloud-solidaire-export/1"
DIRECTORIES = {"document": "documents", "note": "notes", "contact": "contacts", "appointment": "appointments"}
EXTENSIONS = {"note": ".txt", "contact": ".vcf", "appointment": ".ics"}


@dataclass(frozen=True)
class Entry:
    """One item's file in the zip."""

    path: str
    item: ItemView
    folder_path: str  # the folders it sits in, "Logement/Quittances"; "" at the top

    @property
    def title(self) -> str:
        return self.item.metadata.get("title") or self.item.metadata.get("name") or self.path.rsplit("/", 1)[-1]


class Export:
    """Planned when created (items listed and named, so a failure there is an ordinary error page),
    written by `chunks()` as the response is sent."""

    def __init__(self, vault: Vault, store, held: dict, now: datetime,
                 render_index: Callable[[list[Entry], dict], str]) -> None:
        self._vault, self._store, self._held, self._now, self._render_index = vault, store, held, now, render_index
        everything = vault.list_items()
        self._folders = {view.id: view for view in everything if view.kind == "folder"}
        names = _Names()
        self.entries = [self._entry(view, names) for view in sorted(everything, key=lambda v: (v.kind, v.created_at))
                        if view.kind in DIRECTORIES]

    def chunks(self) -> Iterator[bytes]:
        return (chunk for chunk in self._chunks() if chunk)

    def _chunks(self) -> Iterator[bytes]:
        sink = _Sink()
        archive = zipfile.ZipFile(sink, "w")  # the sink cannot seek: every entry gets a data descriptor
        for entry in self.entries:
            try:
                yield from self._write_entry(archive, sink, entry)
            except Exception:
                log.error("export of account %s stopped at item %s", self._vault.owner_id, entry.item.id)
                raise
        _write(archive, "metadata.json", json.dumps(self._metadata(), ensure_ascii=False, indent=2).encode(), self._now)
        _write(archive, "index.html", self._render_index(self.entries, self._held).encode(), self._now)
        yield sink.take()
        archive.close()
        yield sink.take()

    def _write_entry(self, archive: zipfile.ZipFile, sink: "_Sink", entry: Entry) -> Iterator[bytes]:
        item = entry.item
        if item.kind == "document":
            info = _info(entry.path, item.updated_at, zipfile.ZIP_STORED)  # photos and PDFs are compressed already
            with archive.open(info, "w", force_zip64=True) as out:
                for chunk in self._vault.open_content(item.id, self._store):
                    out.write(chunk)
                    yield sink.take()
        else:
            _write(archive, entry.path, _record_bytes(item, self._now), item.updated_at)
        yield sink.take()

    def _entry(self, view: ItemView, names: "_Names") -> Entry:
        folder_path = "/".join(self._folder_names(view.folder_id))
        if view.kind == "document":
            directory = "/".join(filter(None, ["documents", folder_path]))
            name = formats.safe_name(view.metadata.get("file_name", ""), "document")
        else:
            directory = DIRECTORIES[view.kind]
            title = view.metadata.get("name" if view.kind == "contact" else "title", "")
            if view.kind == "appointment":
                title = f"{view.metadata.get('date', '')} {title}"
            name = formats.safe_name(title, view.kind) + EXTENSIONS[view.kind]
        return Entry(names.claim(directory, name), view, folder_path)

    def _folder_names(self, folder_id: str | None) -> list[str]:
        """The safe names of the folders from the top down to `folder_id` (a loop, never expected, stops it)."""
        path, seen = [], set()
        while folder_id in self._folders and folder_id not in seen:
            seen.add(folder_id)
            folder = self._folders[folder_id]
            path.insert(0, formats.safe_name(folder.metadata.get("title", ""), "dossier"))
            folder_id = folder.folder_id
        return path

    def _metadata(self) -> dict:
        return {
            "format": FORMAT, "exported_at": self._now.isoformat(), **self._held,
            "folders": [{"id": folder.id, "title": folder.metadata.get("title"), "parent_id": folder.folder_id,
                         "path": "/".join(self._folder_names(folder.id)), "shared": folder.shared,
                         "created_at": folder.created_at.isoformat(), "updated_at": folder.updated_at.isoformat()}
                        for folder in self._folders.values()],
            "items": [{"id": entry.item.id, "kind": entry.item.kind, "file": entry.path, "folder_id": entry.item.folder_id,
                       "folder_path": entry.folder_path, "shared": entry.item.shared, "size": entry.item.size,
                       "created_at": entry.item.created_at.isoformat(), "updated_at": entry.item.updated_at.isoformat(),
                       "author_id": entry.item.author_id, "added_by_structure_id": entry.item.added_by_structure_id,
                       "metadata": entry.item.metadata} for entry in self.entries],
        }


def _record_bytes(item: ItemView, now: datetime) -> bytes:
    if item.kind == "note":
        return formats.note_text(item.metadata)
    if item.kind == "contact":
        return formats.vcard(item.metadata)
    return formats.icalendar(item.id, item.metadata, now)


def _write(archive: zipfile.ZipFile, path: str, data: bytes, moment: datetime) -> None:
    with archive.open(_info(path, moment, zipfile.ZIP_DEFLATED), "w", force_zip64=True) as out:
        out.write(data)


def _info(path: str, moment: datetime, compression: int) -> zipfile.ZipInfo:
    local = moment.astimezone(PARIS)
    info = zipfile.ZipInfo(path, date_time=(max(local.year, 1980), local.month, local.day,
                                            local.hour, local.minute, local.second))
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info


class _Names:
    """Unique paths, compared without case (Windows and macOS would merge "A.pdf" and "a.pdf")."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, directory: str, name: str) -> str:
        stem, dot, extension = name.rpartition(".")
        stem, extension = (stem, dot + extension) if stem else (name, "")
        candidate, number = f"{directory}/{name}", 1
        while candidate.casefold() in self._taken:
            number += 1
            candidate = f"{directory}/{stem} ({number}){extension}"
        self._taken.add(candidate.casefold())
        return candidate


class _Sink:
    """A write-only stream the zip writes into; what was written is taken out as it is sent."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data
