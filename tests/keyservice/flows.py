"""What the web app does with the key service, a few lines each, with vaultcore doing the client side."""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

from keyservice.client import Evaluation, KeyServiceClient
from vaultcore import oprf, unlock


def new_id(prefix: str = "account") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def any_blinded() -> bytes:
    """A well-formed blinded element of some input."""
    return oprf.blind(os.urandom(8))[1]


@dataclass(frozen=True)
class Enrolled:
    account: str
    factor: str
    output: bytes
    keys: unlock.UnlockKeys | None  # None when the test needs no real proof key (no Argon2id)
    salt: bytes


def enroll(client: KeyServiceClient, account: str, factor: str, secret: bytes, *, real_keys: bool = True) -> Enrolled:
    data = unlock.oprf_input(account, factor, secret)
    blind, blinded = oprf.blind(data)
    enrollment = client.enroll(account, factor, blinded)
    output = oprf.finalize(data, blind, enrollment.evaluated)
    salt = os.urandom(unlock.SALT_BYTES)
    keys = unlock.derive_unlock_keys(output, salt, unlock.CURRENT) if real_keys else None
    client.commit(account, factor, enrollment.enrollment_id, keys.proof_verify_key if keys else os.urandom(32))
    return Enrolled(account, factor, output, keys, salt)


@dataclass(frozen=True)
class Guess:
    output: bytes
    evaluation: Evaluation
    blinded: bytes


def guess(client: KeyServiceClient, account: str, factor: str, secret: bytes) -> Guess:
    data = unlock.oprf_input(account, factor, secret)
    blind, blinded = oprf.blind(data)
    evaluation = client.evaluate(account, factor, blinded)
    return Guess(oprf.finalize(data, blind, evaluation.evaluated), evaluation, blinded)


def challenge_context(account: str, factor: str, challenge: str) -> dict[str, str]:
    return {"purpose": "guess-proof", "account": account, "factor": factor, "challenge": challenge}


def guess_proof(keys: unlock.UnlockKeys, account: str, factor: str, challenge: str) -> bytes:
    return keys.prove(challenge_context(account, factor, challenge))
