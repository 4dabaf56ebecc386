"""The export's open formats, written by hand because they are small: a note as plain text, a
contact as vCard 4.0 (RFC 6350), an appointment as iCalendar (RFC 5545) in Europe/Paris time."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timezone

PRODID = "-//Cloud Solidaire//Export//FR"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')

# Europe/Paris since 1996: what a calendar needs to place TZID=Europe/Paris without a network.
PARIS_VTIMEZONE = (
    "BEGIN:VTIMEZONE", "TZID:Europe/Paris",
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST",
    "DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
    "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET",
    "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
    "END:VTIMEZONE",
)


def safe_name(name: str, fallback: str, limit: int = 120) -> str:
    """A file or folder name any system accepts: no separators, control characters or reserved marks."""
    cleaned = _UNSAFE.sub("_", name).strip(" .")
    return cleaned[:limit].strip(" .") or fallback


def note_text(metadata: dict) -> bytes:
    return f"{metadata.get('title', '')}\n\n{metadata.get('text', '')}\n".encode()


def vcard(metadata: dict) -> bytes:
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"FN:{_escape(metadata.get('name', ''))}"]
    if metadata.get("phone"):
        lines.append(f"TEL:{_escape(metadata['phone'])}")
    if metadata.get("email"):
        lines.append(f"EMAIL:{_escape(metadata['email'])}")
    if metadata.get("address"):
        lines.append(f"ADR:;;{_escape(metadata['address'])};;;;")
    if metadata.get("comment"):
        lines.append(f"NOTE:{_escape(metadata['comment'])}")
    lines.append("END:VCARD")
    return _lines(lines)


def icalendar(item_id: str, metadata: dict, stamp: datetime) -> bytes:
    """One VEVENT: a day when no time was given, else a moment in Europe/Paris time."""
    day = date.fromisoformat(metadata["date"])
    if metadata.get("time"):
        start = datetime.combine(day, time.fromisoformat(metadata["time"]))
        dtstart = f"DTSTART;TZID=Europe/Paris:{start:%Y%m%dT%H%M%S}"
    else:
        dtstart = f"DTSTART;VALUE=DATE:{day:%Y%m%d}"
    event = ["BEGIN:VEVENT", f"UID:{item_id}@cloud-solidaire",
             f"DTSTAMP:{stamp.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}", dtstart,
             f"SUMMARY:{_escape(metadata.get('title', ''))}"]
    if metadata.get("place"):
        event.append(f"LOCATION:{_escape(metadata['place'])}")
    description = "\n".join(part for part in (metadata.get("with_whom", ""), metadata.get("notes", "")) if part)
    if description:
        event.append(f"DESCRIPTION:{_escape(description)}")
    event.append("END:VEVENT")
    timezone_part = PARIS_VTIMEZONE if metadata.get("time") else ()
    return _lines(["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", *timezone_part, *event, "END:VCALENDAR"])


def _escape(value: str) -> str:
    """Text values of both formats: backslash, comma, semicolon and line breaks escaped."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _lines(lines: list[str]) -> bytes:
    return b"".join(_fold(line.encode()) + b"\r\n" for line in lines)


def _fold(line: bytes) -> bytes:
    """Lines longer than 75 octets continue on lines starting with a space, never inside a UTF-8 character."""
    parts, limit = [], 75
    while len(line) > limit:
        cut = limit
        while cut > 0 and (line[cut] & 0xC0) == 0x80:
            cut -= 1
        parts.append(line[:cut])
        line, limit = line[cut:], 74  # the continuation's leading space counts
    parts.append(line)
    return b"\r\n ".join(parts)
