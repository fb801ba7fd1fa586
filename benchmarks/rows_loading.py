"""Benchmark rows for loading: a pack twice the size loads in about twice the time (linear, not quadratic)."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from unittest import mock

import lif_rules

from common import Measured, Row, interleaved


def big_pack(n: int, misspelt: bool) -> str:
    """A pack of ``n`` facts and ``n`` reviews; with ``misspelt``, every rule names a fact that does not exist."""
    lines = ["pack: big", "document: {title: t, short_title: t, publisher: p, source: s, in_force: {},"
             " regime: [care_act_2014]}", "facts:"]
    lines += [f"  fact_number_{k}: {{type: bool, description: fact {k}}}" for k in range(n)]
    lines.append("reviews:")
    for k in range(n):
        name = f"fact_numbr_{k}" if misspelt else f"fact_number_{k}"
        lines += [f"  review_{k}:", f"    name: review {k}", "    legal_basis: non_statutory", "    decided_by: x",
                  "    citation: c", "    rules:",
                  f"      - {{id: r, when: {name} and not fact_number_{(k + 1) % n}, status: required, citation: c}}"]
    return "\n".join(lines) + "\n"


def _row(misspelt: bool, n: int = 400):
    def bench(rounds: int) -> Measured:
        # every load reads, checks and compiles (what this row measures), never the cache of compiled packs
        with mock.patch.dict(os.environ, {"LIF_RULES_CACHE_DIR": "off"}):
            return measure(rounds)

    def measure(rounds: int) -> Measured:
        folder = Path(tempfile.mkdtemp())
        paths = {}
        for size in (n, 2 * n):
            paths[size] = folder / f"big{size}.yaml"
            paths[size].write_text(big_pack(size, misspelt), encoding="utf-8")

        def load(size: int) -> float:
            t = time.perf_counter()
            try:
                lif_rules.load_pack(paths[size])
            except lif_rules.PackError as e:
                assert misspelt and len(e.errors) == size
            return time.perf_counter() - t

        load(n), load(2 * n)  # the schema's validator is built once per process: not part of either side
        return interleaved(lambda: load(2 * n), lambda: load(n), rounds)
    return bench


ROWS = [
    Row("loading", "load a pack of 800 facts and reviews vs one of 400 (linear: ~2)", 2.5, _row(False), unit="ms"),
    Row("loading_errors", "report 800 misspelt facts vs 400 (linear: ~2)", 2.5, _row(True), unit="ms"),
]
