"""The affiliation set: which structures may receive a beneficiary's shared part.

Affiliation rows in the web database say who is affiliated, but a database writer can add one. So
nothing is wrapped to a structure that the current *affiliation set* does not name:

- version v of owner b's set is a platform-signed statement (context {purpose: "affiliation-set",
  owner: b, version: v}), signed by the key service at exactly its high-water mark + 1, body =
  u16 n || n * (u16 len || structure id), ids sorted, no duplicates;
- a version that adds a structure also carries the owner's consent: a statement signed by the
  owner's identity key (context {purpose: "affiliation-consent", owner: b, version: v,
  identity-version}) over the same body. Only the owner's keys add; ending removes without them.

A version is *authorised* when it is empty, or carries a valid consent over its body, or names a
subset of the version before it, which is authorised. The reader starts at the key service's
high-water mark, so an older version put back in the database is never taken for the current one,
and walks back over removals to the last consent: a set grown without the owner's keys fails.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Callable, Collection, Iterable

from .encoding import Reader, u16
from .errors import CryptoError
from .keys import IdentityKeys
from .statement import Statement, open_exact_statement, peek_context, sign_statement

SET_PURPOSE = "affiliation-set"
CONSENT_PURPOSE = "affiliation-consent"


@dataclass(frozen=True)
class StoredVersion:
    """One version as the database holds it: the platform's record and, for an addition, the consent."""

    record: bytes
    consent: bytes | None


def set_body(structures: Iterable[str]) -> bytes:
    members = sorted(set(structures))
    out = bytearray(u16(len(members)))
    for structure in members:
        encoded = structure.encode("utf-8")
        out += u16(len(encoded)) + encoded
    return bytes(out)


def parse_set_body(body: bytes) -> frozenset[str]:
    """The structures of a body; anything but the one canonical encoding fails."""
    reader = Reader(body)
    members: list[str] = []
    for _ in range(reader.u16()):
        try:
            members.append(reader.take(reader.u16()).decode("utf-8"))
        except UnicodeDecodeError:
            raise CryptoError() from None
    reader.end()
    if members != sorted(set(members)):
        raise CryptoError()
    return frozenset(members)


def set_context(owner: str, version: int) -> dict[str, object]:
    return {"purpose": SET_PURPOSE, "owner": owner, "version": version}


def sign_consent(owner: str, version: int, identity_version: int, identity: IdentityKeys, body: bytes) -> bytes:
    return sign_statement(identity.signing_key, identity.verify_key,
                          _consent_context(owner, version, identity_version), body)


def authorised_set(
    owner: str,
    high_water: int,
    stored: Callable[[int], StoredVersion | None],
    platform_keys: Collection[bytes],
    owner_verify_key: Callable[[int], bytes],
) -> frozenset[str]:
    """The structures of the current version (`high_water`), once it is proved authorised; the
    empty set when none was ever signed. CryptoError if a version on the way is missing, forged,
    or grew without the owner's consent."""
    if high_water == 0:
        return frozenset()
    current: frozenset[str] | None = None
    later: frozenset[str] | None = None
    for version in range(high_water, 0, -1):
        row = stored(version)
        if row is None:
            raise CryptoError()
        record = open_exact_statement(row.record, platform_keys, set_context(owner, version))
        members = parse_set_body(record.body)
        if later is not None and not later <= members:
            raise CryptoError()  # the next version added a structure the owner did not consent to
        if current is None:
            current = members
        if not members or _consented(owner, version, record, row, owner_verify_key):
            return current
        later = members
    raise CryptoError()


def _consented(owner: str, version: int, record: Statement, row: StoredVersion,
               owner_verify_key: Callable[[int], bytes]) -> bool:
    if row.consent is None:
        return False
    # The claimed identity version only picks the key; the signed context must then match exactly.
    claimed = peek_context(row.consent).get("identity-version", "")
    if not (claimed.isascii() and claimed.isdigit() and len(claimed) <= 19):
        raise CryptoError()
    identity_version = int(claimed)
    consent = open_exact_statement(row.consent, [owner_verify_key(identity_version)],
                                   _consent_context(owner, version, identity_version))
    if not hmac.compare_digest(consent.body, record.body):
        raise CryptoError()
    return True


def _consent_context(owner: str, version: int, identity_version: int) -> dict[str, object]:
    return {"purpose": CONSENT_PURPOSE, "owner": owner, "version": version, "identity-version": identity_version}
