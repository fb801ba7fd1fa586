"""The hand-written baselines the benchmarks time against give the library's very results.

The benchmarks assert this before timing, but run by hand only; these tests keep a baseline from
falling behind a change of the library's output (a benchmark that no longer runs measures nothing).
Nothing here is timed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import lif_rules
from lif_rules.views import schedule_csv, schedule_ics
from lif_rules.views.ical import milestone_uid

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import rows_decide  # noqa: E402
import rows_schedule  # noqa: E402
import rows_views  # noqa: E402


def test_the_csv_and_calendar_baselines_write_what_the_views_write() -> None:
    schedule = rows_views._sar()
    uids = {m.id: milestone_uid(schedule.pack, schedule.review, schedule.start, m.id) for m in schedule}
    assert schedule_csv(schedule) == rows_views.csv_by_hand(schedule)
    assert schedule_ics(schedule, stamp=rows_views._STAMP) == rows_views.ics_by_hand(schedule, uids)


def test_the_cspr_predicate_decides_as_the_packs_do() -> None:
    pack = lif_rules.load_pack("dudley")
    cases = rows_decide.complete_cases(pack)
    assert len(cases) > 40
    assert all(pack.decide(f, review="cspr").outcomes["cspr"].status == rows_decide.cspr_by_hand(f) for f in cases)


def test_the_sar_dates_by_hand_are_the_schedules() -> None:
    rows_schedule._check_sar(lif_rules.load_pack("dudley"), lif_rules.calendar("england"))  # asserts each date
