"""The fast path (generated facts reader, memoised decisions) agrees with straightforward evaluation.

The reference here reads the rules' parsed conditions directly (``tests/reference.py``): for each
review it enumerates every completion of the unknown facts and applies the rules in order, with no
diagram, no memo and no reader.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lif_rules
from lif_rules import strategies

from reference import exact

PACKS = {pid: lif_rules.load_pack(pid) for pid in lif_rules.available_packs()}


def reference(pack: lif_rules.PolicyPack, facts: dict[str, Any], review_id: str) -> tuple[str, list[str]]:
    """Status and missing facts of one review, by enumeration over the rules' parsed conditions."""
    compiled = pack.compiled
    domains = {f.name: f.values for f in compiled.facts}
    return exact(compiled.reviews[review_id], facts, compiled.latest, domains)


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
