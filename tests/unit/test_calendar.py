"""England's working-day calendar and the date arithmetic helpers."""

from __future__ import annotations

import doctest
import importlib
import json
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from lif_rules.core.calendar import (
    WorkingDayCalendar,
    add_days,
    add_months,
    add_weeks,
    calendar,
    roll,
)

# The official list for England and Wales, 2012-2028 (GOV.UK, Open Government Licence): its "source" says where from.
GOV_UK = Path(__file__).resolve().parents[1] / "data" / "gov-uk-bank-holidays-england-and-wales.json"

D = date


@pytest.fixture(scope="module")
def eng() -> WorkingDayCalendar:
    return calendar("england")


# --- bank holidays ---------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        D(2022, 6, 3),  # Platinum Jubilee
        D(2022, 6, 2),  # Spring bank holiday, moved for the Jubilee
        D(2022, 9, 19),  # State Funeral of Queen Elizabeth II
        D(2023, 5, 8),  # Coronation of Charles III
        D(2020, 5, 8),  # early May bank holiday, moved to Friday for VE Day
        D(2020, 12, 28),  # substitute for Boxing Day (Saturday)
        D(2021, 12, 27),  # substitute for Christmas Day (Saturday)
        D(2021, 12, 28),  # substitute for Boxing Day (Sunday)
        D(2022, 1, 3),  # substitute for New Year's Day (Saturday)
        D(2022, 12, 27),  # substitute for Christmas Day (Sunday)
        D(2023, 1, 2),  # substitute for New Year's Day (Sunday)
        D(2026, 12, 28),  # substitute for Boxing Day (Saturday)
        D(2022, 4, 18),  # Easter Monday: plain "GB" holidays drop it
        D(2022, 4, 15),  # Good Friday
    ],
)
def test_bank_holidays_are_not_working_days(eng: WorkingDayCalendar, day: date) -> None:
    assert day.weekday() < 5
    assert not eng.is_working_day(day)
    assert eng.holiday_name(day) is not None


def test_ve_day_monday_2020_is_a_working_day(eng: WorkingDayCalendar) -> None:
    # The first Monday of May 2020 was not a bank holiday: it moved to Friday 8 May.
    assert eng.is_working_day(D(2020, 5, 4))
    assert eng.holiday_name(D(2020, 5, 4)) is None


def test_weekends_are_not_working_days_but_not_holidays(eng: WorkingDayCalendar) -> None:
    assert not eng.is_working_day(D(2026, 3, 7))  # Saturday
    assert not eng.is_working_day(D(2026, 3, 8))  # Sunday
    assert eng.holiday_name(D(2026, 3, 7)) is None
    # Christmas Day 2022 was a Sunday: the bank holiday is the substitute day, 27 Dec.
    assert eng.holiday_name(D(2022, 12, 25)) is None
    assert "Christmas" in (eng.holiday_name(D(2022, 12, 27)) or "")
    assert "Boxing" in (eng.holiday_name(D(2026, 12, 28)) or "")


def test_ordinary_weekday_is_a_working_day(eng: WorkingDayCalendar) -> None:
    assert eng.is_working_day(D(2026, 3, 9))
    assert eng.holiday_name(D(2026, 3, 9)) is None


# --- add_working_days: worked examples, counted by hand --------------------------


def test_easter_monday_is_skipped(eng: WorkingDayCalendar) -> None:
    # Thu 14 Apr 2022: Fri 15 Good Friday, Sat/Sun, Mon 18 Easter Monday,
    # Tue 19 =1, Wed 20 =2, Thu 21 =3, Fri 22 =4, Sat/Sun, Mon 25 =5.
    assert eng.add_working_days(D(2022, 4, 14), 5) == D(2022, 4, 25)


def test_easter_2024(eng: WorkingDayCalendar) -> None:
    # Thu 28 Mar 2024: Fri 29 Good Friday, Sat/Sun, Mon 1 Apr Easter Monday, Tue 2 =1.
    assert eng.add_working_days(D(2024, 3, 28), 1) == D(2024, 4, 2)


