"""Benchmark rows for decisions: warm and cold, complete and partial, by date, at any size, and memory."""

from __future__ import annotations

import itertools
import marshal
import random
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path
from typing import Any

import lif_rules
from lif_rules.core.decide import MARSHAL_VERSION

from common import Measured, Row, interleaved

N = 200  # passes over the cases in one timed round


def complete_cases(pack: lif_rules.PolicyPack) -> list[dict[str, Any]]:
    """Every complete case of the facts the CSPR rule reads, other facts fixed (so all facts are stated)."""
    facts = pack.compiled.facts
    read = {"subject", "died", "seriously_harmed", "abuse_or_neglect", "looked_after", "concern_about_joint_working"}
    choices = [f.values if f.name in read else (f.values[-1],) for f in facts]
    return [dict(zip((f.name for f in facts), combo)) for combo in itertools.product(*choices)]


def cspr_by_hand(f: dict[str, Any]) -> str:
    """The CSPR rule of the bundled packs, written as a plain predicate."""
    if f["subject"] == "child" and f["abuse_or_neglect"] in ("known", "suspected") and (f["died"] or f["seriously_harmed"]):
        return "consider"
    return "not_eligible"


def _against_predicate(cases: list[dict[str, Any]], complete: list[dict[str, Any]], rounds: int,
                       as_of: date | None = None) -> Measured:
    """``decide(case, review="cspr", as_of=...)`` over ``cases`` against the predicate over ``complete``."""
    pack = lif_rules.load_pack("dudley")
    for f in complete:  # same answers where the facts are complete
        assert pack.decide(f, review="cspr").outcomes["cspr"].status == cspr_by_hand(f)
    for f in cases:  # warm: every case decided once
        pack.decide(f, review="cspr", as_of=as_of)

    def ours() -> float:
        decide = pack.decide
        t = time.perf_counter()
        for _ in range(N):
            for f in cases:
                decide(f, review="cspr", as_of=as_of)
        return (time.perf_counter() - t) / (N * len(cases))

    def base() -> float:
        t = time.perf_counter()
        for _ in range(N):
            for f in complete:
                cspr_by_hand(f)
        return (time.perf_counter() - t) / (N * len(complete))

    return interleaved(ours, base, rounds)


def bench_warm_complete(rounds: int) -> Measured:
    cases = complete_cases(lif_rules.load_pack("dudley"))
    return _against_predicate(cases, cases, rounds)


def bench_warm_partial(rounds: int) -> Measured:
    complete = complete_cases(lif_rules.load_pack("dudley"))
    partial = [{k: v for k, v in f.items() if k not in ("died", "looked_after")} for f in complete]
    return _against_predicate(partial, complete, rounds)


def bench_warm_as_of(rounds: int) -> Measured:
    cases = complete_cases(lif_rules.load_pack("dudley"))
    return _against_predicate(cases, cases, rounds, as_of=date(2024, 3, 1))


def bench_key(rounds: int) -> Measured:
    """Reading a complete case into its memo key alone (what a warm decision starts with), against the predicate."""
    pack = lif_rules.load_pack("dudley")
    cases = complete_cases(pack)
    every = pack._every  # no public names: measured here to show the floor of a warm decision
    dumps, version = marshal.dumps, MARSHAL_VERSION
    for f in cases:
        decision = pack.decide(f)
        stated = every(f)
        assert pack._memos[None][dumps(stated, version)] is decision  # the key the memo holds

    def ours() -> float:
        t = time.perf_counter()
        for _ in range(N):
            for f in cases:
                stated = every(f)
                dumps(stated, version)
        return (time.perf_counter() - t) / (N * len(cases))

    def base() -> float:
        t = time.perf_counter()
        for _ in range(N):
            for f in cases:
                cspr_by_hand(f)
        return (time.perf_counter() - t) / (N * len(cases))

    return interleaved(ours, base, rounds)


def bench_as_of_cost(rounds: int) -> Measured:
    """decide with as_of against decide without it: the same cases, both warm."""
    pack = lif_rules.load_pack("dudley")
    cases = complete_cases(pack)
    days = [date(2017, 3, 1), date(2019, 3, 1), date(2024, 3, 1)]
    dated = [(f, days[k % len(days)]) for k, f in enumerate(cases)]
    for f, day in dated:
        assert pack.decide(f, as_of=day).as_of == day
        pack.decide(f)

    def ours() -> float:
        decide = pack.decide
        t = time.perf_counter()
        for _ in range(N):
            for f, day in dated:
                decide(f, as_of=day)
        return (time.perf_counter() - t) / (N * len(dated))

    def base() -> float:
        decide = pack.decide
        t = time.perf_counter()
        for _ in range(N):
            for f, day in dated:
                decide(f)
        return (time.perf_counter() - t) / (N * len(dated))

    return interleaved(ours, base, rounds)


