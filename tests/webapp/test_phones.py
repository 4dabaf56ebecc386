"""Phone numbers: typed the French way or with a country prefix, kept in E.164, shown back nationally."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.sms.phones import EMPTY, INVALID, NOT_MOBILE, InvalidPhone, display, normalise


@pytest.mark.parametrize("typed", ["06 12 34 56 78", "0612345678", "06.12.34.56.78", "+33 6 12 34 56 78",
                                   "0033612345678", " 06-12-34-56-78 ", "+33 (0)6 12 34 56 78"])
def test_french_mobile_numbers_are_kept_in_e164(typed):
    assert normalise(typed) == "+33612345678"


@pytest.mark.parametrize("typed, reason", [
    ("", EMPTY), ("   ", EMPTY), ("12", INVALID), ("06 12 34", INVALID), ("bonjour", INVALID),
    ("06 12 34 56 78 90 12 34 56 78 90 12 34 56 78 90 12 34", INVALID), ("+999 12 34 56 78", INVALID),
    ("01 42 68 53 00", NOT_MOBILE), ("0800 123 456", NOT_MOBILE),
])
def test_unusable_numbers_are_refused_with_a_reason(typed, reason):
    with pytest.raises(InvalidPhone) as refused:
        normalise(typed)
    assert refused.value.reason == reason


def test_a_landline_is_accepted_where_a_mobile_is_not_needed():
    assert normalise("01 42 68 53 00", mobile=False) == "+33142685300"


def test_foreign_mobiles_are_accepted_and_shown_internationally():
    assert normalise("+32 470 12 34 56") == "+32470123456"
    assert display("+32470123456") == "+32 470 12 34 56"


def test_french_numbers_are_shown_in_the_national_format():
    assert display("+33612345678") == "06 12 34 56 78"
    assert display(None) == ""


# Mobiles are 06 and 073 to 079 (ARCEP's plan).
@given(st.sampled_from(["6", "73", "74", "75", "76", "77", "78", "79"]), st.integers(min_value=0, max_value=99_999_999))
def test_every_french_mobile_round_trips_through_its_display(prefix, rest):
    digits = (prefix + f"{rest:08d}")[:9]
    e164 = normalise(f"0{digits}")
    assert e164 == f"+33{digits}"
    assert normalise(display(e164)) == e164


@given(st.text(max_size=60))
def test_any_text_is_either_a_number_or_a_named_refusal(typed):
    try:
        e164 = normalise(typed)
    except InvalidPhone as refused:
        assert refused.reason in (EMPTY, INVALID, NOT_MOBILE)
    else:
        assert e164.startswith("+") and e164[1:].isdigit()
