"""Conditions: the tokenizer and recursive-descent parser of eligibility conditions → AST.

Grammar (keywords are lowercase)::

    condition  := or
    or         := and ("or" and)*
    and        := unary ("and" unary)*
    unary      := "not" unary | primary
    primary    := "(" condition ")" | "true" | "false" | comparison | NAME
    comparison := NAME ("==" | "!=") value | NAME ["not"] "in" "[" value ("," value)* "]"
    value      := NAME | "true" | "false"

A bare NAME is a boolean fact or a named definition. Every node keeps the character offset of
its first token, so the compiler can point into the pack file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["KEYWORDS", "Node", "Name", "Const", "Compare", "Member", "Not", "And", "Or", "ConditionSyntaxError", "parse",
           "walk", "names"]

MAX_LENGTH = 4000
MAX_NESTING = 40

_TOKEN = re.compile(r"\s*(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>==|!=|[()\[\],])|(?P<bad>\S))")
_WORDS = ("and", "or", "not", "in", "true", "false")  # in the order messages list them
KEYWORDS = frozenset(_WORDS)


class ConditionSyntaxError(Exception):
    """A condition that does not parse; ``offset`` is the character it failed at."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True)
class Node:
    """Base of condition nodes; ``offset`` is where the node starts in the condition text."""

    offset: int


@dataclass(frozen=True)
class Const(Node):
    value: bool


@dataclass(frozen=True)
class Name(Node):
    name: str


@dataclass(frozen=True)
class Compare(Node):
    name: str
    op: str  # "==" or "!="
    value: str | bool
    value_offset: int


@dataclass(frozen=True)
class Member(Node):
    name: str
    values: tuple[str | bool, ...]
    value_offsets: tuple[int, ...]
    negated: bool


@dataclass(frozen=True)
class Not(Node):
    operand: Node


@dataclass(frozen=True)
class And(Node):
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or(Node):
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class _Tok:
    kind: str  # "name", "kw", "op", "end"
    text: str
    offset: int


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    while True:
        m = _TOKEN.match(text, pos)
        if m is None:
            out.append(_Tok("end", "", len(text.rstrip()) if text.strip() else len(text)))
            return out
        start = m.start(m.lastgroup) if m.lastgroup else m.end()
        if m.lastgroup == "bad":
            ch = m.group("bad")
            if ch in "\"'":
                raise ConditionSyntaxError(_quoted_value(text, start), start)
            hint = " (use 'and', 'or', 'not')" if ch in "&|!" else " (use '==')" if ch == "=" else ""
            raise ConditionSyntaxError(f"unexpected character {ch!r}{hint}", start)
        word = m.group(m.lastgroup or "op")
        if m.lastgroup == "name" and word != word.lower() and word.lower() in KEYWORDS:
            raise ConditionSyntaxError(f"write {word.lower()!r} in lowercase: the words of conditions are "
                                       f"{', '.join(_WORDS)}", start)
        if m.lastgroup == "name":
            out.append(_Tok("kw" if word in KEYWORDS else "name", word, start))
        else:
            out.append(_Tok("op", word, start))
        pos = m.end()



def _quoted_value(text: str, start: int) -> str:
    """A value written in quotes (``subject == "child"``): values are written bare."""
    quote = text[start]
    end = text.find(quote, start + 1)
    inner = text[start + 1: end] if end > start else ""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", inner):
        return f"values are written without quotes: write {inner}, not {quote}{inner}{quote}"
    return "values are written without quotes (e.g. subject == child)"