def realistic_cases(pack: lif_rules.PolicyPack, n: int = 500, seed: int = 20261130) -> list[dict[str, Any]]:
    """Cases as a business unit sees them: who and what happened mostly known, the rest often not yet."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        child = rng.random() < 0.6
        case: dict[str, Any] = {"subject": "child" if child else "adult"}
        case["died"] = rng.choice([True, False, False, None])
        case["seriously_harmed"] = rng.choice([True, True, False, None])
        case["abuse_or_neglect"] = rng.choice(["known", "suspected", "suspected", "not_suspected", None])
        if child:
            case["looked_after"] = rng.choice([True, False, False, False, None])
        else:
            case["care_and_support_needs"] = rng.choice([True, True, False, None])
        case["concern_about_joint_working"] = rng.choice([True, False, None, None])
        out.append({k: v for k, v in case.items() if v is not None and k in pack.compiled.fact_index})
    return out


def bench_first_pass(rounds: int) -> Measured:
    """Deciding 500 realistic partial cases on a freshly loaded pack, against the second pass over them."""
    path = lif_rules.pack.bundled_dir() / "dudley.yaml"
    cases = realistic_cases(lif_rules.load_pack("dudley"))
    firsts, seconds, ratios = [], [], []
    for _ in range(rounds):
        pack = lif_rules.load_pack(path)  # a path is loaded afresh each time: empty memos
        decide = pack.decide
        t = time.perf_counter()
        for f in cases:
            decide(f)
        first = time.perf_counter() - t
        t = time.perf_counter()
        for f in cases:
            decide(f)
        second = time.perf_counter() - t
        firsts.append(first / len(cases))
        seconds.append(second / len(cases))
        ratios.append(first / second)
    return Measured(firsts, seconds, ratios)


def synthetic_pack(n: int) -> str:
    """A pack with one review over ``n`` boolean facts: each rule joins two neighbours."""
    facts = "\n".join(f"  f{k}: {{type: bool, description: fact {k}}}" for k in range(n))
    statuses = ["required", "consider", "discretionary"]
    rules = "\n".join(
        f"      - {{id: r{k}, when: f{k} and (f{k + 1} or not f{(k + 2) % n}), status: {statuses[k % 3]}, citation: c}}"
        for k in range(0, n, 2))
    return f"""\
pack: synthetic
document: {{title: t, short_title: t, publisher: p, source: s, in_force: {{}}, regime: [care_act_2014]}}
facts:
{facts}
reviews:
  big:
    name: big
    legal_basis: non_statutory
    decided_by: x
    citation: c
    rules:
{rules}
"""


def bench_unknowns(rounds: int) -> Measured:
    """The first decision with 24 unknown facts against the first with 8, each on a freshly loaded pack."""
    folder = Path(tempfile.mkdtemp())
    paths = {}
    for n in (8, 24):
        paths[n] = folder / f"synthetic{n}.yaml"
        paths[n].write_text(synthetic_pack(n), encoding="utf-8")
    for n in (8, 24):
        pack = lif_rules.load_pack(paths[n])
        assert pack.decide({}).outcomes["big"].missing == [f"f{k}" for k in range(n)]

    def first(n: int) -> float:
        total = 0.0
        for _ in range(20):
            pack = lif_rules.load_pack(paths[n])
            t = time.perf_counter()
            pack.decide({})
            total += time.perf_counter() - t
        return total / 20

    return interleaved(lambda: first(24), lambda: first(8), rounds)


def memory_growth() -> float:
    """MB retained after deciding every pattern of known and unknown values of the facts Dudley's review types
    read (every other fact unknown), for all reviews and for each one."""
    path = lif_rules.pack.bundled_dir() / "dudley.yaml"
    pack = lif_rules.load_pack(path)
    compiled = pack.compiled
    facts = [compiled.facts[i] for i in sorted(set().union(*(r.reads for r in compiled.reviews.values())))]
    patterns = [{f.name: v for f, v in zip(facts, combo) if v is not None}
                for combo in itertools.product(*[(None, *f.values) for f in facts])]
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for review in [None, *pack.reviews]:
        for case in patterns:
            pack.decide(case, review=review)
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    return sum(s.size_diff for s in after.compare_to(before, "filename")) / 1e6


def bench_memory(rounds: int) -> Measured:
    mb = memory_growth()
    return Measured([mb], [5.0], [mb / 5.0])


ROWS = [
    Row("decide", 'warm decide(facts, review="cspr"), complete facts, vs a predicate', 6.0, bench_warm_complete),
    Row("decide_partial", "warm decide, two facts unknown, vs the same predicate", 8.0, bench_warm_partial),
    Row("decide_as_of", "warm decide with as_of=, vs the same predicate", 8.0, bench_warm_as_of),
    Row("key", "  reading a complete case's 12 facts into its memo key alone, vs the same predicate", None, bench_key),
    Row("as_of_cost", "decide(facts, as_of=d) vs decide(facts)", 1.2, bench_as_of_cost),
    Row("first_pass", "first pass over 500 realistic cases, fresh pack, vs the second", 5.0, bench_first_pass),
    Row("unknowns", "first decision with 24 unknown facts vs with 8", 10.0, bench_unknowns),
    Row("memory", "memory after every pattern of Dudley's review facts (MB, vs 5 MB)", 1.0, bench_memory, unit="MB"),
]
