"""Working-day calendars: England's bank holidays, working-day and month arithmetic.

Every function here takes dates as ``datetime.date`` and counts as ``int``. A ``datetime`` is
refused (a deadline is a day, not a moment: pass ``.date()``), and so is anything else that is not
a date, a count that is not a whole number, or a negative count where one makes no sense: each
with a ``ValueError`` that says what was given.
"""

from __future__ import annotations

import functools
import itertools
import sys
import threading
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal


if TYPE_CHECKING:
    import holidays

# ``holidays`` is imported on first use, and only its United Kingdom module (see
# _united_kingdom): a program that never counts working days pays nothing for it.

__all__ = [
    "WorkingDayCalendar",
    "calendar",
    "add_months",
    "add_weeks",
    "add_days",
    "roll",
    "check_date",
    "check_count",
    "KNOWN_CALENDARS",
    "CHECKED_YEARS",
]

#: The calendar ids :func:`calendar` knows.
KNOWN_CALENDARS: tuple[str, ...] = ("england",)

_UK_MODULE = "holidays.countries.united_kingdom"


@functools.cache
def _united_kingdom() -> type[holidays.HolidayBase]:
    """The holidays package's United Kingdom class, without importing every other country.

    ``holidays.country_holidays("GB")`` imports ``holidays.countries``, whose ``__init__`` imports
    all ~250 countries (~100 ms). England needs one module: it is executed on its own, from the
    installed package, unless the program has already imported it.
    """
    import importlib.util

    import holidays

    module = sys.modules.get(_UK_MODULE)
    if module is None:
        spec = importlib.util.find_spec(holidays.__name__)
        origin = spec.origin if spec is not None else None
        uk = None
        if origin is not None:
            path = origin.rsplit("__init__.py", 1)[0] + "countries/united_kingdom.py"
            uk = importlib.util.spec_from_file_location("lif_rules._united_kingdom_holidays", path)
        if uk is None or uk.loader is None:  # not laid out as files: import it the ordinary way
            return holidays.country_holidays("GB").__class__
        module = importlib.util.module_from_spec(uk)
        uk.loader.exec_module(module)
    cls: type[holidays.HolidayBase] = module.UnitedKingdom
    return cls


def _england_holidays(first_year: int, last_year: int) -> holidays.HolidayBase:
    # subdiv="ENG" matters: plain "GB" keeps only UK-wide days and drops Easter Monday.
    # observed=True (the default) keeps the substitute days (e.g. 2022-12-27).
    return _united_kingdom()(subdiv="ENG", years=range(first_year, last_year + 1))


CHECKED_YEARS = (2012, 2028)
"""The years whose bank holidays the test suite compares, day by day, with GOV.UK's published list
for England and Wales. Outside them the holidays package's list is used unchecked: before them it is
history GOV.UK does not publish, after them the regular holidays, without one-off days (such as 2022's
jubilee and state funeral) that are announced later."""


@functools.cache
def _package_years() -> tuple[int, int]:
    """The years the holidays package models England's bank holidays for.

    1872-2100 in holidays 0.109; outside them it silently returns no holidays, so
    this calendar refuses such dates instead.
    """
    uk = _united_kingdom()
    return int(getattr(uk, "start_year", 1872)), int(getattr(uk, "end_year", 2100))


def _describe(value: object) -> str:
    """A short description of a wrong value, built without a ``repr`` of unbounded size."""
    if isinstance(value, str):
        shown = repr(str.__getitem__(value, slice(0, 40))) + ("..." if len(value) > 40 else "")
        return f"the str {shown}"
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float):
        return float.__repr__(value)
    if isinstance(value, int):
        return int.__repr__(value) if value.bit_length() <= 64 else f"an int of {value.bit_length()} bits"
    return f"a {type(value).__name__}"


