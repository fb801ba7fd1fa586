"""Case files read as strictly as packs, in a case file's own words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import lif_rules
from lif_rules.core.cases import parse_case, read_case
from lif_rules.errors import FactError


@pytest.mark.parametrize("text, at", [("", "1:1"), ("  \n\n", "1:1"), ("# nothing known yet\n", "1:1"),
                                      ("---\n", "1:1"), ("null\n", "1:1"), ("\n~\n", "2:1"), ("--- null\n", "1:5")])
def test_an_empty_case_is_refused_saying_how_to_write_every_fact_unknown(text: str, at: str) -> None:
    with pytest.raises(FactError) as caught:
        parse_case(text.encode(), "case.yaml")
    assert str(caught.value) == f"case.yaml:{at}: $: the case is empty; write {{}} for a case with every fact unknown"


@pytest.mark.parametrize("text", ["{}\n", "# nothing known yet\n{}\n", "--- {}\n"])
def test_a_case_with_every_fact_unknown_is_written_as_an_empty_mapping(text: str) -> None:
    assert parse_case(text.encode(), "case.yaml").facts == {}


def test_a_second_document_is_refused_in_a_case_file_s_words() -> None:
    with pytest.raises(FactError) as caught:
        parse_case(b"subject: child\n---\ndied: true\n", "case.yaml")
    assert str(caught.value) == "case.yaml:2:1: $: a case file holds one YAML document; found a second '---'"


def test_a_case_that_repeats_a_key_is_refused_where_it_repeats() -> None:
    with pytest.raises(FactError) as caught:
        parse_case(b"died: true\ndied: false\n", "case.yaml")
    assert str(caught.value).startswith("case.yaml:2:1: ")


# -- a file named .json is strict JSON --------------------------------------------------------------

@pytest.mark.parametrize("text, problem", [
    ('{"died": True}', "1:10: $.died: invalid JSON: 'True' is not JSON: write true"),
    ('{"died": None}', "1:10: $.died: invalid JSON: 'None' is not JSON: write null"),
    ('{"died": true,}', "1:14: $.died: invalid JSON: a ',' before '}': JSON allows no comma after the last entry; "
                        "remove it"),
    ("{'died': true}", "1:2: $: invalid JSON: a string is written in double quotes in JSON, not single quotes"),
    ('{"died": true} # c', "1:16: $: invalid JSON: JSON has no comments: remove it (or write the file as YAML, "
                           "named .yaml, to keep it)"),
    ('{\n  "subject": "child", // who\n  "died": true\n}',
     "2:23: $.subject: invalid JSON: JSON has no comments: remove it (or write the file as YAML, named .yaml, to keep "
     "it)"),
    ("{died: true}", '1:2: $: invalid JSON: a key is written in double quotes in JSON: "died"'),
    ('{"subject": child}', "1:13: $.subject: invalid JSON: 'child' is not a JSON value: text is written in double "
                           'quotes ("child")'),
    ('{"died": NaN}', "1:10: $.died: invalid JSON: NaN is not a JSON value: JSON numbers are finite"),
    ('{"died": 01}', "1:10: $.died: invalid JSON: '01' is not a JSON number (written like 12, -3, 0.5 or 1e6, "
                     "without leading zeros)"),
    ('{"subject": "ch\\x41"}', "1:16: $.subject: invalid JSON: '\\x' is not an escape JSON has: write \\\" \\\\ "
                              "\\/ \\b \\f \\n \\r \\t or \\u and four hex digits"),
    ('{"subject": "\\ud83d"}', "1:13: $.subject: invalid JSON: the escape \\uD83D is half of a character (a "
                              "surrogate): write the character itself, or both halves of it"),
    ('{"died": true "subject": "child"}', "1:15: $.died: invalid JSON: expected ',' or '}' after the value, found "
                                         "'\"'"),
    ('{"died": true', "1:14: $.died: invalid JSON: the object opened with '{' at line 1, column 1 is not closed: end "
                      "it with '}'"),
    ('{"died": true}\n---\n{}', "2:1: $: invalid JSON: text after the end of the JSON value: a file holds one "
                                "value; remove the rest"),
    ('{"died": true, "died": false}', "1:16: $.died: duplicate key 'died' (first defined at line 1, column 2)"),
])
def test_a_json_case_file_is_read_as_strict_json(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "case.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FactError) as caught:
        lif_rules.load_case(path)
    assert str(caught.value) == f"{path}:{problem}"


def test_json_is_strict_only_in_a_file_named_json(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text('{"died": True} # YAML reads True as true', encoding="utf-8")
    assert lif_rules.load_case(path) == {"died": True}
    assert lif_rules.load_case(path.rename(tmp_path / "case.YAML")) == {"died": True}
    with pytest.raises(FactError, match="'True' is not JSON"):
        lif_rules.load_case(path.with_name("case.YAML").rename(tmp_path / "case.JSON"))


@pytest.mark.parametrize("facts", [
    {"subject": "child", "died": True, "abuse_or_neglect": "suspected"},
    {"subject": "adult", "died": None},
    {"subject": "child\u00e9\U0001f600"},  # accents, and a character written as two escapes
    {},
])
def test_a_json_case_file_gives_what_json_gives(tmp_path: Path, facts: dict[str, object]) -> None:
    path = tmp_path / "case.json"
    for text in (json.dumps(facts), json.dumps(facts, indent="\t"), json.dumps(facts, ensure_ascii=False) + "\r\n"):
        path.write_text(text, encoding="utf-8")
        assert lif_rules.load_case(path) == facts


def test_a_problem_in_a_json_case_file_is_located_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text('{\n  "subject": "child",\n  "died": "yes"\n}\n', encoding="utf-8")
    case = read_case(path)
    with pytest.raises(FactError) as caught:
        lif_rules.load_pack("dudley").decide(case.facts)
    assert str(case.locate(caught.value)).startswith(f"{path}:3:11: $.died: fact 'died' must be true or false")


def test_load_case_with_a_pack_locates_a_wrong_fact_as_the_command_line_does(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text("subject: child\ndied: yes\n", encoding="utf-8")
    assert lif_rules.load_case(path) == {"subject": "child", "died": "yes"}  # without a pack: its syntax only
    with pytest.raises(lif_rules.FactError) as info:
        lif_rules.load_case(path, pack=lif_rules.load_pack("dudley"))
    assert str(info.value).startswith(f"{path}:2:7: $.died: fact 'died' must be true or false")
    assert info.value.fact == "died"
    path.write_text("subject: child\ndied: true\n", encoding="utf-8")
    assert lif_rules.load_case(path, pack=lif_rules.load_pack("dudley")) == {"subject": "child", "died": True}
