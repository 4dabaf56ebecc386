"""Which identity version a stored generation wrap claims: read without a key, never trusted."""
import pytest

from vaultcore import structure
from vaultcore.errors import CryptoError
from vaultcore.keys import IdentityKeys


def test_a_generation_wrap_tells_the_identity_version_it_was_made_for():
    manager, member = IdentityKeys.generate(), IdentityKeys.generate()
    generation = structure.Generation.new("s1", 3)
    for version in (1, 2, 17):
        blob = structure.wrap_generation(generation, structure.Member("p1", version, member.box_public), "m1", manager)
        assert structure.claimed_member_version(blob) == version


@pytest.mark.parametrize("blob", [b"", b"\x01W", b"\x02W\x00", b"\x01T" + bytes(40)])
def test_an_unreadable_head_is_refused(blob):
    with pytest.raises(CryptoError):
        structure.claimed_member_version(blob)


def test_a_head_without_a_canonical_version_is_refused():
    from vaultcore.encoding import header

    for version in ("0", "01", "-1", "x", "²"):
        head = header(b"W", {"purpose": "structure-key", "recipient-version": version})
        with pytest.raises(CryptoError):
            structure.claimed_member_version(head + bytes(64))
