"""Why not: the smallest changes of facts that would decide a review as a wanted status.

A shortest-path search over the review's decision diagram, fact by fact in the pack's order. The
state is the set of diagram nodes the case can be at: a known fact sends each node down one branch
(or, changed, down another, at a cost of one), an unknown fact left unknown sends it down every
branch, and setting it sends it down one (at a cost of one). A path is a set of changes; it is a
solution when the only node left is the wanted status, so the review is decided as wanted with the
other unknown facts still unknown. Every solution with the fewest changes is returned.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from ..core.compiled import CompiledPack, Review
from ..core.diagrams import Diagrams
from ..core.explain import show_value
from ..frozen import frozen_dict
from ..models import Counterfactual

__all__ = ["why_not", "WANTS", "MAX_STATES", "counterfactual_words"]

WANTS = ("required", "consider", "discretionary", "not_eligible")
MAX_STATES = 200_000
"""The most search states ``why_not`` explores before giving up with a ValueError."""

_Change = tuple[int, int]  # (fact index, value position)
_State = frozenset[int]


def why_not(pack: CompiledPack, values: Sequence[Any], review: Review, want: str) -> list[Counterfactual]:
    """Every smallest set of changes to checked ``values`` that decides ``review`` as ``want``.

    Raises:
        ValueError: ``want`` is not a status a review can be decided as, or the search is too large.
    """
    if want not in WANTS:
        raise ValueError(f"want must be one of: {', '.join(WANTS)}; got {want!r}")
    d = pack.diagrams
    goal = d.leaf(want) if want in d.leaf_values else None
    if goal is None or not d.leaves[review.diagram] & d.leaves[goal]:
        return []
    paths = _search(d, values, review.diagram, goal)
    return [Counterfactual.model_construct(changes=frozen_dict({pack.facts[v].name: pack.facts[v].values[k]
                                                                for v, k in changes}),
                                           status=want)  # type: ignore[arg-type]  # checked against WANTS above
            for changes in paths]


def _search(d: Diagrams, values: Sequence[Any], root: int, goal: int) -> list[tuple[_Change, ...]]:
    """All fewest-change paths from ``{root}`` to ``{goal}``, one fact at a time.

    Searched with a growing bound on the number of changes (0, 1, 2, ...): a run keeps only states
    reachable within the bound, so a case that few changes decide explores few states however many
    facts are unknown. The first bound that reaches the goal gives every path of that many changes.
    """
    explored = bound = 0
    support = d.support(root)
    final = frozenset((goal,))
    while True:  # ends by the bound of every fact changed at the latest: nothing costs more, so nothing is cut
        history, cut, explored = _bounded(d, values, root, goal, support, bound, explored)
        if final in history[-1]:
            return _paths(history, final)
        if not cut:  # nothing was left out for costing more: no number of changes reaches the goal
            return []
        bound += 1


_Layer = dict[_State, tuple[int, list[tuple["_State | None", "_Change | None"]]]]
"""A layer of the search: state -> (fewest changes to reach it, [(previous state, change or None)])."""


def _bounded(d: Diagrams, values: Sequence[Any], root: int, goal: int, support: list[int], bound: int,
             explored: int) -> tuple[list[_Layer], bool, int]:
    """The layers of the search with at most ``bound`` changes, whether any move was cut for costing more,
    and the states explored so far."""
    wanted = d.leaves[goal]  # a node that cannot reach the wanted status makes its state a dead end
    layer: _Layer = {frozenset((root,)): (0, [(None, None)])}
    history: list[_Layer] = []
    cut = False
    for v in support:
        following: _Layer = {}
        for state, (cost, _) in layer.items():
            for change, successor in _moves(d, state, v, values[v]):
                if any(not d.leaves[n] & wanted for n in successor):
                    continue  # some completion ends at another status whatever else changes
                new_cost = cost + (change is not None)
                if new_cost > bound:
                    cut = True
                    continue
                explored += 1
                if explored > MAX_STATES:
                    raise ValueError(f"why_not explored more than {MAX_STATES:,} states without finishing; "
                                     f"give more of the case's facts")
                seen = following.get(successor)
                if seen is None or new_cost < seen[0]:
                    following[successor] = (new_cost, [(state, change)])
                elif new_cost == seen[0]:
                    seen[1].append((state, change))
        history.append(layer)
        layer = following
    history.append(layer)
    return history, cut, explored


def _moves(d: Diagrams, state: _State, v: int, value: Hashable) -> list[tuple[_Change | None, _State]]:
    """The ways past fact ``v``: keep it as it is (known, or unknown), or set / change it to each other value."""
    tested = [n for n in state if d.var[n] == v]
    if not tested:
        return [(None, state)]
    rest = state.difference(tested)
    kids = d.kids
    moves: list[tuple[_Change | None, _State]] = []
    known = d.position[v].get(value) if value is not None else None
    if known is None:
        moves.append((None, rest.union(k for n in tested for k in kids[n])))
    for k in range(len(d.domains[v])):
        successor = rest.union(kids[n][k] for n in tested)
        moves.append((None if k == known else (v, k), successor))
    return moves


def _paths(history: list[_Layer], final: _State) -> list[tuple[_Change, ...]]:
    """Every path of fewest changes that reaches ``final`` in the last layer, as its changes."""
    out: list[tuple[_Change, ...]] = []
    stack: list[tuple[int, _State, tuple[_Change, ...]]] = [(len(history) - 1, final, ())]
    while stack:
        level, state, changes = stack.pop()
        if level == 0:
            out.append(tuple(sorted(changes)))
            continue
        for previous, change in history[level][state][1]:
            assert previous is not None
            stack.append((level - 1, previous, changes + ((change,) if change is not None else ())))
    return sorted(set(out))


def counterfactual_words(review: str, want: str, found: list[Counterfactual], status_now: str) -> str:
    """Plain words: ``sar would be required if died were true, or if seriously_harmed were true``."""
    if not found:
        return f"no change of facts would make {review} {want}"
    if len(found) == 1 and not found[0].changes:
        return f"{review} is already {want}" + ("" if status_now == want else f" (now {status_now})")
    options = [" and ".join(f"{name} were {show_value(value)}" for name, value in c.changes.items()) for c in found]
    return f"{review} would be {want} if " + ", or if ".join(options)
