"""What a person types to recover an account: a secret answer, or a one-time recovery code.

Both go through `unlock.py` (factor "answer" or "code") to open a recovery bundle of the identity
keys (`bundle.py`). This module only turns what was typed into the exact bytes, by versioned rules:
changing a rule is a new version, never a silent change, or old answers would stop matching.
"""
from __future__ import annotations

import os
import unicodedata

ANSWER_RULE_VERSION = 1
DATE_HINT = "JJ/MM/AAAA"  # shown to the person; separators are dropped, so 1/2/1990 != 01/02/1990

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_CHARS = 20  # 100 bits
_CODE_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalise_answer(answer: str) -> bytes:
    """Rule 1: NFKC, case-folded, punctuation and symbols dropped, spaces trimmed and collapsed."""
    text = unicodedata.normalize("NFKC", answer).casefold()
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PS")
    text = " ".join(text.split())
    if not text:
        raise ValueError("empty answer")
    return f"answer-rule-{ANSWER_RULE_VERSION}:{text}".encode("utf-8")


def generate_recovery_code() -> str:
    value = int.from_bytes(os.urandom(13), "big") >> 4  # 100 random bits
    chars = "".join(_CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(_CODE_CHARS)))
    return "-".join(chars[i : i + 4] for i in range(0, _CODE_CHARS, 4))


def normalise_recovery_code(code: str) -> bytes:
    """Forgiving reading: any case, any spaces or dashes, O for 0 and I or L for 1."""
    text = "".join(ch for ch in code.upper() if ch not in " -\t").translate(_CODE_ALIASES)
    if len(text) != _CODE_CHARS or any(ch not in _CROCKFORD for ch in text):
        raise ValueError("not a recovery code")
    return text.encode("ascii")
