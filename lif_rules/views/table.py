"""View: ``Schedule`` → CSV for spreadsheets, one row per milestone and one column per ``Milestone`` field."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..models import Milestone, Schedule

__all__ = ["COLUMNS", "schedule_csv"]

# The Milestone fields in the model's order, the nested explanation last so the plain columns come first.
COLUMNS = tuple(sorted(Milestone.model_fields, key=lambda name: name == "explanation"))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def schedule_csv(schedule: Schedule) -> str:
    """The milestones as CSV text: a header row of field names, then one row per milestone in date order.

    Dates are ISO (``2026-12-18``), an empty cell means none, and ``explanation`` (how each date was
    computed) is JSON.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for m in schedule:
        row = m.model_dump(mode="json")
        writer.writerow([_cell(row[name]) for name in COLUMNS])
    return out.getvalue()
