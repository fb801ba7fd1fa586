"""Reduced ordered multi-valued decision diagrams over a pack's facts (the compiled form of conditions).

A node tests one fact and has one child per value of that fact; leaves hold a value (``True`` /
``False`` for a condition, a status for a review). Facts are tested in the pack's fact order, and
nodes are unique (no two nodes test the same fact with the same children) and reduced (no node has
all its children equal), so two conditions that hold for the same cases are the same node, and the
facts a diagram tests are exactly the facts its value depends on.

Each node also records which facts appear below it and which leaves it can reach, as bit masks, so
questions about a partial case (which outcomes are still possible, which unknown facts could change
it) cost the size of the part of the diagram that mixes known and unknown facts, never an
enumeration of the unknown facts' values.

A ``Diagrams`` is built while a pack compiles and never changes afterwards: restricting it by a
partial case builds the few new nodes it needs in a table of its own, so any number of threads can
use it at once.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

__all__ = ["Diagrams", "DiagramTooLarge", "Restriction", "bits"]


class DiagramTooLarge(Exception):
    """Building a diagram needed more nodes or steps than its budget allows."""


class Diagrams:
    """A table of diagram nodes over facts with the given domain sizes (node ids are ints)."""

    def __init__(self, domains: Sequence[Sequence[Hashable]]):
        self.width = len(domains)
        self.domains: tuple[tuple[Hashable, ...], ...] = tuple(tuple(d) for d in domains)
        # value -> child position, per fact; bools are keyed by identity-safe values (True, False)
        self.position: tuple[Mapping[Hashable, int], ...] = tuple({v: k for k, v in enumerate(d)} for d in self.domains)
        self.var: list[int] = []
        self.kids: list[tuple[int, ...]] = []
        self.mask: list[int] = []  # facts tested at or below the node
        self.leaves: list[int] = []  # leaves reachable from the node, one bit per leaf
        self.unique: dict[tuple[int, tuple[int, ...]], int] = {}
        self.leaf_values: list[Hashable] = []  # by leaf number
        self._leaf_nodes: dict[Hashable, int] = {}
        self.budget = 0  # nodes that may still be made before DiagramTooLarge (0: no limit)
        self.steps = 0  # operations left before DiagramTooLarge (0: no limit)
        self.false = self.leaf(False)
        self.true = self.leaf(True)

    def __len__(self) -> int:
        return len(self.var)

    def copy(self) -> Diagrams:
        """A copy to build new nodes in (analyses), leaving this table as it is for everyone else."""
        other = Diagrams.__new__(Diagrams)
        other.width, other.domains, other.position = self.width, self.domains, self.position
        other.var, other.kids, other.mask, other.leaves = list(self.var), list(self.kids), list(self.mask), list(self.leaves)
        other.unique, other.leaf_values, other._leaf_nodes = dict(self.unique), list(self.leaf_values), dict(self._leaf_nodes)
        other.budget = other.steps = 0
        other.false, other.true = self.false, self.true
        return other

    # -- building ---------------------------------------------------------------------------------
    def leaf(self, value: Hashable) -> int:
        """The leaf node holding ``value``."""
        node = self._leaf_nodes.get(value)
        if node is None:
            node = len(self.var)
            self.var.append(self.width)
            self.kids.append(())
            self.mask.append(0)
            self.leaves.append(1 << len(self.leaf_values))
            self.leaf_values.append(value)
            self._leaf_nodes[value] = node
        return node

    def value(self, node: int) -> Hashable:
        """The value of a leaf node."""
        return self.leaf_values[self.leaves[node].bit_length() - 1]

    def is_leaf(self, node: int) -> bool:
        return self.var[node] == self.width

    def node(self, var: int, kids: tuple[int, ...]) -> int:
        """The unique reduced node testing fact ``var`` with these children."""
        first = kids[0]
        if kids.count(first) == len(kids):
            return first
        key = (var, kids)
        found = self.unique.get(key)
        if found is not None:
            return found
        if self.budget:
            self.budget -= 1
            if not self.budget:
                raise DiagramTooLarge
        node = len(self.var)
        mask = 1 << var
        leaves = 0
        for k in kids:
            mask |= self.mask[k]
            leaves |= self.leaves[k]
        self.var.append(var)
        self.kids.append(kids)
        self.mask.append(mask)
        self.leaves.append(leaves)
        self.unique[key] = node
        return node

    def literal(self, var: int, allowed: Sequence[Hashable]) -> int:
        """The condition "fact ``var`` has one of the values ``allowed``"."""
        wanted = set(allowed)
        return self.node(var, tuple(self.true if v in wanted else self.false for v in self.domains[var]))

    def negate(self, f: int) -> int:
        """The condition that holds exactly when ``f`` does not."""
        return self.apply(f, self.false, _negation(self.true, self.false))

    def conjoin(self, f: int, g: int) -> int:
        return self.apply(f, g, _conjunction(self.true, self.false))

    def disjoin(self, f: int, g: int) -> int:
        # "or" is "and" with the roles of true and false swapped
        return self.apply(f, g, _conjunction(self.false, self.true))

    def first_match(self, rules: Sequence[tuple[int, int]], otherwise: int) -> int:
        """The diagram of an ordered rule list: the leaf of the first condition that holds, else ``otherwise``.

        Args:
            rules: ``(condition, leaf)`` pairs, first rule first.
            otherwise: the leaf when no condition holds.
        """
        result = otherwise
        for condition, leaf in reversed(rules):
            result = self.apply(condition, result, _choice(self.true, self.false, leaf))
        return result

    def apply(self, f: int, g: int, op: Callable[[int, int], int | None]) -> int:
        """Combine two diagrams fact by fact; ``op`` decides a pair when it can (else ``None``)."""
        memo: dict[tuple[int, int], int] = {}
        var, kids, width = self.var, self.kids, self.width

        def go(a: int, b: int) -> int:
            done = op(a, b)
            if done is not None:
                return done
            key = (a, b)
            found = memo.get(key)
            if found is not None:
                return found
            if self.steps:
                self.steps -= 1
                if not self.steps:
                    raise DiagramTooLarge
            va, vb = var[a], var[b]
            v = va if va < vb else vb
            if v == width:  # two leaves that op left undecided: not a valid op
                raise ValueError("apply: the operation must decide every pair of leaves")
            ka = kids[a] if va == v else (a,) * len(self.domains[v])
            kb = kids[b] if vb == v else (b,) * len(self.domains[v])
            result = self.node(v, tuple([go(x, y) for x, y in zip(ka, kb)]))
            memo[key] = result
            return result

        return go(f, g)

    # -- questions about complete and partial cases -----------------------------------------------
    def walk(self, node: int, values: Sequence[Any]) -> int:
        """The leaf reached by following the case's values (every fact the diagram tests must be known)."""
        var, kids, position, width = self.var, self.kids, self.position, self.width
        v = var[node]
        while v != width:
            node = kids[node][position[v][values[v]]]
            v = var[node]
        return node

    def support(self, node: int) -> list[int]:
        """The facts (indices, in order) a diagram tests, i.e. the facts its value depends on."""
        return bits(self.mask[node])

    def example(self, node: int, leaf: int) -> dict[int, Hashable] | None:
        """One assignment of the facts on a path from ``node`` to ``leaf`` (``None`` when it cannot be reached).

        Facts the path does not test are left out: any value of theirs gives the same leaf.
        """
        bit = self.leaves[leaf]
        if not self.leaves[node] & bit:
            return None
        out: dict[int, Hashable] = {}
        while node != leaf:
            v = self.var[node]
            for k, child in enumerate(self.kids[node]):
                if self.leaves[child] & bit:
                    out[v] = self.domains[v][k]
                    node = child
                    break
        return out


