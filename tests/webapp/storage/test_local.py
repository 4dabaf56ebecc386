"""What only the local store has: file permissions, a root that nothing leads out of, and a file
system's folders, which S3 does not have."""
import os
import stat

import pytest

from webapp.storage import BlobNotFound, BlobStoreError, LocalBlobStore


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def permissive_umask():
    """The store must not count on the umask to keep blobs private."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def test_blobs_and_their_folders_are_private(tmp_path, permissive_umask):
    store = LocalBlobStore(tmp_path / "blobs")
    store.put("items/a/1", [b"x"])
    for folder in ("blobs", "blobs/.tmp", "blobs/items", "blobs/items/a"):
        assert mode(tmp_path / folder) == 0o700, folder
    assert mode(tmp_path / "blobs/items/a/1") == 0o600


def test_an_existing_root_is_made_private(tmp_path):
    (tmp_path / "blobs/.tmp").mkdir(mode=0o755, parents=True)
    (tmp_path / "blobs").chmod(0o755)
    LocalBlobStore(tmp_path / "blobs")
    assert mode(tmp_path / "blobs") == mode(tmp_path / "blobs/.tmp") == 0o700


def test_a_symlink_inside_the_root_leads_nowhere(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_bytes(b"not a blob")
    store = LocalBlobStore(tmp_path / "blobs")
    (store.root / "items").symlink_to(outside)
    with pytest.raises(BlobStoreError):
        store.put("items/new", [b"x"])
    with pytest.raises(BlobStoreError):
        store.open("items/secret")
    with pytest.raises(BlobStoreError):
        store.delete("items/secret")
    assert sorted(os.listdir(outside)) == ["secret"]


def test_a_folder_is_no_blob(local_store):
    local_store.put("items/a/1", [b"x"])
    with pytest.raises(BlobNotFound):
        local_store.open("items/a")
    with pytest.raises(BlobNotFound):
        local_store.size("items/a")
    assert not local_store.exists("items/a")
    local_store.delete("items/a")
    assert local_store.exists("items/a/1")


@pytest.mark.parametrize("name", ["items/a", "items/a/1/deeper"])
def test_a_name_that_is_also_a_folder_is_refused_cleanly(local_store, name):
    local_store.put("items/a/1", [b"x"])
    with pytest.raises(BlobStoreError):
        local_store.put(name, [b"y"])
    assert os.listdir(local_store.root / ".tmp") == []
    assert list(local_store.names()) == ["items/a/1"]


def test_names_skip_what_is_not_a_blob(local_store):
    local_store.put("items/a/1", [b"x"])
    (local_store.root / "README.txt").write_text("left by an operator")
    (local_store.root / ".tmp/0123abcd").write_bytes(b"what a crash mid-write leaves")
    assert list(local_store.names()) == ["items/a/1"]