def check_date(value: Any, what: str) -> date:
    """``value`` if it is a date; else a ``ValueError`` naming ``what`` and what was given.

    A ``datetime`` is refused too (it is a ``date`` subclass, but a deadline is a day): the message
    says to pass its ``.date()``.
    """
    if value.__class__ is date:  # the usual case, first and cheapest
        return value
    if isinstance(value, datetime):
        raise ValueError(f"{what} must be a date, got a datetime ({value.isoformat()[:32]}); pass its .date()")
    if not isinstance(value, date):
        raise ValueError(f"{what} must be a date (datetime.date), got {_describe(value)}")
    return value


def check_count(value: Any, what: str) -> int:
    """``value`` as an ``int`` if it is a whole number (negative included: callers that refuse one say why)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be a whole number (int), got {_describe(value)}")
    return int(value)


# How far beyond the years asked for the first table reaches (a new process's first schedule computes
# about 15 years of holidays, not 41), and how far beyond them an extension does.
_FIRST_MARGINS = (3, 12)
_EXTENSION_MARGIN = 10


@dataclass(frozen=True)
class _Span:
    """What a table snapshot covers besides the hot tables."""

    first_year: int
    last_year: int
    names: Mapping[int, str]  # weekday bank holidays: ordinal -> holidays' name
    holiday_ordinals: tuple[int, ...]  # the keys of ``names``, sorted


# (base ordinal, prefix, workdays, span): prefix[i] is the number of working days in
# [base, base + i]; workdays[k] is the ordinal of the (k + 1)th working day of the span.
# A snapshot is never mutated once published, so readers need no lock. The tables are lists, not
# arrays: indexing a list is faster (no int is made per read), for about 0.4 MB over 15 years.
_Snapshot = tuple[int, list[int], list[int], _Span]

_EMPTY: _Snapshot = (0, [], [], _Span(1, 0, {}, ()))


def _build(first_year: int, last_year: int) -> _Snapshot:
    base = date(first_year, 1, 1).toordinal()
    end = date(last_year, 12, 31).toordinal()
    names: dict[int, str] = {}
    for day, name in _england_holidays(first_year, last_year).items():
        ordinal = day.toordinal()
        # Weekend dates (e.g. Christmas Day on a Sunday) are not bank holidays: the
        # substitute day is. The package may also add days of neighbouring years.
        if base <= ordinal <= end and day.weekday() < 5:
            names[ordinal] = str(name)
    size = end - base + 1
    first_weekday = date(first_year, 1, 1).weekday()
    week = bytes(1 if (first_weekday + k) % 7 < 5 else 0 for k in range(7))
    flags = bytearray((week * (size // 7 + 1))[:size])
    for ordinal in names:
        flags[ordinal - base] = 0
    prefix = list(itertools.accumulate(flags))
    workdays = list(itertools.compress(range(base, end + 1), flags))
    span = _Span(first_year, last_year, names, tuple(sorted(names)))
    return (base, prefix, workdays, span)


def _supported_text() -> str:
    first, last = _package_years()
    return (
        f"supported range {first}-01-01 to {last}-12-31 "
        "(the years the holidays package covers)"
    )


class WorkingDayCalendar:
    """Working days: Monday–Friday less a region's bank holidays.

    Bank holidays come from the holidays package's United Kingdom calendar with
    ``subdiv="ENG"`` (what ``holidays.country_holidays("GB", subdiv="ENG")`` gives), one-off
    days (jubilees, the 2022 state funeral, the 2023 coronation) and substitute days
    included. Dates must fall within the years that package covers (1872–2100 with
    holidays 0.109, see :attr:`supported_range`); others raise ``ValueError``.

    Lookups are O(1): a table of working-day counts is built on first use for the
    years asked about (with a margin) and extended (rebuilt over the larger span) on
    demand, under a lock; readers use an immutable snapshot. Use :func:`calendar` to
    get the shared instance.

    Attributes:
        id: The calendar id, e.g. ``"england"``.
    """

    __slots__ = ("id", "_snap", "_lock")

    def __init__(self, calendar_id: str = "england") -> None:
        """Create a calendar; prefer :func:`calendar`, which shares one per id.

        Args:
            calendar_id: One of :data:`KNOWN_CALENDARS`.

        Raises:
            LookupError: For an unknown id.
        """
        if not isinstance(calendar_id, str) or calendar_id not in KNOWN_CALENDARS:
            shown = repr(calendar_id) if isinstance(calendar_id, str) and len(calendar_id) <= 40 else _describe(calendar_id)
            raise LookupError(f"unknown calendar {shown}; known calendars: {', '.join(KNOWN_CALENDARS)}")
        self.id: str = calendar_id
        self._snap: _Snapshot = _EMPTY
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"WorkingDayCalendar({self.id!r})"

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (calendar, (self.id,))

    @property
    def supported_range(self) -> tuple[date, date]:
        """The first and last dates this calendar can answer for."""
        first, last = _package_years()
        return (date(first, 1, 1), date(last, 12, 31))

    # -- table management ---------------------------------------------------------

    def _check(self, d: date) -> None:
        first, last = _package_years()
        if not first <= d.year <= last:
            raise ValueError(
                f"{d.isoformat()} is out of range for calendar {self.id!r}: {_supported_text()}"
            )

    def _cover(self, first_year: int, last_year: int) -> _Snapshot:
        """Return a snapshot covering the given years (already range-checked)."""
        snap = self._snap
        span = snap[3]
        if span.first_year <= first_year and last_year <= span.last_year:
            return snap
        with self._lock:
            snap = self._snap
            span = snap[3]
            if span.first_year <= first_year and last_year <= span.last_year:
                return snap
            if span.first_year > span.last_year:  # nothing built yet
                lo, hi = first_year - _FIRST_MARGINS[0], last_year + _FIRST_MARGINS[1]
            else:
                lo = first_year - _EXTENSION_MARGIN if first_year < span.first_year else span.first_year
                hi = last_year + _EXTENSION_MARGIN if last_year > span.last_year else span.last_year
            first, last = _package_years()
            snap = _build(max(lo, first), min(hi, last))
            self._snap = snap
            return snap

    def _cover_dates(self, *days: date) -> _Snapshot:
        for d in days:
            self._check(d)
        years = [d.year for d in days]
        return self._cover(min(years), max(years))

    # -- queries ------------------------------------------------------------------
    # Each query takes a fast path for plain dates and ints inside the table, and checks its
    # arguments (check_date, check_count) on the way to the slow path.

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day (a weekday that is not a bank holiday).

        Args:
            d: The date.

        Returns:
            ``True`` for Monday–Friday other than a bank holiday.

        Raises:
            ValueError: If ``d`` is not a date (a ``datetime`` included) or is outside
                :attr:`supported_range`.
        """
        if d.__class__ is not date:
            d = check_date(d, "is_working_day: d")
        span = self._snap[3]
        if not span.first_year <= d.year <= span.last_year:
            span = self._cover_dates(d)[3]
        return d.weekday() < 5 and d.toordinal() not in span.names

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``th working day after ``d`` (day 0 is ``d`` itself).

        Args:
            d: The anchor date; it need not be a working day.
            n: How many working days after ``d`` (``n >= 0``); ``0`` returns ``d``
                unchanged, even if it is not a working day.

        Returns:
            The ``n``th working day strictly after ``d``.

        Raises:
            ValueError: If ``d`` is not a date (a ``datetime`` included), ``n`` is not a
                whole number or is negative, or ``d`` or the result falls outside
                :attr:`supported_range`.

        Examples:
            >>> from datetime import date
            >>> cal = calendar("england")
            >>> cal.add_working_days(date(2026, 12, 24), 1)  # 25, 26 weekend, 28 substitute
            datetime.date(2026, 12, 29)
            >>> cal.add_working_days(date(2022, 4, 14), 5)  # Good Friday and Easter Monday
            datetime.date(2022, 4, 25)
            >>> cal.add_working_days(date(2026, 12, 26), 0)
            datetime.date(2026, 12, 26)
        """
        if d.__class__ is date and n.__class__ is int and n > 0:
            base, prefix, workdays, _ = self._snap
            i = d.toordinal() - base
            if i >= 0:
                try:
                    return date.fromordinal(workdays[prefix[i] + n - 1])
                except IndexError:
                    pass
        return self._add_working_days_slow(d, n)

    def _add_working_days_slow(self, d: date, n: int) -> date:
        d = check_date(d, "add_working_days: d")
        n = check_count(n, "add_working_days: n")
        if n < 0:
            raise ValueError(f"add_working_days needs n >= 0, got {n}; "
                             "count backwards with previous_working_day or working_days_between")
        self._check(d)
        if n == 0:
            return d
        ordinal = d.toordinal()
        out_of_range = ValueError(
            f"{_describe(n)} working days after {d.isoformat()} is out of range for calendar "
            f"{self.id!r}: {_supported_text()}"
        )
        max_year = _package_years()[1]
        if n > date(max_year, 12, 31).toordinal() - ordinal:  # even if every day worked
            raise out_of_range
        # England has at least 250 working days a year; retry once with everything.
        for last_year in (min(max_year, d.year + n // 250 + 1), max_year):
            base, prefix, workdays, _ = self._cover(d.year, last_year)
            k = prefix[ordinal - base] + n - 1
            if k < len(workdays):
                return date.fromordinal(workdays[k])
        raise out_of_range

    def working_days_between(self, a: date, b: date) -> int:
        """The number of working days after ``a`` up to and including ``b``.

        ``working_days_between(d, add_working_days(d, n)) == n`` for every ``n >= 0``.

        Args:
            a: The start (not counted).
            b: The end (counted).

        Returns:
            The count; ``0`` when ``a == b``; when ``b < a``, minus
            ``working_days_between(b, a)``.

        Raises:
            ValueError: If either is not a date (a ``datetime`` included) or is outside
                :attr:`supported_range`.

        Examples:
            >>> from datetime import date
            >>> cal = calendar("england")
            >>> cal.working_days_between(date(2026, 12, 24), date(2026, 12, 29))
            1
            >>> cal.working_days_between(date(2026, 12, 29), date(2026, 12, 24))
            -1
            >>> cal.working_days_between(date(2022, 5, 27), date(2022, 6, 6))  # jubilee
            4
        """
        if a.__class__ is date and b.__class__ is date:
            base, prefix, _, _ = self._snap
            i = a.toordinal() - base
            j = b.toordinal() - base
            if i >= 0 and j >= 0:
                try:
                    return prefix[j] - prefix[i]
                except IndexError:
                    pass
        a = check_date(a, "working_days_between: a")
        b = check_date(b, "working_days_between: b")
        base, prefix, _, _ = self._cover_dates(a, b)
        return prefix[b.toordinal() - base] - prefix[a.toordinal() - base]

    def next_working_day(self, d: date) -> date:
        """The first working day on or after ``d``.

        Args:
            d: The date.

        Returns:
            ``d`` if it is a working day, else the next one.

        Raises:
            ValueError: If ``d`` is not a date (a ``datetime`` included), or ``d`` or the
                result is outside :attr:`supported_range`.
        """
        d = check_date(d, "next_working_day: d")
        if self.is_working_day(d):
            return d
        return self.add_working_days(d, 1)

    def previous_working_day(self, d: date) -> date:
        """The last working day on or before ``d``.

        Args:
            d: The date.

        Returns:
            ``d`` if it is a working day, else the one before.

        Raises:
            ValueError: If ``d`` is not a date (a ``datetime`` included), or ``d`` or the
                result is outside :attr:`supported_range`.
        """
        d = check_date(d, "previous_working_day: d")
        if self.is_working_day(d):
            return d
        for first_year in (d.year, d.year - 1):
            if first_year < _package_years()[0]:
                break
            base, prefix, workdays, _ = self._cover(first_year, d.year)
            k = prefix[d.toordinal() - base]  # working days in [base, d]
            if k > 0:
                return date.fromordinal(workdays[k - 1])
        raise ValueError(
            f"no working day on or before {d.isoformat()} within calendar {self.id!r}'s "
            f"{_supported_text()}"
        )

    def holiday_name(self, d: date) -> str | None:
        """The bank holiday's name, as the holidays package gives it.

        Args:
            d: The date.

        Returns:
            The name (e.g. ``"Boxing Day (observed)"`` for a substitute day), or
            ``None`` if ``d`` is not a bank holiday. Only weekdays are bank holidays:
            Christmas Day on a Sunday gives ``None`` (its substitute day is named).

        Raises:
            ValueError: If ``d`` is not a date (a ``datetime`` included) or is outside
                :attr:`supported_range`.
        """
        d = check_date(d, "holiday_name: d")
        span = self._snap[3]
        if not span.first_year <= d.year <= span.last_year:
            span = self._cover_dates(d)[3]
        return span.names.get(d.toordinal())

    def bank_holidays_between(self, a: date, b: date) -> list[tuple[date, str]]:
        """Bank holidays on weekdays after ``a`` up to and including ``b``.

        Useful to explain which bank holidays a working-day deadline skipped.

        Args:
            a: The start (not included).
            b: The end (included).

        Returns:
            ``(date, name)`` pairs in date order; ``[]`` when ``b <= a``.

        Raises:
            ValueError: If either is not a date (a ``datetime`` included) or is outside
                :attr:`supported_range`.
        """
        a = check_date(a, "bank_holidays_between: a")
        b = check_date(b, "bank_holidays_between: b")
        if b <= a:
            return []
        span = self._cover_dates(a, b)[3]
        return self._holidays_in(span, a.toordinal(), b.toordinal())

    @staticmethod
    def _holidays_in(span: _Span, after: int, through: int) -> list[tuple[date, str]]:
        ordinals = span.holiday_ordinals
        lo = bisect_right(ordinals, after)
        hi = bisect_right(ordinals, through)
        return [(date.fromordinal(o), span.names[o]) for o in ordinals[lo:hi]]

    def weekend_days_between(self, a: date, b: date) -> int:
        """The number of Saturdays and Sundays after ``a`` up to and including ``b``.

        Args:
            a: The start (not included).
            b: The end (included).

        Returns:
            The count; ``0`` when ``b <= a``.

        Raises:
            ValueError: If either is not a date (a ``datetime`` included).
        """
        a = check_date(a, "weekend_days_between: a")
        b = check_date(b, "weekend_days_between: b")
        if b <= a:
            return 0
        return _weekends_through(b.toordinal()) - _weekends_through(a.toordinal())


def _weekends_through(ordinal: int) -> int:
    # Ordinal 1 (0001-01-01) is a Monday, so ordinal % 7 is 6 on Saturdays, 0 on Sundays.
    return 2 * (ordinal // 7) + (1 if ordinal % 7 == 6 else 0)


_CALENDARS: dict[str, WorkingDayCalendar] = {}
_CALENDARS_LOCK = threading.Lock()


def calendar(calendar_id: str = "england") -> WorkingDayCalendar:
    """The shared working-day calendar for ``calendar_id``.

    Args:
        calendar_id: A calendar id; only ``"england"`` is known.

    Returns:
        The same :class:`WorkingDayCalendar` instance on every call for an id.

    Raises:
        LookupError: For an unknown id (or one that is not a string).
    """
    cal = _CALENDARS.get(calendar_id) if isinstance(calendar_id, str) else None
    if cal is None:
        with _CALENDARS_LOCK:
            cal = _CALENDARS.get(calendar_id) if isinstance(calendar_id, str) else None
            if cal is None:
                cal = WorkingDayCalendar(calendar_id)
                _CALENDARS[calendar_id] = cal
    return cal


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months, clamped to the end of a shorter month.

    The day of the month is kept where the target month has it, else the target
    month's last day is used; a month-end start does not stick to month ends.

    Args:
        d: The date.
        n: Months to add; may be negative.

    Returns:
        The date ``n`` months on.

    Raises:
        ValueError: If ``d`` is not a date (a ``datetime`` included), ``n`` is not a
            whole number, or the result is beyond ``date.min`` or ``date.max``.

    Examples:
        >>> from datetime import date
        >>> add_months(date(2026, 8, 31), 6)
        datetime.date(2027, 2, 28)
        >>> add_months(date(2027, 8, 31), 6)
        datetime.date(2028, 2, 29)
        >>> add_months(date(2000, 1, 31), 1)  # 2000 is a leap year (divisible by 400)
        datetime.date(2000, 2, 29)
        >>> add_months(date(2027, 2, 28), 6)
        datetime.date(2027, 8, 28)
        >>> add_months(date(2026, 3, 31), -1)
        datetime.date(2026, 2, 28)
    """
    if d.__class__ is not date:
        d = check_date(d, "add_months: d")
    if n.__class__ is not int:
        n = check_count(n, "add_months: n")
    return _add_months(d, n)