def test_christmas_2022_with_substitute_days(eng: WorkingDayCalendar) -> None:
    # Fri 23 Dec 2022: Sat 24, Sun 25, Mon 26 Boxing Day, Tue 27 Christmas (substitute),
    # Wed 28 =1, Thu 29 =2, Fri 30 =3, Sat 31, Sun 1 Jan, Mon 2 Jan New Year (substitute),
    # Tue 3 =4, Wed 4 =5.
    assert eng.add_working_days(D(2022, 12, 23), 5) == D(2023, 1, 4)


def test_christmas_2026_one_day(eng: WorkingDayCalendar) -> None:
    # Thu 24 Dec 2026: Fri 25 Christmas, Sat 26, Sun 27, Mon 28 Boxing Day (substitute),
    # Tue 29 =1.
    assert eng.add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)


def test_christmas_2026_fifteen_days(eng: WorkingDayCalendar) -> None:
    # Tue 22 Dec 2026: Wed 23 =1, Thu 24 =2, Fri 25 hol, Sat/Sun, Mon 28 hol,
    # Tue 29 =3, Wed 30 =4, Thu 31 =5, Fri 1 Jan hol, Sat/Sun, Mon 4 =6 ... Fri 8 =10,
    # Sat/Sun, Mon 11 =11 ... Fri 15 =15.
    assert eng.add_working_days(D(2026, 12, 22), 15) == D(2027, 1, 15)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        # Fri 27 May 2022: Mon 30 =1, Tue 31 =2.
        (2, D(2022, 5, 31)),
        # ... Wed 1 Jun =3, Thu 2 and Fri 3 Jubilee holidays, Sat/Sun, Mon 6 =4,
        # Tue 7 =5, Wed 8 =6, Thu 9 =7.
        (7, D(2022, 6, 9)),
        # ... Fri 10 =8, Sat/Sun, Mon 13 =9 ... Fri 17 =13.
        (13, D(2022, 6, 17)),
    ],
)
def test_platinum_jubilee(eng: WorkingDayCalendar, n: int, expected: date) -> None:
    assert eng.add_working_days(D(2022, 5, 27), n) == expected


def test_state_funeral(eng: WorkingDayCalendar) -> None:
    # Fri 16 Sep 2022: Sat/Sun, Mon 19 State Funeral, Tue 20 =1.
    assert eng.add_working_days(D(2022, 9, 16), 1) == D(2022, 9, 20)


def test_coronation(eng: WorkingDayCalendar) -> None:
    # Fri 28 Apr 2023: Sat/Sun, Mon 1 May early May bank holiday, Tue 2 =1 ... Fri 5 =4,
    # Sat/Sun, Mon 8 Coronation, Tue 9 =5 ... Fri 12 =8, Sat/Sun, Mon 15 =9 ... Fri 19 =13,
    # Sat/Sun, Mon 22 =14.
    assert eng.add_working_days(D(2023, 4, 28), 14) == D(2023, 5, 22)


def test_ve_day(eng: WorkingDayCalendar) -> None:
    # Thu 7 May 2020: Fri 8 bank holiday (VE Day), Sat/Sun, Mon 11 =1.
    assert eng.add_working_days(D(2020, 5, 7), 1) == D(2020, 5, 11)
    # Fri 1 May 2020: Sat/Sun, Mon 4 =1 (not a bank holiday that year).
    assert eng.add_working_days(D(2020, 5, 1), 1) == D(2020, 5, 4)


def test_weekend_start(eng: WorkingDayCalendar) -> None:
    # Sat 7 Mar 2026: Sun 8, Mon 9 =1 ... Fri 13 =5.
    assert eng.add_working_days(D(2026, 3, 7), 1) == D(2026, 3, 9)
    assert eng.add_working_days(D(2026, 3, 7), 5) == D(2026, 3, 13)
    # Sun 8 Mar 2026: Mon 9 =1.
    assert eng.add_working_days(D(2026, 3, 8), 1) == D(2026, 3, 9)


def test_zero_days_is_the_anchor_itself(eng: WorkingDayCalendar) -> None:
    assert eng.add_working_days(D(2026, 3, 9), 0) == D(2026, 3, 9)
    assert eng.add_working_days(D(2026, 3, 7), 0) == D(2026, 3, 7)  # a Saturday
    assert eng.add_working_days(D(2026, 12, 28), 0) == D(2026, 12, 28)  # a bank holiday


