"""Subkey derivation: BLAKE2b-256 keyed by the parent key, personalised, over a label.

One parent key never serves two purposes directly: an item key yields a metadata key, a content key,
a thumbnail key and a commitment, each under its own label, so a ciphertext of one purpose never opens as another.
"""
from __future__ import annotations

import hashlib

PERSON = b"cloud-solidaire1"  # 16 bytes: BLAKE2b's personalisation, fixed for format version 1

LABEL_ITEM_META = b"item-meta"
LABEL_ITEM_CONTENT = b"item-content"
LABEL_ITEM_THUMBNAIL = b"item-thumbnail"
LABEL_SHARED_ITEM_WRAP = b"shared-part-item-wrap"
LABEL_SHARED_CHAIN = b"shared-part-chain"
LABEL_KEY_COMMITMENT = b"key-commitment"
LABEL_UNLOCK = b"unlock-key"
LABEL_GUESS_PROOF = b"guess-proof"
LABEL_WRAP = b"wrap-key"


def derive(key: bytes, label: bytes, length: int = 32) -> bytes:
    if not 32 <= len(key) <= 64:
        raise ValueError("parent keys are 32 to 64 bytes")
    return hashlib.blake2b(label, key=key, digest_size=length, person=PERSON).digest()


def commitment(key: bytes) -> bytes:
    """A public value that pins a symmetric key: signed records carry it, openers compare it."""
    return derive(key, LABEL_KEY_COMMITMENT)
