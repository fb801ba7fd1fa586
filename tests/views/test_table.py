"""A schedule as CSV, read back with the csv module as a spreadsheet would read it."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from hypothesis import given

import lif_rules
from lif_rules.views import schedule_csv
from viewkit import every_status, schedules


def text_of(cell: str) -> str:
    """A cell's text: a leading ``'`` written so a spreadsheet does not run the text as a formula taken off."""
    return cell[1:] if re.match(r"'+[=+\-@\t\r]", cell) else cell


def read_back(text: str) -> list[lif_rules.Milestone]:
    """Rows → milestones: an empty cell is none, explanation is JSON, everything else as pydantic reads it."""
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    out = []
    for row in rows:
        values: dict[str, Any] = {k: (None if v == "" else text_of(v)) for k, v in row.items()}
        values["explanation"] = json.loads(row["explanation"])
        out.append(lif_rules.Milestone.model_validate(values))
    return out


def test_header_is_the_milestone_fields_and_each_row_one_milestone() -> None:
    _pack, schedule = every_status()
    text = schedule_csv(schedule)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["id", "name", "due", "earliest", "actual", "rule", "citation", "status", "days_late",
                       "working_days_late", "note", "explanation"]
    assert sorted(rows[0]) == sorted(lif_rules.Milestone.model_fields)
    assert [r[0] for r in rows[1:]] == [m.id for m in schedule]
    late = dict(zip(rows[0], rows[3]))  # after became_aware and referral_received
    assert (late["id"], late["due"], late["earliest"], late["actual"], late["status"], late["days_late"],
            late["working_days_late"], late["note"]) == (
        "scoping_requests_sent", "2026-12-22", "", "2026-12-29", "met_late", "7", "3", "")
    assert text.endswith("\r\n") and text.count("\r\n") == len(rows)  # RFC 4180 line ends


def test_read_back_it_equals_the_schedule() -> None:
    _pack, schedule = every_status()
    assert read_back(schedule_csv(schedule)) == schedule.milestones


@given(schedules())
def test_any_schedule_reads_back_equal(schedule: lif_rules.Schedule) -> None:
    assert read_back(schedule_csv(schedule)) == schedule.milestones


def test_texts_with_commas_quotes_and_new_lines_survive() -> None:
    _pack, schedule = every_status()
    awkward = schedule.milestones[0].model_copy(update={"name": 'A "quoted", name', "note": "two\nlines, here"})
    changed = schedule.model_copy(update={"milestones": [awkward]})
    assert read_back(schedule_csv(changed)) == [awkward]


def test_a_text_a_spreadsheet_would_run_as_a_formula_is_written_as_text() -> None:
    _pack, schedule = every_status()
    hostile = schedule.milestones[2].model_copy(update={
        "name": '=HYPERLINK("http://example.invalid","click")', "citation": "+cmd|' /C calc'!A0",
        "note": "@SUM(1+1)", "rule": "-2+3", "id": "hostile"})
    tab = schedule.milestones[3].model_copy(update={"name": "\t=1+1", "citation": "\r=1+1", "note": "'=1+1"})
    plain = schedule.milestones[4].model_copy(update={"name": "a = b", "note": "'quoted'"})
    text = schedule_csv(schedule.model_copy(update={"milestones": [hostile, tab, plain]}))
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    cells = [v for row in rows for k, v in row.items() if k != "explanation"]
    assert not [v for v in cells if v[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert (rows[0]["name"], rows[0]["citation"], rows[0]["note"], rows[0]["rule"]) == (
        '\'=HYPERLINK("http://example.invalid","click")', "'+cmd|' /C calc'!A0", "'@SUM(1+1)", "'-2+3")
    assert (rows[1]["name"], rows[1]["citation"], rows[1]["note"]) == ("'\t=1+1", "'\r=1+1", "''=1+1")
    assert (rows[2]["name"], rows[2]["note"]) == ("a = b", "'quoted'")  # the rest as written
    assert read_back(text) == [hostile, tab, plain]  # one apostrophe taken off gives the text back
