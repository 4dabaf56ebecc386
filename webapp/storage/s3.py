"""Blobs in an S3-compatible bucket (production), through boto3.

A blob of up to PART_BYTES goes up in one PUT; a larger one in a multipart upload of PART_BYTES
parts (so at most 10,000 × 8 MiB, about 78 GiB). The part being filled is the only buffer, so memory
stays flat whatever the size. A multipart upload is aborted on any failure so no half object
remains; should the abort fail too, the bucket's AbortIncompleteMultipartUpload lifecycle rule is
what reclaims the parts, so production buckets need one. After an upload the stored size is
checked against the bytes sent.

botocore retries transient failures with exponential backoff ("standard" mode); what still fails
after that is BlobStoreUnavailable. Credentials come through boto3's usual chain.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterable, Iterator

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

from .errors import BlobNotFound, BlobStoreError, BlobStoreUnavailable
from .interface import READ_CHUNK_BYTES, BlobStore, checked_name, checked_prefix, is_valid_name

log = logging.getLogger(__name__)

PART_BYTES = 8 * 1024 * 1024  # above S3's 5 MiB minimum part
_MISSING = {"404", "NoSuchKey", "NotFound"}
_THROTTLED = {"SlowDown", "Throttling", "ThrottlingException", "RequestTimeout", "RequestLimitExceeded"}


class S3BlobStore(BlobStore):
    def __init__(self, bucket: str, *, client=None, endpoint_url: str | None = None, region: str | None = None,
                 prefix: str = "", max_attempts: int = 3, connect_timeout: float = 5, read_timeout: float = 30) -> None:
        """A `client` given is used as it is, retry configuration included.

        `max_attempts` counts the first try. The defaults bound how long a web request waits for an
        S3 that is down: three attempts, each given up after 5 s without a connection, and backoffs of
        a fraction of a second between them (up to 1 then 2 s when S3 asks to slow down)."""
        self.bucket = bucket
        self.prefix = prefix
        self.client = client or boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            # `total_max_attempts`, not `max_attempts`, which botocore reads as retries after the first try.
            config=Config(retries={"total_max_attempts": max_attempts, "mode": "standard"},
                          connect_timeout=connect_timeout, read_timeout=read_timeout),
        )

    def put(self, name: str, chunks: Iterable[bytes]) -> int:
        key = self._key(name)
        with _translated(name):
            sent = self._upload(key, _parts(chunks))
            self._check_stored_size(key, sent)
        return sent

    def open(self, name: str) -> Iterator[bytes]:
        with _translated(name):
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(name))["Body"]
        return _read(body, name)

    def size(self, name: str) -> int:
        with _translated(name):
            return self.client.head_object(Bucket=self.bucket, Key=self._key(name))["ContentLength"]

    def exists(self, name: str) -> bool:
        try:
            self.size(name)
        except BlobNotFound:
            return False
        return True

    def delete(self, name: str) -> None:
        with _translated(name):
            self.client.delete_object(Bucket=self.bucket, Key=self._key(name))

    def names(self, prefix: str = "") -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + checked_prefix(prefix))
        with _translated(prefix):
            for page in pages:
                for entry in page.get("Contents", []):
                    name = entry["Key"][len(self.prefix):]
                    if is_valid_name(name):
                        yield name

    def _upload(self, key: str, parts: Iterator[tuple[bytearray, bool]]) -> int:
        upload: _MultipartUpload | None = None
        sent = 0
        try:
            for part, last in parts:
                sent += len(part)
                if upload is None and last:
                    self.client.put_object(Bucket=self.bucket, Key=key, Body=part)
                    return sent
                upload = upload or _MultipartUpload(self.client, self.bucket, key)
                upload.send(part)
                del part  # else it stays alive while `parts` fills the next one: two parts in memory
            upload.complete()
        except BaseException:
            if upload is not None:
                upload.abort()
            raise
        return sent

    def _check_stored_size(self, key: str, sent: int) -> None:
        stored = self.client.head_object(Bucket=self.bucket, Key=key)["ContentLength"]
        if stored != sent:
            self.client.delete_object(Bucket=self.bucket, Key=key)
            raise BlobStoreError(f"S3 stored {stored} bytes of the {sent} sent")

    def _key(self, name: str) -> str:
        return self.prefix + checked_name(name)


class _MultipartUpload:
    """One multipart upload under way: the parts sent so far, and how to finish or abandon it."""

    def __init__(self, client, bucket: str, key: str) -> None:
        self.client = client
        self._object = {"Bucket": bucket, "Key": key}
        self._id = client.create_multipart_upload(**self._object)["UploadId"]
        self._parts: list[dict] = []

    def send(self, data: bytearray) -> None:
        number = len(self._parts) + 1
        answer = self.client.upload_part(**self._object, UploadId=self._id, PartNumber=number, Body=data)
        self._parts.append({"PartNumber": number, "ETag": answer["ETag"]})

    def complete(self) -> None:
        self.client.complete_multipart_upload(**self._object, UploadId=self._id, MultipartUpload={"Parts": self._parts})

    def abort(self) -> None:
        try:
            self.client.abort_multipart_upload(**self._object, UploadId=self._id)
        except (BotoCoreError, ClientError) as error:
            # The failure that led here matters more to the caller; the lifecycle rule reclaims the parts.
            log.warning("could not abort a multipart upload (%s)", type(error).__name__)


def _parts(chunks: Iterable[bytes]) -> Iterator[tuple[bytearray, bool]]:
    """The chunks regrouped into parts of PART_BYTES, each with whether it is the last one.

    A full part is handed out only once more data proves it is not the last, so a blob of exactly
    PART_BYTES still goes up in one PUT.
    """
    part = bytearray()
    for chunk in chunks:
        data = memoryview(chunk)
        while data:
            if len(part) == PART_BYTES:
                yield part, False
                part = bytearray()
            room = PART_BYTES - len(part)
            part += data[:room]
            data = data[room:]
    yield part, True


def _read(body, name: str) -> Iterator[bytes]:
    with _translated(name), body:
        yield from body.iter_chunks(READ_CHUNK_BYTES)


@contextmanager
def _translated(name: str) -> Iterator[None]:
    """botocore's errors as the store's named ones."""
    try:
        yield
    except ClientError as error:
        raise _answer_error(error, name) from error
    except (BotoConnectionError, HTTPClientError) as error:
        raise BlobStoreUnavailable(f"S3 unreachable ({type(error).__name__})") from error
    except BotoCoreError as error:
        raise BlobStoreError(f"S3 client failed ({type(error).__name__})") from error


def _answer_error(error: ClientError, name: str) -> BlobStoreError:
    code = error.response.get("Error", {}).get("Code", "")
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    if code in _MISSING:
        return BlobNotFound(name)
    if status >= 500 or code in _THROTTLED:
        return BlobStoreUnavailable(f"S3 kept answering {code or status}")
    return BlobStoreError(f"S3 refused: {code or status}")
