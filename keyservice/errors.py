"""The named refusals of the key service, each with a stable code and HTTP status.

The same classes are raised in-process by `service.KeyService` and, on the caller's side, by
`client.HttpKeyServiceClient` when the server answers `{"error": code}`, so the web app handles one
set of exceptions whichever client it holds. Messages never carry a submitted value.
"""
from __future__ import annotations


class ConfigError(Exception):
    """The environment does not describe a service that may start."""


class KeyServiceError(Exception):
    code = "internal"
    status = 500
    default_message = "the key service failed"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)


class BadRequest(KeyServiceError):
    code = "bad_request"
    status = 400
    default_message = "malformed request"


class Unauthorized(KeyServiceError):
    code = "unauthorized"
    status = 401
    default_message = "missing or wrong caller token"


class Forbidden(KeyServiceError):
    code = "forbidden"
    status = 403
    default_message = "not allowed for this caller"


class InvalidProof(KeyServiceError):
    code = "invalid_proof"
    status = 403
    default_message = "the proof does not verify"


class InvalidChallenge(KeyServiceError):
    code = "invalid_challenge"
    status = 403
    default_message = "unknown, used or expired challenge"


class NotFound(KeyServiceError):
    code = "not_found"
    status = 404
    default_message = "no such endpoint"


class NotEnrolled(KeyServiceError):
    code = "not_enrolled"
    status = 404
    default_message = "no key for this account and factor"


class UnknownEnrollment(KeyServiceError):
    code = "unknown_enrollment"
    status = 404
    default_message = "no pending enrollment with this id"


class MethodNotAllowed(KeyServiceError):
    code = "method_not_allowed"
    status = 405
    default_message = "method not allowed"


class VersionConflict(KeyServiceError):
    code = "version_conflict"
    status = 409
    default_message = "the version is not the high-water mark plus one"


class PayloadTooLarge(KeyServiceError):
    code = "too_large"
    status = 413
    default_message = "request body too large"


class GuessesExhausted(KeyServiceError):
    code = "locked"
    status = 423
    default_message = "no guesses left: an administrator must unlock"


class RateLimited(KeyServiceError):
    code = "rate_limited"
    status = 429
    default_message = "too many attempts, try later"


class KeyServiceUnavailable(KeyServiceError):
    code = "unavailable"
    status = 503
    default_message = "the key service cannot be reached"


ERRORS_BY_CODE: dict[str, type[KeyServiceError]] = {
    error.code: error
    for error in (
        KeyServiceError,
        BadRequest,
        Unauthorized,
        Forbidden,
        InvalidProof,
        InvalidChallenge,
        NotFound,
        NotEnrolled,
        UnknownEnrollment,
        MethodNotAllowed,
        VersionConflict,
        PayloadTooLarge,
        GuessesExhausted,
        RateLimited,
        KeyServiceUnavailable,
    )
}