def test_month_end_and_leap_day(eng: WorkingDayCalendar) -> None:
    # Fri 30 Jan 2026: Sat 31, Sun 1 Feb, Mon 2 Feb =1.
    assert eng.add_working_days(D(2026, 1, 30), 1) == D(2026, 2, 2)
    # Mon 28 Feb 2028: Tue 29 Feb (leap day) =1, Wed 1 Mar =2.
    assert eng.add_working_days(D(2028, 2, 28), 1) == D(2028, 2, 29)
    assert eng.add_working_days(D(2028, 2, 28), 2) == D(2028, 3, 1)


def test_negative_n_is_refused(eng: WorkingDayCalendar) -> None:
    with pytest.raises(ValueError, match="n >= 0"):
        eng.add_working_days(D(2026, 3, 9), -1)


# --- working_days_between ---------------------------------------------------------


def test_working_days_between_examples(eng: WorkingDayCalendar) -> None:
    assert eng.working_days_between(D(2026, 3, 9), D(2026, 3, 9)) == 0
    # Thu 24 Dec 2026 -> Tue 29: only the 29th counts.
    assert eng.working_days_between(D(2026, 12, 24), D(2026, 12, 29)) == 1
    assert eng.working_days_between(D(2026, 12, 29), D(2026, 12, 24)) == -1
    # Fri 23 Dec 2022 -> Wed 4 Jan 2023: 28, 29, 30 Dec, 3, 4 Jan.
    assert eng.working_days_between(D(2022, 12, 23), D(2023, 1, 4)) == 5
    assert eng.working_days_between(D(2023, 1, 4), D(2022, 12, 23)) == -5
    # From a Saturday: Sat 7 Mar 2026 -> Fri 13: Mon-Fri.
    assert eng.working_days_between(D(2026, 3, 7), D(2026, 3, 13)) == 5
    # Saturday to Sunday, and Friday to the following Monday.
    assert eng.working_days_between(D(2026, 3, 7), D(2026, 3, 8)) == 0
    assert eng.working_days_between(D(2026, 3, 6), D(2026, 3, 9)) == 1
    # Ending on a bank holiday does not count it: Fri 27 May -> Fri 3 Jun 2022.
    assert eng.working_days_between(D(2022, 5, 27), D(2022, 6, 3)) == 3


def test_working_days_between_inverts_add_working_days(eng: WorkingDayCalendar) -> None:
    start = D(2022, 5, 27)
    for n in range(40):
        assert eng.working_days_between(start, eng.add_working_days(start, n)) == n


# --- next / previous working day, roll --------------------------------------------


def test_next_and_previous_working_day(eng: WorkingDayCalendar) -> None:
    # Thu 2 Jun 2022 and Fri 3 are Jubilee holidays.
    assert eng.next_working_day(D(2022, 6, 2)) == D(2022, 6, 6)
    assert eng.previous_working_day(D(2022, 6, 2)) == D(2022, 6, 1)
    assert eng.previous_working_day(D(2022, 6, 5)) == D(2022, 6, 1)  # Sunday
    assert eng.next_working_day(D(2022, 6, 1)) == D(2022, 6, 1)
    assert eng.previous_working_day(D(2022, 6, 1)) == D(2022, 6, 1)


def test_roll(eng: WorkingDayCalendar) -> None:
    assert roll(eng, D(2022, 6, 3), None) == D(2022, 6, 3)
    assert roll(eng, D(2022, 6, 3), "forward") == D(2022, 6, 6)
    assert roll(eng, D(2022, 6, 3), "backward") == D(2022, 6, 1)
    assert roll(eng, D(2022, 6, 1), "forward") == D(2022, 6, 1)
    with pytest.raises(ValueError, match="forward"):
        roll(eng, D(2022, 6, 3), "sideways")  # type: ignore[arg-type]


def test_previous_working_day_extends_the_table_backwards() -> None:
    cal = WorkingDayCalendar("england")  # a fresh table
    # Mon 3 Jan 2000 was New Year's substitute day, Fri 31 Dec 1999 the Millennium
    # holiday, so the last working day before it was Thu 30 Dec 1999.
    assert cal.previous_working_day(D(2000, 1, 3)) == D(1999, 12, 30)
    assert cal.holiday_name(D(1999, 12, 31)) is not None


# --- bank_holidays_between, weekend_days_between -----------------------------------


