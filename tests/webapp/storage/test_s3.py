"""What only the S3 store has: one request or a multipart upload, a key prefix, the size check after
an upload, and a backend that can be down."""
import os

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError

from tests.keyservice.conftest import free_port
from tests.webapp.storage.conftest import REGION
from tests.webapp.storage.streams import UploadCut, chunks_of, cut_after
from webapp.storage import BlobStoreError, BlobStoreUnavailable
from webapp.storage.s3 import PART_BYTES, S3BlobStore


@pytest.mark.parametrize("size, multipart", [(PART_BYTES, False), (PART_BYTES + 1, True)])
def test_one_request_up_to_a_part_multipart_above(s3_store, s3_client, size, multipart):
    s3_store.put("items/abc/1", chunks_of(os.urandom(size)))
    etag = s3_client.head_object(Bucket=s3_store.bucket, Key="items/abc/1")["ETag"]
    assert ("-" in etag) is multipart  # S3 gives a multipart object the ETag `"<md5 of md5s>-<parts>"`


def test_a_prefix_keeps_the_store_to_its_part_of_the_bucket(bucket, s3_client, moto_endpoint):
    s3_client.put_object(Bucket=bucket, Key="elsewhere/1", Body=b"not ours")
    s3_client.put_object(Bucket=bucket, Key="tenant/Not-A-Blob.txt", Body=b"not a blob")
    store = S3BlobStore(bucket, endpoint_url=moto_endpoint, region=REGION, prefix="tenant/")
    store.put("items/a/1", [b"x"])
    assert s3_client.get_object(Bucket=bucket, Key="tenant/items/a/1")["Body"].read() == b"x"
    assert list(store.names()) == ["items/a/1"]
    assert not store.exists("elsewhere/1")


def test_a_wrong_stored_size_deletes_the_object(bucket, s3_client, moto_endpoint):
    store = S3BlobStore(bucket, endpoint_url=moto_endpoint, region=REGION)

    def misreport(parsed, **_):
        parsed["ContentLength"] += 1

    store.client.meta.events.register("after-call.s3.HeadObject", misreport)
    with pytest.raises(BlobStoreError, match="stored"):
        store.put("items/abc/1", [b"some bytes"])
    assert s3_client.list_objects_v2(Bucket=bucket).get("Contents", []) == []


def test_a_failed_abort_does_not_hide_why_the_upload_stopped(s3_store):
    def unreachable(**_):
        raise EndpointConnectionError(endpoint_url="http://s3.invalid")

    s3_store.client.meta.events.register("before-call.s3.AbortMultipartUpload", unreachable)
    with pytest.raises(UploadCut):
        s3_store.put("items/half/1", cut_after(os.urandom(2 * PART_BYTES), 200))


OPERATIONS = {
    "put": lambda store: store.put("items/a/1", [b"x"]),
    "open": lambda store: store.open("items/a/1"),
    "size": lambda store: store.size("items/a/1"),
    "exists": lambda store: store.exists("items/a/1"),
    "delete": lambda store: store.delete("items/a/1"),
    "names": lambda store: list(store.names()),
}


@pytest.fixture
def sends():
    """Counts the HTTP requests a client sends, retries included."""
    counted = []

    def count(client):
        client.meta.events.register("before-send.s3", lambda **_: counted.append(1))
        return counted

    return count


@pytest.mark.parametrize("operation", OPERATIONS)
def test_an_unreachable_endpoint_is_unavailable_after_retries(aws_credentials, sends, operation):
    closed_port = free_port()
    store = S3BlobStore("blobs", endpoint_url=f"http://127.0.0.1:{closed_port}", region=REGION,
                        max_attempts=2, connect_timeout=1)
    attempts = sends(store.client)
    with pytest.raises(BlobStoreUnavailable):
        OPERATIONS[operation](store)
    assert len(attempts) == 2


class _ErrorBody:
    def stream(self, **_):
        yield b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"


def test_a_busy_backend_is_unavailable_after_retries(bucket, moto_endpoint, sends):
    store = S3BlobStore(bucket, endpoint_url=moto_endpoint, region=REGION, max_attempts=2)
    attempts = sends(store.client)

    def answer_busy(request, **_):
        return AWSResponse(request.url, 503, {}, _ErrorBody())

    store.client.meta.events.register("before-send.s3", answer_busy)
    with pytest.raises(BlobStoreUnavailable, match="SlowDown"):
        store.put("items/a/1", [b"x"])
    assert len(attempts) == 2


def test_a_refusal_is_a_store_error(aws_credentials, moto_endpoint):
    store = S3BlobStore("no-such-bucket", endpoint_url=moto_endpoint, region=REGION)
    with pytest.raises(BlobStoreError) as raised:
        store.put("items/a/1", [b"x"])
    assert type(raised.value) is BlobStoreError
