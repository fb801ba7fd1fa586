"""A review's timetable is compiled once for each set of milestone versions in force, and periods get the right one.

The compiler keeps the timetables it made, keyed on the milestone versions chosen for a period. Periods
with the same versions (here: split by a rule that changes on its own date) share one compiled
timetable; periods with other versions get their own, never another period's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import lif_rules
import lif_rules.core.compile
from lif_rules.core import loading
from lif_rules.core.compiled import CompiledPack, Layer, MilestoneRule
from lif_rules.core.shape import shape

from pack_texts import DATED_MEETING, DATED_REVIEW  # tests/ is on sys.path through its conftest


# Periods: until 2019-12-31 (old meeting, old rule); 2020-01-01 to 2023-12-14 (old meeting, new rule);
# from 2023-12-15 (new meeting, new rule); and before 2017-01-01, when the pack is not yet in force.
PACK = DATED_REVIEW + """\
    rules:
      - id: harm
        versions:
          - {when: harmed, status: discretionary, citation: "rule old", in_force: {to: 2019-12-31}}
          - {when: harmed, status: consider, citation: "rule new", in_force: {from: 2020-01-01}}
    milestones:
""" + DATED_MEETING + """\
      - id: report
        versions:
          - {name: Report, due: {after: meeting, days: 7}, citation: "report old", in_force: {to: 2023-12-14}}
          - {name: Report, due: {after: meeting, days: 14}, citation: "report new", in_force: {from: 2023-12-15}}
"""

OLD, NEW = date(2023, 12, 14), date(2023, 12, 15)


def _compile(text: str) -> CompiledPack:
    doc = loading.parse_text(text, "x.yaml")
    spec, problems = shape(doc)
    assert spec is not None and not problems
    compiled, found = lif_rules.core.compile.compile_pack([Layer(spec, doc)])
    assert compiled is not None and not found
    return compiled


def _timetable(compiled: CompiledPack, day: date) -> tuple[MilestoneRule, ...]:
    return compiled.rules_on(day).reviews["review"].milestones


def test_periods_with_the_same_milestone_versions_share_one_timetable() -> None:
    compiled = _compile(PACK)
    days = [date(2016, 1, 1), date(2018, 1, 1), date(2021, 1, 1), OLD]
    assert len({compiled.period_index(day) for day in days}) == 3  # three periods, the same milestone versions
    first = _timetable(compiled, days[0])
    assert all(_timetable(compiled, day) is first for day in days)
    assert _timetable(compiled, NEW) is not first


def test_each_period_gets_the_timetable_of_its_own_milestone_versions() -> None:
    compiled = _compile(PACK)
    for day, meeting, report, days in [(date(2016, 1, 1), "old", "report old", 7), (OLD, "old", "report old", 7),
                                       (NEW, "new", "report new", 14), (date(2030, 1, 1), "new", "report new", 14)]:
        rules = {m.id: m for m in _timetable(compiled, day)}
        assert list(rules) == ["referral", "meeting", "report"]
        assert (rules["meeting"].citation, rules["report"].citation) == (meeting, report)
        assert rules["meeting"].due[0].working_days == (10 if meeting == "old" else 15)
        assert rules["report"].due[0].days == days
        assert rules["meeting"].in_force == ((None, OLD) if meeting == "old" else (NEW, None))


def test_each_set_of_milestone_versions_is_compiled_once(monkeypatch: pytest.MonkeyPatch) -> None:
    real = lif_rules.core.compile.compile_milestones
    calls: list[tuple[str, ...]] = []

    def counted(*args: Any, **kwargs: Any) -> tuple[MilestoneRule, ...]:
        calls.append(tuple(m.citation for m in args[3]))
        return real(*args, **kwargs)

    monkeypatch.setattr(lif_rules.core.compile, "compile_milestones", counted)
    _compile(PACK)
    assert calls == [("c", "old", "report old"), ("c", "new", "report new")]


def test_schedules_use_the_versions_in_force_on_their_start(write_pack: Any) -> None:
    pack = lif_rules.load_pack(write_pack(PACK))
    for start, citation in [(date(2019, 6, 3), "old"), (date(2021, 6, 1), "old"), (OLD, "old"), (NEW, "new")]:
        s = pack.schedule("review", start=start)
        assert (s["meeting"].citation, s["report"].citation) == (citation, f"report {citation}")
