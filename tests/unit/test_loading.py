"""Stage 1, read: YAML 1.2 core scalars, located structural problems, limits, and positions in scalars."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import pytest
import yaml

import lif_rules
from lif_rules.core import loading
from lif_rules.errors import PackError

from pack_texts import DEMO  # tests/ is on sys.path through its conftest


def read(text: str) -> loading.Document:
    return loading.parse_text(text, "x.yaml")


def read_problems(text: str) -> list[str]:
    """The problems reading ``text`` finds, whether reading stops (raises) or steps over them."""
    try:
        doc = read(text)
    except PackError as e:
        return [str(p) for p in e.errors]
    return [str(p) for p in doc.problems]


# --- YAML 1.2 core schema ----------------------------------------------------------------------


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n", "Yes", "NO", "On", "OFF"])
def test_yaml_11_booleans_stay_strings(word: str) -> None:
    assert read(f"a: {word}\n").data == {"a": word}


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("1e3", 1000.0),
        ("-2.5E-1", -0.25),
        (".5", 0.5),
        ("1:20", "1:20"),  # YAML 1.1 read this as the sexagesimal 80
        ("2021-02-03", "2021-02-03"),  # no timestamps: dates stay strings
        ("2021-02-03T10:00:00Z", "2021-02-03T10:00:00Z"),
        ("010", 10),  # YAML 1.2 has no leading-zero octals
        ("0o17", 15),
        ("0x1F", 31),
        ("+12", 12),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("False", False),
        ("FALSE", False),
        ("tRUE", "tRUE"),  # the core schema has three spellings of each, no others
        ("Null", None),
        ("NULL", None),
        ("~", None),
        ("null", None),
        ("1_000", "1_000"),  # no underscores in YAML 1.2 numbers
        ('"yes"', "yes"),
        ("'true'", "true"),
        ("!!str 123", "123"),
        ("!!int '12'", 12),
        ("!!float 1", 1.0),
        ("!!bool true", True),
    ],
)
def test_core_schema_scalars(written: str, value: object) -> None:
    got = read(f"a: {written}\n").data["a"]
    assert got == value
    assert type(got) is type(value)


def test_empty_value_is_null_and_infinities_are_floats() -> None:
    data = read("a:\nb: .inf\nc: -.Inf\nd: .nan\n").data
    assert data["a"] is None
    assert data["b"] == math.inf and data["c"] == -math.inf and math.isnan(data["d"])


def test_explicit_core_tag_that_does_not_fit_is_reported() -> None:
    assert read_problems("a: !!int twelve\n") == ["x.yaml:1:4: $.a: 'twelve' is not a valid !!int"]


# --- duplicate keys, tags, merge keys, documents -----------------------------------------------


def test_duplicate_key_at_top_level_names_the_first_occurrence() -> None:
    assert read_problems("a: 1\nb: 2\na: 3\n") == [
        "x.yaml:3:1: $.a: duplicate key 'a' (first defined at line 1, column 1)",
    ]


def test_duplicate_key_nested_names_the_first_occurrence() -> None:
    text = "reviews:\n  sar:\n    name: SAR\n    rules: []\n    name: again\n"
    assert read_problems(text) == [
        "x.yaml:5:5: $.reviews.sar.name: duplicate key 'name' (first defined at line 3, column 5)",
    ]


def test_duplicate_key_keeps_the_first_value() -> None:
    assert read("a: 1\na: 2\n").data == {"a": 1}


def test_duplicate_keys_in_flow_mappings_and_sequences_of_mappings() -> None:
    text = "a: {x: 1, x: 2}\nb:\n  - {id: 1}\n  - id: 2\n    id: 3\n"
    assert read_problems(text) == [
        "x.yaml:1:11: $.a.x: duplicate key 'x' (first defined at line 1, column 5)",
        "x.yaml:5:5: $.b[2].id: duplicate key 'id' (first defined at line 4, column 5); if this line starts another "
        "item of the list, begin it with '- '",
    ]


def test_python_tag_never_runs_and_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "marker"
    payload = f"!!python/object/apply:os.system ['touch {marker}']"
    # the payload is live: an unsafe loader runs it
    yaml.unsafe_load(f"a: {payload}\n")
    assert marker.exists()
    marker.unlink()

    Path("x.yaml").write_text(f"pack: test\ncitation: {payload}\n", encoding="utf-8")
    with pytest.raises(PackError) as info:
        lif_rules.load_pack("x.yaml")
    assert not marker.exists()
    assert "x.yaml:2:11: $.citation: tag '!!python/object/apply:os.system' is not allowed: packs are data, " \
           "and only plain YAML values are read" in [str(p) for p in info.value.errors]


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !!python/name:os.system ''\n", "!!python/name:os.system"),
        ("a: !!python/object:collections.OrderedDict {}\n", "!!python/object:collections.OrderedDict"),
        ("a: !include other.yaml\n", "!include"),
        ("a: !!set {x, y}\n", "!!set"),
        ("a: !!timestamp 2020-01-01\n", "!!timestamp"),
        ("a: !!binary aGVsbG8=\n", "!!binary"),
    ],
)
def test_other_tags_are_refused(text: str, tag: str) -> None:
    assert read_problems(text) == [
        f"x.yaml:1:4: $.a: tag {tag!r} is not allowed: packs are data, and only plain YAML values are read",
    ]


def test_merge_keys_are_rejected() -> None:
    text = "base: &b {x: 1}\ny:\n  <<: *b\n  z: 2\n"
    assert read_problems(text) == [
        "x.yaml:3:3: $.y['<<']: merge keys ('<<') are not supported; write the entries out",
    ]


def test_a_quoted_merge_key_is_an_ordinary_key() -> None:
    assert read("'<<': 1\n").data == {"<<": 1}


def test_multiple_documents_are_rejected() -> None:
    assert read_problems("a: 1\n---\nb: 2\n") == [
        "x.yaml:2:1: $: a pack file holds one YAML document; found a second '---'",
    ]


def test_collection_as_a_key_is_rejected() -> None:
    assert read_problems("? [a, b]\n: 1\n") == ["x.yaml:1:3: $: mapping keys must be plain strings, not collections"]


def test_alias_to_an_undefined_anchor() -> None:
    assert read_problems("a: *nowhere\n") == ["x.yaml:1:4: $.a: alias '*nowhere' names no anchor defined before it"]


def test_small_aliases_are_expanded() -> None:
    assert read("a: &x [1, 2]\nb: *x\n").data == {"a": [1, 2], "b": [1, 2]}


# --- limits ------------------------------------------------------------------------------------


def billion_laughs(levels: int = 9) -> str:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_fails_fast() -> None:
    started = time.perf_counter()
    with pytest.raises(PackError) as info:
        read(billion_laughs())
    assert time.perf_counter() - started < 1.0
    # expansions so far: l1 10 x 11 nodes, l2 10 x 111; l3's 8th alias (1111 nodes) crosses 10000
    assert [str(p) for p in info.value.errors] == [
        "x.yaml:4:45: $.l3[8]: aliases expand to more than 10000 nodes; refusing to read further",
    ]


def test_alias_bomb_through_load_pack(tmp_path: Path) -> None:
    path = tmp_path / "lol.yaml"
    path.write_text(billion_laughs(), encoding="utf-8")
    with pytest.raises(PackError) as info:
        lif_rules.load_pack(path)
    assert [p.message for p in info.value.errors] == [
        "aliases expand to more than 10000 nodes; refusing to read further",
    ]


def nested(levels: int) -> str:
    """A mapping holding ``levels`` nested flow sequences: ``levels + 1`` levels in all."""
    return "a: " + "[" * levels + "]" * levels + "\n"


def test_nesting_at_the_limit_is_read() -> None:
    value = read(nested(63)).data["a"]  # the root mapping and 63 sequences: 64 levels
    depth = 0
    while value:
        value = value[0]
        depth += 1
    assert depth == 62


def test_nesting_deeper_than_64_levels_is_rejected() -> None:
    path = "$.a[1][1][1][1][1]...[1][1][1] (64 levels deep)"  # long paths are shortened
    assert read_problems(nested(64)) == [
        f"x.yaml:1:67: {path}: nested more than 64 levels deep; refusing to read further",
    ]


def test_deep_block_mappings_are_rejected() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(70)) + "  " * 70 + "v\n"
    path = "$.k0.k1.k2.k3.k4.k5....k61.k62.k63 (64 levels deep)"
    assert read_problems(text) == [
        f"x.yaml:65:129: {path}: nested more than 64 levels deep; refusing to read further",
    ]


def test_file_over_the_byte_limit_is_rejected_without_being_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file over the limit must not be parsed")

    monkeypatch.setattr(yaml, "parse", no_parsing)
    path = tmp_path / "big.yaml"
    body = b"a: !!python/object/apply:os.system ['true']\n"
    path.write_bytes(body + b"#" * (loading.MAX_BYTES + 1 - len(body)))
    with pytest.raises(PackError) as info:
        lif_rules.load_pack(path)
    assert [str(p) for p in info.value.errors] == [
        f"{path}: pack file is {loading.MAX_BYTES + 1:,} bytes; the limit is {loading.MAX_BYTES:,} bytes",
    ]


def test_file_at_the_byte_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    body = b"a: 1\n"
    path.write_bytes(body + b"#" * (loading.MAX_BYTES - len(body)))
    assert loading.read_document(path).data == {"a": 1}


# --- empty, undecodable, unreadable ------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_file(text: str) -> None:
    assert read_problems(text) == [
        "x.yaml:1:1: $: the pack is empty; expected a mapping with 'pack:' or 'baseline:'",
    ]


def test_empty_file_through_load_pack(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    with pytest.raises(PackError) as info:
        lif_rules.load_pack(path)
    assert [str(p) for p in info.value.errors] == [
        f"{path}:1:1: $: the pack is empty; expected a mapping with 'pack:' or 'baseline:'",
    ]


def test_non_utf8_bytes_are_located(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("pack: test\ndocument:\n  title: Caf\u00e9 LIF\n".encode("latin-1"))
    with pytest.raises(PackError) as info:
        lif_rules.load_pack(path)
    assert [str(p) for p in info.value.errors] == [
        f"{path}:3:13: $: the file is not saved as UTF-8: byte 0xe9 ('\u00e9' in Windows-1252) cannot be read; "
        "save the file with the UTF-8 encoding (in most editors: Save As, Encoding: UTF-8)"]


def test_non_utf8_column_counts_characters_not_bytes() -> None:
    raw = "a: \u00e9t\u00e9 \u2014 ".encode() + b"\xff\n"
    with pytest.raises(PackError) as info:
        loading.parse_bytes(raw, "x.yaml")
    assert [str(p) for p in info.value.errors] == [
        "x.yaml:1:10: $: the file is not saved as UTF-8: byte 0xff ('\u00ff' in Windows-1252) cannot be read; "
        "save the file with the UTF-8 encoding (in most editors: Save As, Encoding: UTF-8)"]


def test_utf8_byte_order_mark_is_allowed() -> None:
    assert loading.parse_bytes(b"\xef\xbb\xbfa: 1\n", "x.yaml").data == {"a": 1}


def test_control_character_is_located() -> None:
    assert read_problems("a: 1\nb: x\x07y\n") == [
        "x.yaml:2:5: $: control character U+0007 (bell) in the text; remove it (text may hold printable characters, "
        "newlines and tabs only)"]


def test_tab_indentation_says_tabs() -> None:
    assert read_problems("facts:\n\tdied: 1\n") == [
        "x.yaml:2:1: $.facts: a tab indents this line; YAML is indented with spaces only: replace the tab with spaces",
    ]


def test_tab_indentation_is_located() -> None:
    problems = read_problems("facts:\n\tdied: 1\n")
    assert len(problems) == 1
    assert problems[0].startswith("x.yaml:2:1: $.facts: a tab indents this line")


def test_a_tab_inside_a_value_is_fine() -> None:
    assert read("a: x\ty\n").data == {"a": "x\ty"}


def test_syntax_error_is_located() -> None:
    assert read_problems("a:\n  b: [1, 2\n  c: 3\n") == [
        "x.yaml:3:4: $.a.b[2]: the list opened with '[' at line 2, column 6 is not closed: end it with ']', with ',' "
        "between its items (text holding ',', ':', '[' or ']' goes in quotes)",
    ]


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(PackError) as info:
        lif_rules.load_pack(path)
    assert [str(p) for p in info.value.errors] == [f"{path}: no such pack file"]


def test_a_directory_is_not_a_pack(tmp_path: Path) -> None:
    with pytest.raises(PackError) as info:
        lif_rules.load_pack(tmp_path)
    assert [str(p) for p in info.value.errors] == [f"{tmp_path}: is a folder, not a pack file"]


def test_pack_error_is_a_value_error_with_one_line_per_problem() -> None:
    with pytest.raises(ValueError) as info:
        read("a: 1\n---\nb: 2\n")
    assert str(info.value) == (
        "x.yaml:2:1: $: a pack file holds one YAML document; found a second '---'"
    )
    problem = info.value.errors[0]  # type: ignore[attr-defined]
    assert (problem.file, problem.line, problem.column, problem.path) == ("x.yaml", 2, 1, "$")


# --- the source map ----------------------------------------------------------------------------


def test_source_map_locates_keys_and_values_1_based() -> None:
    doc = read("pack: x\nreviews:\n  sar:\n    rules:\n      - id: duty\n")
    smap = doc.source
    loc = smap.locate(("reviews", "sar", "rules", 0, "id"))
    assert (loc.line, loc.column) == (5, 13)
    key = smap.locate(("reviews", "sar", "rules", 0, "id"), key=True)
    assert (key.line, key.column) == (5, 9)
    assert str(smap.problem(("reviews", "sar"), "m", key=True)) == "x.yaml:3:3: $.reviews.sar: m"
    # a path that does not exist falls back to its nearest located ancestor
    assert str(smap.problem(("reviews", "sar", "milestones", 2), "m")) == "x.yaml:4:5: $.reviews.sar.milestones[3]: m"


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (("reviews", "sar"), "$.reviews.sar"),
        (("reviews", "sar", "rules", 0, "when"), "$.reviews.sar.rules[1].when"),
        (("examples", 2, "facts", "odd key"), "$.examples[3].facts['odd key']"),
        ((), "$"),
    ],
)
def test_format_path(path: tuple[str | int, ...], text: str) -> None:
    assert loading.format_path(path) == text


def test_paths_name_list_items_by_their_id_and_count_the_others_from_1() -> None:
    doc = read(
        "reviews:\n  sar:\n    rules:\n      - id: duty\n        when: a\n      - when: b\n"
        "    milestones:\n      - {id: panel, name: x}\n      - {id: panel, name: y}\n"
        "notifications:\n  n:\n    to: [a, b]\n"
    )
    fmt = doc.source.format
    assert fmt(("reviews", "sar", "rules", 0, "when")) == "$.reviews.sar.rules[duty].when"
    assert fmt(("reviews", "sar", "rules", 1, "when")) == "$.reviews.sar.rules[2].when"  # no id: counted from 1
    # two items with one id: each is counted, so the path names one item
    assert fmt(("reviews", "sar", "milestones", 1, "name")) == "$.reviews.sar.milestones[2].name"
    assert fmt(("notifications", "n", "to", 1)) == "$.notifications.n.to[2]"
    # the paths kept for locating nodes stay 0-based
    assert doc.source.locate(("reviews", "sar", "rules", 1, "when")).line == 6


SCALARS = """\
rules:
  - when: subject == child and and died
  - when: "subject == child and and died"
  - when: 'subject == child and and died'
  - when: |
      subject == child
      and and died
  - when: >-
      subject == child
        and
      and died
  - when: subject == child
      and and died
