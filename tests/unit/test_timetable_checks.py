"""Stage 3, compile (timetables): events before the start, occurrence ids, anchors on a series, and the size of a
schedule are checked at load, each problem located."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import lif_rules
from lif_rules.core.timetables import MAX_MILESTONES, MAX_OCCURRENCES

from pack_texts import SAR  # tests/ is on sys.path through its conftest

Problems = Callable[..., list[str]]

# The SAR review of pack_texts with a timetable; the first milestone's "- id:" is on line 16.
TIMETABLE = SAR + """\
    milestones:
      - id: aware
        name: Became aware
        before_start: true
        citation: "Test LIF 5.0"
      - id: request_received
        name: Request received
        start: true
        citation: "Test LIF 5.1"
      - id: decided
        name: Decided
        due: [{after: request_received, weeks: 8}, {after: aware, working_days: 15}]
        citation: "Test LIF 5.2"
"""


def milestone(mid: str, body: str) -> str:
    """A fourth milestone of the timetable above; its ``- id:`` is on line 28."""
    return f"""\
      - id: {mid}
        name: {mid}
{body}        citation: "Test LIF 5.3"
"""


def series(mid: str, until: str = "decided") -> str:
    return milestone(mid, f"        recurring: {{every: {{after: request_received, weeks: 1}}, until: {until}}}\n")


def test_an_event_before_the_start_anchors_a_deadline(write_pack: Callable[..., str]) -> None:
    pack = lif_rules.load_pack(write_pack(TIMETABLE))
    # Fri 5 Jun 2026 + 15 working days (no bank holiday): Fri 26 Jun; the request + 8 weeks is later
    s = pack.schedule("sar", start=date(2026, 6, 15), actual={"aware": date(2026, 6, 5)})
    assert (s["aware"].actual, s["aware"].status, s["decided"].due) == (date(2026, 6, 5), "met", date(2026, 6, 26))
    assert s["aware"].rule == ("on or before request_received, the review's first event (the start date unless its "
                               "own date is given)")
    assert s.warnings == []


def test_start_and_before_start_together(pack_problems: Problems) -> None:
    text = TIMETABLE.replace("        before_start: true\n", "        before_start: true\n        start: true\n", 1)
    assert pack_problems(text) == [
        "x.yaml:16:7: $.reviews.sar.milestones: review 'sar' needs exactly one milestone with 'start: true'",
        "x.yaml:18:9: $.reviews.sar.milestones[aware].before_start: a milestone is either the start ('start: true') or "
        "happens on or before it ('before_start: true'), not both",
    ]


def test_before_start_with_dates(pack_problems: Problems) -> None:
    text = TIMETABLE + milestone("told", "        before_start: true\n        due: {after: request_received, days: 1}\n")
    assert pack_problems(text) == [
        "x.yaml:28:9: $.reviews.sar.milestones[told]: a milestone with 'before_start: true' happens on or before the "
        "start and is dated by its actual date (else the start date); it has no 'due', 'earliest' or 'recurring'",
    ]


def test_roll_on_an_event_with_no_computed_date(pack_problems: Problems) -> None:
    text = TIMETABLE.replace("        before_start: true\n", "        before_start: true\n        roll: forward\n", 1)
    text = text.replace("        start: true\n", "        start: true\n        roll: backward\n", 1)
    assert pack_problems(text) == [
        "x.yaml:19:9: $.reviews.sar.milestones[aware].roll: 'roll' moves a date computed from the rules; a milestone "
        "with 'before_start: true' has none",
        "x.yaml:24:9: $.reviews.sar.milestones[request_received].roll: 'roll' moves a date computed from the rules; a milestone "
        "with 'start: true' has none",
    ]


def test_a_plain_milestone_with_the_id_of_an_occurrence(pack_problems: Problems) -> None:
    text = TIMETABLE + series("panel") + milestone("panel_1", "        due: {after: request_received, days: 3}\n")
    assert pack_problems(text) == [
        "x.yaml:32:13: $.reviews.sar.milestones[panel_1].id: milestone id 'panel_1' is the id of occurrence 1 of the "
        "recurring milestone 'panel' in review 'sar'; rename one of them",
    ]


def test_ids_that_only_look_like_occurrences_load(write_pack: Callable[..., str]) -> None:
    # panel_0 and panel_601 are ids no occurrence takes; a recurring panel_1 has occurrences panel_1_1, ...
    text = (TIMETABLE + series("panel") + series("panel_1")
            + milestone("panel_0", "        due: {after: request_received, days: 3}\n")
            + milestone(f"panel_{MAX_OCCURRENCES + 1}", "        due: {after: request_received, days: 4}\n"))
    s = lif_rules.load_pack(write_pack(text)).schedule("sar", start=date(2026, 6, 15))
    assert {"panel_1", "panel_1_1", "panel_0", "panel_601"} <= {m.id for m in s}
    assert len({m.id for m in s}) == len(s)


def test_counting_from_a_recurring_milestone(pack_problems: Problems) -> None:
    text = TIMETABLE + series("panel") + milestone("minutes", "        due: {after: panel, days: 3}\n")
    assert pack_problems(text) == [
        "x.yaml:34:22: $.reviews.sar.milestones[minutes].due.after: 'panel' recurs, so it has no single date to count "
        "from or end at; use the milestone it recurs from ('request_received') or another milestone",
    ]


def test_a_series_that_ends_at_a_recurring_milestone(pack_problems: Problems) -> None:
    text = TIMETABLE + series("panel") + series("board", until="panel")
    assert pack_problems(text) == [
        "x.yaml:34:72: $.reviews.sar.milestones[board].recurring.until: 'panel' recurs, so it has no single date to "
        "count from or end at; use the milestone it recurs from ('request_received') or another milestone",
    ]


def test_the_most_milestones_a_schedule_can_hold_is_checked_at_load(pack_problems: Problems,
                                                                    write_pack: Callable[..., str]) -> None:
    fits = MAX_MILESTONES // MAX_OCCURRENCES  # recurring milestones that fit beside nothing else
    text = TIMETABLE + "".join(series(f"s{k}") for k in range(fits))
    assert pack_problems(text) == [
        f"x.yaml:16:7: $.reviews.sar.milestones: a schedule of review 'sar' could hold "
        f"{fits * MAX_OCCURRENCES + 3:,} milestones ({fits} recurring milestones of up to {MAX_OCCURRENCES} "
        f"occurrences each, and 3 others); the most a schedule may hold is {MAX_MILESTONES:,}",
    ]
    one_fewer = TIMETABLE + "".join(series(f"s{k}") for k in range(fits - 1))
    assert lif_rules.load_pack(write_pack(one_fewer, "y.yaml")).schedule("sar", start=date(2026, 6, 15))
