"""``diff_packs`` checked against brute force, on small random packs and edits of them.

For each review type (and duty to notify) both versions have, the oracle decides every case over
the facts either version's rules read, each fact unknown or one of the values either version allows
(a value a version does not allow is unknown to it), with ``pack.decide(case, as_of=...)`` on the
whole pack:

- the changes ``diff_packs`` reports are exactly the complete cases whose status changes, grouped by
  old and new status with the right counts, each example showing its change;
- a partial case whose status or ``missing`` facts change implies a complete case that changes, so no
  change is reported nowhere;
- reviews and notifications added and removed are those of the rules compared on each side.
"""

from __future__ import annotations

import copy
import itertools
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import lif_rules
from lif_rules.analyses.diff import diff_packs

HEAD = """\
pack: syn
document: {title: T, short_title: T, publisher: P, source: s, in_force: {from: 2017-01-01}, regime: [care_act_2014]}
"""
STATUSES = ["required", "consider", "discretionary", "not_eligible"]
DATED = [None, None, {"to": "2018-12-31"}, {"from": "2021-01-01"}]
AS_OF = [None, date(2018, 1, 1), date(2020, 1, 1), date(2022, 1, 1)]
FOLDER = Path(tempfile.mkdtemp(prefix="lif_rules_diff_props_"))
_COUNT = itertools.count()

Spec = dict[str, Any]
Fact = tuple[str, str, tuple[str, ...]]


@st.composite
def conditions(draw: st.DrawFn, facts: list[Fact], depth: int = 0) -> str:
    kind = draw(st.sampled_from(["fact"] * 3 + (["not", "and", "or"] if depth < 2 else [])))
    if kind == "not":
        return f"not ({draw(conditions(facts, depth + 1))})"
    if kind in ("and", "or"):
        return f"({draw(conditions(facts, depth + 1))}) {kind} ({draw(conditions(facts, depth + 1))})"
    name, type_, values = draw(st.sampled_from(facts))
    if type_ == "bool":
        return name
    op = draw(st.sampled_from(["==", "!=", "in"]))
    if op == "in":
        return f"{name} in [{', '.join(draw(st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True)))}]"
    return f"{name} {op} {draw(st.sampled_from(values))}"


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    facts: list[Fact] = [(f"b{i}", "bool", ()) if draw(st.booleans()) else
                         (f"e{i}", "enum", draw(st.sampled_from([("x", "y"), ("x", "y", "z")])))
                         for i in range(draw(st.integers(1, 4)))]
    reviews = {f"r{r}": [[[f"k{k}", draw(conditions(facts)), draw(st.sampled_from(STATUSES)),
                           draw(st.sampled_from(DATED))] for k in range(draw(st.integers(1, 3)))],
                         draw(st.sampled_from(STATUSES))]
               for r in range(draw(st.integers(1, 2)))}
    notifications = {f"n{n}": [draw(conditions(facts)), draw(st.sampled_from([None, 5]))]
                     for n in range(draw(st.integers(0, 2)))}
    return {"facts": facts, "reviews": reviews, "notifications": notifications}


