"""One contract, three backends: in-process, HTTP to a process on SQLite, HTTP to a process on
PostgreSQL. The web app must not be able to tell them apart."""
from __future__ import annotations

import base64
import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import pytest

from keyservice.errors import (
    BadRequest,
    GuessesExhausted,
    InvalidChallenge,
    InvalidProof,
    NotEnrolled,
    RateLimited,
    UnknownEnrollment,
    VersionConflict,
)
from vaultcore import publickey, statement, unlock
from vaultcore.keys import BoxKeyPair, IdentityKeys

from .conftest import LOGIN_PER_ACCOUNT, MAX_GUESSES
from .flows import any_blinded, enroll, guess, guess_proof, new_id

RIGHT, WRONG = b"paris", b"lyon"


# OPRF


def test_same_secret_gives_the_same_output_and_another_secret_another(backend):
    account = new_id()
    enrolled = enroll(backend.client, account, "password", b"correct horse", real_keys=False)
    assert guess(backend.client, account, "password", b"correct horse").output == enrolled.output
    assert guess(backend.client, account, "password", b"correct horse!").output != enrolled.output


def test_each_account_and_factor_has_its_own_key(backend):
    first, second = new_id(), new_id()
    outputs = {
        enroll(backend.client, account, factor, RIGHT, real_keys=False).output
        for account in (first, second)
        for factor in ("answer", "code")
    }
    assert len(outputs) == 4


def test_a_failed_enrollment_leaves_the_active_key(backend):
    account = new_id()
    enrolled = enroll(backend.client, account, "password", RIGHT, real_keys=False)
    backend.client.enroll(account, "password", any_blinded())  # never committed
    assert guess(backend.client, account, "password", RIGHT).output == enrolled.output


def test_an_answer_spends_a_guess_per_evaluation(backend):
    account = new_id()
    enroll(backend.client, account, "answer", RIGHT, real_keys=False)
    left = [guess(backend.client, account, "answer", WRONG).evaluation.guesses_left for _ in range(3)]
    assert left == [4, 3, 2]
    assert backend.client.status(account, "answer").guesses_left == 2


def test_after_five_wrong_answers_nothing_the_caller_does_gets_a_sixth(backend):
    client, account = backend.client, new_id()
    enroll(client, account, "answer", RIGHT, real_keys=False)
    last = None
    for _ in range(MAX_GUESSES):
        last = guess(client, account, "answer", WRONG)
    assert last.evaluation.guesses_left == 0

    def refused() -> None:
        with pytest.raises(GuessesExhausted):
            client.evaluate(account, "answer", any_blinded())

    refused()
    with pytest.raises(GuessesExhausted):
        client.evaluate(account, "answer", last.blinded)  # the same request again
    with pytest.raises(InvalidProof):
        client.prove(account, "answer", last.evaluation.challenge, os.urandom(64))
    refused()
    with pytest.raises(InvalidChallenge):
        client.prove(account, "answer", os.urandom(16).hex(), os.urandom(64))
    with pytest.raises(UnknownEnrollment):
        client.commit(account, "answer", os.urandom(16).hex(), os.urandom(32))
    refused()
    with pytest.raises(GuessesExhausted):
        guess(client, account, "answer", RIGHT)  # even the right answer
    status = client.status(account, "answer")
    assert (status.enrolled, status.guesses_left, status.locked) == (True, 0, True)


def test_a_right_answer_proves_itself_and_restores_the_guesses(backend):
    client, account = backend.client, new_id()
    enrolled = enroll(client, account, "answer", RIGHT)
    guess(client, account, "answer", WRONG)
    right = guess(client, account, "answer", RIGHT)
    assert right.output == enrolled.output and right.evaluation.guesses_left == 3
    # The same output and salt give the keys enrolment derived: the web app opens the bundle with them.
    challenge = right.evaluation.challenge
    client.prove(account, "answer", challenge, guess_proof(enrolled.keys, account, "answer", challenge))
    assert client.status(account, "answer").guesses_left == MAX_GUESSES


