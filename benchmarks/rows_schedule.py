"""Benchmark rows for schedules, the working-day calendar and start-up."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import holidays
from dateutil.relativedelta import relativedelta

import lif_rules

from common import Measured, Row, interleaved

# -- add_working_days ------------------------------------------------------------------------------
def bench_working_days(rounds: int) -> Measured:
    cal = lif_rules.calendar("england")
    first, last = date(2000, 1, 1), date(2040, 12, 31)
    eng = holidays.country_holidays("GB", subdiv="ENG", years=range(2000, 2041))
    base_ordinal = first.toordinal()
    workdays: list[int] = []
    prefix: list[int] = []
    d = first
    while d <= last:
        if d.weekday() < 5 and d not in eng:
            workdays.append(d.toordinal())
        prefix.append(len(workdays))
        d += timedelta(days=1)

    def by_hand(day: date, n: int) -> date:
        return date.fromordinal(workdays[prefix[day.toordinal() - base_ordinal] + n - 1])

    starts = [date(2020, 1, 1) + timedelta(days=k) for k in range(0, 3000, 7)]
    for s in starts:
        assert cal.add_working_days(s, 15) == by_hand(s, 15)
    n = 50

    def ours() -> float:
        add = cal.add_working_days
        t = time.perf_counter()
        for _ in range(n):
            for s in starts:
                add(s, 15)
        return (time.perf_counter() - t) / (n * len(starts))

    def base() -> float:
        t = time.perf_counter()
        for _ in range(n):
            for s in starts:
                by_hand(s, 15)
        return (time.perf_counter() - t) / (n * len(starts))

    return interleaved(ours, base, rounds)


# -- a schedule ------------------------------------------------------------------------------------
def sar_by_hand(start: date, commissioned: date, wd: Callable[[date, int], date]) -> dict[str, date]:
    """Dudley's SAR timetable (20 milestones) written out by hand with relativedelta (the same dates the pack gives)."""
    out = {"request_received": start}
    out["scoping_received"] = wd(start, 20)
    out["sar_decision_meeting"] = start + relativedelta(weeks=8)
    out["commissioned"] = commissioned
    out["family_notified"] = commissioned
    out["reviewers_commissioned"] = commissioned + relativedelta(weeks=3)
    out["initial_scoping_meeting"] = out["reviewers_commissioned"] + relativedelta(weeks=4)
    out["draft_report_to_panel"] = commissioned + relativedelta(months=5)
    out["sar_committee_presentation"] = commissioned + relativedelta(months=5, days=15)
    sign_off = out["sab_sign_off"] = commissioned + relativedelta(months=6)
    out["publication_decision"] = sign_off + relativedelta(days=0)
    out["family_informed"] = sign_off + relativedelta(weeks=2)
    out["publication"] = commissioned + relativedelta(months=7)
    out["learning_event"] = commissioned + relativedelta(months=9)
    k = 1
    while (meeting := commissioned + relativedelta(months=k)) <= sign_off:
        out[f"sar_panel_meeting_{k}"] = meeting
        k += 1
    return out


SAR_INPUTS = [(date(2026, 1, 5) + timedelta(days=k), date(2026, 3, 2) + timedelta(days=k)) for k in range(0, 700, 3)]


def _check_sar(pack: lif_rules.PolicyPack, cal: lif_rules.WorkingDayCalendar) -> None:
    for start, commissioned in SAR_INPUTS:
        s = pack.schedule("sar", start=start, actual={"commissioned": commissioned})
        want = sar_by_hand(start, commissioned, cal.add_working_days)
        got = {m.id: m.actual or m.due for m in s}
        assert got == want, (start, commissioned)


def bench_schedule(rounds: int) -> Measured:
    """The call: every date computed; the Milestone objects are built when read (see the next row)."""
    pack = lif_rules.load_pack("dudley")
    cal = lif_rules.calendar("england")
    _check_sar(pack, cal)

    def ours() -> float:
        schedule = pack.schedule
        t = time.perf_counter()
        for start, commissioned in SAR_INPUTS:
            schedule("sar", start=start, actual={"commissioned": commissioned})
        return (time.perf_counter() - t) / len(SAR_INPUTS)

    def base() -> float:
        wd = cal.add_working_days
        t = time.perf_counter()
        for start, commissioned in SAR_INPUTS:
            sar_by_hand(start, commissioned, wd)
        return (time.perf_counter() - t) / len(SAR_INPUTS)

    return interleaved(ours, base, rounds)


def bench_schedule_read(rounds: int) -> Measured:
    """The call and every milestone's date read back by id, on both sides: the whole cost of the objects."""
    pack = lif_rules.load_pack("dudley")
    cal = lif_rules.calendar("england")
    _check_sar(pack, cal)
    ids = list(sar_by_hand(*SAR_INPUTS[0], cal.add_working_days))

    def ours() -> float:
        schedule = pack.schedule
        t = time.perf_counter()
        for start, commissioned in SAR_INPUTS:
            s = schedule("sar", start=start, actual={"commissioned": commissioned})
            for mid in ids:
                m = s[mid]
                m.actual or m.due
        return (time.perf_counter() - t) / len(SAR_INPUTS)

    def base() -> float:
        wd = cal.add_working_days
        t = time.perf_counter()
        for start, commissioned in SAR_INPUTS:
            d = sar_by_hand(start, commissioned, wd)
            for mid in ids:
                d[mid]
        return (time.perf_counter() - t) / len(SAR_INPUTS)

    return interleaved(ours, base, rounds)