@st.composite
def edits(draw: st.DrawFn, spec: Spec) -> Spec:
    """The spec with one or two edits a policy author makes."""
    spec = copy.deepcopy(spec)
    facts: list[Fact] = spec["facts"]
    for _ in range(draw(st.integers(1, 2))):
        edit = draw(st.sampled_from(["status", "condition", "add", "remove", "reorder", "date", "value", "fact",
                                     "notification", "otherwise", "review"]))
        rid = draw(st.sampled_from(sorted(spec["reviews"])))
        rules = spec["reviews"][rid][0]
        if edit == "status":
            draw(st.sampled_from(rules))[2] = draw(st.sampled_from(STATUSES))
        elif edit == "condition":
            draw(st.sampled_from(rules))[1] = draw(conditions(facts))
        elif edit == "add":
            rules.insert(draw(st.integers(0, len(rules))),
                         [f"k{len(rules) + 10}", draw(conditions(facts)), draw(st.sampled_from(STATUSES)), None])
        elif edit == "remove" and len(rules) > 1:
            rules.pop(draw(st.integers(0, len(rules) - 1)))
        elif edit == "reorder":
            rules[:] = draw(st.permutations(rules))
        elif edit == "date":
            draw(st.sampled_from(rules))[3] = draw(st.sampled_from(DATED))
        elif edit == "value":
            enums = [i for i, f in enumerate(facts) if f[1] == "enum" and "w" not in f[2]]
            if enums:
                i = draw(st.sampled_from(enums))
                facts[i] = (facts[i][0], "enum", facts[i][2] + ("w",))
        elif edit == "fact" and all(f[0] != "nf" for f in facts):
            facts.append(("nf", "bool", ()))
            rule = draw(st.sampled_from(rules))
            rule[1] = f"({rule[1]}) {draw(st.sampled_from(['and', 'or']))} nf"
        elif edit == "notification" and spec["notifications"]:
            spec["notifications"][draw(st.sampled_from(sorted(spec["notifications"])))][0] = draw(conditions(facts))
        elif edit == "otherwise":
            spec["reviews"][rid][1] = draw(st.sampled_from(STATUSES))
        elif edit == "review" and len(spec["reviews"]) > 1:
            spec["reviews"][f"{rid}_renamed"] = spec["reviews"].pop(rid)
    return spec


def text_of(spec: Spec) -> str:
    out = [HEAD, "facts:\n"]
    for name, type_, values in spec["facts"]:
        kind = "type: bool" if type_ == "bool" else f"type: enum, values: [{', '.join(values)}]"
        out.append(f"  {name}: {{{kind}, description: d}}\n")
    out.append("reviews:\n")
    for rid, (rules, otherwise) in spec["reviews"].items():
        out.append(f"  {rid}:\n    name: R\n    legal_basis: non_statutory\n    decided_by: x\n    citation: c\n"
                   f"    rules:\n")
        for rule_id, condition, status, dated in rules:
            in_force = "" if dated is None else f", in_force: {{{', '.join(f'{k}: {v}' for k, v in dated.items())}}}"
            out.append(f"      - {{id: {rule_id}, when: \"{condition}\", status: {status}, citation: c{in_force}}}\n")
        out.append(f"    otherwise: {otherwise}\n")
    if spec["notifications"]:
        out.append("notifications:\n")
        for nid, (condition, days) in spec["notifications"].items():
            working = "" if days is None else f", deadline_working_days: {days}"
            out.append(f"  {nid}: {{name: N, by: b, to: [t], when: \"{condition}\", deadline: d, "
                       f"citation: c{working}}}\n")
    return "".join(out)


def load(spec: Spec) -> lif_rules.PolicyPack:
    path = FOLDER / f"syn_{next(_COUNT)}.yaml"
    path.write_text(text_of(spec), encoding="utf-8")
    return lif_rules.load_pack(path)


# -- the oracle -----------------------------------------------------------------------------------

def allows(pack: lif_rules.PolicyPack, name: str, value: Any) -> bool:
    return any(f.name == name and any(type(v) is type(value) and v == value for v in f.values)
               for f in pack.compiled.facts)


def seen_by(pack: lif_rules.PolicyPack, case: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in case.items() if allows(pack, k, v)}


def values_of(name: str, *packs: lif_rules.PolicyPack) -> list[Any]:
    out: list[Any] = []
    for pack in packs:
        for f in pack.compiled.facts:
            if f.name == name:
                out += [v for v in f.values if not any(type(v) is type(w) and v == w for w in out)]
    return out


Outcome = tuple[str, tuple[str, ...]]


def review_outcome(rid: str) -> Callable[[lif_rules.PolicyPack, dict[str, Any], date | None], Outcome]:
    def outcome(pack: lif_rules.PolicyPack, case: dict[str, Any], as_of: date | None) -> Outcome:
        o = pack.decide(case, as_of=as_of).outcomes[rid]
        return o.status, tuple(o.missing)
    return outcome


