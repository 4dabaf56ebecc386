"""Named errors of the accounts domain. Messages are for logs; the interface shows its own words."""


class AccountError(Exception):
    code = "account_error"


class InvalidCredentials(AccountError):
    """Wrong identifier or password: deliberately one error for both (no account enumeration)."""

    code = "invalid_credentials"


class TooManyAttempts(AccountError):
    code = "too_many_attempts"


class WeakPassword(AccountError):
    code = "weak_password"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class IdentifierTaken(AccountError):
    code = "identifier_taken"


class AccountSuspended(AccountError):
    """Said only after the right password: a stranger learns nothing about the account."""

    code = "account_suspended"
