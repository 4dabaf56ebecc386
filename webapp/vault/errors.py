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


class InvalidDestination(InvalidItem):
    """A place an item cannot go: not one of the owner's folders, or a folder into itself or below itself."""

    code = "invalid_destination"

    def __init__(self) -> None:
        super().__init__("destination")
