"""Every interface string has its English translation; the catalogue is up to date with the code."""
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def test_english_catalogue_is_complete():
    with open(ROOT / "webapp/translations/en/LC_MESSAGES/messages.po", "rb") as source:
        catalogue = read_po(source, locale="en")
    untranslated = [m.id for m in catalogue if m.id and (not m.string or "fuzzy" in m.flags)]
    assert untranslated == []


def test_catalogue_has_every_string_of_the_code(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "--no-location", "-o", str(pot), "."],
                   check=True, cwd=ROOT)
    with open(pot, "rb") as source:
        in_code = {m.id for m in read_po(source) if m.id}
    with open(ROOT / "webapp/translations/en/LC_MESSAGES/messages.po", "rb") as source:
        translated = {m.id for m in read_po(source, locale="en") if m.id}
    assert in_code <= translated
