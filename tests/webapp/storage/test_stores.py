"""One contract, two blob stores: the local directory, and S3 through moto's server over real HTTP."""
import os
import tracemalloc

import boto3
import pytest

from tests.keyservice.conftest import free_port
from webapp.storage import BlobNotFound, BlobStoreUnavailable, InvalidBlobName, LocalBlobStore
from webapp.storage.s3 import PART_BYTES, S3BlobStore

MiB = 1024 * 1024


@pytest.fixture
def s3_client(moto_endpoint, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    return boto3.client("s3", endpoint_url=moto_endpoint, region_name="eu-west-3")


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalBlobStore(tmp_path / "blobs")
    client = request.getfixturevalue("s3_client")
    bucket = f"blobs-{os.urandom(4).hex()}"
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    return S3BlobStore(bucket, client=client)


def chunks_of(data, size=65_553):
    return (data[i:i + size] for i in range(0, len(data), size))


@pytest.mark.parametrize("size", [0, 1, PART_BYTES, PART_BYTES + 1, 20 * MiB + 3])
def test_round_trip(store, size):
    data = os.urandom(size)
    assert store.put("items/abc/1", chunks_of(data)) == size
    assert b"".join(store.open("items/abc/1")) == data
    assert store.size("items/abc/1") == size and store.exists("items/abc/1")


def failing_after(data, chunks):
    for index, chunk in enumerate(chunks_of(data)):
        if index == chunks:
            raise ConnectionResetError("the upload stopped")
        yield chunk


@pytest.mark.parametrize("size", [3 * 65_553, PART_BYTES * 2 + 5])
def test_failed_upload_leaves_nothing(store, size):
    with pytest.raises(ConnectionResetError):
        store.put("items/half/1", failing_after(os.urandom(size), size // 65_553 - 1))
    assert not store.exists("items/half/1")
    assert list(store.names()) == []
    if isinstance(store, S3BlobStore):
        assert store._s3.list_multipart_uploads(Bucket=store.bucket).get("Uploads", []) == []
    else:
        assert list((store.root / ".tmp").iterdir()) == []


def test_missing_blob(store):
    with pytest.raises(BlobNotFound):
        store.open("items/none/1")
    with pytest.raises(BlobNotFound):
        store.size("items/none/1")
    store.delete("items/none/1")  # idempotent


def test_delete_and_list(store):
    for name in ("items/a/1", "items/b/1", "exports/c"):
        store.put(name, [b"x"])
    assert sorted(store.names("items/")) == ["items/a/1", "items/b/1"]
    store.delete("items/a/1")
    assert not store.exists("items/a/1") and sorted(store.names()) == ["exports/c", "items/b/1"]


@pytest.mark.parametrize("name", ["../x", "/abs", "a//b", "A", "é", "x" * 300, "", "a/", "a/../b"])
def test_invalid_names(store, name):
    with pytest.raises(InvalidBlobName):
        store.put(name, [b"x"])


def test_local_files_are_private(tmp_path):
    store = LocalBlobStore(tmp_path / "blobs")
    store.put("items/a/1", [b"x"])
    assert (tmp_path / "blobs/items/a/1").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "blobs/items/a").stat().st_mode & 0o777 == 0o700


def test_unreachable_s3_is_reported(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    store = S3BlobStore("bucket", endpoint_url=f"http://127.0.0.1:{free_port()}", region="eu-west-3",
                        max_attempts=2, timeout_seconds=1)
    with pytest.raises(BlobStoreUnavailable):
        store.put("items/a/1", [b"x"])


def test_memory_stays_flat_whatever_the_size(store):
    def generated():
        block = os.urandom(65_553)
        for _ in range(64 * MiB // 65_553):
            yield block

    tracemalloc.start()
    store.put("items/big/1", generated())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 24 * MiB
