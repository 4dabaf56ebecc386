"""Tampering helpers: every mutation of a valid blob must fail with the one generic error."""
from __future__ import annotations

from typing import Callable, Iterator

import pytest

from vaultcore.errors import CryptoError


def mutations(blob: bytes, max_positions: int = 400) -> Iterator[tuple[str, bytes]]:
    step = max(1, len(blob) // max_positions)
    for i in range(0, len(blob), step):
        flipped = bytearray(blob)
        flipped[i] ^= 0x01
        yield f"flip byte {i}", bytes(flipped)
    for cut in sorted({0, 1, 2, len(blob) // 2, len(blob) - 64, len(blob) - 17, len(blob) - 1}):
        if 0 <= cut < len(blob):
            yield f"truncate to {cut}", blob[:cut]
    yield "append a byte", blob + b"\x00"


def assert_generic_failure(opener: Callable[[bytes], object], blob: bytes) -> None:
    """The same exception type and message, whatever was tampered with."""
    for what, mutated in mutations(blob):
        with pytest.raises(CryptoError) as caught:
            opener(mutated)
        assert str(caught.value) == "decryption failed", what
        assert type(caught.value) is CryptoError, what
