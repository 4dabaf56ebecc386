"""Blobs in an S3-compatible bucket (production), through boto3.

Small blobs go up in one PUT; larger ones in a multipart upload of 8 MiB parts, the only buffering,
aborted on any failure so no half object remains. After the upload the stored size is checked
against what was sent. botocore retries transient errors with backoff ("standard" mode).
"""
from __future__ import annotations

from typing import Iterable, Iterator

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ConnectionError as BotoConnectionError

from .errors import BlobNotFound, BlobStoreError, BlobStoreUnavailable
from .interface import READ_CHUNK_BYTES, BlobStore, checked_name

PART_BYTES = 8 * 1024 * 1024  # S3's minimum part is 5 MiB


class S3BlobStore(BlobStore):
    def __init__(self, bucket: str, *, client=None, endpoint_url: str | None = None, region: str | None = None,
                 prefix: str = "", max_attempts: int = 5, timeout_seconds: float = 30) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self._s3 = client or boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            config=Config(retries={"max_attempts": max_attempts, "mode": "standard"},
                          connect_timeout=timeout_seconds, read_timeout=timeout_seconds),
        )

    def put(self, name: str, chunks: Iterable[bytes]) -> int:
        key = self._key(name)
        with _translated(name):
            buffer, parts, upload_id, sent = bytearray(), [], None, 0
            try:
                for chunk in chunks:
                    buffer += chunk
                    sent += len(chunk)
                    while len(buffer) >= PART_BYTES:
                        upload_id = upload_id or self._s3.create_multipart_upload(Bucket=self.bucket, Key=key)["UploadId"]
                        with memoryview(buffer) as view:
                            part = view[:PART_BYTES].tobytes()
                        parts.append(self._upload_part(key, upload_id, len(parts) + 1, part))
                        del part, buffer[:PART_BYTES]
                if upload_id is None:
                    self._s3.put_object(Bucket=self.bucket, Key=key, Body=bytes(buffer))
                else:
                    if buffer:
                        parts.append(self._upload_part(key, upload_id, len(parts) + 1, bytes(buffer)))
                    self._s3.complete_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id,
                                                       MultipartUpload={"Parts": parts})
                    upload_id = None
            except BaseException:
                if upload_id is not None:
                    self._s3.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
                raise
            if self._s3.head_object(Bucket=self.bucket, Key=key)["ContentLength"] != sent:
                self._s3.delete_object(Bucket=self.bucket, Key=key)
                raise BlobStoreError("stored size differs from the size sent")
        return sent

    def open(self, name: str) -> Iterator[bytes]:
        with _translated(name):
            body = self._s3.get_object(Bucket=self.bucket, Key=self._key(name))["Body"]
        return _read(body, name)

    def size(self, name: str) -> int:
        with _translated(name):
            return self._s3.head_object(Bucket=self.bucket, Key=self._key(name))["ContentLength"]

    def exists(self, name: str) -> bool:
        try:
            self.size(name)
        except BlobNotFound:
            return False
        return True

    def delete(self, name: str) -> None:
        with _translated(name):
            self._s3.delete_object(Bucket=self.bucket, Key=self._key(name))

    def names(self, prefix: str = "") -> Iterator[str]:
        with _translated(prefix):
            pages = self._s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix + prefix)
            for page in pages:
                for entry in page.get("Contents", []):
                    yield entry["Key"][len(self.prefix):]

    def _upload_part(self, key: str, upload_id: str, number: int, data: bytes) -> dict:
        answer = self._s3.upload_part(Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=data)
        return {"PartNumber": number, "ETag": answer["ETag"]}

    def _key(self, name: str) -> str:
        return self.prefix + checked_name(name)


def _read(body, name: str) -> Iterator[bytes]:
    with _translated(name), body:
        yield from body.iter_chunks(READ_CHUNK_BYTES)


class _translated:
    """botocore's errors as the store's named ones."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, _traceback) -> bool:
        if isinstance(error, ClientError):
            code = error.response.get("Error", {}).get("Code", "")
            if code in ("404", "NoSuchKey", "NotFound"):
                raise BlobNotFound(self._name) from None
            raise BlobStoreError(f"S3 refused: {code}") from None
        if isinstance(error, (BotoConnectionError, BotoCoreError)):
            raise BlobStoreUnavailable(type(error).__name__) from None
        return False
