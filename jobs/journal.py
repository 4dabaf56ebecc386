"""Sealing the journal: the key service signs the head of every chain that moved (docs/crypto.md, *Journal*)."""
from __future__ import annotations

from flask import current_app

from webapp import clock
from webapp.audit.journal import chains_to_sign, sign_head
from webapp.database import db


def sign_journal_heads() -> int:
    """Sign the tip of each chain with events after its last signed head; how many were signed. A chain
    that does not verify is left unsigned and logged, so tampering is never sealed in."""
    keys = current_app.extensions["keys"]
    return sum(sign_head(db(), keys, chain, clock.now()) for chain in chains_to_sign(db()))
