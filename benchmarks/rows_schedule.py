"""Benchmark rows for schedules, the working-day calendar and start-up."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

import holidays
from dateutil.relativedelta import relativedelta

import lif_rules

from common import Measured, Row, interleaved

# -- 2. add_working_days ---------------------------------------------------------------------------
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


# -- 3. schedule -----------------------------------------------------------------------------------
def sar_by_hand(start: date, commissioned: date, wd: Callable[[date, int], date]) -> dict[str, date]:
    """Dudley's SAR timetable written out by hand with relativedelta (the same dates the pack gives)."""
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
    out["family_informed"] = sign_off + relativedelta(weeks=2)
    out["publication"] = commissioned + relativedelta(months=7)
    out["learning_event"] = commissioned + relativedelta(months=9)
    k = 1
    while (meeting := commissioned + relativedelta(months=k)) <= sign_off:
        out[f"sar_panel_meeting_{k}"] = meeting
        k += 1
    return out


def bench_schedule(rounds: int) -> Measured:
    pack = lif_rules.load_pack("dudley")
    cal = lif_rules.calendar("england")
    inputs = [(date(2026, 1, 5) + timedelta(days=k), date(2026, 3, 2) + timedelta(days=k)) for k in range(0, 700, 3)]
    for start, commissioned in inputs:
        s = pack.schedule("sar", start=start, actual={"commissioned": commissioned})
        want = sar_by_hand(start, commissioned, cal.add_working_days)
        got = {m.id: m.actual or m.due for m in s}
        assert {k: got[k] for k in want} == want, (start, commissioned)

    def ours() -> float:
        schedule = pack.schedule
        t = time.perf_counter()
        for start, commissioned in inputs:
            schedule("sar", start=start, actual={"commissioned": commissioned})
        return (time.perf_counter() - t) / len(inputs)

    def base() -> float:
        wd = cal.add_working_days
        t = time.perf_counter()
        for start, commissioned in inputs:
            sar_by_hand(start, commissioned, wd)
        return (time.perf_counter() - t) / len(inputs)

    return interleaved(ours, base, rounds)


# -- 4. a new process: import and load ------------------------------------------------------------
OURS_STARTUP = "import lif_rules\nfor p in lif_rules.available_packs(): lif_rules.load_pack(p)"
BASE_STARTUP = (
    "import pydantic, yaml, holidays, dateutil\n"
    "eng = holidays.country_holidays('GB', subdiv='ENG', years=range(2000, 2041))\n"
    "ordinals = sorted(d.toordinal() for d in eng)"
)


def bench_startup(rounds: int) -> Measured:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}

    def run(code: str) -> Callable[[], float]:
        def timed() -> float:
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, env=env)
            return time.perf_counter() - t
        return timed

    run(OURS_STARTUP)()  # warm the file cache and bytecode
    run(BASE_STARTUP)()
    return interleaved(run(OURS_STARTUP), run(BASE_STARTUP), rounds)




ROWS = [
    Row("add_working_days", 'calendar("england").add_working_days(d, 15)', 3.0, bench_working_days),
    Row("schedule", 'Dudley pack.schedule("sar", start=..., actual={"commissioned": ...})', 1.0, bench_schedule),
    Row("startup", "new process: import + load all five packs", 1.3, bench_startup, unit="ms"),
]
