"""Conditions in plain words mean what the conditions mean, case by case (checked by brute force).

Every bundled condition is compared with a plain evaluator of the parsed condition on every
complete case of the facts it reads; random conditions are compared with what ``decide`` says.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lif_rules
from lif_rules.core import expr
from lif_rules.core.compiled import CompiledPack, Fact
from lif_rules.views.conditions import Clause, clause_of
from reference import facts_named
from reference import holds as evaluate  # the condition on one complete case, read straight from its tree
from viewkit import PACKS


def holds(clause: Clause, case: Mapping[str, Any], definitions: Mapping[str, str]) -> bool:
    """What a reader of the words concludes for one complete case."""
    if clause.kind == "all":
        return all(holds(p, case, definitions) for p in clause.parts)
    if clause.kind == "any":
        return any(holds(p, case, definitions) for p in clause.parts)
    if clause.kind == "fact":
        return case[clause.subject] in clause.allowed
    if clause.kind == "definition":
        return evaluate(expr.parse(definitions[clause.subject]), case, definitions) == clause.holds
    return clause.holds


def cases(pack: CompiledPack, condition: str, definitions: Mapping[str, str]) -> Iterator[dict[str, Any]]:
    """Every complete case of the facts a condition reads."""
    facts = {f.name: f for f in pack.facts}
    read = sorted(facts_named(expr.parse(condition), definitions))
    for combo in itertools.product(*(facts[n].values for n in read)):
        yield dict(zip(read, combo))


def definitions_of(pack: CompiledPack) -> dict[str, str]:
    return {name: d.condition.text for name, d in pack.definitions.items()}


@pytest.mark.parametrize("pid", sorted(PACKS))
def test_every_bundled_condition_reads_as_it_is_written(pid: str) -> None:
    pack = PACKS[pid].compiled
    definitions = definitions_of(pack)
    written = [rule.condition.text for review in pack.reviews.values() for rule in review.rules] \
        + [n.condition.text for n in pack.notifications.values()] + list(definitions.values())
    facts = {f.name: f for f in pack.facts}
    for condition in written:
        clause = clause_of(condition, facts)
        for case in cases(pack, condition, definitions):
            assert holds(clause, case, definitions) == evaluate(expr.parse(condition), case, definitions), \
                (condition, case)


TINY = """\
pack: tiny
document: {title: T, short_title: T, publisher: P, source: s.txt, in_force: {}, regime: [care_act_2014]}
facts:
  a: {type: bool, description: the first thing happened}
  b: {type: bool, description: the second thing happened}
  kind: {type: enum, values: [x, y, z, w], description: which kind}
definitions:
  d: {when: a and kind != z, citation: c}
  e: {when: not d or b, citation: c}
reviews:
  r:
    name: R
    legal_basis: non_statutory
    decided_by: someone
    citation: c
    rules:
      - {id: only, when: "CONDITION", status: required, citation: c}
"""

_LEAVES = ["a", "b", "d", "e", "true", "false", "a == true", "a != true", "b == false", "a in [true]",
           "b not in [false]", "a in [true, false]", "kind == x", "kind != y", "kind in [x, z]", "kind not in [w]",
           "kind in [x, y, z]", "kind not in [x, y, z, w]", "kind in [w, x, y, z]"]
conditions_text = st.recursive(
    st.sampled_from(_LEAVES),
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"({a} and {b})", inner, inner),
        st.builds(lambda a, b: f"({a} or {b})", inner, inner),
        st.builds(lambda a: f"not ({a})", inner),
        st.builds(lambda a, b, c: f"{a} and {b} or not {c}", inner, inner, inner),
    ),
    max_leaves=8,
)


@given(conditions_text)
def test_any_condition_reads_as_decide_decides_it(condition: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tiny.yaml"
        path.write_text(TINY.replace("CONDITION", condition), encoding="utf-8")
        pack = lif_rules.load_pack(path)
    definitions = definitions_of(pack.compiled)
    clause = clause_of(condition, {f.name: f for f in pack.compiled.facts})
    for case in itertools.product((True, False), (True, False), ("x", "y", "z", "w")):
        facts = dict(zip(("a", "b", "kind"), case))
        required = pack.decide(facts, review="r").outcomes["r"].status == "required"
        assert holds(clause, facts, definitions) == required, facts
        assert evaluate(expr.parse(condition), facts, definitions) == required, facts  # the evaluator is right too


def words(clause: Clause) -> Any:
    """A clause as nested lists of its leaves' words, for exact comparisons."""
    if clause.kind in ("all", "any"):
        return [clause.kind, [words(p) for p in clause.parts]]
    return clause.text