def test_bank_holidays_between_jubilee(eng: WorkingDayCalendar) -> None:
    found = eng.bank_holidays_between(D(2022, 5, 27), D(2022, 6, 17))
    assert [day for day, _ in found] == [D(2022, 6, 2), D(2022, 6, 3)]
    assert "Spring" in found[0][1]
    assert "Jubilee" in found[1][1]


def test_bank_holidays_between_is_half_open(eng: WorkingDayCalendar) -> None:
    assert [d for d, _ in eng.bank_holidays_between(D(2022, 6, 1), D(2022, 6, 2))] == [
        D(2022, 6, 2)
    ]
    assert [d for d, _ in eng.bank_holidays_between(D(2022, 6, 2), D(2022, 6, 3))] == [
        D(2022, 6, 3)
    ]
    assert eng.bank_holidays_between(D(2022, 6, 3), D(2022, 6, 3)) == []
    assert eng.bank_holidays_between(D(2022, 6, 17), D(2022, 5, 27)) == []


def test_bank_holidays_between_christmas_skips_weekend_dates(eng: WorkingDayCalendar) -> None:
    # Christmas Day 2022 (a Sunday) is not listed; Boxing Day and the two substitutes are.
    found = eng.bank_holidays_between(D(2022, 12, 23), D(2023, 1, 4))
    assert [d for d, _ in found] == [D(2022, 12, 26), D(2022, 12, 27), D(2023, 1, 2)]


def test_weekend_days_between(eng: WorkingDayCalendar) -> None:
    # Fri 23 Dec 2022 -> Wed 4 Jan 2023: Sat 24, Sun 25, Sat 31, Sun 1.
    assert eng.weekend_days_between(D(2022, 12, 23), D(2023, 1, 4)) == 4
    assert eng.weekend_days_between(D(2026, 3, 6), D(2026, 3, 7)) == 1  # Fri -> Sat
    assert eng.weekend_days_between(D(2026, 3, 7), D(2026, 3, 8)) == 1  # Sat -> Sun
    assert eng.weekend_days_between(D(2026, 3, 8), D(2026, 3, 13)) == 0  # Sun -> Fri
    assert eng.weekend_days_between(D(2026, 3, 9), D(2026, 3, 9)) == 0
    assert eng.weekend_days_between(D(2026, 3, 13), D(2026, 3, 2)) == 0


def test_the_three_kinds_of_day_add_up(eng: WorkingDayCalendar) -> None:
    a, b = D(2022, 12, 23), D(2023, 1, 4)
    assert (
        eng.working_days_between(a, b)
        + eng.weekend_days_between(a, b)
        + len(eng.bank_holidays_between(a, b))
        == (b - a).days
    )


