"""Benchmark rows for decisions."""

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


def bench_decide(rounds: int) -> Measured:
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




ROWS = [
    Row("decide", 'pack.decide(facts, review="cspr"), complete facts', 10.0, bench_decide),
]
