"""The cases one version of a pack decides alike, as cubes: for ``diff``, exact where enumerating every case is not.

A cube allows, for each fact compared, a set of its values (``None``: any value). A version's cubes
cover every case of the facts compared exactly once, each with the status the version gives all of
its cases. They are read off the version's decision diagram: a path fixes the facts it tests and
leaves the others free. A value the version does not know (a fact it does not declare, or a value
outside its enum) is unknown to it, as ``decide`` treats it: a cube with such a value follows every
branch of that fact at once, and gives ``undetermined`` when the branches end in different statuses.
Two versions' cubes then intersect into the cases whose status changes, counted without listing them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from ..core.compiled import CompiledPack

__all__ = ["CUBE_LIMIT", "PAIR_LIMIT", "cubes_of", "changes_between"]

CUBE_LIMIT = 20_000
"""The most cubes one version's answer is split into before the comparison falls back to a sample."""
PAIR_LIMIT = 400_000
"""The most pairs of cubes two versions' answers are intersected in before falling back to a sample."""

Cube = tuple[frozenset[int] | None, ...]
"""For each fact compared, the positions (in its domain) of the values allowed, or ``None`` for any."""


def cubes_of(pack: CompiledPack, root: int, word: Callable[[Hashable], str], names: Sequence[str],
             domains: Sequence[Sequence[Any]]) -> list[tuple[Cube, str]] | None:
    """The cubes of the cases ``names`` (with ``domains``) that ``root`` of ``pack``'s diagrams decides alike,
    each with its status: ``word`` of the one leaf its cases reach, or ``undetermined``.

    ``None`` when there would be more than :data:`CUBE_LIMIT`, or the diagram tests a fact not compared.
    """
    d = pack.diagrams
    at = {name: p for p, name in enumerate(names)}
    where: dict[int, int] = {}  # the diagram's variable -> its position among the facts compared
    known: dict[int, list[frozenset[int]]] = {}  # variable -> for each value it knows, the compared values that are it
    unknown: dict[int, frozenset[int]] = {}  # variable -> the compared values it does not know
    for v, fact in enumerate(pack.facts):
        p = at.get(fact.name)
        if p is None:
            continue
        where[v] = p
        own = d.domains[v]
        matches = [frozenset(j for j, x in enumerate(domains[p]) if type(x) is type(y) and x == y) for y in own]
        known[v] = matches
        unknown[v] = frozenset(range(len(domains[p]))) - frozenset().union(*matches)
    width = d.width
    out: list[tuple[Cube, str]] = []

    def walk(nodes: frozenset[int], cube: list[frozenset[int] | None]) -> bool:
        inner = [n for n in nodes if d.var[n] != width]
        if not inner:
            leaves = {d.value(n) for n in nodes}
            out.append((tuple(cube), word(leaves.pop()) if len(leaves) == 1 else "undetermined"))
            return len(out) <= CUBE_LIMIT
        v = min(d.var[n] for n in inner)
        p = where.get(v)
        if p is None:
            return False  # a fact outside those compared: not this comparison's to split
        for k, values in enumerate(known[v]):
            if values:
                cube[p] = values
                if not walk(frozenset(d.kids[n][k] if d.var[n] == v else n for n in nodes), cube):
                    return False
        if unknown[v]:  # values this version does not know: the fact is unknown to it, every branch stays open
            cube[p] = unknown[v]
            following = frozenset(k for n in nodes for k in (d.kids[n] if d.var[n] == v else (n,)))
            if not walk(following, cube):
                return False
        cube[p] = None
        return True

    return out if walk(frozenset((root,)), [None] * len(names)) else None


def changes_between(old: list[tuple[Cube, str]], new: list[tuple[Cube, str]], sizes: Sequence[int]
                    ) -> dict[tuple[str, str], tuple[int, tuple[int, ...]]] | None:
    """For each (old status, new status) that differ: how many cases, and the first of them in enumeration order
    (as positions in each fact's domain). ``None`` when there are more than :data:`PAIR_LIMIT` pairs to intersect."""
    if len(old) * len(new) > PAIR_LIMIT:
        return None
    groups: dict[tuple[str, str], tuple[int, tuple[int, ...]]] = {}
    for a, before in old:
        for b, after in new:
            if before == after:
                continue
            count = 1
            first: list[int] = []
            for p, size in enumerate(sizes):
                x, y = a[p], b[p]
                both = y if x is None else x if y is None else x & y
                if both is None:
                    count *= size
                    first.append(0)
                elif both:
                    count *= len(both)
                    first.append(min(both))
                else:
                    break
            else:
                key = (before, after)
                seen = groups.get(key)
                example = tuple(first)
                groups[key] = (count, example) if seen is None else (seen[0] + count, min(seen[1], example))
    return groups
