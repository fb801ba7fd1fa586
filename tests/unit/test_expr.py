"""Conditions: the parser's trees, precedence, and syntax errors at the offset of the offending token."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lif_rules.core.expr import (MAX_LENGTH, MAX_NESTING, And, Compare, ConditionSyntaxError, Const, Member, Name, Not,
                                 Or, mixed_and_or, parse)


def test_a_name() -> None:
    assert parse("died") == Name(0, "died")


def test_constants() -> None:
    assert parse("true") == Const(0, True)
    assert parse(" false ") == Const(1, False)


def test_not_binds_tighter_than_and_which_binds_tighter_than_or() -> None:
    assert parse("a or b and not c") == Or(0, (Name(0, "a"), And(5, (Name(5, "b"), Not(11, Name(15, "c"))))))


def test_not_applies_to_the_next_operand_only() -> None:
    assert parse("not a and b") == And(0, (Not(0, Name(4, "a")), Name(10, "b")))


def test_and_or_chains_are_flat() -> None:
    assert parse("a and b and c") == And(0, (Name(0, "a"), Name(6, "b"), Name(12, "c")))
    assert parse("a or b or c") == Or(0, (Name(0, "a"), Name(5, "b"), Name(10, "c")))


def test_parentheses_group() -> None:
    assert parse("(a or b) and c") == And(1, (Or(1, (Name(1, "a"), Name(6, "b"))), Name(13, "c")))
    assert parse("not (a or b)") == Not(0, Or(5, (Name(5, "a"), Name(10, "b"))))


def test_equality_and_inequality() -> None:
    assert parse("subject == child") == Compare(0, "subject", "==", "child", 11)
    assert parse("died != true") == Compare(0, "died", "!=", True, 8)
    assert parse("died==false") == Compare(0, "died", "==", False, 6)


def test_membership() -> None:
    assert parse("abuse_or_neglect in [known, suspected]") == Member(
        0, "abuse_or_neglect", ("known", "suspected"), (21, 28), False
    )
    assert parse("x not in [p]") == Member(0, "x", ("p",), (10,), True)
    assert parse("x in [p]or y") == Or(0, (Member(0, "x", ("p",), (6,), False), Name(11, "y")))


def test_whitespace_and_newlines_are_insignificant() -> None:
    assert parse("\n  died\n  and\tx\n") == And(3, (Name(3, "died"), Name(14, "x")))


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        ("subject == child and and died", "expected a fact name, a definition, 'not' or '(', found 'and'", 21),
        ("a and or b", "expected a fact name, a definition, 'not' or '(', found 'or'", 6),
        ("", "expected a fact name, a definition, 'not' or '(', found the end of the condition", 0),
        ("   ", "expected a fact name, a definition, 'not' or '(', found the end of the condition", 3),
        ("(died", "expected ')', found the end of the condition", 5),
        ("(died or harmed", "expected ')', found the end of the condition", 15),
        ("died)", "expected 'and', 'or' or the end of the condition, found ')'", 4),
        ("died harmed", "expected 'and', 'or' or the end of the condition, found 'harmed'", 5),
        ("died AND harmed", "write 'and' in lowercase: the words of conditions are and, or, not, in, true, false", 5),
        ("NOT died", "write 'not' in lowercase: the words of conditions are and, or, not, in, true, false", 0),
        ("a Or b", "write 'or' in lowercase: the words of conditions are and, or, not, in, true, false", 2),
        ("died == TRUE", "write 'true' in lowercase: the words of conditions are and, or, not, in, true, false", 8),
        ("died is true", "conditions compare with '==' (and '!=' for 'is not'), not 'is': write died == true", 5),
        ("subject is not adult", "conditions compare with '==' (and '!=' for 'is not'), not 'is': write subject != adult",
         8),
        ("x not p", "expected 'and', 'or' or the end of the condition, found 'not'", 2),
        ("x in p", "expected '[' to start a list of values, found 'p'", 5),
        ("x in [p q]", "expected ',' or ']', found 'q'", 8),
        ("x in [p,]", "expected a value, found ']'", 8),
        ("x in []", "expected a value, found ']'", 6),
        ("x == ", "expected a value, found the end of the condition", 4),
        ("x == (y)", "expected a value, found '('", 5),
        ("died && harmed", "unexpected character '&' (use 'and', 'or', 'not')", 5),
        ("died || harmed", "unexpected character '|' (use 'and', 'or', 'not')", 5),
        ("!died", "unexpected character '!' (use 'and', 'or', 'not')", 0),
        ("subject = child", "unexpected character '=' (use '==')", 8),
        ("1 == x", "unexpected character '1'", 0),
        ("x == 'child'", "values are written without quotes: write child, not 'child'", 5),
        ('subject == "child"', 'values are written without quotes: write child, not "child"', 11),
        ('x in [a, "b c"]', "values are written without quotes (e.g. subject == child)", 9),
    ],
)
def test_syntax_errors_carry_the_offset_of_the_offending_token(text: str, message: str, offset: int) -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse(text)
    assert (info.value.message, info.value.offset) == (message, offset)
    assert str(info.value) == message


def test_nesting_up_to_the_limit_parses() -> None:
    depth = MAX_NESTING
    node = parse("(" * depth + "a" + ")" * depth)
    assert node == Name(depth, "a")
    node = parse("not " * depth + "a")
    for _ in range(depth):
        assert isinstance(node, Not)
        node = node.operand
    assert node == Name(4 * depth, "a")


def test_nesting_beyond_the_limit_is_refused() -> None:
    depth = MAX_NESTING + 1
    with pytest.raises(ConditionSyntaxError) as info:
        parse("(" * depth + "a" + ")" * depth)
    assert (info.value.message, info.value.offset) == (f"nested more than {MAX_NESTING} levels deep", depth)
    with pytest.raises(ConditionSyntaxError) as info:
        parse("not " * depth + "a")
    assert (info.value.message, info.value.offset) == (f"nested more than {MAX_NESTING} levels deep", 4 * depth)


def test_a_deep_chain_without_nesting_is_fine() -> None:
    node = parse(" and ".join(f"f{n}" for n in range(400)))
    assert isinstance(node, And) and len(node.operands) == 400


def test_length_limit() -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse("a" * (MAX_LENGTH + 1))
    assert (info.value.message, info.value.offset) == (
        f"condition is {MAX_LENGTH + 1} characters long; the limit is {MAX_LENGTH}", 0,
    )


WORDS = st.sampled_from(["a", "b", "died", "and", "or", "not", "in", "true", "false", "(", ")", "[", "]", ",",
                         "==", "!=", "&", " ", "\n", "x1"])


@given(st.lists(WORDS, max_size=30).map(" ".join) | st.text(max_size=60))
def test_parse_raises_nothing_but_condition_syntax_error(text: str) -> None:
    try:
        node = parse(text)
    except ConditionSyntaxError as e:
        assert 0 <= e.offset <= len(text)
    else:
        assert 0 <= node.offset < len(text)


@pytest.mark.parametrize(("text", "offset"), [
    ("a and b or c", 8), ("a or b and c", 2), ("not a and b or c", 12), ("(a or b and c) and d", 3),
    ("(a and b) or c", None), ("a or (b and c)", None), ("a and (b or c)", None), ("a or b or c", None),
    ("a and b and c", None), ("a and b or", None),  # the last does not parse: its syntax error is reported instead
])
def test_where_or_joins_an_and_without_parentheses(text: str, offset: int | None) -> None:
    assert mixed_and_or(text) == offset
