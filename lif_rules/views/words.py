"""Plain words the views share: dates, in-force periods, milestone statuses, legal bases and regimes."""

from __future__ import annotations

from datetime import date

from ..core.explain import late_by
from ..models import Milestone

__all__ = [
    "long_date", "short_date", "month_year", "day_month", "in_force_words", "STATUS_WORDS", "status_words",
    "legal_basis_words", "regime_words", "humanise", "sentence",
]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

STATUS_WORDS = {
    "met": "met",
    "met_late": "met late",
    "met_early": "met early",
    "overdue": "overdue",
    "due": "due now",
    "upcoming": "upcoming",
}
"""Each milestone status as a person says it."""

_LEGAL_BASES = {
    "statutory_duty": "a statutory duty",
    "statutory_guidance": "required by statutory guidance",
    "statutory_discretionary": "a statutory review the partners decide whether to hold",
    "non_statutory": "non-statutory (a local arrangement)",
    "agency_mandatory_procedure": "a procedure an agency must follow",
}

_REGIMES = {
    "lscb_regulations_2006": "Local Safeguarding Children Boards Regulations 2006",
    "working_together_2015": "Working Together to Safeguard Children 2015",
    "working_together_2018": "Working Together to Safeguard Children 2018",
    "working_together_2023": "Working Together to Safeguard Children 2023",
    "care_act_2014": "Care Act 2014",
    "children_act_2004": "Children Act 2004",
    "dvcva_2004": "Domestic Violence, Crime and Victims Act 2004",
}


def long_date(d: date) -> str:
    """``18 December 2026`` (the same in every locale)."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def short_date(d: date) -> str:
    """``Fri 18 Dec 2026``."""
    return f"{_WEEKDAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1][:3]} {d.year}"


def month_year(d: date) -> str:
    """``December 2026``."""
    return f"{_MONTHS[d.month - 1]} {d.year}"


def day_month(d: date) -> str:
    """``21 Dec``."""
    return f"{d.day} {_MONTHS[d.month - 1][:3]}"


def in_force_words(period: tuple[date | None, date | None]) -> str:
    """An in-force period ``(from, to)`` in words; both ends are days it is in force, either may be open.

    Examples:
        >>> from datetime import date
        >>> in_force_words((date(2018, 6, 29), None))
        'in force from 29 June 2018'
        >>> in_force_words((date(2018, 6, 29), date(2023, 12, 14)))
        'in force from 29 June 2018 to 14 December 2023 inclusive'
        >>> in_force_words((None, date(2018, 6, 28)))
        'in force until 28 June 2018 inclusive'
        >>> in_force_words((None, None))
        'in force with no start or end date'
    """
    start, end = period
    if start is not None and end is not None:
        return f"in force from {long_date(start)} to {long_date(end)} inclusive"
    if start is not None:
        return f"in force from {long_date(start)}"
    if end is not None:
        return f"in force until {long_date(end)} inclusive"
    return "in force with no start or end date"


def status_words(m: Milestone) -> str:
    """A milestone's status as a person says it, with how late where it is late."""
    if m.status is None:
        return "not assessed (no date for today given)"
    words = STATUS_WORDS.get(m.status, m.status.replace("_", " "))
    late = late_by(m, " late")
    return f"{words}, {late}" if late else words


def legal_basis_words(basis: str) -> str:
    """A review's legal basis in words, e.g. ``a statutory duty``."""
    return _LEGAL_BASES.get(basis, humanise(basis))


def regime_words(regime: str) -> str:
    """A legal regime's title, e.g. ``Care Act 2014``."""
    return _REGIMES.get(regime, humanise(regime))


def humanise(identifier: str) -> str:
    """An id in words: ``serious_child_safeguarding_case`` → ``serious child safeguarding case``."""
    return identifier.replace("_", " ")


def sentence(text: str) -> str:
    """``text`` with its first letter capitalised and the rest as it was."""
    return text[:1].upper() + text[1:]
