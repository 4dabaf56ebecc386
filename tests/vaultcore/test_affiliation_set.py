"""The affiliation set (`vaultcore/affiliationset.py`): only the owner's consent adds a structure,
removals need none, the version at the high-water mark is the only current one."""
import pytest

from vaultcore import affiliationset
from vaultcore.errors import CryptoError
from vaultcore.keys import IdentityKeys
from vaultcore.statement import sign_statement

OWNER = "b" * 32
NORTH, SOUTH, EVIL = "n" * 32, "s" * 32, "e" * 32


class History:
    """The versions the web database would hold, each signed as the key service signs them."""

    def __init__(self, platform: IdentityKeys, owner: IdentityKeys) -> None:
        self.platform, self.owner = platform, owner
        self.rows: dict[int, affiliationset.StoredVersion] = {}

    def write(self, members, *, consent: bool, signer: IdentityKeys | None = None) -> int:
        version = len(self.rows) + 1
        body = affiliationset.set_body(members)
        signer = signer or self.platform
        record = sign_statement(signer.signing_key, signer.verify_key, affiliationset.set_context(OWNER, version), body)
        proof = affiliationset.sign_consent(OWNER, version, 1, self.owner, body) if consent else None
        self.rows[version] = affiliationset.StoredVersion(record, proof)
        return version

    def read(self, high_water: int | None = None) -> frozenset[str]:
        return affiliationset.authorised_set(
            OWNER, len(self.rows) if high_water is None else high_water, self.rows.get,
            [self.platform.verify_key], lambda version: self.owner.verify_key if version == 1 else b"\0" * 32)


@pytest.fixture
def history(platform) -> History:
    return History(platform, IdentityKeys.generate())


def test_body_round_trip_and_one_encoding():
    assert affiliationset.parse_set_body(affiliationset.set_body([SOUTH, NORTH, SOUTH])) == {NORTH, SOUTH}
    assert affiliationset.parse_set_body(affiliationset.set_body([])) == frozenset()
    unsorted = b"\x00\x02" + b"\x00\x20" + SOUTH.encode() + b"\x00\x20" + NORTH.encode()
    for bad in (unsorted, affiliationset.set_body([NORTH]) + b"\0", b"\x00\x01\x00\x05ab", b"\x00\x01\x00\x01\xff"):
        with pytest.raises(CryptoError):
            affiliationset.parse_set_body(bad)


def test_no_version_signed_means_no_structure(history):
    assert history.read() == frozenset()


def test_additions_with_consent_and_removals_without(history):
    history.write([NORTH], consent=True)
    history.write([NORTH, SOUTH], consent=True)
    assert history.read() == {NORTH, SOUTH}
    history.write([SOUTH], consent=False)  # the Relais Nord ended it: no owner key at hand
    assert history.read() == {SOUTH}
    history.write([], consent=False)
    assert history.read() == frozenset()


def test_an_addition_without_the_owners_consent_is_refused(history):
    history.write([NORTH], consent=True)
    history.write([NORTH, EVIL], consent=False)  # signed by the key service, asked by someone without the owner's keys
    with pytest.raises(CryptoError):
        history.read()
    history.write([EVIL], consent=False)  # a removal after it does not launder the addition
    with pytest.raises(CryptoError):
        history.read()


def test_a_set_re_grown_after_a_removal_needs_a_new_consent(history):
    history.write([NORTH, EVIL], consent=True)
    history.write([NORTH], consent=False)  # EVIL's affiliation ended
    history.write([NORTH, EVIL], consent=False)
    with pytest.raises(CryptoError):
        history.read()


def test_a_consent_for_another_version_or_body_or_by_another_key_is_refused(history, platform):
    history.write([NORTH], consent=True)
    body = affiliationset.set_body([NORTH, EVIL])
    version = history.write([NORTH, EVIL], consent=False)
    record = history.rows[version].record
    other = IdentityKeys.generate()
    for consent in (
        history.rows[1].consent,  # the consent of version 1, moved
        affiliationset.sign_consent(OWNER, version, 1, history.owner, affiliationset.set_body([NORTH])),
        affiliationset.sign_consent(OWNER, version, 1, other, body),
        affiliationset.sign_consent(OWNER, version, 2, history.owner, body),  # claims another identity version
        affiliationset.sign_consent("c" * 32, version, 1, history.owner, body),
    ):
        history.rows[version] = affiliationset.StoredVersion(record, consent)
        with pytest.raises(CryptoError):
            history.read()


def test_only_the_version_at_the_high_water_mark_is_current(history):
    history.write([NORTH, SOUTH], consent=True)
    history.write([NORTH], consent=False)
    old = history.rows[1]
    history.rows[2] = old  # version 1 copied over version 2: its context says version 1
    with pytest.raises(CryptoError):
        history.read()
    del history.rows[2]  # version 2 deleted: the high-water mark still says 2
    with pytest.raises(CryptoError):
        history.read(high_water=2)


def test_a_record_not_signed_by_the_platform_is_refused(history):
    history.write([NORTH], consent=True)
    forger = IdentityKeys.generate()
    history.write([NORTH, EVIL], consent=True, signer=forger)
    with pytest.raises(CryptoError):
        history.read()
