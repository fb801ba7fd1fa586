"""Exact decisions, checked against brute force for every bundled pack and every review.

For a partial case (some facts unknown) the oracle enumerates every completion of the unknown
facts and decides each complete case with ``pack.decide``:

- soundness and completeness: if every completion gives one status, the partial decision is that
  status; otherwise it is ``undetermined``;
- ``missing`` is exactly the unknown facts f for which two completions differing only in f give
  different statuses, in the pack's fact order;
- a notification is triggered iff it is triggered in every completion, possible (with the same
  kind of ``missing``) iff in some but not all, and absent otherwise;
- more facts never change an outcome that was already decided.
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lif_rules

# Completions the oracle enumerates per example; packs with many facts get partial cases with
# fewer unknowns, so every example stays cheap.
MAX_COMPLETIONS = 384

Values = tuple[Any, ...]


@functools.lru_cache(maxsize=None)
def pack_of(pack_id: str) -> lif_rules.PolicyPack:
    return lif_rules.load_pack(pack_id)


class Oracle:
    """Decides complete cases of one pack, each once."""

    def __init__(self, pack: lif_rules.PolicyPack):
        self.pack = pack
        self.names = [f.name for f in pack.compiled.facts]
        self.domains = [tuple(f.values) for f in pack.compiled.facts]
        self.reviews = list(pack.reviews)
        self.notifications = list(pack.compiled.notifications)
        self.cache: dict[Values, tuple[tuple[str, ...], frozenset[str]]] = {}

    def __call__(self, full: Values) -> tuple[tuple[str, ...], frozenset[str]]:
        hit = self.cache.get(full)
        if hit is None:
            d = self.pack.decide(dict(zip(self.names, full)))
            statuses = tuple(d.outcomes[r].status for r in self.reviews)
            assert "undetermined" not in statuses, f"a complete case is undetermined: {full}"
            assert d.possible_notifications == [], f"a complete case has possible notifications: {full}"
            hit = self.cache[full] = (statuses, frozenset(n.id for n in d.notifications))
        return hit


@functools.lru_cache(maxsize=None)
def oracle_of(pack_id: str) -> Oracle:
    return Oracle(pack_of(pack_id))


def partial_values(data: st.DataObject, oracle: Oracle) -> Values:
    """Known values for some facts, unknown (None) for others, within MAX_COMPLETIONS."""
    order = data.draw(st.permutations(range(len(oracle.names))), label="fact order")
    values: list[Any] = [None] * len(oracle.names)
    budget = MAX_COMPLETIONS
    for i in order:
        domain = oracle.domains[i]
        unknown = len(domain) <= budget and data.draw(st.booleans(), label=f"{oracle.names[i]} unknown")
        if unknown:
            budget //= len(domain)
        else:
            values[i] = data.draw(st.sampled_from(domain), label=oracle.names[i])
    return tuple(values)


def as_facts(oracle: Oracle, values: Values, data: st.DataObject) -> dict[str, Any]:
    """The case mapping: an unknown fact is left out or given as None."""
    facts: dict[str, Any] = {}
    for name, value in zip(oracle.names, values):
        if value is not None or data.draw(st.booleans(), label=f"{name} as None"):
            facts[name] = value
    return facts


class BruteForce:
    """Every completion of a partial case, decided by the oracle."""

    def __init__(self, oracle: Oracle, values: Values):
        self.oracle = oracle
        self.unknown = [i for i, v in enumerate(values) if v is None]
        self.table: dict[Values, tuple[tuple[str, ...], frozenset[str]]] = {}
        for combo in itertools.product(*(oracle.domains[i] for i in self.unknown)):
            full = list(values)
            for i, v in zip(self.unknown, combo):
                full[i] = v
            self.table[combo] = oracle(tuple(full))

    def status(self, review: int) -> str:
        seen = {statuses[review] for statuses, _ in self.table.values()}
        return seen.pop() if len(seen) == 1 else "undetermined"

    def pivotal(self, outcome: Any) -> list[str]:
        """Unknown facts f such that two completions differing only in f give different ``outcome``s."""
        names = []
        for k, i in enumerate(self.unknown):
            groups: dict[Values, set[Any]] = defaultdict(set)
            for combo, result in self.table.items():
                groups[combo[:k] + combo[k + 1:]].add(outcome(result))
            if any(len(g) > 1 for g in groups.values()):
                names.append(self.oracle.names[i])
        return names

    def notified(self, nid: str) -> str:
        seen = {nid in ids for _, ids in self.table.values()}
        return "triggered" if seen == {True} else "absent" if seen == {False} else "possible"


def check_decision(oracle: Oracle, values: Values, decision: lif_rules.Decision,
                   reviews: Sequence[str] | None = None) -> None:
    brute = BruteForce(oracle, values)
    for j, review in enumerate(oracle.reviews):
        if reviews is not None and review not in reviews:
            continue
        outcome = decision.outcomes[review]
        expected = brute.status(j)
        assert outcome.status == expected, f"{review}: {outcome.status} but brute force says {expected}"
        expected_missing = brute.pivotal(lambda r, j=j: r[0][j]) if expected == "undetermined" else []
        assert outcome.missing == expected_missing, review
    triggered = [n.id for n in decision.notifications]
    possible = {n.id: n.missing for n in decision.possible_notifications}
    for nid in oracle.notifications:
        kind = brute.notified(nid)
        assert (nid in triggered, nid in possible) == (kind == "triggered", kind == "possible"), f"{nid}: {kind}"
        if kind == "possible":
            assert possible[nid] == brute.pivotal(lambda r, nid=nid: nid in r[1]), nid


PACKS = lif_rules.available_packs()


@pytest.mark.parametrize("pack_id", PACKS)
@given(data=st.data())
def test_decisions_are_exact(pack_id: str, data: st.DataObject) -> None:
    oracle = oracle_of(pack_id)
    values = partial_values(data, oracle)
    decision = oracle.pack.decide(as_facts(oracle, values, data))
    assert list(decision.outcomes) == oracle.reviews
    check_decision(oracle, values, decision)


@pytest.mark.parametrize("pack_id", PACKS)
@given(data=st.data())
def test_deciding_one_review_is_exact_and_agrees(pack_id: str, data: st.DataObject) -> None:
    oracle = oracle_of(pack_id)
    values = partial_values(data, oracle)
    review = data.draw(st.sampled_from(oracle.reviews), label="review")
    facts = as_facts(oracle, values, data)
    decision = oracle.pack.decide(facts, review=review)
    assert list(decision.outcomes) == [review]
    check_decision(oracle, values, decision, reviews=[review])
    assert decision.outcomes[review] == oracle.pack.decide(facts).outcomes[review]


@pytest.mark.parametrize("pack_id", PACKS)
@given(data=st.data())
def test_more_facts_never_change_a_decided_outcome(pack_id: str, data: st.DataObject) -> None:
    oracle = oracle_of(pack_id)
    values = partial_values(data, oracle)
    more = list(values)
    for i, value in enumerate(values):
        if value is None and data.draw(st.booleans(), label=f"learn {oracle.names[i]}"):
            more[i] = data.draw(st.sampled_from(oracle.domains[i]), label=oracle.names[i])
    before = oracle.pack.decide(as_facts(oracle, values, data))
    after = oracle.pack.decide(as_facts(oracle, tuple(more), data))
    for review, outcome in before.outcomes.items():
        if outcome.status != "undetermined":
            assert after.outcomes[review].status == outcome.status, review
        else:
            assert set(after.outcomes[review].missing) <= set(outcome.missing), review
    after_triggered = {n.id for n in after.notifications}
    assert {n.id for n in before.notifications} <= after_triggered
    still_possible = after_triggered | {n.id for n in after.possible_notifications}
    assert still_possible <= {n.id for n in before.notifications} | {n.id for n in before.possible_notifications}


@pytest.mark.parametrize("pack_id", PACKS)
def test_nothing_known_against_brute_force(pack_id: str) -> None:
    oracle = oracle_of(pack_id)
    size = 1
    for domain in oracle.domains:
        size *= len(domain)
    if size > 20_000:
        pytest.skip(f"{size} complete cases: the random partial cases above cover this pack")
    values = (None,) * len(oracle.names)
    check_decision(oracle, values, oracle.pack.decide({}))