def notification_outcome(nid: str) -> Callable[[lif_rules.PolicyPack, dict[str, Any], date | None], Outcome]:
    def outcome(pack: lif_rules.PolicyPack, case: dict[str, Any], as_of: date | None) -> Outcome:
        d = pack.decide(case, as_of=as_of)
        if any(n.id == nid for n in d.notifications):
            return "notified", ()
        possible = [n for n in d.possible_notifications if n.id == nid]
        return ("undetermined", tuple(possible[0].missing)) if possible else ("not notified", ())
    return outcome


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_diff_reports_exactly_the_cases_that_change(data: st.DataObject) -> None:
    spec = data.draw(specs(), label="old")
    old, new = load(spec), load(data.draw(edits(spec), label="new"))
    old_as_of, new_as_of = data.draw(st.sampled_from(AS_OF), label="old_as_of"), \
        data.draw(st.sampled_from(AS_OF), label="new_as_of")
    d = diff_packs(old, new, old_as_of=old_as_of, new_as_of=new_as_of)
    a, b = old.compiled.rules_on(old_as_of), new.compiled.rules_on(new_as_of)
    assert d.reviews_added == [r for r in b.reviews if r not in a.reviews]
    assert d.reviews_removed == [r for r in a.reviews if r not in b.reviews]
    assert d.notifications_added == [n for n in b.notifications if n not in a.notifications]
    assert d.notifications_removed == [n for n in a.notifications if n not in b.notifications]
    compared = [(rid, [old.compiled.facts[i].name for i in a.reviews[rid].reads]
                 + [new.compiled.facts[i].name for i in b.reviews[rid].reads], review_outcome(rid), d.decisions)
                for rid in a.reviews if rid in b.reviews]
    compared += [(nid, list(a.notifications[nid].condition.names) + list(b.notifications[nid].condition.names),
                  notification_outcome(nid), d.notifications) for nid in a.notifications if nid in b.notifications]
    for ident, read, outcome, reported in compared:
        names = list(dict.fromkeys(read))
        domains = [[None, *values_of(n, old, new)] for n in names]
        changed: dict[tuple[str, str], int] = {}
        partial_only = None
        for combo in itertools.product(*domains):
            case = {n: v for n, v in zip(names, combo) if v is not None}
            before = outcome(old, seen_by(old, case), old_as_of)
            after = outcome(new, seen_by(new, case), new_as_of)
            if len(case) == len(names) and before[0] != after[0]:
                changed[before[0], after[0]] = changed.get((before[0], after[0]), 0) + 1
            elif before != after:
                partial_only = partial_only or (case, before, after)
        found = [x for x in reported if x.id == ident]
        assert {(c.old, c.new): c.count for x in found for c in x.changes} == changed, ident
        assert partial_only is None or changed, (ident, partial_only)  # a change no complete case shows
        for x in found:
            assert x.total == x.cases == len(list(itertools.product(*(v[1:] for v in domains))))
            for c in x.changes:
                assert (outcome(old, seen_by(old, c.example), old_as_of)[0],
                        outcome(new, seen_by(new, c.example), new_as_of)[0]) == (c.old, c.new)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_comparing_by_cubes_gives_what_enumerating_every_case_gives(data: st.DataObject) -> None:
    """Reviews too large to enumerate are compared through their diagrams: on small packs, forced down that
    path, every count, example and order equals the enumeration's."""
    from unittest import mock

    from lif_rules.analyses import diff

    spec = data.draw(specs(), label="old")
    old, new = load(spec), load(data.draw(edits(spec), label="new"))
    old_as_of, new_as_of = data.draw(st.sampled_from(AS_OF), label="old_as_of"), \
        data.draw(st.sampled_from(AS_OF), label="new_as_of")
    enumerated = diff_packs(old, new, old_as_of=old_as_of, new_as_of=new_as_of)
    with mock.patch.object(diff, "MAX_CASES", 0):
        by_cubes = diff_packs(old, new, old_as_of=old_as_of, new_as_of=new_as_of)
    assert by_cubes == enumerated
