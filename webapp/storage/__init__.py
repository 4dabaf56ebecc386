"""Blob storage behind one interface: a local directory (embedded default) or S3 (production)."""
from __future__ import annotations

from typing import Mapping

from .errors import BlobNotFound, BlobStoreError, BlobStoreUnavailable, InvalidBlobName
from .interface import BlobStore
from .local import LocalBlobStore

__all__ = ["BlobNotFound", "BlobStore", "BlobStoreError", "BlobStoreUnavailable", "InvalidBlobName",
           "LocalBlobStore", "blob_store_from_config"]


def blob_store_from_config(config: Mapping[str, str]) -> BlobStore:
    """BLOB_STORE=local (BLOB_DIR) or s3 (S3_BUCKET, S3_ENDPOINT_URL, S3_REGION, S3_PREFIX)."""
    kind = config.get("BLOB_STORE", "local")
    if kind == "local":
        return LocalBlobStore(config["BLOB_DIR"])
    if kind == "s3":
        from .s3 import S3BlobStore

        return S3BlobStore(config["S3_BUCKET"], endpoint_url=config.get("S3_ENDPOINT_URL"),
                           region=config.get("S3_REGION"), prefix=config.get("S3_PREFIX", ""))
    raise ValueError("BLOB_STORE is local or s3")