def test_a_wrong_answer_cannot_prove_itself(backend):
    client, account = backend.client, new_id()
    enrolled = enroll(client, account, "code", RIGHT)
    wrong = guess(client, account, "code", WRONG)
    wrong_keys = unlock.derive_unlock_keys(wrong.output, enrolled.salt, unlock.CURRENT)
    challenge = wrong.evaluation.challenge
    with pytest.raises(InvalidProof):
        client.prove(account, "code", challenge, guess_proof(wrong_keys, account, "code", challenge))
    assert client.status(account, "code").guesses_left == MAX_GUESSES - 1


def test_a_challenge_answers_one_proof_only(backend):
    client, account = backend.client, new_id()
    enrolled = enroll(client, account, "answer", RIGHT)
    challenge = guess(client, account, "answer", RIGHT).evaluation.challenge
    signature = guess_proof(enrolled.keys, account, "answer", challenge)
    client.prove(account, "answer", challenge, signature)
    with pytest.raises(InvalidChallenge):
        client.prove(account, "answer", challenge, signature)


def test_a_challenge_is_consumed_by_a_failed_proof(backend):
    client, account = backend.client, new_id()
    enrolled = enroll(client, account, "answer", RIGHT)
    challenge = guess(client, account, "answer", RIGHT).evaluation.challenge
    with pytest.raises(InvalidProof):
        client.prove(account, "answer", challenge, os.urandom(64))
    with pytest.raises(InvalidChallenge):
        client.prove(account, "answer", challenge, guess_proof(enrolled.keys, account, "answer", challenge))


def test_a_challenge_belongs_to_its_account_and_factor(backend):
    client, account = backend.client, new_id()
    enrolled = enroll(client, account, "answer", RIGHT)
    challenge = guess(client, account, "answer", RIGHT).evaluation.challenge
    for other_account, other_factor in ((new_id(), "answer"), (account, "code")):
        with pytest.raises(InvalidChallenge):
            signature = guess_proof(enrolled.keys, other_account, other_factor, challenge)
            client.prove(other_account, other_factor, challenge, signature)
    # Still there for its own account and factor.
    client.prove(account, "answer", challenge, guess_proof(enrolled.keys, account, "answer", challenge))


def test_not_enrolled(backend):
    account = new_id()
    with pytest.raises(NotEnrolled):
        backend.client.evaluate(account, "answer", any_blinded())
    backend.client.enroll(account, "answer", any_blinded())  # pending only
    with pytest.raises(NotEnrolled):
        backend.client.evaluate(account, "answer", any_blinded())
    status = backend.client.status(account, "answer")
    assert (status.enrolled, status.guesses_left, status.locked) == (False, None, False)


def test_a_malformed_element_is_refused_and_the_guess_stays_spent(backend):
    account = new_id()
    enroll(backend.client, account, "answer", RIGHT, real_keys=False)
    not_a_point = bytes(31) + b"\x01"
    for blinded in (not_a_point, bytes(32), b"\xff" * 32):
        with pytest.raises(BadRequest):
            backend.client.evaluate(account, "answer", blinded)
    assert backend.client.status(account, "answer").guesses_left == MAX_GUESSES - 3
    with pytest.raises(BadRequest):
        backend.client.evaluate(account, "answer", b"short")
    with pytest.raises(BadRequest):
        backend.client.evaluate(account, "pin", any_blinded())


def test_admin_unlock_from_the_command_line(backend):
    client, account = backend.client, new_id()
    enroll(client, account, "answer", RIGHT, real_keys=False)
    for _ in range(MAX_GUESSES):
        client.evaluate(account, "answer", any_blinded())
    assert client.status(account, "answer").locked
    done = backend.cli("unlock", account, "answer")
    assert done.returncode == 0, done.stderr
    assert client.status(account, "answer").guesses_left == MAX_GUESSES
    client.evaluate(account, "answer", any_blinded())
    assert backend.cli("unlock", new_id(), "answer").returncode == 1


