"""The fast path (decisions remembered under the exact bytes of a case's values, and the generated check
of exact values) agrees with straightforward evaluation and is exactly as strict as the checker.

The reference here reads the rules' parsed conditions directly (``tests/reference.py``): for each
review it enumerates every completion of the unknown facts and applies the rules in order, with no
diagram, no memo and no generated check.
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


class _Sub(str):
    """A str subclass (as a StrEnum member is)."""


class _LooksLike:
    """Hashes and compares like a string it is not."""

    def __init__(self, text: str):
        self.text = text

    def __hash__(self) -> int:
        return hash(self.text)

    def __eq__(self, other: object) -> bool:
        return other == self.text


def _odd_values(pack: lif_rules.PolicyPack) -> st.SearchStrategy[Any]:
    words = [v for f in pack.compiled.facts for v in f.values if isinstance(v, str)] + ["yes", "True", ""]
    return st.one_of(
        st.booleans(), st.none(), st.integers(-1, 2), st.floats(allow_nan=False, width=16), st.sampled_from(words),
        st.sampled_from(words).map(_Sub), st.sampled_from(words).map(_LooksLike),
        st.sampled_from(words).map(str.encode), st.lists(st.booleans(), max_size=2))


@pytest.mark.parametrize("pack_id", sorted(PACKS))
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_the_fast_path_and_the_checker_accept_exactly_the_same_cases(pack_id: str, data: st.DataObject) -> None:
    pack = PACKS[pack_id]
    names = pack.facts + ["not_a_fact"]
    facts = data.draw(st.dictionaries(st.sampled_from(names), _odd_values(pack), max_size=5), label="facts")
    outcomes = []
    for given_facts in (dict(facts), MappingProxyType(dict(facts))):  # the generated check, then the checker
        try:
            outcomes.append(("decided", pack.decide(given_facts).model_dump(mode="json")))
        except lif_rules.FactError as e:
            outcomes.append(("refused", str(e)))
    assert outcomes[0] == outcomes[1]


OWN_MEMOS = {pid: lif_rules.load_pack(lif_rules.pack.bundled_dir() / f"{pid}.yaml") for pid in PACKS}
"""Loaded by path, so with memos of their own: no other test fills them."""


class _Int(int):
    """An int subclass, as a numpy bool or an IntEnum member behaves: equal to True or False, not a bool."""


def _look_alikes(value: Any) -> list[Any]:
    """Values equal to ``value`` (and hashed like it) that a case may not hold as they are."""
    if isinstance(value, bool):
        return [int(value), float(value), _Int(value), _LooksLike(value)]  # type: ignore[arg-type]
    return [_Sub(value), _LooksLike(value)]


@pytest.mark.parametrize("pack_id", sorted(PACKS))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_a_look_alike_of_a_remembered_case_is_checked_not_answered_from_the_memo(pack_id: str,
                                                                                 data: st.DataObject) -> None:
    pack = OWN_MEMOS[pack_id]
    facts = data.draw(strategies.facts(pack), label="facts")
    known = sorted(name for name, value in facts.items() if value is not None)
    if not known:
        return
    review = data.draw(st.sampled_from([None, *pack.reviews]), label="review")
    remembered = pack.decide(facts, review=review)
    assert pack.decide(dict(facts), review=review) is remembered  # now answered from the memo
    name = data.draw(st.sampled_from(known), label="fact")
    for odd in _look_alikes(facts[name]):
        case = {**facts, name: odd}
        try:
            want: tuple[str, Any] = ("decided", pack.decide(MappingProxyType(case), review=review).model_dump())
        except lif_rules.FactError as e:
            want = ("refused", str(e))
        try:
            got: tuple[str, Any] = ("decided", pack.decide(case, review=review).model_dump())
        except lif_rules.FactError as e:
            got = ("refused", str(e))
        assert got == want
        if isinstance(odd, _Sub):  # a str subclass is read as its text
            assert got == ("decided", remembered.model_dump())
        else:
            assert got[0] == "refused"
