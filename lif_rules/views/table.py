"""View: ``Schedule`` → CSV for spreadsheets, one row per milestone and one column per ``Milestone`` field."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..models import Milestone, Schedule

__all__ = ["COLUMNS", "schedule_csv"]

# A spreadsheet reads a cell that starts with one of these as a formula (or, after a tab or return, may).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The Milestone fields in the model's order, the nested explanation last so the plain columns come first.
COLUMNS = tuple(sorted(Milestone.model_fields, key=lambda name: name == "explanation"))


def _as_text(text: str) -> str:
    """``text`` as a spreadsheet shows it and never runs it: a text a spreadsheet would read as a formula gets a
    leading ``'``, as do those that already start with ``'`` before such a character, so one ``'`` taken off
    any of them gives the text back."""
    return "'" + text if text.lstrip("'")[:1] in _FORMULA_STARTS else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, str):
        return _as_text(value)
    return str(value)


def schedule_csv(schedule: Schedule) -> str:
    """The milestones as CSV text: a header row of field names, then one row per milestone in date order.

    Dates are ISO (``2026-12-18``), an empty cell means none, and ``explanation`` (how each date was
    computed) is JSON. A text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (which a
    spreadsheet would run as a formula), or with ``'`` before one of them, is written with one ``'`` before it.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for m in schedule:
        row = m.model_dump(mode="json")
        writer.writerow([_cell(row[name]) for name in COLUMNS])
    return out.getvalue()
