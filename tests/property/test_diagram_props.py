"""Decision diagrams, why-not and rule analyses against brute force, on random packs.

Each example writes a pack with random facts (booleans and enums), a few random definitions and one
review whose rules are random conditions with random statuses, then checks what the library says
against plain enumeration over the rules' parsed conditions (``tests/reference.py``):

- decide: status and ``missing`` for random partial cases;
- why_not: every listed change decides the review as wanted, no smaller change does, and every
  smallest change is listed;
- analyse: each finding's example really shows what it claims, and every rule that decides nothing,
  every case no rule covers and every overlap of rules with different statuses is found.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import lif_rules
from lif_rules.core.compiled import CompiledPack

from reference import exact, holds, status, step_results

STATUSES = ["required", "consider", "discretionary", "not_eligible"]
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@st.composite
def facts(draw: st.DrawFn) -> dict[str, tuple[Any, ...]]:
    n = draw(st.integers(2, 5))
    out: dict[str, tuple[Any, ...]] = {}
    for k in range(n):
        if draw(st.booleans()):
            out[f"f{k}"] = (True, False)
        else:
            out[f"f{k}"] = tuple(f"v{j}" for j in range(draw(st.integers(2, 3))))
    return out


def condition(domains: dict[str, tuple[Any, ...]], names: list[str]) -> st.SearchStrategy[str]:
    """Random conditions in the pack language over the facts (and earlier definitions, by name)."""
    def leaf(draw: st.DrawFn) -> str:
        choice = draw(st.integers(0, 5 if names else 4))
        fact = draw(st.sampled_from(sorted(domains)))
        values = domains[fact]
        if choice == 0:
            return draw(st.sampled_from(["true", "false"]))
        if choice == 5:
            return draw(st.sampled_from(names))
        if values == (True, False):
            if choice == 1:
                return fact
            op = draw(st.sampled_from(["==", "!="]))
            return f"{fact} {op} {draw(st.sampled_from(['true', 'false']))}"
        if choice in (1, 2):
            return f"{fact} {draw(st.sampled_from(['==', '!=']))} {draw(st.sampled_from(values))}"
        chosen = draw(st.lists(st.sampled_from(values), min_size=1, max_size=len(values), unique=True))
        return f"{fact} {draw(st.sampled_from(['in', 'not in']))} [{', '.join(chosen)}]"

    leaves = st.composite(leaf)()
    return st.recursive(leaves, lambda inner: st.one_of(
        inner.map(lambda c: f"not ({c})"),
        st.tuples(inner, inner, st.sampled_from(["and", "or"])).map(lambda t: f"({t[0]}) {t[2]} ({t[1]})"),
    ), max_leaves=5)


@st.composite
def packs(draw: st.DrawFn) -> tuple[str, dict[str, tuple[Any, ...]]]:
    domains = draw(facts())
    lines = ["pack: random", "document: {title: t, short_title: t, publisher: p, source: s, in_force: {},"
             " regime: [care_act_2014]}", "facts:"]
    for name, values in domains.items():
        if values == (True, False):
            lines.append(f"  {name}: {{type: bool, description: d}}")
        else:
            lines.append(f"  {name}: {{type: enum, values: [{', '.join(values)}], description: d}}")
    names: list[str] = []
    definitions = draw(st.integers(0, 2))
    if definitions:
        lines.append("definitions:")
        for k in range(definitions):
            lines.append(f"  d{k}: {{when: '{draw(condition(domains, list(names)))}', citation: c}}")
            names.append(f"d{k}")
    lines += ["reviews:", "  r:", "    name: r", "    legal_basis: non_statutory", "    decided_by: x",
              "    citation: c", f"    otherwise: {draw(st.sampled_from(STATUSES))}", "    rules:"]
    for k in range(draw(st.integers(1, 4))):
        lines.append(f"      - {{id: rule{k}, when: '{draw(condition(domains, names))}', "
                     f"status: {draw(st.sampled_from(STATUSES))}, citation: c}}")
    return "\n".join(lines) + "\n", domains


def load(text: str, tmp_path: Path) -> lif_rules.PolicyPack:
    path = tmp_path / "random.yaml"
    path.write_text(text, encoding="utf-8")
    return lif_rules.load_pack(path)


def partial(draw: st.DrawFn, domains: dict[str, tuple[Any, ...]]) -> dict[str, Any]:
    return {name: draw(st.sampled_from(values)) for name, values in domains.items() if draw(st.booleans())}


def complete_cases(domains: dict[str, tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [dict(zip(domains, combo)) for combo in itertools.product(*domains.values())]


@SETTINGS
@given(pack=packs(), data=st.data())
def test_decisions_equal_enumeration(pack: tuple[str, dict[str, tuple[Any, ...]]], data: st.DataObject,
                                     tmp_path: Path) -> None:
    text, domains = pack
    loaded = load(text, tmp_path)
    compiled = loaded.compiled
    for _ in range(6):
        case = data.draw(st.composite(lambda draw: partial(draw, domains))(), label="case")
        outcome = loaded.decide(case).outcomes["r"]
        want = exact(compiled.reviews["r"], case, compiled.latest, domains)
        assert (outcome.status, list(outcome.missing)) == want, (text, case)


@SETTINGS
@given(pack=packs(), data=st.data())
def test_every_trace_step_says_what_enumeration_says(pack: tuple[str, dict[str, tuple[Any, ...]]],
                                                     data: st.DataObject, tmp_path: Path) -> None:
    """A step is true when it holds in every completion, false in none, else unknown; the default's step
    ("no rule above holds") too; and the trace stops at the first rule that holds in every completion."""
    text, domains = pack
    loaded = load(text, tmp_path)
    compiled = loaded.compiled
    for _ in range(6):
        case = data.draw(st.composite(lambda draw: partial(draw, domains))(), label="case")
        trace = loaded.decide(case).outcomes["r"].trace
        want = step_results(compiled.reviews["r"], case, compiled.latest, domains)
        assert {s.rule_id: s.result for s in trace} == {rid: want[rid] for rid in (s.rule_id for s in trace)}, (text, case)
        first_true = next((k for k, s in enumerate(trace) if s.result == "true"), None)
        assert first_true in (None, len(trace) - 1), (text, case)
        ids = [r.id for r in compiled.reviews["r"].rules] + ["r.otherwise"]
        assert [s.rule_id for s in trace] == ids[:len(trace)], (text, case)


def decided_as(compiled: CompiledPack, domains: dict[str, tuple[Any, ...]], case: dict[str, Any]) -> str:
    return exact(compiled.reviews["r"], case, compiled.latest, domains)[0]


@SETTINGS
@given(pack=packs(), data=st.data())
def test_why_not_lists_exactly_the_smallest_changes(pack: tuple[str, dict[str, tuple[Any, ...]]],
                                                    data: st.DataObject, tmp_path: Path) -> None:
    text, domains = pack
    loaded = load(text, tmp_path)
    compiled = loaded.compiled
    case = data.draw(st.composite(lambda draw: partial(draw, domains))(), label="case")
    want = data.draw(st.sampled_from(STATUSES), label="want")
    found = loaded.why_not(case, review="r", want=want)
    for c in found:
        assert c.status == want
        assert decided_as(compiled, domains, {**case, **c.changes}) == want, (text, case, c.changes)
        assert all(case.get(k) != v for k, v in c.changes.items())  # each change sets or changes a fact
    smallest: list[dict[str, Any]] = []
    for size in range(len(domains) + 1):
        for names in itertools.combinations(domains, size):
            for values in itertools.product(*(tuple(v for v in domains[n] if v != case.get(n)) for n in names)):
                changes = dict(zip(names, values))
                if decided_as(compiled, domains, {**case, **changes}) == want:
                    smallest.append(changes)
        if smallest:
            break
    assert sorted(map(sorted_items, (c.changes for c in found))) == sorted(map(sorted_items, smallest)), (text, case, want)


def sorted_items(changes: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((k, repr(v)) for k, v in changes.items())


@SETTINGS
@given(pack=packs())
def test_analyse_finds_exactly_what_enumeration_finds(pack: tuple[str, dict[str, tuple[Any, ...]]],
                                                       tmp_path: Path) -> None:
    text, domains = pack
    loaded = load(text, tmp_path)
    compiled = loaded.compiled
    review = compiled.reviews["r"]
    definitions = compiled.latest.definitions
    cases = complete_cases(domains)

    def holding(case: dict[str, Any]) -> list[int]:
        return [k for k, rule in enumerate(review.rules) if holds(rule.condition.tree, case, definitions)]

    deciding = {holding(c)[0] for c in cases if holding(c)}
    expected = {("unreachable_rule", review.rules[k].id) for k in range(len(review.rules)) if k not in deciding}
    if any(not holding(c) for c in cases):
        expected.add(("no_rule_holds", ""))
    for c in cases:
        h = holding(c)
        for j in h[1:]:
            if review.rules[h[0]].status != review.rules[j].status:
                expected.add(("overlap", f"{review.rules[h[0]].id},{review.rules[j].id}"))
    findings = loaded.analyse()
    got = set()
    for f in findings:
        key = f.rules[0] if f.kind == "unreachable_rule" else ",".join(f.rules)
        got.add((f.kind, key))
        example = f.example
        if f.kind == "unreachable_rule":
            rule = next(r for r in review.rules if r.id == f.rules[0])
            if example is None:
                assert not any(holds(rule.condition.tree, c, definitions) for c in cases)
            else:
                assert set(example) == set(domains)
                assert holds(rule.condition.tree, example, definitions)
                assert holding(example)[0] < review.rules.index(rule)
        elif f.kind == "no_rule_holds":
            assert example is not None and not holding(example)
            assert status(review, example, definitions) == review.otherwise
        else:
            assert example is not None
            first, second = (review.rules.index(next(r for r in review.rules if r.id == i)) for i in f.rules)
            assert holding(example)[0] == first and second in holding(example)
    assert got == expected, text


@SETTINGS
@given(pack=packs())
def test_the_diagram_is_reduced_and_tests_only_facts_that_matter(pack: tuple[str, dict[str, tuple[Any, ...]]],
                                                                 tmp_path: Path) -> None:
    text, domains = pack
    compiled = load(text, tmp_path).compiled
    review = compiled.reviews["r"]
    d = compiled.diagrams
    assume(review.rules)
    for node in range(len(d)):
        if d.is_leaf(node):
            continue
        assert len(set(d.kids[node])) > 1  # no node whose children are all the same
    cases = complete_cases(domains)
    for i in d.support(review.diagram):  # every fact the diagram tests changes some case's status
        name = compiled.facts[i].name
        assert any(status(review, c, compiled.latest.definitions)
                   != status(review, {**c, name: v}, compiled.latest.definitions)
                   for c in cases for v in domains[name])
