import pytest
from hypothesis import given, settings, strategies as st

from vaultcore import publickey, signing
from vaultcore.errors import CryptoError
from vaultcore.keys import BoxKeyPair, IdentityKeys
from vaultcore.statement import (
    check_current,
    check_not_rolled_back,
    open_exact_statement,
    open_statement,
    sign_statement,
)

from .tamper import assert_generic_failure

ROSTER = {"purpose": "roster", "structure": "s1", "version": 3}


def test_round_trip_and_tampering(platform):
    blob = sign_statement(platform.signing_key, platform.verify_key, ROSTER, b"members")
    statement = open_exact_statement(blob, [platform.verify_key], ROSTER)
    assert statement.body == b"members" and statement.version == 3
    assert_generic_failure(lambda b: open_statement(b, [platform.verify_key], "roster"), blob)


def test_signer_outside_the_trusted_set_is_refused(platform):
    other = IdentityKeys.generate()
    blob = sign_statement(other.signing_key, other.verify_key, ROSTER, b"members")
    with pytest.raises(CryptoError):
        open_statement(blob, [platform.verify_key], "roster")


def test_a_rotated_platform_key_still_verifies_older_records(platform):
    new_platform = IdentityKeys.generate()
    blob = sign_statement(platform.signing_key, platform.verify_key, ROSTER, b"members")
    assert open_statement(blob, [new_platform.verify_key, platform.verify_key], "roster").body == b"members"


@pytest.mark.parametrize("purpose", ["public-key", "shared-part-epoch", "journal-head", "item-seal"])
def test_signature_for_one_purpose_never_verifies_for_another(platform, purpose):
    blob = sign_statement(platform.signing_key, platform.verify_key, ROSTER, b"members")
    with pytest.raises(CryptoError):
        open_statement(blob, [platform.verify_key], purpose)
    relabelled = blob.replace(b"\x06roster", b"\x06roste2")
    with pytest.raises(CryptoError):
        open_statement(relabelled, [platform.verify_key], "roster")


def test_signature_domains_are_separate(platform):
    """A wrap or guess-proof signature over the same bytes is not a statement signature."""
    blob = sign_statement(platform.signing_key, platform.verify_key, ROSTER, b"members")
    signed = blob[:-64]
    for domain in (signing.DOMAIN_WRAP, signing.DOMAIN_GUESS_PROOF):
        forged = signed + signing.sign(platform.signing_key, domain, signed)
        with pytest.raises(CryptoError):
            open_statement(forged, [platform.verify_key], "roster")


def test_older_version_is_refused_as_rollback(platform):
    old = open_statement(
        sign_statement(platform.signing_key, platform.verify_key, dict(ROSTER, version=2), b"old"),
        [platform.verify_key],
        "roster",
    )
    with pytest.raises(CryptoError):
        check_not_rolled_back(old, high_water=3)
    with pytest.raises(CryptoError):
        check_current(old, high_water=3)
    assert check_current(old, high_water=2) is old


def test_non_canonical_version_is_refused(platform):
    blob = sign_statement(platform.signing_key, platform.verify_key, dict(ROSTER, version="03"), b"x")
    with pytest.raises(CryptoError):
        open_statement(blob, [platform.verify_key], "roster")


def test_unknown_purpose_cannot_be_signed(platform):
    with pytest.raises(ValueError):
        sign_statement(platform.signing_key, platform.verify_key, {"purpose": "anything"}, b"")


@given(st.binary(max_size=400))
@settings(max_examples=300)
def test_fuzz_open_statement(data):
    with pytest.raises(CryptoError):
        open_statement(data, [b"\x01" * 32], "roster")


# Public-key records -------------------------------------------------------------------------


def test_certified_identity_opens(platform, certify):
    keys, blob = certify("b1")
    record = publickey.open_current_public_key(blob, [platform.verify_key], "b1", "identity", high_water=1)
    assert record.box_public == keys.box_public and record.verify_key == keys.verify_key


def test_public_key_planted_in_the_database_is_refused(platform):
    """A record the key service never signed: made by the attacker with their own key."""
    attacker = IdentityKeys.generate()
    planted = publickey.certify(attacker.signing_key, attacker.verify_key, publickey.identity_record("b1", 1, attacker))
    with pytest.raises(CryptoError):
        publickey.open_current_public_key(planted, [platform.verify_key], "b1", "identity", high_water=1)


def test_record_of_another_owner_or_role_is_refused(platform, certify):
    _, blob = certify("b1")
    with pytest.raises(CryptoError):
        publickey.open_current_public_key(blob, [platform.verify_key], "b2", "identity", high_water=1)
    with pytest.raises(CryptoError):
        publickey.open_current_public_key(blob, [platform.verify_key], "b1", "structure", high_water=1)


def test_older_key_record_reinserted_is_refused(platform, certify):
    _, old = certify("b1", version=1)
    with pytest.raises(CryptoError):
        publickey.open_current_public_key(old, [platform.verify_key], "b1", "identity", high_water=2)


def test_possession_proof(certify):
    keys = IdentityKeys.generate()
    record = publickey.identity_record("b1", 1, keys)
    publickey.check_possession(publickey.prove_possession(keys, "b1", 1), record)
    thief = IdentityKeys.generate()
    stolen = publickey.identity_record("b1", 1, thief)
    with pytest.raises(CryptoError):
        publickey.check_possession(publickey.prove_possession(keys, "b1", 1), stolen)
    with pytest.raises(CryptoError):
        publickey.check_possession(publickey.prove_possession(keys, "b1", 2), record)


def test_unlocked_structure_key_must_match_the_certified_one(platform):
    genuine, substitute = BoxKeyPair.generate(), BoxKeyPair.generate()
    record = publickey.structure_record("s1", 1, genuine)
    publickey.check_unlocked_secret(genuine.secret, record)
    with pytest.raises(CryptoError):
        publickey.check_unlocked_secret(substitute.secret, record)
