"""A reference evaluator for tests: conditions read straight from their parsed form, no diagrams.

Decisions in the library go through decision diagrams; these functions evaluate the same rules the
plain way (walking each condition's tree over a complete case, definitions by name), so tests can
compare the two on every completion of a partial case.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from lif_rules.core import expr
from lif_rules.core.compiled import Definition, Review, RuleSet


Definitions = Mapping[str, "Definition | expr.Node | str"]
"""Definitions by name: compiled, parsed, or as written."""


def tree_of(definition: Definition | expr.Node | str) -> expr.Node:
    if isinstance(definition, Definition):
        return definition.condition.tree
    return expr.parse(definition) if isinstance(definition, str) else definition


def holds(tree: expr.Node, case: Mapping[str, Any], definitions: Definitions) -> bool:
    """Whether a condition holds for a complete case (fact name → value)."""
    if isinstance(tree, expr.Const):
        return tree.value
    if isinstance(tree, expr.Not):
        return not holds(tree.operand, case, definitions)
    if isinstance(tree, expr.And):
        return all(holds(t, case, definitions) for t in tree.operands)
    if isinstance(tree, expr.Or):
        return any(holds(t, case, definitions) for t in tree.operands)
    if isinstance(tree, expr.Name):
        if tree.name in definitions:
            return holds(tree_of(definitions[tree.name]), case, definitions)
        return case[tree.name] is True
    if isinstance(tree, expr.Compare):
        return (case[tree.name] == tree.value) != (tree.op == "!=")
    assert isinstance(tree, expr.Member)
    return (case[tree.name] in tree.values) != tree.negated


def facts_named(tree: expr.Node, definitions: Definitions) -> set[str]:
    """Every fact a condition names, through the definitions it uses."""
    if isinstance(tree, expr.Not):
        return facts_named(tree.operand, definitions)
    if isinstance(tree, (expr.And, expr.Or)):
        return set().union(*(facts_named(t, definitions) for t in tree.operands))
    if isinstance(tree, expr.Name):
        return facts_named(tree_of(definitions[tree.name]), definitions) if tree.name in definitions else {tree.name}
    if isinstance(tree, (expr.Compare, expr.Member)):
        return {tree.name}
    return set()


def status(review: Review, case: Mapping[str, Any], definitions: Definitions) -> str:
    """The status the first rule that holds gives (else the review's default), for a complete case."""
    if not review.applies:
        return "not_eligible"
    for rule in review.rules:
        if holds(rule.condition.tree, case, definitions):
            return rule.status
    return review.otherwise


def exact(review: Review, facts: Mapping[str, Any], rules: RuleSet,
          domains: Mapping[str, tuple[Any, ...]]) -> tuple[str, list[str]]:
    """Status and missing facts of a review for a partial case, by enumerating every completion.

    ``missing`` is every unknown fact such that two completions differing only in it differ in status,
    in the order of ``domains``.
    """
    named = set().union(*(facts_named(r.condition.tree, rules.definitions) for r in review.rules)) if review.rules else set()
    unknown = [n for n in domains if n in named and facts.get(n) is None]
    statuses: dict[tuple[Any, ...], str] = {}
    for combo in itertools.product(*(domains[n] for n in unknown)):
        case = {n: facts.get(n) for n in domains} | dict(zip(unknown, combo))
        statuses[combo] = status(review, case, rules.definitions)
    if len(set(statuses.values())) <= 1:
        return next(iter(statuses.values())), []
    missing = []
    for pos, name in enumerate(unknown):
        if any(statuses[a] != statuses[a[:pos] + (v,) + a[pos + 1:]] for a in statuses for v in domains[name]):
            missing.append(name)
    return "undetermined", missing


def step_results(review: Review, facts: Mapping[str, Any], rules: RuleSet,
                 domains: Mapping[str, tuple[Any, ...]]) -> dict[str, str]:
    """Each rule's result for a partial case, and ``<review>.otherwise``'s (no rule holds), by enumeration:
    ``true`` when it holds in every completion, ``false`` in none, else ``unknown``."""
    unknown = [n for n in domains if facts.get(n) is None]
    seen: dict[str, set[bool]] = {}
    for combo in itertools.product(*(domains[n] for n in unknown)):
        case = {n: facts.get(n) for n in domains} | dict(zip(unknown, combo))
        held = [holds(r.condition.tree, case, rules.definitions) for r in review.rules]
        for rule, result in zip(review.rules, held):
            seen.setdefault(rule.id, set()).add(result)
        seen.setdefault(f"{review.id}.otherwise", set()).add(not any(held))
    return {rid: "true" if s == {True} else "false" if s == {False} else "unknown" for rid, s in seen.items()}
