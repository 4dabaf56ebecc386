"""What can go wrong with an SMS, as the callers of `delivery` hear about it."""
from __future__ import annotations


class SmsError(Exception):
    """Base of the SMS errors."""


class SmsOptedOut(SmsError):
    """The number asked for no more SMS (a STOP reply, or an administrator recorded it)."""


class SmsQuotaExceeded(SmsError):
    """A daily limit (per number, per account or per structure) is reached."""

    def __init__(self, scope: str, limit: int) -> None:
        super().__init__(f"daily SMS limit reached for the {scope} ({limit})")
        self.scope, self.limit = scope, limit


class SmsAlreadySent(SmsError):
    """The message left "scheduled": it can no longer be moved or cancelled."""


class SmsNotSent(SmsError):
    """A message sent at once (a one-time code) could not be handed to the provider."""


class SmsProviderError(SmsError):
    """The provider refused or did not answer. `retryable`: trying again later may work.

    The message is short and never carries the body or the provider's credentials.
    """

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable
