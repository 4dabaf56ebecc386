"""RFC 9497 OPRF (mode 0x00, ristretto255-SHA512): published vectors, round trips, refusals."""
from __future__ import annotations

import pytest
import rbcl
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultcore import oprf
from vaultcore.errors import CryptoError

# RFC 9497 Appendix A.1.1, OPRF(ristretto255, SHA-512), OPRF mode.
SEED = bytes.fromhex("a3" * 32)
KEY_INFO = bytes.fromhex("74657374206b6579")  # "test key"
SK_SM = bytes.fromhex("5ebcea5ee37023ccb9fc2d2019f9d7737be85591ae8652ffa9ef0f4d37063b0e")
BLIND = bytes.fromhex("64d37aed22a27f5191de1c1d69fadb899d8862b58eb4220029e036ec4c1f6706")

RFC_VECTORS = [
    pytest.param(
        "00",
        "609a0ae68c15a3cf6903766461307e5c8bb2f95e7e6550e1ffa2dc99e412803c",
        "7ec6578ae5120958eb2db1745758ff379e77cb64fe77b0b2d8cc917ea0869c7e",
        "527759c3d9366f277d8c6020418d96bb393ba2afb20ff90df23fb7708264e2f3"
        "ab9135e3bd69955851de4b1f9fe8a0973396719b7912ba9ee8aa7d0b5e24bcf6",
        id="test-vector-1",
    ),
    pytest.param(
        "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
        "da27ef466870f5f15296299850aa088629945a17d1f5b7f5ff043f76b3c06418",
        "b4cbf5a4f1eeda5a63ce7b77c7d23f461db3fcab0dd28e4e17cecb5c90d02c25",
        "f4a74c9c592497375e796aa837e907b1a045d34306a749db9f34221f7e750cb4"
        "f2a6413a6bf6fa5e19ba6348eb673934a722a7ede2e7621306d18951e7cf2c73",
        id="test-vector-2",
    ),
]

# RFC 9380 Appendix K.3, expand_message_xmd(SHA-512).
XMD_DST = b"QUUX-V01-CS02-with-expander-SHA512-256"
XMD_VECTORS = [
    (b"", 0x20, "6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba"),
    (b"abc", 0x20, "0da749f12fbe5483eb066a5f595055679b976e93abe9be6f0f6318bce7aca8dc"),
    (
        b"",
        0x80,
        "41b037d1734a5f8df225dd8c7de38f851efdb45c372887be655212d07251b921"
        "b052b62eaed99b46f72f2ef4cc96bfaf254ebbbec091e1a3b9e4fb5e5b619d2e"
        "0c5414800a1d882b62bb5cd1778f098b8eb6cb399d5d9d18f5d5842cf5d13d7e"
        "b00a7cff859b605da678b318bd0e65ebff70bec88c753b159a805d2c89c55961",
    ),
]

ORDER = 2**252 + 27742317777372353535851937790883648493  # L, the ristretto255 group order
FIELD_PRIME = 2**255 - 19


def _le(value: int) -> bytes:
    return value.to_bytes(32, "little")


VALID_ELEMENT = oprf.blind(b"some input", BLIND)[1]
BAD_ELEMENTS = [
    pytest.param(b"", id="empty"),
    pytest.param(VALID_ELEMENT[:31], id="31-bytes"),
    pytest.param(VALID_ELEMENT + b"\x00", id="33-bytes"),
    pytest.param(VALID_ELEMENT * 2, id="64-bytes"),
    pytest.param(b"\xff" * 32, id="all-ff"),
    pytest.param(bytes(32), id="identity"),
    pytest.param(_le(FIELD_PRIME), id="s-equals-p"),
    pytest.param(_le(1), id="negative-s"),
    pytest.param(VALID_ELEMENT[:31] + bytes([VALID_ELEMENT[31] | 0x80]), id="top-bit-set"),
]
BAD_SCALARS = [
    pytest.param(bytes(32), id="zero"),
    pytest.param(_le(ORDER), id="order"),
    pytest.param(_le(ORDER + 1), id="order-plus-one"),
    pytest.param(_le(2**253), id="2^253"),
    pytest.param(b"\xff" * 32, id="all-ff"),
    pytest.param(b"", id="empty"),
    pytest.param(SK_SM[:31], id="31-bytes"),
    pytest.param(SK_SM + b"\x00", id="33-bytes"),
    pytest.param(SK_SM * 2, id="64-bytes"),
]



def _settings(max_examples: int) -> settings:
    # No example database: the run must leave nothing behind in the working tree.
    return settings(max_examples=max_examples, database=None, deadline=None)


def _assert_uniform(excinfo: pytest.ExceptionInfo[CryptoError]) -> None:
    """Refusals must be indistinguishable: one type, one message, nothing chained to read."""
    exc = excinfo.value
    assert type(exc) is CryptoError
    assert str(exc) == str(CryptoError())
    assert exc.args == CryptoError().args
    assert exc.__cause__ is None
    assert exc.__context__ is None or exc.__suppress_context__


# RFC vectors


def test_derive_key_pair_matches_rfc():
    sk, pk = oprf.derive_key_pair(SEED, KEY_INFO)
    assert sk == SK_SM
    assert pk == rbcl.crypto_scalarmult_ristretto255_base(SK_SM)


@pytest.mark.parametrize("input_hex, blinded_hex, evaluated_hex, output_hex", RFC_VECTORS)
def test_rfc_vector(input_hex, blinded_hex, evaluated_hex, output_hex):
    data = bytes.fromhex(input_hex)
    blind, blinded = oprf.blind(data, BLIND)
    assert blind == BLIND
    assert blinded.hex() == blinded_hex
    evaluated = oprf.blind_evaluate(SK_SM, blinded)
    assert evaluated.hex() == evaluated_hex
    assert oprf.finalize(data, BLIND, evaluated).hex() == output_hex
    assert oprf.evaluate(SK_SM, data).hex() == output_hex


@pytest.mark.parametrize("msg, length, expected_hex", XMD_VECTORS)
def test_expand_message_xmd_matches_rfc_9380(msg, length, expected_hex):
    assert oprf._expand_message_xmd(msg, XMD_DST, length).hex() == expected_hex


def test_domain_separation_tags():
    context = b"OPRFV1-\x00-ristretto255-SHA512"
    assert oprf._DST_HASH_TO_GROUP == b"HashToGroup-" + context
    assert oprf._DST_HASH_TO_SCALAR == b"HashToScalar-" + context
    assert oprf._DST_DERIVE_KEY_PAIR == b"DeriveKeyPair" + context


def test_constants():
    assert (oprf.ELEMENT_BYTES, oprf.SCALAR_BYTES, oprf.OUTPUT_BYTES) == (32, 32, 64)


# Protocol behaviour


@_settings(50)
@given(data=st.binary(max_size=300))
def test_round_trip_equals_evaluate(data):
    sk, _ = oprf.generate_key_pair()
    blind, blinded = oprf.blind(data)
    output = oprf.finalize(data, blind, oprf.blind_evaluate(sk, blinded))
    assert len(output) == oprf.OUTPUT_BYTES
    assert output == oprf.evaluate(sk, data)


def test_fresh_blinds_hide_the_input_but_agree_on_the_output():
    sk, _ = oprf.generate_key_pair()
    blind_a, blinded_a = oprf.blind(b"password")
    blind_b, blinded_b = oprf.blind(b"password")
    assert blind_a != blind_b
    assert blinded_a != blinded_b
    out_a = oprf.finalize(b"password", blind_a, oprf.blind_evaluate(sk, blinded_a))
    out_b = oprf.finalize(b"password", blind_b, oprf.blind_evaluate(sk, blinded_b))
    assert out_a == out_b


def test_different_keys_give_different_outputs():
    sk_a, _ = oprf.generate_key_pair()
    sk_b, _ = oprf.generate_key_pair()
    assert sk_a != sk_b
    assert oprf.evaluate(sk_a, b"input") != oprf.evaluate(sk_b, b"input")
    derived_a, _ = oprf.derive_key_pair(SEED, b"key a")
    derived_b, _ = oprf.derive_key_pair(SEED, b"key b")
    assert oprf.evaluate(derived_a, b"input") != oprf.evaluate(derived_b, b"input")


def test_different_inputs_give_different_outputs():
    assert oprf.evaluate(SK_SM, b"a") != oprf.evaluate(SK_SM, b"b")


def test_generate_key_pair_is_canonical_and_consistent():
    sk, pk = oprf.generate_key_pair()
    assert len(sk) == oprf.SCALAR_BYTES and len(pk) == oprf.ELEMENT_BYTES
    assert 0 < int.from_bytes(sk, "little") < ORDER
    assert pk == rbcl.crypto_scalarmult_ristretto255_base(sk)


def test_largest_canonical_scalar_is_accepted():
    _, blinded = oprf.blind(b"x", _le(ORDER - 1))
    assert len(oprf.blind_evaluate(_le(ORDER - 1), blinded)) == oprf.ELEMENT_BYTES


def test_input_length_limit():
    longest = b"\x01" * 0xFFFF
    sk, _ = oprf.generate_key_pair()
    blind, blinded = oprf.blind(longest)
    assert oprf.finalize(longest, blind, oprf.blind_evaluate(sk, blinded)) == oprf.evaluate(
        sk, longest
    )
    too_long = longest + b"\x01"
    for call in (
        lambda: oprf.blind(too_long),
        lambda: oprf.evaluate(sk, too_long),
        lambda: oprf.finalize(too_long, blind, oprf.blind_evaluate(sk, blinded)),
    ):
        with pytest.raises(CryptoError) as excinfo:
            call()
        _assert_uniform(excinfo)


# DeriveKeyPair edge cases


@pytest.mark.parametrize("seed", [b"", SEED[:31], SEED + b"\xa3"], ids=["0", "31", "33"])
def test_derive_key_pair_refuses_wrong_seed_length(seed):
    with pytest.raises(CryptoError) as excinfo:
        oprf.derive_key_pair(seed, KEY_INFO)
    _assert_uniform(excinfo)


def test_derive_key_pair_refuses_overlong_info():
    oprf.derive_key_pair(SEED, b"i" * 0xFFFF)
    with pytest.raises(CryptoError) as excinfo:
        oprf.derive_key_pair(SEED, b"i" * 0x10000)
    _assert_uniform(excinfo)


def test_derive_key_pair_retries_with_next_counter(monkeypatch):
    real = oprf._hash_to_scalar
    seen = []

    def zero_first(msg, dst):
        seen.append(msg[-1])
        return bytes(32) if len(seen) == 1 else real(msg, dst)

    monkeypatch.setattr(oprf, "_hash_to_scalar", zero_first)
    sk, _ = oprf.derive_key_pair(SEED, KEY_INFO)
    assert seen == [0, 1]
    derive_input = SEED + len(KEY_INFO).to_bytes(2, "big") + KEY_INFO + b"\x01"
    assert sk == real(derive_input, oprf._DST_DERIVE_KEY_PAIR)


def test_derive_key_pair_gives_up_after_256_zero_scalars(monkeypatch):
    counters = []

    def always_zero(msg, dst):
        counters.append(msg[-1])
        return bytes(32)

    monkeypatch.setattr(oprf, "_hash_to_scalar", always_zero)
    with pytest.raises(CryptoError) as excinfo:
        oprf.derive_key_pair(SEED, KEY_INFO)
    _assert_uniform(excinfo)
    assert counters == list(range(256))


# Refusals


@pytest.mark.parametrize("element", BAD_ELEMENTS)
def test_blind_evaluate_refuses_bad_element(element):
    with pytest.raises(CryptoError) as excinfo:
        oprf.blind_evaluate(SK_SM, element)
    _assert_uniform(excinfo)


@pytest.mark.parametrize("element", BAD_ELEMENTS)
def test_finalize_refuses_bad_element(element):
    with pytest.raises(CryptoError) as excinfo:
        oprf.finalize(b"input", BLIND, element)
    _assert_uniform(excinfo)


@pytest.mark.parametrize("scalar", BAD_SCALARS)
def test_blind_evaluate_refuses_bad_key(scalar):
    with pytest.raises(CryptoError) as excinfo:
        oprf.blind_evaluate(scalar, VALID_ELEMENT)
    _assert_uniform(excinfo)


@pytest.mark.parametrize("scalar", BAD_SCALARS)
def test_evaluate_refuses_bad_key(scalar):
    with pytest.raises(CryptoError) as excinfo:
        oprf.evaluate(scalar, b"input")
    _assert_uniform(excinfo)


@pytest.mark.parametrize("scalar", BAD_SCALARS)
def test_blind_refuses_bad_blind(scalar):
    with pytest.raises(CryptoError) as excinfo:
        oprf.blind(b"input", scalar)
    _assert_uniform(excinfo)


@pytest.mark.parametrize("scalar", BAD_SCALARS)
def test_finalize_refuses_bad_blind(scalar):
    evaluated = oprf.blind_evaluate(SK_SM, VALID_ELEMENT)
    with pytest.raises(CryptoError) as excinfo:
        oprf.finalize(b"input", scalar, evaluated)
    _assert_uniform(excinfo)