def test_admin_unlock_through_the_client(backend):
    client, account = backend.client, new_id()
    enroll(client, account, "code", RIGHT, real_keys=False)
    for _ in range(MAX_GUESSES):
        client.evaluate(account, "code", any_blinded())
    assert client.unlock(account, "code") == MAX_GUESSES
    assert not client.status(account, "code").locked


def test_password_logins_are_rate_limited_per_account(backend):
    client, account = backend.client, new_id()
    enroll(client, account, "password", RIGHT, real_keys=False)
    for _ in range(LOGIN_PER_ACCOUNT):
        assert client.evaluate(account, "password", any_blinded()).guesses_left is None
    with pytest.raises(RateLimited):
        client.evaluate(account, "password", any_blinded())
    other = new_id()
    enroll(client, other, "password", RIGHT, real_keys=False)
    client.evaluate(other, "password", any_blinded())


# Certified public keys and signed records


def test_certify_identity(backend):
    client, owner = backend.client, new_id()
    keys = IdentityKeys.generate()
    record = client.certify_identity(owner, 1, keys.box_public, keys.verify_key, publickey.prove_possession(keys, owner, 1))
    opened = publickey.open_public_key(record, client.platform_keys().keys, owner, "identity")
    assert (opened.version, opened.box_public, opened.verify_key) == (1, keys.box_public, keys.verify_key)
    assert client.high_water("identity", owner) == 1


def test_high_waters_reads_many_subjects_at_once(backend):
    client, signed, never = backend.client, new_id(), new_id()
    keys = IdentityKeys.generate()
    client.certify_identity(signed, 1, keys.box_public, keys.verify_key, publickey.prove_possession(keys, signed, 1))
    assert client.high_waters("identity", [signed, never]) == {signed: 1, never: 0}
    assert client.high_waters("identity", []) == {}
    with pytest.raises(BadRequest):
        client.high_waters("no-such-kind", [signed])
    with pytest.raises(BadRequest):
        client.high_waters("identity", [""])


def test_certify_identity_refuses_a_key_the_caller_does_not_hold(backend):
    client, owner = backend.client, new_id()
    keys, impostor = IdentityKeys.generate(), IdentityKeys.generate()
    bad_proofs = [
        publickey.prove_possession(impostor, owner, 1),  # another key
        publickey.prove_possession(keys, new_id(), 1),  # another owner
        publickey.prove_possession(keys, owner, 2),  # another version
        os.urandom(120),
    ]
    for proof in bad_proofs:
        with pytest.raises(InvalidProof):
            client.certify_identity(owner, 1, keys.box_public, keys.verify_key, proof)
    assert client.high_water("identity", owner) == 0


def test_certify_identity_only_at_the_next_version(backend):
    client, owner = backend.client, new_id()

    def certify(version: int) -> bytes:
        keys = IdentityKeys.generate()
        return client.certify_identity(
            owner, version, keys.box_public, keys.verify_key, publickey.prove_possession(keys, owner, version)
        )

    certify(1)
    for refused in (1, 0, 3):  # replay, rollback, gap
        with pytest.raises(VersionConflict):
            certify(refused)
    certify(2)
    with pytest.raises(VersionConflict):
        certify(1)
    assert client.high_water("identity", owner) == 2


def test_certify_structure_generations(backend):
    client, structure = backend.client, new_id("structure")
    first, second = BoxKeyPair.generate(), BoxKeyPair.generate()
    client.certify_structure(structure, 1, first.public)
    record = client.certify_structure(structure, 2, second.public)
    with pytest.raises(VersionConflict):
        client.certify_structure(structure, 2, first.public)
    opened = publickey.open_current_public_key(record, client.platform_keys().keys, structure, "structure", 2)
    assert opened.box_public == second.public
    assert client.high_water("structure", structure) == 2 and client.high_water("identity", structure) == 0


def test_certify_review_key_versions(backend):
    client = backend.client
    version = client.high_water("review", "platform") + 1
    keys = BoxKeyPair.generate()
    record = client.certify_review(version, keys.public)
    with pytest.raises(VersionConflict):
        client.certify_review(version, BoxKeyPair.generate().public)
    opened = publickey.open_current_public_key(record, client.platform_keys().keys, "platform", "review", version)
    assert opened.box_public == keys.public and client.high_water("review", "platform") == version


