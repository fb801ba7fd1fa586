"""Request bodies in-process: strict JSON against the standard parser, and ISO dates against the calendar."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from lif_rules.service.bodies import DecideBody, parse_json

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20)


@given(JSON)
def test_json_without_repeated_keys_parses_as_the_standard_parser_reads_it(value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert parse_json(text.encode("utf-8")) == json.loads(text)


@given(st.dictionaries(st.text(max_size=6), JSON, min_size=1, max_size=4), st.data())
def test_any_repeated_key_is_refused_and_named(obj: dict[str, Any], data: st.DataObject) -> None:
    key = data.draw(st.sampled_from(sorted(obj)))
    members = [json.dumps(k) + ":" + json.dumps(v) for k, v in obj.items()]
    members.insert(data.draw(st.integers(0, len(members))), json.dumps(key) + ": null")
    nested = data.draw(st.booleans())
    text = "{" + ",".join(members) + "}"
    with pytest.raises(json.JSONDecodeError) as info:
        parse_json(('{"facts": ' + text + "}" if nested else text).encode("utf-8"))
    assert info.value.msg == f"the key {key!r} appears twice in one object"


@given(JSON)
def test_astral_characters_escaped_as_surrogate_pairs_parse_as_themselves(value: Any) -> None:
    assert parse_json(json.dumps(value, ensure_ascii=True).encode("ascii")) == value


@given(st.text(), st.characters(categories=["Cs"]), st.text(), st.booleans())
def test_a_lone_surrogate_anywhere_in_a_string_or_key_is_refused(before: str, half: str, after: str,
                                                                 in_key: bool) -> None:
    text = before + half + after
    facts = {text: True} if in_key else {"subject": text}
    with pytest.raises(json.JSONDecodeError) as info:
        parse_json(json.dumps({"facts": facts}).encode("ascii"))
    where = "a key in facts" if in_key else "the string at facts.subject"
    assert info.value.msg.startswith(f"{where} holds \\u{ord(half):04x}, half of a surrogate pair")


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_every_real_date_is_read(d: date) -> None:
    assert DecideBody.model_validate({"facts": {}, "as_of": d.isoformat()}).as_of == d


@given(st.integers(1, 9999), st.integers(1, 12), st.integers(1, 31))
def test_a_date_is_refused_exactly_when_the_calendar_has_no_such_day(year: int, month: int, day: int) -> None:
    text = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        expected: date | None = date(year, month, day)
    except ValueError:
        expected = None
    if expected is not None:
        assert DecideBody.model_validate({"facts": {}, "as_of": text}).as_of == expected
    else:
        with pytest.raises(ValidationError, match=f"'{text}' is not a real date"):
            DecideBody.model_validate({"facts": {}, "as_of": text})