# --- calendar-unit arithmetic -------------------------------------------------------


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert add_months(D(2027, 8, 31), 6) == D(2028, 2, 29)  # leap year
    assert add_months(D(2028, 2, 29), 12) == D(2029, 2, 28)
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2026, 3, 31), -1) == D(2026, 2, 28)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2000, 1, 31), 1, D(2000, 2, 29)),  # divisible by 400: a leap year
        (D(1900, 1, 31), 1, D(1900, 2, 28)),  # divisible by 100 only: not a leap year
        (D(2100, 1, 31), 1, D(2100, 2, 28)),
        (D(2400, 1, 31), 1, D(2400, 2, 29)),
        (D(1999, 8, 31), 6, D(2000, 2, 29)),
        (D(2099, 8, 31), 6, D(2100, 2, 28)),
        (D(2000, 2, 29), 12, D(2001, 2, 28)),
        (D(2000, 3, 31), -1, D(2000, 2, 29)),
        (D(1900, 3, 31), -1, D(1900, 2, 28)),
    ],
)
def test_add_months_in_century_years(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_add_months_does_not_stick_to_month_ends() -> None:
    assert add_months(D(2027, 2, 28), 6) == D(2027, 8, 28)
    assert add_months(D(2026, 8, 31), 0) == D(2026, 8, 31)
    assert add_months(D(2026, 1, 15), 25) == D(2028, 2, 15)


def test_calendar_units_do_not_roll_off_holidays() -> None:
    # Fri 1 Jan 2027 is a bank holiday; calendar-unit arithmetic does not move off it.
    assert add_months(D(2026, 12, 1), 1) == D(2027, 1, 1)
    assert add_days(D(2026, 12, 31), 1) == D(2027, 1, 1)
    assert add_weeks(D(2026, 12, 25), 1) == D(2027, 1, 1)


def test_add_weeks_and_days() -> None:
    assert add_weeks(D(2026, 3, 9), 2) == D(2026, 3, 23)
    assert add_weeks(D(2026, 3, 9), -1) == D(2026, 3, 2)
    assert add_days(D(2028, 2, 28), 1) == D(2028, 2, 29)
    assert add_days(D(2026, 3, 1), -1) == D(2026, 2, 28)


@pytest.mark.parametrize(
    "call",
    [
        lambda: add_months(D(9999, 12, 1), 1),
        lambda: add_months(D(1, 1, 1), -1),
        lambda: add_days(D.max, 1),
        lambda: add_weeks(D.min, -1),
        lambda: add_days(D(2026, 1, 1), 10**12),
    ],
)
def test_calendar_arithmetic_out_of_range_is_value_error(call: object) -> None:
    with pytest.raises(ValueError, match="out of range"):
        call()  # type: ignore[operator]


# --- bad arguments -------------------------------------------------------------------

CAL_ENG = calendar("england")
A_DATE = D(2022, 6, 1)

# Every public calendar function, with a date argument to replace.
TAKES_A_DATE: list[tuple[str, Callable[[Any], object]]] = [
    ("is_working_day", lambda d: CAL_ENG.is_working_day(d)),
    ("add_working_days", lambda d: CAL_ENG.add_working_days(d, 1)),
    ("add_working_days", lambda d: CAL_ENG.add_working_days(d, 0)),
    ("working_days_between", lambda d: CAL_ENG.working_days_between(d, A_DATE)),
    ("working_days_between", lambda d: CAL_ENG.working_days_between(A_DATE, d)),
    ("next_working_day", lambda d: CAL_ENG.next_working_day(d)),
    ("previous_working_day", lambda d: CAL_ENG.previous_working_day(d)),
    ("holiday_name", lambda d: CAL_ENG.holiday_name(d)),
    ("bank_holidays_between", lambda d: CAL_ENG.bank_holidays_between(d, A_DATE)),
    ("bank_holidays_between", lambda d: CAL_ENG.bank_holidays_between(A_DATE, d)),
    ("weekend_days_between", lambda d: CAL_ENG.weekend_days_between(d, A_DATE)),
    ("weekend_days_between", lambda d: CAL_ENG.weekend_days_between(A_DATE, d)),
    ("add_months", lambda d: add_months(d, 1)),
    ("add_weeks", lambda d: add_weeks(d, 1)),
    ("add_days", lambda d: add_days(d, 1)),
    ("roll", lambda d: roll(CAL_ENG, d, "forward")),
    ("roll", lambda d: roll(CAL_ENG, d, None)),
]
NOT_DATES = ["2022-06-01", None, 20220601, 1.5, [A_DATE], {"date": A_DATE}, object()]


@pytest.mark.parametrize(("name", "call"), TAKES_A_DATE)
@pytest.mark.parametrize("value", NOT_DATES, ids=lambda v: type(v).__name__)
def test_a_non_date_is_a_value_error_naming_the_function(name: str, call: Callable[[Any], object],
                                                          value: object) -> None:
    with pytest.raises(ValueError, match=rf"^{name}: \w must be a date \(datetime.date\), got "):
        call(value)


@pytest.mark.parametrize(("name", "call"), TAKES_A_DATE)
def test_a_datetime_is_refused_with_the_fix(name: str, call: Callable[[Any], object]) -> None:
    with pytest.raises(ValueError, match=r"must be a date, got a datetime \(2022-06-01T09:30:00\); pass its \.date\(\)"):
        call(datetime(2022, 6, 1, 9, 30))


@pytest.mark.parametrize(
    "call",
    [
        lambda d: CAL_ENG.is_working_day(d),
        lambda d: CAL_ENG.add_working_days(d, 1),
        lambda d: CAL_ENG.working_days_between(d, A_DATE),
        lambda d: CAL_ENG.working_days_between(A_DATE, d),
        lambda d: CAL_ENG.next_working_day(d),
        lambda d: CAL_ENG.previous_working_day(d),
        lambda d: CAL_ENG.holiday_name(d),
        lambda d: CAL_ENG.bank_holidays_between(min(d, A_DATE), max(d, A_DATE)),
        lambda d: roll(CAL_ENG, d, "backward"),
    ],
)
@pytest.mark.parametrize("value", [D(1, 1, 1), D(1871, 12, 31), D(2101, 1, 1), D.max])
def test_a_date_outside_the_calendars_years_is_a_value_error(call: Callable[[Any], object], value: date) -> None:
    with pytest.raises(ValueError, match="out of range|supported range"):
        call(value)


def test_a_long_text_is_not_shown_whole() -> None:
    with pytest.raises(ValueError) as info:
        CAL_ENG.is_working_day("x" * 1_000_000)
    assert len(str(info.value)) < 200
    assert str(info.value) == "is_working_day: d must be a date (datetime.date), got the str " + repr("x" * 40) + "..."


COUNTED: list[tuple[str, Callable[[Any], object]]] = [
    ("add_working_days", lambda n: CAL_ENG.add_working_days(A_DATE, n)),
    ("add_months", lambda n: add_months(A_DATE, n)),
    ("add_weeks", lambda n: add_weeks(A_DATE, n)),
    ("add_days", lambda n: add_days(A_DATE, n)),
]


@pytest.mark.parametrize(("name", "call"), COUNTED)
@pytest.mark.parametrize("value", ["1", 1.0, None, True, [1]], ids=repr)
def test_a_count_that_is_not_a_whole_number_is_a_value_error(name: str, call: Callable[[Any], object],
                                                             value: object) -> None:
    with pytest.raises(ValueError, match=rf"^{name}: n must be a whole number \(int\), got "):
        call(value)


def test_a_huge_count_is_described_not_printed() -> None:
    with pytest.raises(ValueError) as info:
        add_months(A_DATE, 10**5000)
    assert len(str(info.value)) < 200
    with pytest.raises(ValueError, match="an int of 16610 bits"):
        add_days(A_DATE, -(10**5000))


def test_unknown_calendar_of_another_type() -> None:
    with pytest.raises(LookupError, match="unknown calendar a list; known calendars: england"):
        calendar([])  # type: ignore[arg-type]
    with pytest.raises(LookupError, match="unknown calendar None"):
        calendar(None)  # type: ignore[arg-type]


# --- the holidays package ------------------------------------------------------------


def test_bank_holidays_are_the_holidays_packages_for_every_year(eng: WorkingDayCalendar) -> None:
    import holidays

    first, last = eng.supported_range
    theirs = holidays.country_holidays("GB", subdiv="ENG", years=range(first.year, last.year + 1))
    ours = eng.bank_holidays_between(first, last)
    assert ours == [(d, name) for d, name in sorted(theirs.items()) if d.weekday() < 5 and d > first]
    assert len(ours) > 1500


def test_a_working_day_question_imports_only_the_united_kingdom_module() -> None:
    code = (
        "import sys, datetime, lif_rules\n"
        "assert 'holidays' not in sys.modules\n"
        "print(lif_rules.calendar('england').add_working_days(datetime.date(2026, 12, 24), 1))\n"
        "print('holidays' in sys.modules, 'holidays.countries' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["2026-12-29", "True", "False"]


# --- range limits, registry ---------------------------------------------------------


def test_out_of_range_raises_value_error_not_overflow(eng: WorkingDayCalendar) -> None:
    first, last = eng.supported_range
    assert first.year <= 1900 and last.year >= 2100
    with pytest.raises(ValueError, match="out of range"):
        eng.add_working_days(D(9999, 12, 30), 5)
    with pytest.raises(ValueError, match="out of range"):
        eng.add_working_days(D.max, 1)
    with pytest.raises(ValueError, match="out of range"):
        eng.add_working_days(last - timedelta(days=1), 5)
    with pytest.raises(ValueError, match="out of range"):
        eng.add_working_days(D(2026, 1, 1), 10**9)
    with pytest.raises(ValueError, match="out of range"):
        eng.add_working_days(D(2026, 1, 1), 10**30)
    with pytest.raises(ValueError, match="supported range"):
        eng.is_working_day(D(1, 1, 1))
    with pytest.raises(ValueError, match="supported range"):
        eng.working_days_between(D(1, 1, 1), D(2026, 1, 1))
    with pytest.raises(ValueError, match="supported range"):
        eng.bank_holidays_between(D(2026, 1, 1), D(9999, 1, 1))


def test_dates_near_the_ends_of_the_range_work(eng: WorkingDayCalendar) -> None:
    first, last = eng.supported_range
    assert eng.working_days_between(first, last) > 250 * (last.year - first.year)
    # Thu 2 Dec 2100 + 10 working days: 3 =1, Mon 6 =2 ... Fri 10 =6, Mon 13 =7 ... Thu 16 =10.
    assert eng.add_working_days(D(2100, 12, 2), 10) == D(2100, 12, 16)


def test_unknown_calendar_names_the_known_ones() -> None:
    with pytest.raises(LookupError, match="england"):
        calendar("scotland")
    with pytest.raises(LookupError, match="scotland"):
        WorkingDayCalendar("scotland")


def test_calendar_is_a_shared_singleton() -> None:
    assert calendar("england") is calendar("england")
    assert calendar() is calendar("england")
    assert calendar("england").id == "england"
    assert pickle.loads(pickle.dumps(calendar("england"))) is calendar("england")


def test_docstring_examples() -> None:
    module = importlib.import_module("lif_rules.core.calendar")
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


# --- against the official GOV.UK list -------------------------------------------------


def _gov_uk_dates() -> set[date]:
    if not GOV_UK.is_file():
        pytest.skip(f"GOV.UK bank holiday list not found at {GOV_UK}")
    data = json.loads(GOV_UK.read_text(encoding="utf-8"))
    assert data["division"] == "england-and-wales"
    return {date.fromisoformat(event["date"]) for event in data["events"]}


def test_every_gov_uk_bank_holiday_is_a_holiday(eng: WorkingDayCalendar) -> None:
    official = _gov_uk_dates()
    assert len(official) > 100
    for day in sorted(official):
        assert not eng.is_working_day(day), day
        assert eng.holiday_name(day) is not None, day


def test_every_other_weekday_is_a_working_day(eng: WorkingDayCalendar) -> None:
    official = _gov_uk_dates()
    first, last = min(official).year, max(official).year
    day = D(first, 1, 1)
    while day.year <= last:
        if day.weekday() < 5 and day not in official:
            assert eng.is_working_day(day), day
            assert eng.holiday_name(day) is None, day
        day += timedelta(days=1)


def test_bank_holidays_between_matches_gov_uk(eng: WorkingDayCalendar) -> None:
    official = _gov_uk_dates()
    first, last = min(official).year, max(official).year
    listed = eng.bank_holidays_between(D(first - 1, 12, 31), D(last, 12, 31))
    assert [d for d, _ in listed] == sorted(official)


# --- thread safety ---------------------------------------------------------------------

_FAR_APART = [
    D(1875, 6, 1),
    D(1905, 3, 15),
    D(1939, 9, 1),
    D(1966, 7, 30),
    D(2052, 2, 29),
    D(2071, 12, 24),
    D(2088, 4, 10),
    D(2099, 8, 31),
]


def _queries(cal: WorkingDayCalendar, start: date) -> list[object]:
    out: list[object] = []
    for n in (0, 1, 5, 20, 130):
        end = cal.add_working_days(start, n)
        out.append(end)
        out.append(cal.working_days_between(start, end))
    out.append(cal.previous_working_day(start - timedelta(days=400)))
    out.append(cal.is_working_day(start))
    out.append(cal.bank_holidays_between(start - timedelta(days=200), start))
    return out


def _run_concurrently(cal: WorkingDayCalendar) -> list[list[object] | None]:
    results: list[list[object] | None] = [None] * len(_FAR_APART)
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(_FAR_APART))

    def work(i: int) -> None:
        try:
            barrier.wait()
            results[i] = _queries(cal, _FAR_APART[i])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(_FAR_APART))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results


def test_concurrent_table_extension_matches_sequential() -> None:
    sequential = WorkingDayCalendar("england")
    expected = [_queries(sequential, start) for start in _FAR_APART]
    for _ in range(5):
        # A fresh, empty table each round: 8 threads extend it in both directions at once.
        assert _run_concurrently(WorkingDayCalendar("england")) == expected
