"""Short fuzz runs for the parsers of untrusted bytes not covered beside their format's tests."""
import pytest
from hypothesis import given, settings, strategies as st

from vaultcore import item, publickey, sharedpart, structure
from vaultcore.encoding import Reader
from vaultcore.errors import CryptoError
from vaultcore.inspect import describe
from vaultcore.record import seal_record
from vaultcore import kdf
from vaultcore.statement import Statement

FUZZ = settings(max_examples=300)


def only_crypto_error(call):
    try:
        call()
    except CryptoError as error:
        assert str(error) == "decryption failed"


@given(st.binary(max_size=600))
@FUZZ
def test_inspect(data):
    only_crypto_error(lambda: describe(data, len(data)))


@given(st.binary(max_size=200))
@FUZZ
def test_context_reader(data):
    only_crypto_error(lambda: Reader(data).context())


@given(st.binary(max_size=200))
@FUZZ
def test_roster_and_epoch_bodies(data):
    only_crypto_error(lambda: structure.parse_roster(Statement({"purpose": "roster"}, data, b"")))
    only_crypto_error(lambda: sharedpart.parse_epoch_record(Statement({"purpose": "shared-part-epoch"}, data, b"")))


@given(st.text(max_size=12), st.binary(max_size=80))
@FUZZ
def test_public_key_bodies(role, data):
    only_crypto_error(lambda: publickey.parse_body(role, data))


@given(st.binary(max_size=100))
@FUZZ
def test_metadata_plaintext_that_is_not_a_json_object(data):
    """Even under the right key, metadata that is not a JSON object is refused, not half-read."""
    key, ref = b"k" * 32, item.ItemRef("i", "b")
    blob = seal_record(kdf.derive(key, kdf.LABEL_ITEM_META), ref.context("item-meta"), data)
    try:
        assert isinstance(item.decrypt_metadata(key, ref, blob), dict)
    except CryptoError:
        pass


def test_metadata_list_is_refused():
    key, ref = b"k" * 32, item.ItemRef("i", "b")
    blob = seal_record(kdf.derive(key, kdf.LABEL_ITEM_META), ref.context("item-meta"), b"[1]")
    with pytest.raises(CryptoError):
        item.decrypt_metadata(key, ref, blob)