class _Parser:
    def __init__(self, text: str):
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0
        self.built_and = False  # whether the last conjunction() joined items with 'and' (not in parentheses)
        self.mixed: int | None = None  # where 'or' first joins an 'and' written without parentheses

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def at(self, text: str) -> bool:
        return self.tok.kind in ("kw", "op") and self.tok.text == text

    def fail(self, expected: str) -> ConditionSyntaxError:
        tok = self.tok
        if tok.kind == "name" and tok.text == "is":
            return ConditionSyntaxError(self._is_instead_of_equals(), tok.offset)
        found = "the end of the condition" if tok.kind == "end" else repr(tok.text)
        return ConditionSyntaxError(f"expected {expected}, found {found}", tok.offset)

    def _is_instead_of_equals(self) -> str:
        before = self.toks[self.i - 1] if self.i > 0 else None
        after = self.toks[self.i + 1: self.i + 3]
        negated = bool(after) and after[0].text == "not"
        value = after[1] if negated and len(after) > 1 else after[0] if after else None
        example = "subject == child"
        if before is not None and before.kind == "name" and value is not None and value.kind in ("name", "kw") \
                and value.text not in ("and", "or", "not", "in"):
            example = f"{before.text} {'!=' if negated else '=='} {value.text}"
        return f"conditions compare with '==' (and '!=' for 'is not'), not 'is': write {example}"

    def condition(self) -> Node:
        return self.disjunction()

    def disjunction(self) -> Node:
        first = self.conjunction()
        items = [first]
        mixed, joined = self.built_and, None
        while self.at("or"):
            tok = self.take()
            if joined is None:
                joined = tok.offset
            items.append(self.conjunction())
            mixed = mixed or self.built_and
        if mixed and joined is not None and self.mixed is None:
            self.mixed = joined
        return first if len(items) == 1 else Or(first.offset, tuple(items))

    def conjunction(self) -> Node:
        first = self.unary()
        items = [first]
        while self.at("and"):
            self.take()
            items.append(self.unary())
        self.built_and = len(items) > 1
        return first if len(items) == 1 else And(first.offset, tuple(items))

    def unary(self) -> Node:
        if self.at("not"):
            tok = self.take()
            return Not(tok.offset, self.nested(self.unary))
        return self.primary()

    def nested(self, parse: object) -> Node:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ConditionSyntaxError(f"nested more than {MAX_NESTING} levels deep", self.tok.offset)
        try:
            return parse()  # type: ignore[operator, no-any-return]
        finally:
            self.depth -= 1

    def primary(self) -> Node:
        tok = self.tok
        if self.at("("):
            self.take()
            inner = self.nested(self.condition)
            if not self.at(")"):
                raise self.fail("')'")
            self.take()
            return inner
        if tok.kind == "kw" and tok.text in ("true", "false"):
            self.take()
            return Const(tok.offset, tok.text == "true")
        if tok.kind != "name":
            raise self.fail("a fact name, a definition, 'not' or '('")
        self.take()
        if self.at("==") or self.at("!="):
            op = self.take().text
            value, offset = self.value()
            return Compare(tok.offset, tok.text, op, value, offset)
        negated = False
        if self.at("not") and self.toks[self.i + 1].kind == "kw" and self.toks[self.i + 1].text == "in":
            self.take()
            negated = True
        if self.at("in"):
            self.take()
            if not self.at("["):
                raise self.fail("'[' to start a list of values")
            self.take()
            values: list[str | bool] = []
            offsets: list[int] = []
            while True:
                value, offset = self.value()
                values.append(value)
                offsets.append(offset)
                if self.at(","):
                    self.take()
                    continue
                if self.at("]"):
                    self.take()
                    break
                raise self.fail("',' or ']'")
            return Member(tok.offset, tok.text, tuple(values), tuple(offsets), negated)
        if negated:
            raise self.fail("'in'")
        return Name(tok.offset, tok.text)

    def value(self) -> tuple[str | bool, int]:
        tok = self.tok
        if tok.kind == "name":
            self.take()
            return tok.text, tok.offset
        if tok.kind == "kw" and tok.text in ("true", "false"):
            self.take()
            return tok.text == "true", tok.offset
        raise self.fail("a value")


def parse(text: str) -> Node:
    """Parse a condition.

    Raises:
        ConditionSyntaxError: with the offset of the offending token.
    """
    if len(text) > MAX_LENGTH:
        raise ConditionSyntaxError(f"condition is {len(text)} characters long; the limit is {MAX_LENGTH}", 0)
    parser = _Parser(text)
    node = parser.condition()
    if parser.tok.kind != "end":
        raise parser.fail("'and', 'or' or the end of the condition")
    return node


def mixed_and_or(text: str) -> int | None:
    """Where a condition first joins with 'or' an 'and' written without parentheses (``a and b or c``), so
    that its meaning rests on 'and' binding first; ``None`` when it does not, or does not parse."""
    parser = _Parser(text)
    try:
        parser.condition()
    except (ConditionSyntaxError, RecursionError):
        return None
    return parser.mixed


def walk(tree: Node) -> Iterator[Node]:
    """Every node of a condition, each before its operands, in the order written."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Not):
            stack.append(node.operand)
        elif isinstance(node, (And, Or)):
            stack.extend(reversed(node.operands))


def names(tree: Node) -> list[str]:
    """The fact and definition names a condition uses, in the order written, each once."""
    return list(dict.fromkeys(node.name for node in walk(tree) if isinstance(node, (Name, Compare, Member))))
