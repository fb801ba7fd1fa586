"""What every benchmark row shares: interleaved timing of ours against a hand-written baseline.

A row is ``Row(key, label, goal, run)``; ``run(rounds)`` returns the per-round seconds of both
sides and their per-round ratios. Each row writes its two timing loops out by hand, the same way
for both sides: a shared helper taking a callable would add the same call overhead to both and
pull every ratio towards 1.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Measured:
    """Per-round seconds of ours and the baseline, and the per-round ratios (ours / baseline)."""

    ours: list[float]
    base: list[float]
    ratios: list[float]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    goal: float | None  # None: shown for information, with no goal
    run: Callable[[int], Measured]
    unit: str = "us"  # "us" per call, "ms" per call for whole processes, or a unit of its own (e.g. "MB")


def interleaved(ours: Callable[[], float], base: Callable[[], float], rounds: int) -> Measured:
    """Time both sides in alternating rounds, the baseline first in each, so both see the same load."""
    o, b, r = [], [], []
    for _ in range(rounds):
        t_base = base()
        t_ours = ours()
        o.append(t_ours)
        b.append(t_base)
        r.append(t_ours / t_base)
    return Measured(o, b, r)
