"""Speed of lif_rules against hand-written baselines, measured in the same run.

Run from the project root with the project installed:
    python benchmarks/bench.py [--rounds N] [--runs K] [--only KEY ...]

Each row (from the ``rows_*.py`` modules beside this file) times lif_rules and a hand-written
baseline doing the same work, in interleaved rounds so both see the same machine load, with
results asserted equal before timing. A run prints each row's median ratio against its goal; with
``--runs K`` the whole table is measured K times and the spread of the medians is printed too.
Each row starts with what earlier rows left alive frozen out of the garbage collector
(``gc.freeze``), so that a row's collections do not scan them and a row measures the same whatever
ran before it.
Ratios, not seconds, are the result: the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row  # noqa: E402


def all_rows() -> list[Row]:
    rows: list[Row] = []
    for path in sorted(Path(__file__).resolve().parent.glob("rows_*.py")):
        rows += importlib.import_module(path.stem).ROWS
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds per row (default 15)")
    parser.add_argument("--runs", type=int, default=1, help="measure every row this many times and show the spread")
    parser.add_argument("--only", nargs="*", default=None, metavar="KEY", help="run only these rows")
    args = parser.parse_args()
    rows = [r for r in all_rows() if args.only is None or r.key in args.only]
    medians: dict[str, list[float]] = {r.key: [] for r in rows}
    print(f"{'measure':<72} {'ours':>10} {'baseline':>10} {'ratio':>7} {'goal':>6}")
    for run in range(args.runs):
        if args.runs > 1:
            print(f"run {run + 1} of {args.runs}")
        for row in rows:
            gc.collect()
            gc.freeze()
            m = row.run(args.rounds if row.unit == "us" else max(5, args.rounds // 2))
            scale = {"us": 1e6, "ms": 1e3}.get(row.unit, 1.0)
            ours, base = statistics.median(m.ours) * scale, statistics.median(m.base) * scale
            medians[row.key].append(m.ratio)
            goal = "" if row.goal is None else f"{row.goal:>5.1f}x {'ok' if m.ratio <= row.goal else 'MISSED'}"
            print(f"{row.label:<72} {ours:>8.2f}{row.unit} {base:>8.2f}{row.unit} {m.ratio:>6.2f}x {goal}")
    goals = [r for r in rows if r.goal is not None]
    met = sum(1 for r in goals if statistics.median(medians[r.key]) <= r.goal)  # type: ignore[operator]
    if args.runs > 1:
        print("\nspread of the median ratio over the runs:")
        for r in rows:
            values = medians[r.key]
            goal = "no goal" if r.goal is None else f"goal {r.goal:.1f}x"
            print(f"  {r.key:<28} median {statistics.median(values):.2f}x, "
                  f"min {min(values):.2f}x, max {max(values):.2f}x ({goal})")
    print(f"{met} of {len(goals)} goals met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