@pytest.mark.parametrize("purpose,subject_field", [("roster", "structure"), ("shared-part-epoch", "owner"),
                                                  ("affiliation-set", "owner"), ("journal-head", "account")])
def test_sign_record_at_the_next_version_only(backend, purpose, subject_field):
    client, subject = backend.client, new_id()
    context = {"purpose": purpose, subject_field: subject, "version": 1}
    record = client.sign_record(context, b"body one")
    opened = statement.open_exact_statement(record, client.platform_keys().keys, context)
    assert opened.body == b"body one"
    client.sign_record(dict(context, version=2), b"body two")
    for version in (2, 1, 0, 4):
        with pytest.raises(VersionConflict):
            client.sign_record(dict(context, version=version), b"again")
    assert client.high_water(purpose, subject) == 2


def test_sign_record_refuses_other_purposes_and_other_fields(backend):
    client, subject = backend.client, new_id()
    refused_contexts = [
        {"purpose": "public-key", "owner": subject, "role": "identity", "version": 1},
        {"purpose": "item-seal", "item": subject, "version": 1},
        {"purpose": "affiliation-consent", "owner": subject, "version": 1},
        {"purpose": "no-such-purpose", "structure": subject, "version": 1},
        {"purpose": "roster", "structure": subject, "version": 1, "note": "extra"},
        {"purpose": "roster", "owner": subject, "version": 1},
        {"purpose": "roster", "structure": subject},
        {"purpose": "roster", "structure": subject, "version": "1"},
    ]
    for context in refused_contexts:
        with pytest.raises(BadRequest):
            client.sign_record(context, b"body")
    assert client.high_water("roster", subject) == 0


def test_rotation_keeps_old_records_verifiable(backend):
    client, owner = backend.client, new_id()
    before = client.platform_keys()
    old_record = client.certify_structure(owner, 1, BoxKeyPair.generate().public)
    rotated = backend.cli("rotate-signing-key")
    assert rotated.returncode == 0, rotated.stderr
    after = client.platform_keys()
    assert after.active == base64.b64decode(rotated.stdout.strip()) != before.active
    assert set(before.keys) < set(after.keys) and after.keys[0] == after.active
    new_record = client.certify_structure(owner, 2, BoxKeyPair.generate().public)
    assert statement.open_statement(new_record, [after.active], "public-key").signer == after.active
    publickey.open_public_key(old_record, after.keys, owner, "structure")
    listed = backend.cli("platform-keys").stdout.split()
    assert [base64.b64decode(key) for key in listed] == list(after.keys)


# Crypto-shredding


def test_deleting_an_account_shreds_its_keys_and_keeps_its_high_water_marks(backend):
    client, account = backend.client, new_id()
    enrolled = enroll(client, account, "password", RIGHT, real_keys=False)
    enroll(client, account, "answer", RIGHT, real_keys=False)
    keys = IdentityKeys.generate()
    client.certify_identity(account, 1, keys.box_public, keys.verify_key, publickey.prove_possession(keys, account, 1))
    client.delete_account(account)
    for factor in ("password", "answer"):
        with pytest.raises(NotEnrolled):
            client.evaluate(account, factor, any_blinded())
        assert not client.status(account, factor).enrolled
    again = enroll(client, account, "password", RIGHT, real_keys=False)
    assert again.output != enrolled.output  # the old bundles stay sealed
    with pytest.raises(VersionConflict):
        client.certify_identity(account, 1, keys.box_public, keys.verify_key, publickey.prove_possession(keys, account, 1))