NATIONAL = {f.name: f for f in PACKS["dudley"].compiled.facts}
SERIOUS_HARM = NATIONAL["seriously_harmed"].description


@pytest.mark.parametrize(("condition", "expected"), [
    ("subject == child and abuse_or_neglect_known_or_suspected and (died or seriously_harmed)",
     ["all", ["subject is child", "the case meets the definition “abuse or neglect known or suspected”",
              ["any", ["the subject has died", SERIOUS_HARM]]]]),
    ("not (died or seriously_harmed)",
     ["all", ["it is not the case that the subject has died", f"it is not the case that {SERIOUS_HARM}"]]),
    ("not (died and sar_duty)",
     ["any", ["it is not the case that the subject has died", "the case does not meet the definition “sar duty”"]]),
    ("abuse_or_neglect != not_suspected", "abuse or neglect is known or suspected"),
    ("abuse_or_neglect not in [known, suspected]", "abuse or neglect is not suspected"),
    ("not subject in [adult]", "subject is child"),
    ("died == false", "it is not the case that the subject has died"),
    ("(died and looked_after) and (subject == child)",
     ["all", ["the subject has died", "the child was looked after by a local authority", "subject is child"]]),
    ("true", "in every case"),
    ("not true", "in no case"),
    ("abuse_or_neglect in [known, suspected, not_suspected]", "in every case (whatever the abuse or neglect)"),
])
def test_words(condition: str, expected: Any) -> None:
    assert words(clause_of(condition, NATIONAL)) == expected


def test_more_than_two_of_many_values_are_said_by_the_one_left_out() -> None:
    kind = {"kind": Fact("kind", "enum", ("x", "y", "z", "w"), "which kind")}
    assert clause_of("kind != w", kind).text == "kind is not w"
    assert clause_of("kind in [x, y]", kind).text == "kind is x or y"
    assert clause_of("kind not in [x, y]", kind).text == "kind is z or w"
    assert clause_of("kind == x or kind == y or kind == z", kind).parts[2].text == "kind is z"


def test_many_values_left_out_read_as_neither_nor_without_a_double_negative() -> None:
    kind = {"kind": Fact("kind", "enum", ("a", "b", "c", "d", "e"), "which kind")}
    assert clause_of("kind in [a, b, c]", kind).text == "kind is neither d nor e"  # not "is not neither d nor e"
    assert clause_of("kind not in [d, e]", kind).text == "kind is neither d nor e"
    assert clause_of("kind != e", kind).text == "kind is not e"
    six = {"kind": Fact("kind", "enum", ("a", "b", "c", "d", "e", "f"), "which kind")}
    assert clause_of("kind in [a, b, c, d]", six).text == "kind is neither e nor f"
    seven = {"kind": Fact("kind", "enum", ("a", "b", "c", "d", "e", "f", "g"), "which kind")}
    assert clause_of("kind in [a, b, c, d]", seven).text == "kind is neither e, f nor g"


@pytest.mark.parametrize(("condition", "message"), [
    ("died and", "condition 'died and' does not parse: expected a fact name, a definition, 'not' or '(', "
                 "found the end of the condition"),
    ("colour == red", "'colour' is not a fact of this pack"),
    ("subject == robot", "fact 'subject' cannot be robot"),
])
def test_conditions_a_loaded_pack_never_has_are_value_errors(condition: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        clause_of(condition, NATIONAL)
    assert str(info.value) == message
