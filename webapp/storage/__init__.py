"""Blob storage behind one interface: a local directory (the embedded default) or an S3 bucket
(production). The web app holds one store, made from its settings by `blob_store_from_config`."""
from __future__ import annotations

from typing import Mapping

from .errors import BlobNotFound, BlobStoreError, BlobStoreUnavailable, InvalidBlobName
from .interface import READ_CHUNK_BYTES, BlobStore
from .local import LocalBlobStore

__all__ = ["READ_CHUNK_BYTES", "BlobNotFound", "BlobStore", "BlobStoreError", "BlobStoreUnavailable",
           "InvalidBlobName", "LocalBlobStore", "blob_store_from_config"]


def blob_store_from_config(config: Mapping[str, str]) -> BlobStore:
    """BLOB_STORE=local (with BLOB_DIR), or s3 (with S3_BUCKET; S3_ENDPOINT_URL, S3_REGION and
    S3_PREFIX optional, credentials through boto3's usual chain)."""
    kind = config.get("BLOB_STORE") or "local"
    if kind == "local":
        return LocalBlobStore(_required(config, "BLOB_DIR"))
    if kind == "s3":
        from .s3 import S3BlobStore  # boto3 loads only where S3 is used

        return S3BlobStore(_required(config, "S3_BUCKET"), endpoint_url=config.get("S3_ENDPOINT_URL") or None,
                           region=config.get("S3_REGION") or None, prefix=config.get("S3_PREFIX", ""))
    raise ValueError(f"BLOB_STORE is local or s3, not {kind!r}")


def _required(config: Mapping[str, str], key: str) -> str:
    if not config.get(key):
        raise ValueError(f"the blob store needs {key}")
    return config[key]
