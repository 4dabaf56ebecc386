"""The key service's domain logic: the secrets the web app must never hold, and the rules on them.

- Platform signing keys (Ed25519): certify public keys and sign versioned records, only ever at
  version `high_water + 1`, so an old record replayed into the web database is recognisably stale.
- One random OPRF key per account and factor (RFC 9497): every guess at a password, secret answer
  or recovery code is a round trip here, where answers and codes are counted and passwords are
  rate-limited.
- Crypto-shredding: deleting an account's OPRF keys makes every bundle of that account unopenable.

Time comes from the injected `clock`, so tests control expiry and rate-limit windows. Every public
method logs one line: operation, account, factor, outcome, guesses left; never a key, element,
challenge or signature.
"""
from __future__ import annotations

import logging
import os
import secrets
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator

from sqlalchemy import Connection, Engine, delete, insert, select, update

from vaultcore import oprf, publickey, signing, statement, unlock
from vaultcore.errors import CryptoError

from . import storage
from .config import Config, LoginLimits
from .errors import (
    BadRequest,
    GuessesExhausted,
    InvalidChallenge,
    InvalidProof,
    KeyServiceError,
    NotEnrolled,
    RateLimited,
    UnknownEnrollment,
    VersionConflict,
)
from .storage import challenges, high_water_marks, oprf_keys, platform_keys, rate_limit_windows

log = logging.getLogger("keyservice")

CHALLENGE_TTL_SECONDS = 300.0
CHALLENGE_BYTES = 16
COUNTED_FACTORS = frozenset({"answer", "code"})
PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64
MAX_VERSION = 2**63 - 1  # the high-water column is a signed 64-bit integer
# Records the key service signs, each with the context field naming its subject.
SIGNED_RECORD_SUBJECTS = {
    "roster": "structure",
    "shared-part-epoch": "owner",
    "affiliation-set": "owner",
    "journal-head": "account",
}
HIGH_WATER_KINDS = frozenset({*publickey.ROLES, *SIGNED_RECORD_SUBJECTS})
MAX_HIGH_WATER_SUBJECTS = 10_000


@dataclass(frozen=True)
class PlatformKeys:
    """Verify keys of every platform signing key, the active one first."""

    active: bytes
    keys: tuple[bytes, ...]


@dataclass(frozen=True)
class Enrollment:
    enrollment_id: str
    evaluated: bytes


@dataclass(frozen=True)
class Evaluation:
    evaluated: bytes
    challenge: str
    guesses_left: int | None  # None for the password factor, which is rate-limited instead


@dataclass(frozen=True)
class FactorStatus:
    enrolled: bool
    guesses_left: int | None
    locked: bool


@dataclass(frozen=True)
class _Signer:
    secret_key: bytes = field(repr=False)
    verify_key: bytes