# -- long schedules: linear in occurrences, constant-time lookups ----------------------------------
WEEKLY = """\
pack: weekly
document: {{title: T, short_title: T, publisher: P, source: s, in_force: {{}}, regime: [care_act_2014]}}
reviews:
  r:
    name: R
    legal_basis: non_statutory
    decided_by: D
    citation: C
    milestones:
      - {{id: opened, name: Opened, start: true, citation: C}}
      - {{id: closed, name: Closed, due: {{after: opened, weeks: {weeks}}}, citation: C}}
      - {{id: meeting, name: Meeting, recurring: {{every: {{after: opened, weeks: 1}}, until: closed}}, citation: C}}
"""


def _weekly(weeks: int) -> lif_rules.PolicyPack:
    folder = Path(tempfile.mkdtemp(prefix="lif-bench-"))
    path = folder / f"weekly_{weeks}.yaml"
    path.write_text(WEEKLY.format(weeks=weeks), encoding="utf-8")
    return lif_rules.load_pack(path)


def bench_occurrences_linear(rounds: int) -> Measured:
    """Twice the occurrences, every milestone read: about twice the time (ours: 600 weekly meetings, base: 300)."""
    long, short = _weekly(600), _weekly(300)
    start = date(2026, 1, 5)
    assert len(long.schedule("r", start=start)) == 602 and len(short.schedule("r", start=start)) == 302
    n = 5

    def ours() -> float:
        t = time.perf_counter()
        for _ in range(n):
            for _m in long.schedule("r", start=start):
                pass
        return (time.perf_counter() - t) / n

    def base() -> float:
        t = time.perf_counter()
        for _ in range(n):
            for _m in short.schedule("r", start=start):
                pass
        return (time.perf_counter() - t) / n

    return interleaved(ours, base, rounds)


def bench_lookup_constant(rounds: int) -> Measured:
    """``Schedule[id]`` in a 602-milestone schedule against a 5-milestone one: about the same time."""
    long, short = _weekly(600), _weekly(3)
    start = date(2026, 1, 5)
    big, small = long.schedule("r", start=start), short.schedule("r", start=start)
    list(big), list(small)  # every milestone built: the lookup alone is timed
    far = ["meeting_600", "meeting_599", "closed", "opened"] * 50
    near = ["meeting_3", "meeting_2", "closed", "opened"] * 50
    assert [big[m].id for m in far] == far and [small[m].id for m in near] == near
    n = 20

    def ours() -> float:
        t = time.perf_counter()
        for _ in range(n):
            for mid in far:
                big[mid]
        return (time.perf_counter() - t) / (n * len(far))

    def base() -> float:
        t = time.perf_counter()
        for _ in range(n):
            for mid in near:
                small[mid]
        return (time.perf_counter() - t) / (n * len(near))

    return interleaved(ours, base, rounds)


# -- a new process: import, load, first schedule --------------------------------------------------
OURS_STARTUP = (
    "import datetime, lif_rules\n"
    "packs = [lif_rules.load_pack(p) for p in lif_rules.available_packs()]\n"
    "lif_rules.load_pack('dudley').schedule('rapid_review', start=datetime.date(2026, 12, 18))"
)
BASE_STARTUP = (
    "import pydantic, yaml, holidays, dateutil\n"
    "eng = holidays.country_holidays('GB', subdiv='ENG', years=range(2018, 2031))"
)
# `import pydantic` alone imports almost nothing of it (its names load on first use); a library that
# defines models imports pydantic.BaseModel's machinery. This second baseline does, to show where the
# difference lies; the goal is stated against the first.
BASE_STARTUP_MODELS = "from pydantic import BaseModel\n" + BASE_STARTUP


def bench_startup(rounds: int, base: str = BASE_STARTUP, cache: bool = True) -> Measured:
    """Both sides in a new process each round, interleaved, with bytecode written and read for both.

    The untimed first run of each side writes its bytecode and (ours) the compiled packs to a cache
    folder of this benchmark's own, as any second call of a program finds them; ``cache=False``
    turns the cache of compiled packs off, for the cost of the very first load of each pack.
    """
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": ""}
    env.pop("PYTHONDONTWRITEBYTECODE")
    env["LIF_RULES_CACHE_DIR"] = tempfile.mkdtemp(prefix="lif_rules_bench_cache_") if cache else "off"

    def run(code: str) -> Callable[[], float]:
        def timed() -> float:
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, env=env)
            return time.perf_counter() - t
        return timed

    run(OURS_STARTUP)()  # write and cache the bytecode of both sides once (and our compiled packs)
    run(base)()
    return interleaved(run(OURS_STARTUP), run(base), rounds)


ROWS = [
    Row("add_working_days", 'calendar("england").add_working_days(d, 15)', 1.5, bench_working_days),
    Row("schedule", 'Dudley pack.schedule("sar", start=..., actual={"commissioned": ...})', 0.5, bench_schedule),
    Row("schedule_read", "  ... and every milestone's date read by id", 1.0, bench_schedule_read),
    Row("occurrences_linear", "schedule of 600 weekly occurrences, all read / of 300 (linear: ~2)", 2.2,
        bench_occurrences_linear),
    Row("lookup_constant", "Schedule[id] among 602 milestones / among 5 (constant: ~1)", 1.5, bench_lookup_constant),
    Row("startup", "new process: import, load the five packs, one schedule", 1.3, bench_startup, unit="ms"),
    Row("startup_models", "  ... against the same baseline with pydantic.BaseModel imported", 1.3,
        lambda rounds: bench_startup(rounds, BASE_STARTUP_MODELS), unit="ms"),
    Row("startup_uncached", "  ... with no cache of compiled packs (each pack read and compiled)", None,
        lambda rounds: bench_startup(rounds, cache=False), unit="ms"),
]
