"""The stores under test: a local directory, and S3 through moto's server over real HTTP.

`moto_endpoint` (tests/conftest.py) runs moto in a process of its own, so tracemalloc counts only
the store's side of an upload; with CI=true a moto that cannot start fails the run, otherwise the
S3 tests skip and say why.
"""
import os
import secrets

import boto3
import pytest

from webapp.storage import LocalBlobStore
from webapp.storage.s3 import S3BlobStore

REGION = "eu-west-3"


@pytest.fixture
def aws_credentials(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")


@pytest.fixture
def s3_client(moto_endpoint, aws_credentials):
    """The test's own view of the bucket, apart from the store's client."""
    return boto3.client("s3", endpoint_url=moto_endpoint, region_name=REGION)


@pytest.fixture
def bucket(s3_client):
    name = f"blobs-{secrets.token_hex(4)}"
    s3_client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name


@pytest.fixture
def s3_store(bucket, moto_endpoint):
    # Built as production builds it, so its retry and timeout configuration is the one under test.
    return S3BlobStore(bucket, endpoint_url=moto_endpoint, region=REGION)


@pytest.fixture
def local_store(tmp_path):
    return LocalBlobStore(tmp_path / "blobs")


@pytest.fixture(params=["local", "s3"])
def store(request):
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture
def unfinished_writes(store, request):
    """What writes in progress leave behind: temporary files, or pending multipart uploads."""
    if isinstance(store, LocalBlobStore):
        return lambda: os.listdir(store.root / ".tmp")
    client = request.getfixturevalue("s3_client")
    return lambda: client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", [])
