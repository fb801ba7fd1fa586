"""The fast path (generated facts reader, memoised decisions) agrees with straightforward evaluation.

The reference here reads the compiled rules directly: for each review it enumerates every
completion of the unknown facts and applies the rules in order, with no memo and no reader.
"""

from __future__ import annotations

import itertools
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lif_rules
from lif_rules import strategies

PACKS = {pid: lif_rules.load_pack(pid) for pid in lif_rules.available_packs()}


def reference(pack: lif_rules.PolicyPack, facts: dict[str, Any], review_id: str) -> tuple[str, list[str]]:
    """Status and missing facts of one review, by enumeration over the compiled rules."""
    compiled = pack.compiled
    review = compiled.reviews[review_id]
    index = compiled.fact_index
    reads = sorted({i for rule in review.rules for i in rule.condition.reads})
    unknown = [i for i in reads if compiled.facts[i].name not in facts]

    def status(full: tuple[Any, ...]) -> str:
        for rule in review.rules:
            if rule.condition.test(full):
                return rule.status
        return review.otherwise

    base = [None] * len(compiled.facts)
    for name, value in facts.items():
        base[index[name]] = value
    statuses: dict[tuple[Any, ...], str] = {}
    for combo in itertools.product(*(compiled.facts[i].values for i in unknown)):
        full = list(base)
        for i, v in zip(unknown, combo):
            full[i] = v
        statuses[combo] = status(tuple(full))
    if len(set(statuses.values())) <= 1:
        return next(iter(statuses.values())), []
    missing = []
    for pos, i in enumerate(unknown):
        if any(statuses[a] != statuses[b] for a in statuses for b in statuses
               if all(x == y for k, (x, y) in enumerate(zip(a, b)) if k != pos) and a[pos] != b[pos]):
            missing.append(compiled.facts[i].name)
    return "undetermined", missing


@pytest.mark.parametrize("pack_id", sorted(PACKS))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_fast_path_agrees_with_straightforward_evaluation(pack_id: str, data: st.DataObject) -> None:
    pack = PACKS[pack_id]
    compiled = pack.compiled
    small = [f.name for f in compiled.facts if f.name in {
        n for r in compiled.reviews.values() for rule in r.rules for n in
        (compiled.facts[i].name for i in rule.condition.reads)}]
    facts = data.draw(strategies.facts(pack, include=small or None), label="facts")
    review_id = data.draw(st.sampled_from(pack.reviews), label="review")
    want = reference(pack, facts, review_id)
    for _ in range(2):  # the second call is answered from the memo
        got = pack.decide(facts).outcomes[review_id]
        assert (got.status, list(got.missing)) == want
        one = pack.decide(facts, review=review_id).outcomes[review_id]
        assert (one.status, list(one.missing)) == want


@pytest.mark.parametrize("pack_id", sorted(PACKS))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_other_mappings_take_the_checked_path_to_the_same_decision(pack_id: str, data: st.DataObject) -> None:
    pack = PACKS[pack_id]
    facts = data.draw(strategies.facts(pack), label="facts")
    fast = pack.decide(facts)
    slow = pack.decide(MappingProxyType(facts))  # not a dict: read by the FactChecker
    assert fast.model_dump(mode="json") == slow.model_dump(mode="json")
