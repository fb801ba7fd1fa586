"""Conditions in plain words: a parsed condition → a tree of clauses a person can read.

``not`` is pushed down to the facts (``not (a and b)`` reads "any of: not a, not b"), so every
leaf says one thing about one fact, one definition, or nothing at all ("in every case"); ``and``
and ``or`` become "all of these" and "any of these". A leaf keeps what it means (the values of a
fact it allows, or whether a definition must hold), so a reading can be checked against the
compiled condition case by case.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from ..core import expr
from ..core.compiled import Condition, Fact
from .words import humanise

__all__ = ["Clause", "clause_of", "clause_of_condition"]


@dataclass(frozen=True)
class Clause:
    """One part of a condition in words.

    ``kind`` is ``all`` or ``any`` (``parts`` must all hold, or one of them), ``fact`` (the fact
    ``subject`` has one of the values in ``allowed``), ``definition`` (the named definition
    ``subject`` holds, or does not when ``holds`` is false) or ``always`` (``holds`` in every case).
    """

    kind: Literal["all", "any", "fact", "definition", "always"]
    text: str = ""
    parts: tuple[Clause, ...] = ()
    subject: str = ""
    allowed: frozenset[str | bool] = frozenset()
    holds: bool = True


def clause_of_condition(condition: Condition, facts: Mapping[str, Fact]) -> Clause:
    """The plain-words reading of a compiled condition of a pack whose facts are ``facts`` (by name).

    Read from the parse the compiler kept (``Condition.tree``), so the text is not parsed again.
    """
    return _clause(condition.tree, facts, True)


def clause_of(condition: str, facts: Mapping[str, Fact]) -> Clause:
    """The plain-words reading of a condition's text, for a pack whose facts are ``facts`` (by name).

    Raises:
        ValueError: the condition does not parse, or names a fact with a value it cannot have
            (packs are checked when loaded, so a loaded pack's conditions never do).
    """
    try:
        node = expr.parse(condition)
    except expr.ConditionSyntaxError as e:
        raise ValueError(f"condition {condition!r} does not parse: {e.message}") from None
    return _clause(node, facts, True)


def _clause(node: expr.Node, facts: Mapping[str, Fact], positive: bool) -> Clause:
    if isinstance(node, expr.Not):
        return _clause(node.operand, facts, not positive)
    if isinstance(node, (expr.And, expr.Or)):
        every = isinstance(node, expr.And) == positive  # De Morgan: not (a and b) = not a or not b
        kind: Literal["all", "any"] = "all" if every else "any"
        parts: list[Clause] = []
        for operand in node.operands:
            part = _clause(operand, facts, positive)
            parts.extend(part.parts if part.kind == kind else (part,))  # (a and b) and c reads as one list
        return Clause(kind, parts=tuple(parts))
    if isinstance(node, expr.Const):
        holds = node.value == positive
        return Clause("always", "in every case" if holds else "in no case", holds=holds)
    if isinstance(node, expr.Name):
        if node.name in facts:
            return _fact(facts[node.name], frozenset({True}), positive)
        verb = "meets" if positive else "does not meet"
        return Clause("definition", f"the case {verb} the definition “{humanise(node.name)}”", subject=node.name,
                      holds=positive)
    assert isinstance(node, (expr.Compare, expr.Member))
    fact = facts.get(node.name)
    if fact is None:
        raise ValueError(f"{node.name!r} is not a fact of this pack")
    if isinstance(node, expr.Compare):
        named, negated = frozenset({node.value}), node.op == "!="
    else:
        named, negated = frozenset(node.values), node.negated
    return _fact(fact, named, positive != negated)


def _fact(fact: Fact, named: frozenset[str | bool], positive: bool) -> Clause:
    every = frozenset(fact.values)
    if not named <= every:
        raise ValueError(f"fact {fact.name!r} cannot be {', '.join(map(str, sorted(named - every, key=str)))}")
    allowed = named if positive else every - named
    return Clause("fact", _fact_words(fact, allowed), subject=fact.name, allowed=allowed)


def _fact_words(fact: Fact, allowed: frozenset[str | bool]) -> str:
    if fact.type == "bool":
        if allowed == {True}:
            return fact.description
        if allowed == {False}:
            return f"it is not the case that {fact.description}"
        return "in no case" if not allowed else f"in every case (whether or not {fact.description})"
    values = [v for v in fact.values if v in allowed]  # the pack's order
    others = [v for v in fact.values if v not in allowed]
    name = humanise(fact.name)
    if not values:
        return "in no case"
    if not others:
        return f"in every case (whatever the {name})"
    if len(values) <= max(2, len(others)):
        return f"{name} is {_either(values, 'or')}"
    if len(others) == 1:
        return f"{name} is not {_either(others, 'or')}"
    return f"{name} is {_either(others, 'nor')}"  # "is neither d nor e": "neither" is the only "not"


def _either(values: list[str | bool], joiner: str) -> str:
    words = [humanise(str(v)) for v in values]
    if len(words) == 1:
        return words[0]
    head = ", ".join(words[:-1])
    return f"{'neither ' if joiner == 'nor' else ''}{head} {joiner} {words[-1]}"
