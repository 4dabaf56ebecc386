"""The shared part: what a beneficiary shows to every affiliated structure.

The shared part has numbered epochs; each epoch has a random symmetric key. Everyone who writes to
the shared part also reads it (the beneficiary and members of affiliated structures), so a key pair
would add nothing but public keys to authenticate.

- A shared item's key is sealed under the epoch key: record with key
  derive(epoch_key, "shared-part-item-wrap"), context {purpose: "item-key-shared", item, owner, epoch}.
- Each epoch key is wrapped (`wrap.py`, purpose "shared-part-key", subject "<beneficiary>/<epoch>")
  to the beneficiary's identity and to the current generation of each affiliated structure.
- Epoch e+1 seals epoch e's key (record, key derive(key_e+1, "shared-part-chain"), context
  {purpose: "shared-part-chain", owner, epoch: e+1}), so the holder of the newest key reads all.
- The epoch record is a platform-signed statement (context {purpose: "shared-part-epoch",
  owner, version: e}), body = commitment(epoch_key) || u16 n || n * (u16 len || structure id ||
  u64 generation): the structures and generations the epoch was made for.

An epoch is *fresh* while the set of affiliated structures and their generations equal its record.
Nothing new is shared under a stale epoch: the next writer makes epoch e+1 first. So a member removed
from a structure, or a structure whose affiliation ended, keeps at most keys of epochs made before,
and reads nothing shared after.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Mapping

from . import kdf
from .encoding import Reader, u16, u64
from .errors import CryptoError
from .keys import BoxKeyPair, IdentityKeys, new_symmetric_key
from .record import open_record, seal_record
from .statement import Statement
from .wrap import unwrap_key, wrap_key


@dataclass(frozen=True)
class Epoch:
    owner: str
    number: int
    key: bytes

    @classmethod
    def first(cls, owner: str) -> "Epoch":
        return cls(owner, 1, new_symmetric_key())

    def next(self) -> "Epoch":
        return Epoch(self.owner, self.number + 1, new_symmetric_key())

    @property
    def subject(self) -> str:
        return f"{self.owner}/{self.number}"


def epoch_body(epoch: Epoch, generations: Mapping[str, int]) -> bytes:
    out = bytearray(kdf.commitment(epoch.key) + u16(len(generations)))
    for structure in sorted(generations):
        encoded = structure.encode("utf-8")
        out += u16(len(encoded)) + encoded + u64(generations[structure])
    return bytes(out)


def epoch_context(owner: str, number: int) -> dict[str, object]:
    return {"purpose": "shared-part-epoch", "owner": owner, "version": number}


def parse_epoch_record(statement: Statement) -> tuple[bytes, dict[str, int]]:
    """Return (key commitment, generations) of a verified epoch statement."""
    reader = Reader(statement.body)
    commitment = reader.take(32)
    generations: dict[str, int] = {}
    for _ in range(reader.u16()):
        try:
            structure = reader.take(reader.u16()).decode("utf-8")
        except UnicodeDecodeError:
            raise CryptoError() from None
        generations[structure] = reader.u64()
    reader.end()
    return commitment, generations


def check_epoch_key(epoch: Epoch, statement: Statement) -> None:
    statement.require(purpose="shared-part-epoch", owner=epoch.owner, version=epoch.number)
    commitment, _ = parse_epoch_record(statement)
    if not hmac.compare_digest(commitment, kdf.commitment(epoch.key)):
        raise CryptoError()


def is_fresh(statement: Statement, current_generations: Mapping[str, int]) -> bool:
    _, generations = parse_epoch_record(statement)
    return generations == dict(current_generations)


def seal_item_key(epoch: Epoch, item: str, item_key: bytes) -> bytes:
    return seal_record(_item_wrap_key(epoch), _item_context(epoch, item), item_key)


def open_item_key(epoch: Epoch, item: str, blob: bytes) -> bytes:
    return open_record(_item_wrap_key(epoch), _item_context(epoch, item), blob)


def chain(newer: Epoch, older: Epoch) -> bytes:
    if newer.owner != older.owner or newer.number != older.number + 1:
        raise ValueError("an epoch chains only to the one just before it")
    return seal_record(_chain_key(newer), _chain_context(newer), older.key)


def open_chain(newer: Epoch, blob: bytes) -> Epoch:
    return Epoch(newer.owner, newer.number - 1, open_record(_chain_key(newer), _chain_context(newer), blob))


def wrap_epoch(
    epoch: Epoch, recipient: str, recipient_version: int, recipient_public: bytes, signer: str, signer_keys: IdentityKeys
) -> bytes:
    context = _wrap_context(epoch.subject, recipient, recipient_version, signer)
    return wrap_key(epoch.key, recipient_public, context, signer_keys)


def unwrap_epoch(
    blob: bytes,
    owner: str,
    number: int,
    recipient: str,
    recipient_version: int,
    recipient_keys: BoxKeyPair,
    signer: str,
    signer_verify_key: bytes,
) -> Epoch:
    context = _wrap_context(f"{owner}/{number}", recipient, recipient_version, signer)
    return Epoch(owner, number, unwrap_key(blob, recipient_keys, context, signer_verify_key))


def _wrap_context(subject: str, recipient: str, recipient_version: int, signer: str) -> dict[str, object]:
    return {
        "purpose": "shared-part-key",
        "subject": subject,
        "recipient": recipient,
        "recipient-version": recipient_version,
        "signer": signer,
    }


def _item_context(epoch: Epoch, item: str) -> dict[str, object]:
    return {"purpose": "item-key-shared", "item": item, "owner": epoch.owner, "epoch": epoch.number}


def _chain_context(newer: Epoch) -> dict[str, object]:
    return {"purpose": "shared-part-chain", "owner": newer.owner, "epoch": newer.number}


def _item_wrap_key(epoch: Epoch) -> bytes:
    return kdf.derive(epoch.key, kdf.LABEL_SHARED_ITEM_WRAP)


def _chain_key(epoch: Epoch) -> bytes:
    return kdf.derive(epoch.key, kdf.LABEL_SHARED_CHAIN)
