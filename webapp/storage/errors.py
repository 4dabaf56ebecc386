"""Named errors of the blob stores."""


class BlobStoreError(Exception):
    pass


class BlobNotFound(BlobStoreError):
    pass


class BlobStoreUnavailable(BlobStoreError):
    """The backend did not answer, after retries."""


class InvalidBlobName(BlobStoreError, ValueError):
    pass