class Restriction:
    """A diagram's nodes restricted by a partial case: new nodes go to a table of this object's own.

    Node ids below ``len(diagrams)`` are the shared diagram's; larger ids are this restriction's.
    Each restricted node is still unique and reduced across both tables, so its mask is exactly the
    unknown facts its value depends on and its leaves exactly the values still possible.
    """

    __slots__ = ("d", "values", "known", "unknown", "base", "var", "kids", "mask", "leaves", "unique", "memo")

    def __init__(self, diagrams: Diagrams, values: Sequence[Any], unknown: int):
        self.d = diagrams
        self.values = values
        self.unknown = unknown
        self.known = ((1 << diagrams.width) - 1) & ~unknown
        self.base = len(diagrams)
        self.var: list[int] = []
        self.kids: list[tuple[int, ...]] = []
        self.mask: list[int] = []
        self.leaves: list[int] = []
        self.unique: dict[tuple[int, tuple[int, ...]], int] = {}
        self.memo: dict[int, int] = {}

    def mask_of(self, node: int) -> int:
        return self.d.mask[node] if node < self.base else self.mask[node - self.base]

    def leaves_of(self, node: int) -> int:
        return self.d.leaves[node] if node < self.base else self.leaves[node - self.base]

    def restrict(self, node: int) -> int:
        """``node`` with every known fact replaced by its value."""
        d = self.d
        mask = d.mask[node]
        if not mask & self.known:
            return node
        if not mask & self.unknown:
            return d.walk(node, self.values)
        found = self.memo.get(node)
        if found is not None:
            return found
        v = d.var[node]
        if self.known >> v & 1:
            result = self.restrict(d.kids[node][d.position[v][self.values[v]]])
        else:
            result = self._node(v, tuple([self.restrict(k) for k in d.kids[node]]))
        self.memo[node] = result
        return result

    def _node(self, var: int, kids: tuple[int, ...]) -> int:
        first = kids[0]
        if kids.count(first) == len(kids):
            return first
        key = (var, kids)
        found = self.d.unique.get(key)
        if found is not None:
            return found
        found = self.unique.get(key)
        if found is not None:
            return found
        mask = 1 << var
        leaves = 0
        for k in kids:
            mask |= self.mask_of(k)
            leaves |= self.leaves_of(k)
        node = self.base + len(self.var)
        self.var.append(var)
        self.kids.append(kids)
        self.mask.append(mask)
        self.leaves.append(leaves)
        self.unique[key] = node
        return node


def bits(mask: int) -> list[int]:
    """The positions of the set bits of ``mask``, lowest first (the facts a mask names, in order)."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def _negation(true: int, false: int) -> Callable[[int, int], int | None]:
    def op(a: int, _b: int) -> int | None:
        if a == true:
            return false
        if a == false:
            return true
        return None
    return op


def _conjunction(true: int, false: int) -> Callable[[int, int], int | None]:
    """``a and b``; with ``true`` and ``false`` swapped, ``a or b``."""
    def op(a: int, b: int) -> int | None:
        if a == false or b == false:
            return false
        if a == true:
            return b
        if b == true or a == b:
            return a
        return None
    return op


def _choice(true: int, false: int, leaf: int) -> Callable[[int, int], int | None]:
    """``if a then leaf else b``, for a condition ``a`` and any diagram ``b``."""
    def op(a: int, b: int) -> int | None:
        if a == true:
            return leaf
        if a == false:
            return b
        return None
    return op