def _add_months(d: date, n: int) -> date:
    # The same result as dateutil's ``d + relativedelta(months=n)``, without its per-call cost.
    month0 = d.month - 1 + n
    year = d.year + month0 // 12
    month = month0 % 12 + 1
    if not 1 <= year <= 9999:
        raise ValueError(f"{d.isoformat()} plus {_describe(n)} months is out of range")
    day = d.day
    if day > 28:
        day = min(day, _DAYS_IN_MONTH[month] if month != 2 else (29 if _is_leap(year) else 28))
    return date(year, month, day)


_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def add_weeks(d: date, n: int) -> date:
    """``d`` plus ``n`` weeks (``n`` may be negative).

    Raises:
        ValueError: If ``d`` is not a date (a ``datetime`` included), ``n`` is not a
            whole number, or the result is beyond ``date.min`` or ``date.max``.
    """
    d = check_date(d, "add_weeks: d")
    n = check_count(n, "add_weeks: n")
    try:
        return d + timedelta(weeks=n)
    except OverflowError:
        raise ValueError(f"{d.isoformat()} plus {_describe(n)} weeks is out of range") from None


def add_days(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar days (``n`` may be negative).

    Raises:
        ValueError: If ``d`` is not a date (a ``datetime`` included), ``n`` is not a
            whole number, or the result is beyond ``date.min`` or ``date.max``.
    """
    d = check_date(d, "add_days: d")
    n = check_count(n, "add_days: n")
    try:
        return d + timedelta(days=n)
    except OverflowError:
        raise ValueError(f"{d.isoformat()} plus {_describe(n)} days is out of range") from None


def roll(
    cal: WorkingDayCalendar, d: date, direction: Literal["forward", "backward"] | None
) -> date:
    """Move ``d`` onto a working day, if asked to.

    Args:
        cal: The working-day calendar.
        d: The date.
        direction: ``"forward"`` for the next working day on or after ``d``,
            ``"backward"`` for the last one on or before it, ``None`` to keep ``d``.

    Returns:
        The rolled date.

    Raises:
        ValueError: If ``d`` is not a date (a ``datetime`` included), for another
            direction, or for a date outside the calendar's range.
    """
    d = check_date(d, "roll: d")
    if direction is None:
        return d
    if direction == "forward":
        return cal.next_working_day(d)
    if direction == "backward":
        return cal.previous_working_day(d)
    raise ValueError(f"roll direction must be 'forward', 'backward' or None, got {_describe(direction)}")
