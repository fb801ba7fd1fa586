"""Speed of lif_rules against hand-written baselines, measured in the same run.

Run from the project root with the project installed:  python benchmarks/bench.py [--rounds N]

Each row times lif_rules and its baseline in interleaved rounds (so both see the same machine
load) and prints the median ratio against the goal. Ratios, not seconds, are the result: the
machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

import holidays
from dateutil.relativedelta import relativedelta

import lif_rules

GOALS = {"decide": 10.0, "add_working_days": 3.0, "schedule": 1.0, "startup": 1.3}


def interleaved(ours: Callable[[], float], base: Callable[[], float], rounds: int) -> tuple[float, float, float]:
    """Median per-call seconds of both, and the median of the per-round ratios.

    Each row writes its two timing loops out by hand, the same way for both sides: a shared helper
    taking a callable would add the same call overhead to both and pull every ratio towards 1.
    """
    o, b, r = [], [], []
    for _ in range(rounds):
        t_base = base()
        t_ours = ours()
        o.append(t_ours)
        b.append(t_base)
        r.append(t_ours / t_base)
    return statistics.median(o), statistics.median(b), statistics.median(r)


# -- 1. decide -------------------------------------------------------------------------------------
CSPR_FACTS = [
    {"subject": s, "died": d, "seriously_harmed": h, "abuse_or_neglect": a, "looked_after": la,
     "care_and_support_needs": False, "concern_about_joint_working": c}
    for s in ("child", "adult") for d in (True, False) for h in (True, False)
    for a in ("known", "suspected", "not_suspected") for la in (True, False) for c in (True, False)
]


def cspr_by_hand(f: dict[str, object]) -> str:
    if f["subject"] == "child" and f["abuse_or_neglect"] in ("known", "suspected") and (f["died"] or f["seriously_harmed"]):
        return "consider"
    return "not_eligible"


def bench_decide(rounds: int) -> tuple[float, float, float]:
    pack = lif_rules.load_pack("dudley")
    cases = CSPR_FACTS
    for f in cases:  # same answers, and every pattern seen once (the engine memoises by pattern)
        assert pack.decide(f, review="cspr").outcomes["cspr"].status == cspr_by_hand(f)
    n = 200

    def ours() -> float:
        decide = pack.decide
        t = time.perf_counter()
        for _ in range(n):
            for f in cases:
                decide(f, review="cspr")
        return (time.perf_counter() - t) / (n * len(cases))

    def base() -> float:
        t = time.perf_counter()
        for _ in range(n):
            for f in cases:
                cspr_by_hand(f)
        return (time.perf_counter() - t) / (n * len(cases))

    return interleaved(ours, base, rounds)


# -- 2. add_working_days ---------------------------------------------------------------------------
def bench_working_days(rounds: int) -> tuple[float, float, float]:
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


def bench_schedule(rounds: int) -> tuple[float, float, float]:
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


def bench_startup(rounds: int) -> tuple[float, float, float]:
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


def memory_of_packs() -> str:
    import tracemalloc
    from lif_rules import pack as pack_module

    pack_module._cache.clear()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    packs = [lif_rules.load_pack(p) for p in lif_rules.available_packs()]
    for p in packs:  # fill the decision memos with every pattern of known and unknown values
        facts = p.compiled.facts[:7]
        import itertools
        for combo in itertools.islice(itertools.product(*[(None, *f.values) for f in facts]), 3000):
            p.decide({f.name: v for f, v in zip(facts, combo) if v is not None})
    after = tracemalloc.take_snapshot()
    size = sum(s.size_diff for s in after.compare_to(before, "filename"))
    tracemalloc.stop()
    return f"{size / 1e6:.1f} MB for all five packs with full decision memos ({size / 5e6:.1f} MB a pack)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds per row (default 15)")
    args = parser.parse_args()
    rows = [
        ("decide", 'pack.decide(facts, review="cspr"), complete facts', bench_decide),
        ("add_working_days", 'calendar("england").add_working_days(d, 15)', bench_working_days),
        ("schedule", 'Dudley pack.schedule("sar", start=..., actual={"commissioned": ...})', bench_schedule),
        ("startup", "new process: import + load all five packs", bench_startup),
    ]
    failed = 0
    print(f"{'measure':<72} {'ours':>10} {'baseline':>10} {'ratio':>7} {'goal':>6}")
    for key, label, fn in rows:
        ours, base, ratio = fn(args.rounds if key != "startup" else max(5, args.rounds // 2))
        goal = GOALS[key]
        ok = ratio <= goal
        failed += not ok
        unit, scale = ("ms", 1e3) if key == "startup" else ("us", 1e6)
        print(f"{label:<72} {ours * scale:>8.2f}{unit} {base * scale:>8.2f}{unit} {ratio:>6.2f}x {goal:>5.1f}x {'ok' if ok else 'MISSED'}")
    print(f"memory: {memory_of_packs()}")
    print(f"{len(rows) - failed} of {len(rows)} goals met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
