import os
import struct

import pytest
from hypothesis import given, settings, strategies as st

from vaultcore import bundle, recovery, session, unlock
from vaultcore.errors import CryptoError
from vaultcore.keys import IdentityKeys

CONTEXT = bundle.bundle_context("b1", "password", 1)


@pytest.fixture(scope="module")
def sealed():
    identity, output = IdentityKeys.generate(), os.urandom(64)
    return identity, output, bundle.seal_bundle(CONTEXT, output, identity)


def test_bundle_round_trip(sealed):
    identity, output, made = sealed
    keys = bundle.unlock_keys_for(made.blob, CONTEXT, output)
    assert bundle.open_bundle(made.blob, CONTEXT, keys).to_bytes() == identity.to_bytes()
    assert keys.proof_verify_key == made.proof_verify_key


def test_wrong_secret_fails_and_gives_another_proof_key(sealed):
    _, _, made = sealed
    keys = bundle.unlock_keys_for(made.blob, CONTEXT, os.urandom(64))
    with pytest.raises(CryptoError):
        bundle.open_bundle(made.blob, CONTEXT, keys)
    assert keys.proof_verify_key != made.proof_verify_key


def test_bundle_of_another_account_or_factor_does_not_open(sealed):
    _, output, made = sealed
    for context in (bundle.bundle_context("b2", "password", 1), bundle.bundle_context("b1", "answer", 1)):
        with pytest.raises(CryptoError):
            bundle.unlock_keys_for(made.blob, context, output)


def params_offset(blob):
    return bundle.read_bundle_header(blob, CONTEXT).head_len - 16 - 8  # u32 opslimit, u32 memlimit, salt


@pytest.mark.parametrize("opslimit,memlimit_kib", [(1, 65536), (3, 8), (2, 1024 * 1024), (0, 0)])
def test_kdf_parameters_below_the_floor_are_refused(sealed, opslimit, memlimit_kib):
    _, output, made = sealed
    at = params_offset(made.blob)
    downgraded = made.blob[:at] + struct.pack(">II", opslimit, memlimit_kib) + made.blob[at + 8 :]
    with pytest.raises(CryptoError):
        bundle.read_bundle_header(downgraded, CONTEXT)


def test_parameters_above_the_floor_but_changed_fail_authentication(sealed):
    _, output, made = sealed
    at = params_offset(made.blob)
    changed = made.blob[:at] + struct.pack(">II", 4, 65536) + made.blob[at + 8 :]
    keys = bundle.unlock_keys_for(changed, CONTEXT, output)
    with pytest.raises(CryptoError):
        bundle.open_bundle(changed, CONTEXT, keys)


def test_unknown_kdf_or_version_is_refused(sealed):
    _, _, made = sealed
    at = params_offset(made.blob) - 1
    for blob in (made.blob[:at] + b"\x02" + made.blob[at + 1 :], b"\x02" + made.blob[1:]):
        with pytest.raises(CryptoError):
            bundle.read_bundle_header(blob, CONTEXT)


def test_new_bundles_use_the_current_parameters_never_stored_ones(sealed):
    _, _, made = sealed
    assert bundle.read_bundle_header(made.blob, CONTEXT).params == unlock.CURRENT
    assert unlock.CURRENT.meets(unlock.FLOOR)


def test_derivation_refuses_weak_parameters():
    with pytest.raises(CryptoError):
        unlock.derive_unlock_keys(os.urandom(64), os.urandom(16), unlock.KdfParams(1, 8 * 1024 * 1024))


def test_guess_proof_is_bound_to_its_challenge():
    keys = unlock.derive_unlock_keys(os.urandom(64), os.urandom(16), unlock.CURRENT)
    challenge = {"purpose": "guess-proof", "account": "b1", "factor": "answer", "challenge": "ab12"}
    proof = keys.prove(challenge)
    unlock.verify_guess_proof(keys.proof_verify_key, challenge, proof)
    for other in (dict(challenge, challenge="ab13"), dict(challenge, account="b2"), dict(challenge, factor="code")):
        with pytest.raises(CryptoError):
            unlock.verify_guess_proof(keys.proof_verify_key, other, proof)


def test_oprf_input_separates_accounts_and_factors():
    a = unlock.oprf_input("b1", "answer", b"x")
    assert a != unlock.oprf_input("b1", "code", b"x") != unlock.oprf_input("b2", "answer", b"x")
    assert unlock.oprf_input("ab", "code", b"") != unlock.oprf_input("a", "code", b"b")


def test_password_normalisation_is_nfkc_only():
    assert unlock.normalise_password("ﬁ Café") == unlock.normalise_password("fi Café")
    assert unlock.normalise_password("Secret") != unlock.normalise_password("secret")
    assert unlock.normalise_password(" a ") != unlock.normalise_password("a")


# Recovery material ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["Le 12/05/1990, à Paris", "  le 12-05-1990 À PARIS ", "LE 12.05.1990 à\tparis!", "ｌｅ 12/05/1990 à paris"],
)
def test_answer_normalisation_rule_1(typed):
    assert recovery.normalise_answer(typed) == recovery.normalise_answer("le 12051990 à paris")


def test_answer_normalisation_keeps_meaningful_differences():
    assert recovery.normalise_answer("Paris") != recovery.normalise_answer("Pari")
    assert recovery.normalise_answer("à") != recovery.normalise_answer("a")
    with pytest.raises(ValueError):
        recovery.normalise_answer(" ?! ")


def test_recovery_code_reads_forgivingly():
    code = recovery.generate_recovery_code()
    assert len(code) == 24 and code.count("-") == 4
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert recovery.normalise_recovery_code(typed) == recovery.normalise_recovery_code(code)
    assert recovery.generate_recovery_code() != code
    with pytest.raises(ValueError):
        recovery.normalise_recovery_code(code[:-1])


# Session records -----------------------------------------------------------------------------


def test_session_round_trip_and_idle_expiry():
    cookie = session.SessionCookie.new()
    blob = session.seal_session(cookie, b"unlocked keys", created=1000, now=1000)
    assert session.open_session(cookie, blob, now=1000 + 1200).payload == b"unlocked keys"
    with pytest.raises(CryptoError):
        session.open_session(cookie, blob, now=1000 + 1201)
    with pytest.raises(CryptoError):  # a clock far behind the record is as suspicious
        session.open_session(cookie, blob, now=1000 - 3600)


def test_session_record_needs_the_cookie_key():
    cookie, thief = session.SessionCookie.new(), session.SessionCookie.new()
    blob = session.seal_session(cookie, b"keys", created=5, now=5)
    stolen_id = session.SessionCookie(cookie.session_id, thief.key)
    with pytest.raises(CryptoError):
        session.open_session(stolen_id, blob, now=5)
    other_session = session.SessionCookie(thief.session_id, cookie.key)
    with pytest.raises(CryptoError):
        session.open_session(other_session, blob, now=5)
    assert session.SessionCookie.decode(cookie.encode()) == cookie


@given(st.binary(max_size=300))
@settings(max_examples=200)
def test_fuzz_bundle_and_session_parsers(data):
    with pytest.raises(CryptoError):
        bundle.read_bundle_header(data, CONTEXT)
    with pytest.raises(CryptoError):
        session.open_session(session.SessionCookie(b"\x00" * 16, b"\x01" * 32), data, now=0)
