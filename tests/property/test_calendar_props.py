"""Properties of working-day and month arithmetic, checked against a naive reference."""

from __future__ import annotations

import calendar as stdlib_calendar
from datetime import date, timedelta

import holidays
from hypothesis import example, given
from hypothesis import strategies as st

from lif_rules.core.calendar import add_months, calendar

CAL = calendar("england")

# The reference: England's bank holidays straight from the holidays package, walked day
# by day. subdiv="ENG" keeps Easter Monday; observed=True keeps substitute days.
ENGLAND = holidays.country_holidays("GB", subdiv="ENG")


def naive_is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in ENGLAND


def naive_add_working_days(d: date, n: int) -> date:
    while n > 0:
        d += timedelta(days=1)
        if naive_is_working_day(d):
            n -= 1
    return d


# Results stay well inside the years the holidays package covers (to 2100).
DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 1, 1))
WIDE_DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2090, 12, 31))
COUNTS = st.integers(min_value=0, max_value=400)
MONTHS = st.integers(min_value=-600, max_value=600)


@given(DATES, st.integers(min_value=1, max_value=400))
def test_result_is_a_working_day(d: date, n: int) -> None:
    result = CAL.add_working_days(d, n)
    assert result > d
    assert result.weekday() < 5
    assert CAL.holiday_name(result) is None
    assert CAL.is_working_day(result)


@given(WIDE_DATES, COUNTS)
def test_working_days_between_inverts_add_working_days(d: date, n: int) -> None:
    end = CAL.add_working_days(d, n)
    assert CAL.working_days_between(d, end) == n
    assert CAL.working_days_between(end, d) == -n


@given(DATES, DATES, COUNTS)
def test_add_working_days_is_monotone(d1: date, d2: date, n: int) -> None:
    d1, d2 = min(d1, d2), max(d1, d2)
    assert CAL.add_working_days(d1, n) <= CAL.add_working_days(d2, n)


@given(DATES, COUNTS)
def test_add_working_days_agrees_with_naive_loop(d: date, n: int) -> None:
    assert CAL.add_working_days(d, n) == naive_add_working_days(d, n)


@given(WIDE_DATES)
def test_is_working_day_agrees_with_holidays_package(d: date) -> None:
    assert CAL.is_working_day(d) == naive_is_working_day(d)
    assert (CAL.holiday_name(d) is not None) == (d.weekday() < 5 and d in ENGLAND)


@given(WIDE_DATES)
def test_next_and_previous_working_day(d: date) -> None:
    after = CAL.next_working_day(d)
    before = CAL.previous_working_day(d)
    assert before <= d <= after
    assert CAL.is_working_day(after) and CAL.is_working_day(before)
    assert CAL.working_days_between(before, after) == (0 if before == after else 1)


@given(WIDE_DATES, WIDE_DATES)
def test_days_split_into_working_weekend_and_holiday(a: date, b: date) -> None:
    a, b = min(a, b), max(a, b)
    assert (
        CAL.working_days_between(a, b)
        + CAL.weekend_days_between(a, b)
        + len(CAL.bank_holidays_between(a, b))
        == (b - a).days
    )


@given(DATES, MONTHS)
@example(date(2000, 1, 31), 1)  # century years are rarely drawn: 2000 is a leap year, 1900 and 2100 are not
@example(date(1999, 12, 31), 2)
@example(date(1900, 1, 31), 1)
@example(date(2100, 3, 31), -1)
@example(date(1999, 8, 31), 6)
def test_add_months_keeps_the_day_or_clamps(d: date, n: int) -> None:
    result = add_months(d, n)
    months = d.year * 12 + (d.month - 1) + n
    assert (result.year, result.month - 1) == divmod(months, 12)
    last_day = stdlib_calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(d.day, last_day)


@given(DATES, DATES, MONTHS)
def test_add_months_is_monotone(d1: date, d2: date, n: int) -> None:
    d1, d2 = min(d1, d2), max(d1, d2)
    assert add_months(d1, n) <= add_months(d2, n)
