"""The store the web app gets from its settings."""
import pytest

from tests.webapp.storage.conftest import REGION
from webapp.storage import LocalBlobStore, blob_store_from_config
from webapp.storage.s3 import S3BlobStore


def test_local_by_default(tmp_path):
    store = blob_store_from_config({"BLOB_DIR": str(tmp_path / "blobs")})
    assert isinstance(store, LocalBlobStore)
    assert store.root == (tmp_path / "blobs").resolve()


def test_s3(bucket, s3_client, moto_endpoint):
    store = blob_store_from_config({"BLOB_STORE": "s3", "S3_BUCKET": bucket, "S3_ENDPOINT_URL": moto_endpoint,
                                    "S3_REGION": REGION, "S3_PREFIX": "vault/"})
    assert isinstance(store, S3BlobStore)
    store.put("items/a/1", [b"x"])
    assert s3_client.head_object(Bucket=bucket, Key="vault/items/a/1")["ContentLength"] == 1


@pytest.mark.parametrize("config, complaint", [
    ({"BLOB_STORE": "ftp"}, "local or s3"),
    ({"BLOB_STORE": "local"}, "BLOB_DIR"),
    ({"BLOB_STORE": "s3", "S3_ENDPOINT_URL": "http://127.0.0.1:9"}, "S3_BUCKET"),
])
def test_a_wrong_configuration_says_what_is_wrong(config, complaint):
    with pytest.raises(ValueError, match=complaint):
        blob_store_from_config(config)
