"""The reviewer's tool, run as a real command on real stored bytes."""
import json
import os
import subprocess
import sys

import pytest

from vaultcore import item
from vaultcore.keys import IdentityKeys


def run(*args):
    return subprocess.run([sys.executable, "-m", "vaultcore", *args], capture_output=True, text=True)


@pytest.fixture
def stored_item(tmp_path):
    owner = item.Author("b1", 1, IdentityKeys.generate())
    ref = item.ItemRef("i1", "b1", 2)
    key = os.urandom(32)
    content = os.urandom(150_000)
    encryptor = item.content_encryptor(key, ref)
    files = {
        "meta": item.encrypt_metadata(key, ref, {"title": "Avis d'imposition"}),
        "content": encryptor.header + encryptor.update(content) + encryptor.finalize(),
        "wrap": item.wrap_item_key_to_owner(key, ref, owner.keys.box_public, 1, owner),
        "thumbnail": item.encrypt_thumbnail(key, ref, b"\xff\xd8\xff vignette"),
    }
    for name, blob in files.items():
        (tmp_path / name).write_bytes(blob)
    return tmp_path, owner, key, content


def test_inspect_prints_headers_without_keys(stored_item):
    folder, owner, _, content = stored_item
    described = json.loads(run("inspect", str(folder / "content")).stdout)
    assert described["kind"] == "stream" and described["chunks"] == 3
    assert described["plaintext_bytes"] == len(content)
    assert described["context"] == {"purpose": "item-content", "item": "i1", "owner": "b1", "revision": "2"}
    wrap = json.loads(run("inspect", str(folder / "wrap")).stdout)
    assert wrap["kind"] == "wrap" and wrap["signer_key"] == owner.keys.verify_key.hex()
    assert wrap["context"]["subject"] == "i1" and wrap["payload_bytes"] == 32


def test_decrypt_with_item_key(stored_item):
    folder, _, key, content = stored_item
    done = run("decrypt", "--item-key", key.hex(), "--meta", str(folder / "meta"),
               "--content", str(folder / "content"), "--out", str(folder / "plain"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"title": "Avis d'imposition"}
    assert (folder / "plain").read_bytes() == content


def test_decrypt_thumbnail(stored_item):
    folder, _, key, _ = stored_item
    described = json.loads(run("inspect", str(folder / "thumbnail")).stdout)
    assert described["kind"] == "record" and described["context"]["purpose"] == "item-thumbnail"
    done = run("decrypt", "--item-key", key.hex(), "--thumbnail", str(folder / "thumbnail"),
               "--thumbnail-out", str(folder / "thumbnail.jpg"))
    assert done.returncode == 0, done.stderr
    assert (folder / "thumbnail.jpg").read_bytes() == b"\xff\xd8\xff vignette"


def test_decrypt_through_the_wrap_with_the_recipient_secret(stored_item):
    folder, owner, _, content = stored_item
    done = run("decrypt", "--wrap", str(folder / "wrap"), "--recipient-secret", owner.keys.box.secret.hex(),
               "--signer-key", owner.keys.verify_key.hex(), "--meta", str(folder / "meta"))
    assert done.returncode == 0, done.stderr
    assert "Avis d'imposition" in done.stdout


def test_wrong_key_gives_the_generic_error(stored_item):
    folder, *_ = stored_item
    done = run("decrypt", "--item-key", os.urandom(32).hex(), "--meta", str(folder / "meta"))
    assert done.returncode == 1 and done.stderr.strip() == "error: decryption failed"
