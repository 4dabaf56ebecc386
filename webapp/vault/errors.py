"""Named errors of the vault domain."""


class VaultError(Exception):
    code = "vault_error"


class ItemNotFound(VaultError):
    """Absent, trashed when it should not be, or not the caller's: the same answer for all three."""

    code = "not_found"


class InvalidItem(VaultError):
    code = "invalid_item"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
