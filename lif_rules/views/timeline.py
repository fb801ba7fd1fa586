"""View: ``Schedule`` → one self-contained HTML page drawing the case's timeline (inline SVG and CSS).

Milestones are rows on a date axis: a window (earliest..due) is a band, each milestone with a date
has one mark on it (its actual date where given, else its due date) whose shape and words say its
status, today is a dashed line, and bank holidays that moved a date are hatched columns. A table
below gives the same facts for screen readers and for copying.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..core.explain import moved_by
from ..models import Milestone, Schedule
from .ical import event_date
from .templating import render
from .words import STATUS_WORDS, day_month, month_year, short_date, status_words

if TYPE_CHECKING:
    from ..pack import PolicyPack

__all__ = ["timeline_html", "SHAPES"]

_X0, _X1 = 16.0, 984.0  # the plot's left and right edges in the SVG's 1000-wide viewBox
_TOP = 64.0  # below the two lines of the date axis
_ROW = 50.0
_MARK = 7.0  # half the width of a mark
_NAME_LIMIT = 110

SHAPES = {
    "met": "circle",
    "met_early": "triangle-left",
    "met_late": "diamond",
    "overdue": "square",
    "due": "triangle-down",
    "upcoming": "ring",
    None: "hollow-diamond",
}
"""The shape of a milestone's mark for each status (``None``: no date for today was given)."""


@dataclass(frozen=True)
class _Tick:
    x: float
    label: str
    major: bool
    centred: bool = False  # the label centred on x, else starting just right of it


@dataclass(frozen=True)
class _Column:
    x: float
    width: float
    day: date
    label: str


@dataclass(frozen=True)
class _Row:
    milestone: Milestone
    y: float
    name: str
    status: str  # a CSS class: the status, or "none"
    day: date | None  # where the mark goes (see ical.event_date): None when the milestone has no date
    shape: str | None  # the mark's SVG path, None when the milestone has no date
    band: tuple[float, float] | None
    due_x: float | None
    lag: tuple[float, float] | None
    label: str
    label_x: float
    label_end: bool
    moved_by: str


def shape_path(status: str | None, cx: float, cy: float, r: float = _MARK) -> str:
    """The SVG path of a status's mark centred on (cx, cy)."""
    kind = SHAPES.get(status, "hollow-diamond")
    if kind in ("circle", "ring"):
        return f"M{cx - r:.1f},{cy:.1f} a{r:.1f},{r:.1f} 0 1,0 {2 * r:.1f},0 a{r:.1f},{r:.1f} 0 1,0 {-2 * r:.1f},0 Z"
    points = {
        "square": [(-r, -r), (r, -r), (r, r), (-r, r)],
        "triangle-left": [(r, -r), (r, r), (-r, 0)],
        "triangle-down": [(-r, -r), (r, -r), (0, r)],
    }.get(kind, [(0, -r * 1.25), (r * 1.25, 0), (0, r * 1.25), (-r * 1.25, 0)])  # the diamonds
    return "M" + " L".join(f"{cx + dx:.1f},{cy + dy:.1f}" for dx, dy in points) + " Z"


class _Axis:
    """Dates to x positions: each day is a slot of equal width; a date's centre is mid-slot."""

    def __init__(self, first: date, last: date):
        self.first = first - timedelta(days=1)
        self.days = (last - first).days + 3
        self.width = (_X1 - _X0) / self.days

    def left(self, d: date) -> float:
        return _X0 + (d - self.first).days * self.width

    def centre(self, d: date) -> float:
        return self.left(d) + self.width / 2

    def days_shown(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.days)]

    def ticks(self) -> list[_Tick]:
        """Months (or years, over a long span) on the axis's first line; days, Mondays or months on its second."""
        days = self.days_shown()
        short = self.days <= 120
        major = [_Tick(self.left(d), month_year(d) if short else str(d.year), True)
                 for d in days if (d.day == 1 if short else (d.month, d.day) == (1, 1))]
        if not major or major[0].x - _X0 > 120:  # room to name where the axis starts
            major.insert(0, _Tick(_X0, month_year(days[0]) if short else str(days[0].year), True))
        if self.width >= 22:
            minor = [_Tick(self.centre(d), str(d.day), False, True) for d in days]
        elif short:
            minor = [_Tick(self.left(d), day_month(d), False, True) for d in days if d.weekday() == 0]
        else:
            every = 1 if self.days <= 800 else 3
            minor = [_Tick(self.left(d), month_year(d)[:3], False) for d in days
                     if d.day == 1 and (d.month - 1) % every == 0]
        return major + minor


