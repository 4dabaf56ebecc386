"""The blob stores' failures as named errors, so callers (and the web app's 503 handler) never see a
backend's own exception types."""


class BlobStoreError(Exception):
    """The store could not do what was asked; the base of the other errors."""


class BlobNotFound(BlobStoreError):
    """No blob has this name."""


class BlobStoreUnavailable(BlobStoreError):
    """The backend did not answer, or kept failing, after retries."""


class InvalidBlobName(BlobStoreError, ValueError):
    """The name is not one a caller may choose; see `webapp.storage.interface`."""