def test_forgetting_a_factor_shreds_it_alone(backend):
    client, account = backend.client, new_id()
    password = enroll(client, account, "password", RIGHT, real_keys=False)
    answer = enroll(client, account, "answer", RIGHT, real_keys=False)
    client.enroll(account, "answer", any_blinded())  # a pending key goes too
    client.forget_factor(account, "answer")
    with pytest.raises(NotEnrolled):
        client.evaluate(account, "answer", any_blinded())
    assert not client.status(account, "answer").enrolled
    assert guess(client, account, "password", RIGHT).output == password.output
    client.forget_factor(account, "answer")  # a retry after a lost answer succeeds
    again = enroll(client, account, "answer", RIGHT, real_keys=False)
    assert again.output != answer.output  # an old bundle of the answer stays sealed


def test_forget_factor_checks_its_fields(backend):
    with pytest.raises(BadRequest):
        backend.client.forget_factor(new_id(), "fingerprint")


def test_deleted_keys_leave_no_bytes_in_the_sqlite_files(backend):
    if backend.sqlite_path is None:
        pytest.skip("PostgreSQL files are not the test's to read")
    client, account = backend.client, new_id()
    for factor in ("password", "answer", "code"):
        enroll(client, account, factor, RIGHT, real_keys=False)
    client.enroll(account, "code", any_blinded())  # a pending key too
    guess(client, account, "answer", WRONG)  # and a challenge
    secrets_stored = _stored_secrets(backend.sqlite_path, account)
    assert len(secrets_stored) == 7  # three active keys, one pending, three proof keys
    assert all(secret in _sqlite_bytes(backend.sqlite_path) for secret in secrets_stored)
    client.delete_account(account)
    remaining = _sqlite_bytes(backend.sqlite_path)
    assert not [secret for secret in secrets_stored if secret in remaining]


def _stored_secrets(path, account: str) -> list[bytes]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        rows = connection.execute(
            "SELECT active_key, pending_key, proof_verify_key FROM oprf_keys WHERE account = ?", (account,)
        ).fetchall()
    return [value for row in rows for value in row if value is not None]


def _sqlite_bytes(path) -> bytes:
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    return b"".join(file.read_bytes() for file in files if file.exists())


# Logs


def test_the_log_holds_no_element_challenge_signature_or_token(backend):
    client, account = backend.client, new_id()
    enrolled = enroll(client, account, "answer", RIGHT)
    right = guess(client, account, "answer", RIGHT)
    signature = guess_proof(enrolled.keys, account, "answer", right.evaluation.challenge)
    client.prove(account, "answer", right.evaluation.challenge, signature)
    keys = IdentityKeys.generate()
    possession = publickey.prove_possession(keys, account, 1)
    record = client.certify_identity(account, 1, keys.box_public, keys.verify_key, possession)
    secrets_used = [right.blinded, right.evaluation.evaluated, signature, possession, record, enrolled.output]
    challenge = right.evaluation.challenge
    forms = {base64.b64encode(secret).decode() for secret in secrets_used}
    forms |= {secret.hex() for secret in secrets_used}
    forms |= {challenge, base64.b64encode(bytes.fromhex(challenge)).decode()}
    if backend.process is not None:
        forms |= {backend.process.token, backend.process.admin_token}
    log = backend.log_text()
    assert f"op=evaluate account='{account}' factor=answer outcome=ok guesses_left=4" in log
    assert f"op=prove account='{account}' factor=answer outcome=ok guesses_left=5" in log
    assert not [form for form in forms if form in log]


# Concurrency


def test_concurrent_guesses_never_exceed_the_bound(backend):
    client, account = backend.client, new_id()
    enroll(client, account, "answer", RIGHT, real_keys=False)

    def attempt(_: int) -> str:
        try:
            client.evaluate(account, "answer", any_blinded())
            return "evaluated"
        except GuessesExhausted:
            return "locked"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(attempt, range(16)))
    assert outcomes.count("evaluated") == MAX_GUESSES
    assert outcomes.count("locked") == 16 - MAX_GUESSES


def test_concurrent_claims_of_one_version_give_one_record(backend):
    client, structure = backend.client, new_id("structure")

    def claim(_: int) -> str:
        try:
            client.sign_record({"purpose": "roster", "structure": structure, "version": 1}, b"members")
            return "signed"
        except VersionConflict:
            return "conflict"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(claim, range(8)))
    assert outcomes.count("signed") == 1