def _moving_holidays(schedule: Schedule) -> dict[date, str]:
    """The bank holidays that a milestone's chosen date rules stepped over, by date."""
    return {day.date: day.reason for m in schedule for e in m.explanation if e.chosen
            for day in e.bank_holidays_skipped}


def _row(m: Milestone, n: int, axis: _Axis, today: date | None) -> _Row:
    y = _TOP + n * _ROW
    cy = y + 32
    day = event_date(m)
    mark_x = axis.centre(day) if day is not None else None
    band = (axis.left(m.earliest), axis.left(m.due) + axis.width) if m.earliest is not None and m.due is not None \
        else None
    due_x = axis.centre(m.due) if m.due is not None and m.actual is not None and m.actual != m.due else None
    lag = None
    if mark_x is not None and m.status == "overdue" and today is not None:
        lag = (mark_x, axis.centre(today))
    elif m.actual is not None and m.status == "met_late" and m.due is not None:
        lag = (axis.centre(m.due), axis.centre(m.actual))
    elif m.actual is not None and m.status == "met_early" and m.earliest is not None:
        lag = (axis.centre(m.actual), axis.centre(m.earliest))
    if day is not None:
        when = f"happened {short_date(day)}" if m.actual is not None else f"due {short_date(day)}"
    else:
        when = f"not before {short_date(m.earliest)}" if m.earliest is not None else "no date"
    label = when if m.status is None else f"{status_words(m)} · {when}"
    anchor_x = mark_x if mark_x is not None else axis.left(m.earliest or axis.first)
    label_end = anchor_x > _X0 + 0.62 * (_X1 - _X0)
    label_x = anchor_x - 2.2 * _MARK if label_end else anchor_x + 2.2 * _MARK
    name = m.name if len(m.name) <= _NAME_LIMIT else m.name[:_NAME_LIMIT - 1] + "…"
    return _Row(m, y, name, m.status or "none", day, shape_path(m.status, mark_x, cy) if mark_x is not None else None,
                band, due_x, lag, label, label_x, label_end, moved_by(m))


def timeline_html(schedule: Schedule, pack: PolicyPack | None = None) -> str:
    """The schedule as one self-contained HTML page: an SVG timeline and the same facts as a table.

    Args:
        schedule: the schedule to draw.
        pack: the pack it came from, for the review's and the document's names (optional).

    Raises:
        MissingExtraError: Jinja2 is not installed.
    """
    holidays = _moving_holidays(schedule)
    dates = [schedule.start, *holidays] + ([schedule.today] if schedule.today is not None else [])
    for m in schedule:
        dates += [d for d in (m.earliest, m.due, m.actual) if d is not None]
    axis = _Axis(min(dates), max(dates))
    rows = [_row(m, n, axis, schedule.today) for n, m in enumerate(schedule)]
    bottom = _TOP + len(rows) * _ROW  # where the rows end and the holidays' names begin
    columns = [_Column(axis.left(d), axis.width, d, f"{name}, {short_date(d)}") for d, name in sorted(holidays.items())]
    weekends = [_Column(axis.left(d), axis.width, d, "") for d in axis.days_shown() if d.weekday() >= 5] \
        if axis.width >= 4 else []
    review_name, document = schedule.review, None
    if pack is not None:
        compiled = pack.compiled
        named = compiled.reviews.get(schedule.review) or compiled.notifications.get(schedule.review)
        review_name = named.name if named is not None else schedule.review
        document = compiled.document.title
    legend = [(status, words, shape_path(status, 8, 8, 6)) for status, words in
              [*STATUS_WORDS.items(), (None, "no status (no date for today given)")]]
    return render("timeline.html.j2", schedule=schedule, review_name=review_name, document=document, rows=rows,
                  ticks=axis.ticks(), holidays=columns, weekends=weekends, bottom=bottom,
                  height=bottom + 10 + 14 * min(len(holidays), 3),
                  today_x=axis.centre(schedule.today) if schedule.today is not None else None,
                  x0=_X0, top=_TOP, legend=legend, status_words=status_words)