class KeyService:
    def __init__(
        self,
        engine: Engine,
        *,
        max_guesses: int = 5,
        login_limits: LoginLimits = LoginLimits(),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._engine = engine
        self._max_guesses = max_guesses
        self._login_limits = login_limits
        self._clock = clock
        self._ensure_platform_key()

    @classmethod
    def from_config(cls, config: Config, clock: Callable[[], float] = time.time) -> "KeyService":
        return cls(
            storage.open_engine(config.database_url),
            max_guesses=config.max_guesses,
            login_limits=config.login_limits,
            clock=clock,
        )

    def close(self) -> None:
        """Close pooled connections (before a fork, or at the end)."""
        self._engine.dispose()

    # Platform signing keys

    def platform_keys(self) -> PlatformKeys:
        with _logged("platform-keys"):
            with self._engine.connect() as conn:
                seeds = conn.scalars(
                    select(platform_keys.c.seed).order_by(platform_keys.c.active.desc(), platform_keys.c.id.desc())
                ).all()
            keys = tuple(signing.verify_key_from_seed(seed) for seed in seeds)
            return PlatformKeys(keys[0], keys)

    def rotate_signing_key(self) -> bytes:
        """A new active key; the old ones stay published so what they signed still verifies."""
        with _logged("rotate-signing-key"):
            with self._engine.begin() as conn:
                conn.execute(update(platform_keys).where(platform_keys.c.active).values(active=False))
                return self._insert_active_key(conn)

    def _ensure_platform_key(self) -> None:
        with self._engine.begin() as conn:
            if conn.execute(select(platform_keys.c.id).limit(1)).first() is None:
                self._insert_active_key(conn)

    def _insert_active_key(self, conn: Connection) -> bytes:
        seed = os.urandom(signing.SEED_BYTES)
        conn.execute(insert(platform_keys).values(seed=seed, created=self._clock(), active=True))
        return signing.verify_key_from_seed(seed)

    @staticmethod
    def _active_signer(conn: Connection) -> _Signer:
        seed = conn.scalars(select(platform_keys.c.seed).where(platform_keys.c.active)).one()
        return _Signer(signing.secret_key_from_seed(seed), signing.verify_key_from_seed(seed))

    # Certified public keys and signed records

    def certify_identity(
        self, owner: str, version: int, box_public: bytes, verify_key: bytes, possession: bytes
    ) -> bytes:
        """The platform's `public-key` record of an identity whose signing key signed `possession`."""
        with _logged("certify-identity", owner, subject_label="owner"):
            record = publickey.PublicKeyRecord(
                _identifier(owner, "owner"),
                publickey.ROLE_IDENTITY,
                _version(version),
                _exact_bytes(box_public, PUBLIC_KEY_BYTES, "box_public"),
                _exact_bytes(verify_key, PUBLIC_KEY_BYTES, "verify_key"),
            )
            try:
                publickey.check_possession(_bytes(possession, "possession"), record)
            except CryptoError:
                raise InvalidProof() from None
            return self._certify(record)

    def certify_structure(self, owner: str, generation: int, box_public: bytes) -> bytes:
        with _logged("certify-structure", owner, subject_label="owner"):
            record = publickey.PublicKeyRecord(
                _identifier(owner, "owner"),
                publickey.ROLE_STRUCTURE,
                _version(generation, "generation"),
                _exact_bytes(box_public, PUBLIC_KEY_BYTES, "box_public"),
                None,
            )
            return self._certify(record)

    def certify_review(self, version: int, box_public: bytes) -> bytes:
        """The platform review key, whose private half only administrators hold (`vaultcore/review.py`)."""
        with _logged("certify-review", publickey.REVIEW_OWNER, subject_label="owner"):
            record = publickey.PublicKeyRecord(
                publickey.REVIEW_OWNER,
                publickey.ROLE_REVIEW,
                _version(version),
                _exact_bytes(box_public, PUBLIC_KEY_BYTES, "box_public"),
                None,
            )
            return self._certify(record)

    def _certify(self, record: publickey.PublicKeyRecord) -> bytes:
        with self._engine.begin() as conn:
            self._advance_high_water(conn, record.role, record.owner, record.version)
            signer = self._active_signer(conn)
            return publickey.certify(signer.secret_key, signer.verify_key, record)

    def sign_record(self, context: dict, body: bytes) -> bytes:
        """A roster, shared-part epoch, affiliation set or journal head, at exactly the next version of
        its subject."""
        with _logged("sign-record", _subject_for_log(context), subject_label="subject"):
            purpose, subject, version = _record_context(context)
            body = _bytes(body, "body")
            if len(body) > statement.MAX_BODY_BYTES:
                raise BadRequest("body too long")
            signed_context = {"purpose": purpose, SIGNED_RECORD_SUBJECTS[purpose]: subject, "version": version}
            with self._engine.begin() as conn:
                self._advance_high_water(conn, purpose, subject, version)
                signer = self._active_signer(conn)
                return statement.sign_statement(signer.secret_key, signer.verify_key, signed_context, body)

    def high_water(self, kind: str, subject: str) -> int:
        """The highest version signed for (kind, subject); 0 when none."""
        with _logged("high-water", subject, subject_label="subject"):
            if not isinstance(kind, str) or kind not in HIGH_WATER_KINDS:
                raise BadRequest(f"kind must be one of {', '.join(sorted(HIGH_WATER_KINDS))}")
            subject = _identifier(subject, "subject")
            with self._engine.connect() as conn:
                version = conn.scalars(
                    select(high_water_marks.c.version).where(
                        high_water_marks.c.kind == kind, high_water_marks.c.subject == subject
                    )
                ).one_or_none()
            return version or 0

    def high_waters(self, kind: str, subjects: list[str]) -> dict[str, int]:
        """`high_water` for many subjects in one call: what a structure rotation reads for thousands
        of beneficiaries. Subjects never signed for answer 0."""
        with _logged("high-waters"):
            if not isinstance(kind, str) or kind not in HIGH_WATER_KINDS:
                raise BadRequest(f"kind must be one of {', '.join(sorted(HIGH_WATER_KINDS))}")
            if not isinstance(subjects, list) or len(subjects) > MAX_HIGH_WATER_SUBJECTS:
                raise BadRequest(f"subjects must be a list of at most {MAX_HIGH_WATER_SUBJECTS} identifiers")
            wanted = {_identifier(subject, "subject") for subject in subjects}
            found: dict[str, int] = {}
            ordered = sorted(wanted)
            with self._engine.connect() as conn:
                for start in range(0, len(ordered), 500):
                    chunk = ordered[start:start + 500]
                    found.update((subject, version) for subject, version in conn.execute(
                        select(high_water_marks.c.subject, high_water_marks.c.version).where(
                            high_water_marks.c.kind == kind, high_water_marks.c.subject.in_(chunk))))
            return {subject: found.get(subject, 0) for subject in ordered}

    @staticmethod
    def _advance_high_water(conn: Connection, kind: str, subject: str, version: int) -> None:
        """Claim `version` in the caller's transaction. Anything but mark + 1 is a rollback, a replay
        or a gap; the conditional write makes two concurrent claims of one version fail for one."""
        if version < 1:
            raise VersionConflict()
        if version == 1:
            claimed = storage.insert_if_absent(
                conn,
                high_water_marks,
                {"kind": kind, "subject": subject, "version": 1},
                unique=["kind", "subject"],
            )
        else:
            marks = high_water_marks
            claimed = conn.execute(
                update(marks)
                .where(marks.c.kind == kind, marks.c.subject == subject, marks.c.version == version - 1)
                .values(version=version)
            ).rowcount == 1
        if not claimed:
            raise VersionConflict()

    # OPRF keys, guesses and proofs

    def enroll(self, account: str, factor: str, blinded: bytes) -> Enrollment:
        """Evaluate with a new random key kept pending: the active key stays usable until commit."""
        with _logged("enroll", account, factor):
            account, factor = _identifier(account, "account"), _factor(factor)
            blinded = _exact_bytes(blinded, oprf.ELEMENT_BYTES, "blinded")
            key, _public = oprf.generate_key_pair()
            evaluated = _blind_evaluate(key, blinded)
            enrollment_id = secrets.token_hex(16)
            now = self._clock()
            with self._engine.begin() as conn:
                storage.upsert(
                    conn,
                    oprf_keys,
                    key={"account": account, "factor": factor},
                    values={"pending_key": key, "enrollment_id": enrollment_id, "updated": now},
                    on_insert={"guesses_left": 0, "created": now},
                )
            return Enrollment(enrollment_id, evaluated)

    def commit(self, account: str, factor: str, enrollment_id: str, proof_verify_key: bytes) -> None:
        """The pending key replaces the active one, with a full set of guesses. Nothing made under
        the old key opens with the new one, so this never buys guesses against old material."""
        with _logged("commit", account, factor) as entry:
            account, factor = _identifier(account, "account"), _factor(factor)
            if not isinstance(enrollment_id, str):
                raise BadRequest("enrollment_id must be a string")
            proof_verify_key = _exact_bytes(proof_verify_key, PUBLIC_KEY_BYTES, "proof_verify_key")
            with self._engine.begin() as conn:
                committed = conn.execute(
                    update(oprf_keys)
                    .where(
                        *_row_of(account, factor),
                        oprf_keys.c.enrollment_id == enrollment_id,
                        oprf_keys.c.pending_key.is_not(None),
                    )
                    .values(
                        active_key=oprf_keys.c.pending_key,
                        pending_key=None,
                        enrollment_id=None,
                        proof_verify_key=proof_verify_key,
                        guesses_left=self._max_guesses,
                        updated=self._clock(),
                    )
                ).rowcount
                if not committed:
                    raise UnknownEnrollment()
                # Challenges answer evaluations under the old key.
                conn.execute(delete(challenges).where(*_challenges_of(account, factor)))
            entry.guesses_left = self._max_guesses

    def evaluate(self, account: str, factor: str, blinded: bytes) -> Evaluation:
        """One guess: a guess is spent (answer, code) or a login counted (password) and committed
        before the evaluation, so a failure later never gives it back."""
        with _logged("evaluate", account, factor) as entry:
            account, factor = _identifier(account, "account"), _factor(factor)
            blinded = _exact_bytes(blinded, oprf.ELEMENT_BYTES, "blinded")
            if factor in COUNTED_FACTORS:
                key, guesses_left = self._spend_guess(account, factor)
            else:
                self._count_login(account)
                key, guesses_left = self._active_key(account, factor), None
            entry.guesses_left = guesses_left
            evaluated = _blind_evaluate(key, blinded)
            return Evaluation(evaluated, self._issue_challenge(account, factor), guesses_left)

    def prove(self, account: str, factor: str, challenge: str, signature: bytes) -> None:
        """Only the right secret yields the proof key registered at commit: a valid signature over
        the challenge restores the full count of guesses."""
        with _logged("prove", account, factor) as entry:
            account, factor = _identifier(account, "account"), _factor(factor)
            if not isinstance(challenge, str) or len(challenge) > 2 * CHALLENGE_BYTES:
                raise BadRequest("challenge must be the hex string evaluate returned")
            signature = _exact_bytes(signature, SIGNATURE_BYTES, "signature")
            self._consume_challenge(account, factor, challenge)
            proof_verify_key = self._proof_verify_key(account, factor)
            context = {"purpose": "guess-proof", "account": account, "factor": factor, "challenge": challenge}
            try:
                unlock.verify_guess_proof(proof_verify_key, context, signature)
            except CryptoError:
                raise InvalidProof() from None
            with self._engine.begin() as conn:
                # Only for the key that verified: a commit in between has its own count.
                conn.execute(
                    update(oprf_keys)
                    .where(*_row_of(account, factor), oprf_keys.c.proof_verify_key == proof_verify_key)
                    .values(guesses_left=self._max_guesses, updated=self._clock())
                )
            entry.guesses_left = self._max_guesses

    def status(self, account: str, factor: str) -> FactorStatus:
        with _logged("status", account, factor) as entry:
            account, factor = _identifier(account, "account"), _factor(factor)
            with self._engine.connect() as conn:
                row = conn.execute(
                    select(oprf_keys.c.active_key.is_not(None).label("enrolled"), oprf_keys.c.guesses_left).where(
                        *_row_of(account, factor)
                    )
                ).first()
            if row is None or not row.enrolled:
                return FactorStatus(enrolled=False, guesses_left=None, locked=False)
            if factor not in COUNTED_FACTORS:
                return FactorStatus(enrolled=True, guesses_left=None, locked=False)
            entry.guesses_left = row.guesses_left
            return FactorStatus(enrolled=True, guesses_left=row.guesses_left, locked=row.guesses_left == 0)

    def unlock(self, account: str, factor: str) -> int:
        """Administrator only: restore the full count of guesses. Returns it."""
        with _logged("unlock", account, factor) as entry:
            account, factor = _identifier(account, "account"), _factor(factor)
            with self._engine.begin() as conn:
                unlocked = conn.execute(
                    update(oprf_keys)
                    .where(*_row_of(account, factor), oprf_keys.c.active_key.is_not(None))
                    .values(guesses_left=self._max_guesses, updated=self._clock())
                ).rowcount
            if not unlocked:
                raise NotEnrolled()
            entry.guesses_left = self._max_guesses
            return self._max_guesses

    def delete_account(self, account: str) -> None:
        """Crypto-shredding: every OPRF key (active and pending), proof key and challenge of the
        account goes, so no bundle of it opens again, even from an old copy of the web database.

        High-water marks stay: they keep version numbers from being reused. The freed space is
        then reclaimed (`storage.reclaim_deleted_space`): SQLite has zeroed it (`secure_delete`)
        and its WAL is truncated; PostgreSQL runs `VACUUM` on the OPRF table, in autocommit, so
        dead tuples holding the scalars are pruned rather than kept for later readers.
        """
        with _logged("delete-account", account):
            account = _identifier(account, "account")
            with self._engine.begin() as conn:
                conn.execute(delete(oprf_keys).where(oprf_keys.c.account == account))
                conn.execute(delete(challenges).where(challenges.c.account == account))
            if not storage.reclaim_deleted_space(self._engine, oprf_keys):
                log.warning("op=delete-account the SQLite WAL was busy: deleted keys stay there until a checkpoint")

    def forget_factor(self, account: str, factor: str) -> None:
        """Drop one factor of an account (active and pending key, proof key, challenges): its bundles,
        including old copies of them, never open again. Used when an account's identity is rotated
        and the keys its recovery factors sealed are retired (`webapp/accounts/identity.py`).
        Forgetting a factor that is not enrolled is not an error: a retried call succeeds."""
        with _logged("forget-factor", account, factor):
            account, factor = _identifier(account, "account"), _factor(factor)
            with self._engine.begin() as conn:
                conn.execute(delete(oprf_keys).where(*_row_of(account, factor)))
                conn.execute(delete(challenges).where(*_challenges_of(account, factor)))
            if not storage.reclaim_deleted_space(self._engine, oprf_keys):
                log.warning("op=forget-factor the SQLite WAL was busy: deleted keys stay there until a checkpoint")

    def _spend_guess(self, account: str, factor: str) -> tuple[bytes, int]:
        with self._engine.begin() as conn:
            spent = conn.execute(
                update(oprf_keys)
                .where(*_row_of(account, factor), oprf_keys.c.active_key.is_not(None), oprf_keys.c.guesses_left > 0)
                .values(guesses_left=oprf_keys.c.guesses_left - 1, updated=self._clock())
                .returning(oprf_keys.c.active_key, oprf_keys.c.guesses_left)
            ).first()
        if spent is None:
            self._active_key(account, factor)  # NotEnrolled takes precedence over locked
            raise GuessesExhausted()
        return spent.active_key, spent.guesses_left

    def _count_login(self, account: str) -> None:
        limits, now = self._login_limits, self._clock()
        with self._engine.begin() as conn:
            # The account's window first: one busy account does not use up everyone's budget.
            allowed = _take_from_window(
                conn, f"login:account:{account}", limits.per_account, limits.window_seconds, now
            ) and _take_from_window(conn, "login:global", limits.global_count, limits.global_window_seconds, now)
        if not allowed:
            raise RateLimited()

    def _active_key(self, account: str, factor: str) -> bytes:
        return self._enrolled_column(oprf_keys.c.active_key, account, factor)

    def _proof_verify_key(self, account: str, factor: str) -> bytes:
        return self._enrolled_column(oprf_keys.c.proof_verify_key, account, factor)

    def _enrolled_column(self, column, account: str, factor: str) -> bytes:
        with self._engine.connect() as conn:
            value = conn.scalars(
                select(column).where(*_row_of(account, factor), oprf_keys.c.active_key.is_not(None))
            ).one_or_none()
        if value is None:
            raise NotEnrolled()
        return value

    def _issue_challenge(self, account: str, factor: str) -> str:
        nonce, now = secrets.token_hex(CHALLENGE_BYTES), self._clock()
        with self._engine.begin() as conn:
            conn.execute(delete(challenges).where(challenges.c.expires <= now))
            conn.execute(
                insert(challenges).values(
                    nonce=nonce, account=account, factor=factor, expires=now + CHALLENGE_TTL_SECONDS
                )
            )
        return nonce

    def _consume_challenge(self, account: str, factor: str, challenge: str) -> None:
        """A challenge answers at most one proof, right or wrong."""
        with self._engine.begin() as conn:
            expires = conn.scalars(
                delete(challenges)
                .where(challenges.c.nonce == challenge, *_challenges_of(account, factor))
                .returning(challenges.c.expires)
            ).one_or_none()
        if expires is None or expires <= self._clock():
            raise InvalidChallenge()


def _take_from_window(conn: Connection, scope: str, limit: int, window_seconds: float, now: float) -> bool:
    """Count one attempt in `scope`'s fixed window; False when the window is full. Each step is a
    conditional write, so concurrent callers cannot both take the last place."""
    windows = rate_limit_windows
    restarted = conn.execute(
        update(windows)
        .where(windows.c.scope == scope, windows.c.window_start <= now - window_seconds)
        .values(window_start=now, count=1)
    ).rowcount
    if restarted or storage.insert_if_absent(
        conn, windows, {"scope": scope, "window_start": now, "count": 1}, unique=["scope"]
    ):
        return True
    counted = conn.execute(
        update(windows).where(windows.c.scope == scope, windows.c.count < limit).values(count=windows.c.count + 1)
    ).rowcount
    return counted == 1


def _row_of(account: str, factor: str) -> tuple:
    return oprf_keys.c.account == account, oprf_keys.c.factor == factor


def _challenges_of(account: str, factor: str) -> tuple:
    return challenges.c.account == account, challenges.c.factor == factor


def _blind_evaluate(key: bytes, blinded: bytes) -> bytes:
    try:
        return oprf.blind_evaluate(key, blinded)
    except CryptoError:
        raise BadRequest("blinded is not a valid ristretto255 element") from None


def _record_context(context: object) -> tuple[str, str, int]:
    if not isinstance(context, dict):
        raise BadRequest("context must be an object")
    purpose = context.get("purpose")
    if not isinstance(purpose, str) or purpose not in SIGNED_RECORD_SUBJECTS:
        raise BadRequest(f"purpose must be one of {', '.join(sorted(SIGNED_RECORD_SUBJECTS))}")
    subject_field = SIGNED_RECORD_SUBJECTS[purpose]
    if set(context) != {"purpose", subject_field, "version"}:
        raise BadRequest(f"a {purpose} context has exactly the fields purpose, {subject_field}, version")
    return purpose, _identifier(context[subject_field], subject_field), _version(context["version"])


def _identifier(value: object, name: str) -> str:
    if not _is_identifier(value):
        raise BadRequest(f"{name} must be 1 to {storage.IDENTIFIER_LENGTH} printable characters")
    return value


def _is_identifier(value: object) -> bool:
    return isinstance(value, str) and 1 <= len(value) <= storage.IDENTIFIER_LENGTH and value.isprintable()


def _factor(value: object) -> str:
    if not isinstance(value, str) or value not in unlock.FACTORS:
        raise BadRequest(f"factor must be one of {', '.join(sorted(unlock.FACTORS))}")
    return value


def _version(value: object, name: str = "version") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_VERSION:
        raise BadRequest(f"{name} must be an integer from 0 to 2^63-1")
    return value


def _bytes(value: object, name: str) -> bytes:
    if not isinstance(value, (bytes, bytearray)):
        raise BadRequest(f"{name} must be bytes")
    return bytes(value)


def _exact_bytes(value: object, length: int, name: str) -> bytes:
    data = _bytes(value, name)
    if len(data) != length:
        raise BadRequest(f"{name} must be {length} bytes")
    return data


def _subject_for_log(context: object) -> object:
    if not isinstance(context, dict) or not isinstance(context.get("purpose"), str):
        return None
    subject_field = SIGNED_RECORD_SUBJECTS.get(context["purpose"])
    return context.get(subject_field) if subject_field else None


@dataclass
class _LogEntry:
    operation: str
    subject_label: str
    subject: object
    factor: object
    outcome: str = "error"
    guesses_left: int | None = None

    def line(self) -> str:
        # Identifiers are the caller's; anything that is not a valid one is not echoed.
        subject = repr(self.subject) if _is_identifier(self.subject) else "-"
        factor = self.factor if isinstance(self.factor, str) and self.factor in unlock.FACTORS else "-"
        guesses = "-" if self.guesses_left is None else self.guesses_left
        return (
            f"op={self.operation} {self.subject_label}={subject} factor={factor} "
            f"outcome={self.outcome} guesses_left={guesses}"
        )


@contextmanager
def _logged(
    operation: str, account: object = None, factor: object = None, *, subject_label: str = "account"
) -> Iterator[_LogEntry]:
    entry = _LogEntry(operation, subject_label, account, factor)
    try:
        yield entry
        entry.outcome = "ok"
    except KeyServiceError as error:
        entry.outcome = error.code
        if isinstance(error, GuessesExhausted):
            entry.guesses_left = 0
        raise
    finally:
        log.info(entry.line())
