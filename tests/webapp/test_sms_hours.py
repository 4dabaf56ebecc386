"""Decent hours in Europe/Paris: 08:00-20:00 included; outside, the nearer edge before the appointment,
also across the daylight-saving changes."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from webapp.sms.hours import NoDecentTime, decent_send_time, is_decent

PARIS = ZoneInfo("Europe/Paris")
FAR_PAST = datetime(2000, 1, 1, tzinfo=timezone.utc)


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS).astimezone(timezone.utc)


def moved(wanted, appointment, not_before=FAR_PAST):
    return decent_send_time(wanted, not_before=not_before, before=appointment).astimezone(PARIS)


@pytest.mark.parametrize("moment, decent", [
    (paris(2026, 6, 10, 8, 0), True), (paris(2026, 6, 10, 20, 0), True), (paris(2026, 6, 10, 12, 0), True),
    (paris(2026, 6, 10, 7, 59, 59), False), (paris(2026, 6, 10, 20, 0, 1), False), (paris(2026, 6, 10, 3, 0), False),
])
def test_the_day_runs_from_8_to_20_paris_time(moment, decent):
    assert is_decent(moment) is decent


def test_a_decent_time_is_kept():
    wanted = paris(2026, 6, 10, 8, 0)
    assert decent_send_time(wanted, not_before=FAR_PAST, before=paris(2026, 6, 11, 9)) == wanted


def test_late_evening_moves_back_to_20h():
    assert moved(paris(2026, 6, 10, 20, 0, 1), paris(2026, 6, 11, 9)) == datetime(2026, 6, 10, 20, 0, tzinfo=PARIS)
    assert moved(paris(2026, 6, 10, 22, 30), paris(2026, 6, 11, 9)) == datetime(2026, 6, 10, 20, 0, tzinfo=PARIS)


def test_early_morning_moves_forward_to_8h_when_the_appointment_is_later():
    assert moved(paris(2026, 6, 11, 6, 0), paris(2026, 6, 11, 10)) == datetime(2026, 6, 11, 8, 0, tzinfo=PARIS)
    assert moved(paris(2026, 6, 11, 7, 59, 59), paris(2026, 6, 11, 10)) == datetime(2026, 6, 11, 8, 0, tzinfo=PARIS)


def test_early_morning_moves_back_to_the_evening_before_when_8h_is_too_late():
    # 2 hours before an 8:30 appointment is 6:30; 8:00 would still be before it, 8:30 would not.
    assert moved(paris(2026, 6, 11, 6, 30), paris(2026, 6, 11, 8, 30)) == datetime(2026, 6, 11, 8, 0, tzinfo=PARIS)
    assert moved(paris(2026, 6, 11, 6, 0), paris(2026, 6, 11, 8, 0)) == datetime(2026, 6, 10, 20, 0, tzinfo=PARIS)


def test_a_tie_goes_to_the_evening():
    assert moved(paris(2026, 6, 11, 2, 0), paris(2026, 6, 11, 9)) == datetime(2026, 6, 10, 20, 0, tzinfo=PARIS)


def test_no_decent_time_left_is_refused():
    with pytest.raises(NoDecentTime):
        decent_send_time(paris(2026, 6, 11, 6, 0), not_before=paris(2026, 6, 10, 21), before=paris(2026, 6, 11, 7, 30))


def test_spring_forward_night_counts_its_real_hours():
    # 29 March 2026: 02:00 becomes 03:00. 01:30 UTC is 03:30 local: 20:00 the day before is
    # 6 h 30 earlier (19:00 UTC), 08:00 is 4 h 30 later (06:00 UTC): the morning wins.
    wanted = datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc)
    result = decent_send_time(wanted, not_before=FAR_PAST, before=paris(2026, 3, 29, 12))
    assert result == datetime(2026, 3, 29, 6, 0, tzinfo=timezone.utc)
    # On the hour before, 00:30 UTC is 01:30 local: 5 h 30 after 20:00, 5 h 30 before 08:00 — a tie in real time.
    wanted = datetime(2026, 3, 29, 0, 30, tzinfo=timezone.utc)
    assert decent_send_time(wanted, not_before=FAR_PAST, before=paris(2026, 3, 29, 12)) == paris(2026, 3, 28, 20)


def test_fall_back_night_counts_its_real_hours():
    # 25 October 2026: 03:00 becomes 02:00. 08:00 local is 07:00 UTC, 20:00 the day before 18:00 UTC.
    assert paris(2026, 10, 25, 8) == datetime(2026, 10, 25, 7, 0, tzinfo=timezone.utc)
    wanted = datetime(2026, 10, 25, 1, 0, tzinfo=timezone.utc)  # 02:00 local, the second time: 7 h after 20:00, 6 h before 08:00
    assert decent_send_time(wanted, not_before=FAR_PAST, before=paris(2026, 10, 25, 12)) == paris(2026, 10, 25, 8)
    assert is_decent(paris(2026, 10, 25, 8)) and not is_decent(paris(2026, 10, 25, 8) - timedelta(seconds=1))
