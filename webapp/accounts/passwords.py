"""Password rules after NIST SP 800-63B: a minimum length, a check against common and guessable
passwords (zxcvbn, which knows names, dictionaries, dates and keyboard patterns), no composition
rules. Longer for administrators, whose accounts reach every structure's directory.

Guessing is online only (every guess is a key-service round trip, counted and rate-limited), which
is why the score asked of everyone is moderate and the length does the rest.
"""
from __future__ import annotations

from dataclasses import dataclass

from zxcvbn import zxcvbn

MAX_LENGTH = 256


@dataclass(frozen=True)
class PasswordRule:
    min_length: int
    min_score: int


RULES = {
    "admin": PasswordRule(min_length=15, min_score=3),
    "manager": PasswordRule(min_length=12, min_score=3),
    "professional": PasswordRule(min_length=12, min_score=3),
    "beneficiary": PasswordRule(min_length=10, min_score=2),
}

TOO_SHORT = "too_short"
TOO_LONG = "too_long"
TOO_GUESSABLE = "too_guessable"


def password_problem(password: str, role: str, personal: tuple[str, ...] = ()) -> str | None:
    """None when acceptable, else one of TOO_SHORT, TOO_LONG, TOO_GUESSABLE."""
    rule = RULES[role]
    if len(password) < rule.min_length:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    # zxcvbn's cost grows with length; what matters is scored on the first 100 characters.
    if zxcvbn(password[:100], user_inputs=[p for p in personal if p])["score"] < rule.min_score:
        return TOO_GUESSABLE
    return None


def min_length(role: str) -> int:
    return RULES[role].min_length
