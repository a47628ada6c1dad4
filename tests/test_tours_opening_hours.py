"""Opening hours at a tour's arrival times: open, closed, or "check yourself" when the syntax says too little."""

from datetime import datetime

import pytest

from server.domain.walks.opening_hours import is_open

MONDAY = datetime(2026, 5, 11)  # a Monday


def at(day_offset: int, hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return MONDAY.replace(day=MONDAY.day + day_offset, hour=hours, minute=minutes)


@pytest.mark.parametrize(
    "hours, moment, expected",
    [
        ("Mo-Su 10:00-18:00", at(0, "10:00"), True),
        ("Mo-Su 10:00-18:00", at(0, "18:00"), False),
        ("Mo-Su 10:00-18:00", at(6, "09:59"), False),
        ("Tu-Su 10:00-18:00", at(0, "12:00"), False),  # closed on Mondays: no rule names the day
        ("Mo-Fr 09:00-12:00,13:00-17:00", at(2, "12:30"), False),
        ("Mo-Fr 09:00-12:00,13:00-17:00", at(2, "13:30"), True),
        ("Mo-Su 10:00-18:00; We off", at(2, "11:00"), False),  # a later rule replaces an earlier one
        ("Mo-Su 10:00-18:00; PH off", at(3, "11:00"), True),
        ("Sa-Mo 10:00-16:00", at(0, "11:00"), True),  # ranges wrap round the week
        ("Sa-Mo 10:00-16:00", at(1, "11:00"), False),
        ("10:00-24:00", at(4, "23:30"), True),
        ("Fr 20:00-02:00", at(4, "23:00"), True),
        ("24/7", at(5, "03:00"), True),
    ],
)
def test_open_or_closed(hours, moment, expected):
    assert is_open(hours, moment) is expected


@pytest.mark.parametrize(
    "hours",
    [
        "",
        "Apr-Oct Mo-Su 10:00-18:00",
        "sunrise-sunset",
        "Mo-Fr 9-17",
        '"by appointment"',
        "Mo-Fr 10:00-18:00 || Sa 10:00-12:00",
    ],
)
def test_hours_it_cannot_read_are_unknown_not_guessed(hours):
    assert is_open(hours, at(0, "12:00")) is None
