"""One contract, both stores: what the web app may rely on, whichever backend holds the blobs."""
import os
import tracemalloc

import pytest

from tests.webapp.storage.streams import UploadCut, chunks_of, cut_after
from webapp.storage import READ_CHUNK_BYTES, BlobNotFound, InvalidBlobName
from webapp.storage.s3 import PART_BYTES

MiB = 1024 * 1024


@pytest.mark.parametrize("size", [0, 1, PART_BYTES, PART_BYTES + 1, 20 * MiB + 3])
def test_round_trip(store, unfinished_writes, size):
    data = os.urandom(size)
    assert store.put("items/abc/1", chunks_of(data)) == size
    chunks = list(store.open("items/abc/1"))
    assert b"".join(chunks) == data
    assert all(len(chunk) == READ_CHUNK_BYTES for chunk in chunks[:-1])
    assert store.size("items/abc/1") == size
    assert store.exists("items/abc/1")
    assert list(store.names()) == ["items/abc/1"]
    assert unfinished_writes() == []


def test_put_replaces(store):
    store.put("items/abc/1", [b"first"])
    store.put("items/abc/1", [b"second"])
    assert b"".join(store.open("items/abc/1")) == b"second"


@pytest.mark.parametrize("size", [3 * READ_CHUNK_BYTES, 2 * PART_BYTES + 5], ids=["one-request", "multipart"])
def test_a_cut_upload_leaves_nothing(store, unfinished_writes, size):
    chunks_before_the_cut = size // READ_CHUNK_BYTES - 1
    with pytest.raises(UploadCut):
        store.put("items/half/1", cut_after(os.urandom(size), chunks_before_the_cut))
    assert not store.exists("items/half/1")
    assert list(store.names()) == []
    assert unfinished_writes() == []


def test_a_cut_upload_keeps_the_previous_blob(store):
    store.put("items/abc/1", [b"whole"])
    with pytest.raises(UploadCut):
        store.put("items/abc/1", cut_after(os.urandom(2 * PART_BYTES + 5), 200))
    assert b"".join(store.open("items/abc/1")) == b"whole"


def test_missing_blob(store):
    with pytest.raises(BlobNotFound):
        store.open("items/none/1")
    with pytest.raises(BlobNotFound):
        store.size("items/none/1")
    assert not store.exists("items/none/1")


def test_delete_is_idempotent(store):
    store.put("items/abc/1", [b"x"])
    store.delete("items/abc/1")
    store.delete("items/abc/1")
    store.delete("items/never/1")
    assert not store.exists("items/abc/1")
    assert list(store.names()) == []


def test_names_by_prefix(store):
    for name in ("items/a/1", "items/a/2", "items/ab/1", "items/b/1", "exports/c"):
        store.put(name, [b"x"])
    assert sorted(store.names()) == ["exports/c", "items/a/1", "items/a/2", "items/ab/1", "items/b/1"]
    assert sorted(store.names("items/")) == ["items/a/1", "items/a/2", "items/ab/1", "items/b/1"]
    assert sorted(store.names("items/a/")) == ["items/a/1", "items/a/2"]
    assert sorted(store.names("items/a")) == ["items/a/1", "items/a/2", "items/ab/1"]
    assert list(store.names("nothing/")) == []


INVALID_NAMES = ["", "../x", "a/../b", "/abs", "a//b", "a/", "A", "é", "a.b", "a b", "a\n", ".tmp/x", "x" * 201]
OPERATIONS = {
    "put": lambda store, name: store.put(name, [b"x"]),
    "open": lambda store, name: store.open(name),
    "size": lambda store, name: store.size(name),
    "exists": lambda store, name: store.exists(name),
    "delete": lambda store, name: store.delete(name),
}


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("name", INVALID_NAMES)
def test_invalid_names_are_refused(store, operation, name):
    with pytest.raises(InvalidBlobName):
        OPERATIONS[operation](store, name)


@pytest.mark.parametrize("prefix", ["../", "/", "a//", "A"])
def test_invalid_prefixes_are_refused(store, prefix):
    with pytest.raises(InvalidBlobName):
        list(store.names(prefix))


def test_the_longest_name(store):
    store.put("x" * 200, [b"x"])
    assert list(store.names()) == ["x" * 200]


def test_memory_stays_flat_whatever_the_size(store):
    """64 MiB from a generator, and never more than one S3 part (plus the client's slack) in memory."""
    block = os.urandom(READ_CHUNK_BYTES)
    chunk_count = 64 * MiB // READ_CHUNK_BYTES
    tracemalloc.start()
    try:
        written = store.put("items/big/1", (block for _ in range(chunk_count)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written == store.size("items/big/1") == chunk_count * READ_CHUNK_BYTES
    assert peak < PART_BYTES + 4 * MiB
