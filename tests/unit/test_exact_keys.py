"""Decisions are remembered under the exact bytes of a case's values: a case is checked once, however
its caller spells the same values (key order, absent or None, interned strings or not)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

import lif_rules
from lif_rules.pack import PolicyPack


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """The cases that were checked (not answered from the memo), in order."""
    seen: list[dict[str, Any]] = []
    careful = PolicyPack._decide_carefully

    def counting(self: PolicyPack, facts: Any, *args: Any) -> lif_rules.Decision:
        seen.append(dict(facts))
        return careful(self, facts, *args)

    monkeypatch.setattr(PolicyPack, "_decide_carefully", counting)
    yield seen


def fresh() -> PolicyPack:
    return lif_rules.load_pack(lif_rules.pack.bundled_dir() / "dudley.yaml")  # by path: memos of its own


CASE = {"subject": "child", "died": True, "abuse_or_neglect": "suspected", "looked_after": False}


def test_key_order_and_unknown_spelt_as_none_share_one_check(checks: list[dict[str, Any]]) -> None:
    pack = fresh()
    first = pack.decide(CASE)
    reordered = dict(reversed(list(CASE.items())))
    with_none = {**CASE, "seriously_harmed": None, "care_leaver": None}
    assert pack.decide(reordered) is first
    assert pack.decide(with_none) is first
    assert len(checks) == 1


def test_strings_from_json_and_interned_strings_are_each_checked_once(checks: list[dict[str, Any]]) -> None:
    pack = fresh()
    parsed = json.loads(json.dumps(CASE))  # strings JSON made: equal, not interned
    assert not any(sys.intern(v) is v for v in parsed.values() if isinstance(v, str))
    literal = {k: sys.intern(v) if isinstance(v, str) else v for k, v in CASE.items()}
    first = pack.decide(parsed)
    second = pack.decide(literal)
    assert second.model_dump() == first.model_dump()
    for _ in range(3):
        assert pack.decide(json.loads(json.dumps(CASE))) is first
        assert pack.decide(dict(literal)) is second
    assert len(checks) <= 2  # once for each way of holding the strings, then never again


def test_a_case_with_a_name_outside_the_catalogue_is_refused_even_when_the_rest_is_remembered() -> None:
    pack = fresh()
    complete = {name: None for name in pack.facts}
    pack.decide(complete)
    pack.decide(CASE)
    with pytest.raises(lif_rules.FactError, match="unknown fact 'dyed'"):
        pack.decide({**complete, "dyed": True})
    with pytest.raises(lif_rules.FactError, match="unknown fact 'dyed'"):
        pack.decide({**CASE, "dyed": True})
    swapped = {("dyed" if k == "died" else k): v for k, v in complete.items()}
    with pytest.raises(lif_rules.FactError, match="unknown fact 'dyed'"):
        pack.decide(swapped)  # as many names as the catalogue, one of them not in it


def test_remembered_decisions_as_of_a_date_keep_to_their_date_and_review() -> None:
    pack = fresh()
    days = [date(2017, 3, 1), date(2019, 3, 1), date(2024, 3, 1), date(2017, 3, 1)]
    cases = [CASE, {"subject": "adult", "died": True, "care_and_support_needs": True}]
    want = {(k, d, r): fresh().decide(c, review=r, as_of=d).model_dump()
            for k, c in enumerate(cases) for d in days for r in (None, "sar", "cspr")}
    for _ in range(3):  # then from the memos
        for (k, d, r), dumped in want.items():
            got = pack.decide(cases[k], review=r, as_of=d)
            assert got.as_of == d and got.model_dump() == dumped
    assert len({str(v) for v in want.values()}) > len(cases) * 3  # the dates do change the answers