@pytest.mark.parametrize("bad", [None, "text", 42, [0] * 32], ids=["none", "str", "int", "list"])
def test_non_bytes_arguments_are_refused(bad):
    calls = [
        lambda: oprf.blind_evaluate(bad, VALID_ELEMENT),
        lambda: oprf.blind_evaluate(SK_SM, bad),
        lambda: oprf.finalize(bad, BLIND, VALID_ELEMENT),
        lambda: oprf.finalize(b"input", bad, VALID_ELEMENT),
        lambda: oprf.finalize(b"input", BLIND, bad),
        lambda: oprf.evaluate(SK_SM, bad),
        lambda: oprf.derive_key_pair(bad, KEY_INFO),
    ]
    if bad is not None:  # None asks blind() for a random scalar
        calls.append(lambda: oprf.blind(b"input", bad))
    for call in calls:
        with pytest.raises(CryptoError) as excinfo:
            call()
        _assert_uniform(excinfo)


def test_identity_product_is_refused(monkeypatch):
    monkeypatch.setattr(rbcl, "crypto_scalarmult_ristretto255", lambda s, p: bytes(32))
    with pytest.raises(CryptoError) as excinfo:
        oprf.blind_evaluate(SK_SM, VALID_ELEMENT)
    _assert_uniform(excinfo)


def test_libsodium_failure_becomes_crypto_error(monkeypatch):
    def refuse(s, p):
        raise RuntimeError("libsodium says no")

    monkeypatch.setattr(rbcl, "crypto_scalarmult_ristretto255", refuse)
    with pytest.raises(CryptoError) as excinfo:
        oprf.blind_evaluate(SK_SM, VALID_ELEMENT)
    _assert_uniform(excinfo)
    assert "libsodium" not in str(excinfo.value)


def _flip_bit(value: bytes, bit: int) -> bytes:
    flipped = bytearray(value)
    flipped[bit // 8] ^= 1 << (bit % 8)
    return bytes(flipped)


def _is_canonical_encoding(element: bytes) -> bool:
    # Multiplying by one decodes and re-encodes: only the canonical encoding survives unchanged.
    return rbcl.crypto_scalarmult_ristretto255(_le(1), element) == element


@pytest.mark.parametrize("bit", range(256))
def test_single_bit_corruptions_are_refused_or_canonical(bit):
    corrupted = _flip_bit(VALID_ELEMENT, bit)
    try:
        oprf.blind_evaluate(SK_SM, corrupted)
    except CryptoError as exc:
        assert str(exc) == str(CryptoError())
    else:
        assert _is_canonical_encoding(corrupted)


# Fuzz: attacker-controlled bytes only ever produce a result or CryptoError.

VALID_ELEMENTS = [VALID_ELEMENT] + [oprf.blind(bytes([i]), BLIND)[1] for i in range(4)]
fuzz_elements = st.one_of(
    st.binary(max_size=70),
    st.binary(min_size=32, max_size=32),
    st.sampled_from(VALID_ELEMENTS),
    st.builds(_flip_bit, st.sampled_from(VALID_ELEMENTS), st.integers(0, 255)),
)
fuzz_scalars = st.one_of(
    st.binary(max_size=70),
    st.binary(min_size=32, max_size=32),
    st.just(SK_SM),
    st.builds(_flip_bit, st.just(SK_SM), st.integers(0, 255)),
)


@_settings(200)
@given(sk=fuzz_scalars, element=fuzz_elements)
def test_fuzz_blind_evaluate(sk, element):
    try:
        result = oprf.blind_evaluate(sk, element)
    except CryptoError as exc:
        assert str(exc) == str(CryptoError())
    else:
        assert len(result) == oprf.ELEMENT_BYTES
        assert rbcl.crypto_core_ristretto255_is_valid_point(result)
        assert _is_canonical_encoding(element)


@_settings(200)
@given(data=st.binary(max_size=70), blind=fuzz_scalars, element=fuzz_elements)
def test_fuzz_finalize(data, blind, element):
    try:
        result = oprf.finalize(data, blind, element)
    except CryptoError as exc:
        assert str(exc) == str(CryptoError())
    else:
        assert len(result) == oprf.OUTPUT_BYTES
        assert _is_canonical_encoding(element)