"""


def second_and(value: str) -> int:
    first = value.index("and")
    return value.index("and", first + 1)


@pytest.mark.parametrize(
    ("rule", "position"),
    [
        (0, (2, 32)),  # plain
        (1, (3, 33)),  # double quoted: one past the opening quote
        (2, (4, 33)),  # single quoted
        (3, (7, 11)),  # literal |
        (4, (11, 7)),  # folded >, with a more-indented line kept as it is
        (5, (13, 11)),  # plain, over two lines
    ],
)
def test_position_in_scalar_is_exact(rule: int, position: tuple[int, int]) -> None:
    doc = read(SCALARS)
    path = ("rules", rule, "when")
    value = doc.data["rules"][rule]["when"]
    assert doc.source.position_in_scalar(path, second_and(value)) == position


def test_position_in_scalar_at_the_first_character() -> None:
    doc = read(SCALARS)
    assert doc.source.position_in_scalar(("rules", 3, "when"), 0) == (6, 7)
    assert doc.source.position_in_scalar(("rules", 1, "when"), 0) == (3, 12)


def test_position_in_scalar_with_escapes_falls_back_to_the_scalar() -> None:
    doc = read('a: "died \\u0061nd nope"\n')
    assert doc.data["a"] == "died and nope"
    assert doc.source.position_in_scalar(("a",), 9) == (1, 4)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: b: c\n", "x.yaml:1:5: $.a: the value of 'a:' contains ': ', which YAML reads as the start of another key; "
                      "put the whole value in quotes: a: \"b: c\""),
        ("\x00", "x.yaml:1:1: $: control character U+0000 (null) in the text; remove it (text may hold printable "
                 "characters, newlines and tabs only)"),
        ("a: [\n", "x.yaml:2:1: $.a: invalid YAML: while parsing a flow node: did not find expected node content"),
    ],
)
def test_invalid_yaml_is_a_located_pack_error(text: str, problem: str) -> None:
    assert read_problems(text) == [problem]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("to: ['the child's mother', police]\n",
         "x.yaml:1:17: $.to[1]: an apostrophe ends text in single quotes: write each apostrophe twice "
         "('the child''s mother') or put the text in double quotes (\"the child's mother\")"),
        ('a:\n  text: "he said "no" today"\n',
         "x.yaml:2:19: $.a.text: a double quote ends text in double quotes: put the text in single quotes "
         "('he said \"no\" today') or write each double quote inside it as \\\" (\"he said \\\"no\\\" today\")"),
        ("a: 'x' y\n", "x.yaml:1:8: $.a: there is text after the closing quote: put all of the text inside the quotes"),
        ("a: @home\n", "x.yaml:1:4: $.a: a value cannot start with '@' in YAML; put the value in quotes"),
        ('a: "abc\nb: c\n', "x.yaml:1:4: $.a: the text in quotes that starts here is never closed: end it with the "
                           "same quote it starts with"),
        ("a: - b\n", "x.yaml:1:4: $.a: '- ' starts a list item, which cannot follow a key on the same line: put the "
                     "item on the next line, indented (or, if this is text, put it in quotes)"),
        ("pack: x\n extends: national\n",
         "x.yaml:2:9: $.pack: wrong indentation: this line is indented by 1 space, more than 'pack:' on line 1, so "
         "YAML reads it as more of the value of 'pack:'; start it at the beginning of the line, like 'pack:' (line 1)"),
        ("roles:\n  - a\n - b\n", "x.yaml:3:2: $.roles: wrong indentation: this list item is indented by 1 space; "
                                  "indent it by 2 spaces, like the '-' of the item (line 2)"),
        ("roles:\n  - a\n  b: c\n",
         "x.yaml:3:3: $.roles[1]: wrong indentation: this line is indented by 2 spaces, which lines it up with no key "
         "above it; start it at the beginning of the line, like 'roles:' (line 1); or, to add it to the list at "
         "line 2, start it with '- '"),
        ("a:\n  name: x\n  - item\n", "x.yaml:3:3: $.a.name: this list item stands among the keys of a mapping "
                                     "(like 'name:' on line 2); write it as 'key: value', or put the list under a "
                                     "key of its own"),
        ("a:\n  b: x\n # a comment\n\n   c: y\n",
         "x.yaml:5:4: $.a.b: wrong indentation: this line is indented by 3 spaces, which lines it up with no key "
         "above it; indent it by 2 spaces, like 'b:' (line 2)"),
    ],
)
def test_yaml_slips_are_said_in_plain_words_with_the_fix(text: str, problem: str) -> None:
    assert read_problems(text) == [problem]


def test_yaml_directive_does_not_bring_back_yaml_11() -> None:
    assert read("%YAML 1.1\n---\na: yes\n").data == {"a": "yes"}


def test_a_json_file_name_is_a_path_not_a_bundled_pack_id() -> None:
    with pytest.raises(lif_rules.PackError, match="nowhere.json: no such pack file"):
        lif_rules.load_pack("nowhere.json")


def demo_as_json() -> str:
    """The demo pack written as JSON (its YAML read as YAML 1.2 reads it: dates are text)."""
    return json.dumps(loading.parse_text(DEMO, "demo.yaml").data, indent=2)


def test_a_pack_named_json_loads_from_strict_json(tmp_path: Path) -> None:
    path = tmp_path / "demo.json"
    path.write_text(demo_as_json(), encoding="utf-8")
    pack = lif_rules.load_pack(path)
    assert pack.reviews == lif_rules.load_pack(_written(tmp_path / "demo.yaml", DEMO)).reviews == ["sar"]
    assert pack.decide({"subject": "adult", "died": True}).outcomes["sar"].status == "required"


def _written(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, problem", [
    ('"description": "the subject has died"', '"description": "the subject has died",',
     "a ',' before '}': JSON allows no comma after the last entry; remove it"),
    ('"type": "bool"', '"type": bool', "'bool' is not a JSON value: text is written in double quotes (\"bool\")"),
    ('"pack": "demo"', "'pack': 'demo'", "a string is written in double quotes in JSON, not single quotes"),
])
def test_a_pack_named_json_is_read_as_strict_json(tmp_path: Path, old: str, new: str, problem: str) -> None:
    text = demo_as_json()
    assert text.count(old) == 1
    path = _written(tmp_path / "demo.json", text.replace(old, new))
    with pytest.raises(PackError) as info:
        lif_rules.load_pack(path)
    [found] = info.value.errors
    line = next(n for n, written in enumerate(text.replace(old, new).splitlines(), 1) if new in written)
    assert (found.line, found.message) == (line, f"invalid JSON: {problem}")
