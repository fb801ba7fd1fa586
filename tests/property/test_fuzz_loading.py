"""Robustness of loading: whatever the file holds, ``load_pack`` returns a pack or raises ``PackError``.

Mutated copies of the bundled packs, arbitrary YAML, arbitrary text and bytes, and hostile files
(alias bombs, huge files, deep nesting, Python tags). Every problem reported must be located.
"""

from __future__ import annotations

import copy
import re
import shutil
import string
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lif_rules
from lif_rules.pack import bundled_dir

POLICIES = bundled_dir()
BASELINE = POLICIES / "baselines" / "national.yaml"
PACK_FILES = sorted(POLICIES.glob("*.yaml"))
ALL_FILES = PACK_FILES + [BASELINE]
TEXTS = {p: p.read_text(encoding="utf-8") for p in ALL_FILES}

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- the oracle ------------------------------------------------------------------------------------
def check_problems(error: lif_rules.PackError) -> None:
    assert error.errors, "a PackError must carry at least one problem"
    for p in error.errors:
        whole_file = p.line == 0  # a problem about the whole file (missing, too large) has no position
        assert isinstance(p.line, int) and (p.line >= 1 or whole_file), p
        assert isinstance(p.column, int) and (p.column >= 1 or (whole_file and p.column == 0)), p
        assert isinstance(p.path, str) and p.path.startswith("$"), p
        assert isinstance(p.message, str) and p.message.strip(), p
        assert p.file, p
    assert str(error).count("\n") == len(error.errors) - 1


def load_or_pack_error(path: Path | str) -> lif_rules.PolicyPack | None:
    """Load; a ``PackError`` must be well-formed; anything else escapes and fails the test."""
    try:
        pack = lif_rules.load_pack(path)
    except lif_rules.PackError as e:
        check_problems(e)
        return None
    use(pack)
    return pack


def use(pack: lif_rules.PolicyPack) -> None:
    """A pack that loaded answers the three questions without crashing."""
    pack.decide({})
    for review in pack.reviews:
        if pack.compiled.reviews[review].milestones:
            pack.schedule(review, start=date(2026, 12, 18), today=date(2027, 1, 6))
    for meeting in pack.meetings:
        pack.check_quorum(meeting, attendees=["police"], on=date(2026, 3, 2))


# -- the working folders -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the bundled baseline under ``baselines/``, so ``extends: national`` resolves there."""
    root = tmp_path_factory.mktemp("fuzz_loading")
    (root / "baselines").mkdir()
    shutil.copy(BASELINE, root / "baselines" / "national.yaml")
    return root


@pytest.fixture(scope="module")
def baseline_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder where the baseline is the file being mutated, next to an intact pack."""
    root = tmp_path_factory.mktemp("fuzz_baseline")
    (root / "baselines").mkdir()
    return root


# -- mutations -----------------------------------------------------------------------------------
_KEY_LINE = re.compile(r"^(?P<indent>\s*(?:- )?)(?P<key>[A-Za-z_][\w]*)\s*:(?P<rest>.*)$")
_SCALAR_LINE = re.compile(r"^(?P<head>\s*(?:- )?[A-Za-z_][\w]*\s*:\s+)(?P<value>\S.*)$")
_OTHER_SCALARS = ["42", "-1", "0", "3.5", "1e400", "[1, 2]", "[]", "{}", "{a: 1}", "true", "false", "null", "~",
                  "yes", '""', "2026-02-30", "!!binary aGVsbG8="]


def _lines_matching(lines: list[str], pattern: re.Pattern[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if pattern.match(line) and not line.lstrip().startswith("#")]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def drop_entry(text: str, data: st.DataObject) -> str:
    lines = text.splitlines(keepends=True)
    candidates = _lines_matching(lines, _KEY_LINE)
    if not candidates:
        return text
    i = data.draw(st.sampled_from(candidates), label="drop entry at line")
    m = _KEY_LINE.match(lines[i])
    assert m is not None
    depth = len(m.group("indent"))
    j = i + 1
    while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) > _indent(lines[i]) and _indent(lines[j]) >= depth):
        j += 1
    if m.group("indent").endswith("- "):  # keep the list item alive: drop only this key
        return "".join(lines[:i] + [m.group("indent") + "x_: 1\n"] + lines[j:])
    return "".join(lines[:i] + lines[j:])


def duplicate_line(text: str, data: st.DataObject) -> str:
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    i = data.draw(st.integers(0, len(lines) - 1), label="duplicate line")
    return "".join(lines[: i + 1] + [lines[i]] + lines[i + 1 :])


def change_scalar(text: str, data: st.DataObject) -> str:
    lines = text.splitlines(keepends=True)
    candidates = _lines_matching(lines, _SCALAR_LINE)
    if not candidates:
        return text
    i = data.draw(st.sampled_from(candidates), label="change scalar at line")
    m = _SCALAR_LINE.match(lines[i].rstrip("\n"))
    assert m is not None
    value = data.draw(st.sampled_from(_OTHER_SCALARS), label="new value")
    return "".join(lines[:i] + [m.group("head") + value + "\n"] + lines[i + 1 :])


def rename_key(text: str, data: st.DataObject) -> str:
    lines = text.splitlines(keepends=True)
    candidates = _lines_matching(lines, _KEY_LINE)
    if not candidates:
        return text
    i = data.draw(st.sampled_from(candidates), label="rename key at line")
    m = _KEY_LINE.match(lines[i].rstrip("\n"))
    assert m is not None
    key = m.group("key")
    new = data.draw(st.one_of(
        st.just(key[:-1] or "k"), st.just(key + "s"), st.just(key.upper()), st.just(key[1:] + key[0]),
        st.sampled_from(["pack", "extends", "reviews", "facts", "id", "when", "after", "due", "override", "start"]),
        st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=10),
    ), label="new key")
    return "".join(lines[:i] + [f"{m.group('indent')}{new}:{m.group('rest')}\n"] + lines[i + 1 :])


def insert_character(text: str, data: st.DataObject) -> str:
    at = data.draw(st.integers(0, len(text)), label="insert at")
    ch = data.draw(st.one_of(st.sampled_from(list(":-[]{}#&*!|>'\"%@`,? \t\n\x00\x85\ufeff")),
                             st.characters(blacklist_categories=("Cs",))),  # a surrogate cannot be written to a file
                   label="character")
    return text[:at] + ch + text[at:]


def truncate(text: str, data: st.DataObject) -> str:
    return text[: data.draw(st.integers(0, len(text)), label="truncate at")]


def tab_indent(text: str, data: st.DataObject) -> str:
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    i = data.draw(st.integers(0, len(lines) - 1), label="tab before line")
    replace = data.draw(st.booleans(), label="replace the indent")
    line = lines[i].lstrip(" ") if replace else lines[i]
    return "".join(lines[:i] + ["\t" + line] + lines[i + 1 :])


MUTATIONS: list[Callable[[str, st.DataObject], str]] = [
    drop_entry, duplicate_line, change_scalar, rename_key, insert_character, truncate, tab_indent,
]


def mutate(text: str, data: st.DataObject) -> str:
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        text = data.draw(st.sampled_from(MUTATIONS), label="mutation")(text, data)
    return text


# -- mutated bundled files ------------------------------------------------------------------------
@FUZZ
@given(source=st.sampled_from(ALL_FILES), data=st.data())
def test_mutated_bundled_files_load_or_raise_located_pack_errors(folder: Path, source: Path, data: st.DataObject) -> None:
    path = folder / source.name
    path.write_text(mutate(TEXTS[source], data), encoding="utf-8")
    load_or_pack_error(path)


@FUZZ
@given(pack=st.sampled_from(PACK_FILES), data=st.data())
def test_mutated_baseline_under_an_intact_pack(baseline_folder: Path, pack: Path, data: st.DataObject) -> None:
    (baseline_folder / "baselines" / "national.yaml").write_text(mutate(TEXTS[BASELINE], data), encoding="utf-8")
    path = baseline_folder / pack.name
    path.write_text(TEXTS[pack], encoding="utf-8")
    load_or_pack_error(path)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda f: f.__name__)
@settings(max_examples=15, deadline=None)
@given(source=st.sampled_from(PACK_FILES), data=st.data())
def test_each_mutation_on_its_own(folder: Path, mutation: Callable[[str, st.DataObject], str], source: Path,
                                  data: st.DataObject) -> None:
    path = folder / f"one_{source.name}"
    path.write_text(mutation(TEXTS[source], data), encoding="utf-8")
    load_or_pack_error(path)


def test_unmutated_files_load(folder: Path) -> None:
    for source in PACK_FILES:
        path = folder / f"intact_{source.name}"
        path.write_text(TEXTS[source], encoding="utf-8")
        assert load_or_pack_error(path) is not None, source.name


# -- arbitrary YAML, text and bytes ---------------------------------------------------------------
_VOCABULARY = ["pack", "baseline", "extends", "document", "facts", "definitions", "reviews", "notifications",
               "roles", "meetings", "notes", "examples", "title", "short_title", "publisher", "source", "in_force",
               "from", "to", "regime", "type", "values", "description", "when", "rules", "id", "status", "citation",
               "milestones", "start", "due", "earliest", "after", "working_days", "day", "months", "recurring",
               "every", "until", "quorum", "each_of", "at_least", "chair", "predecessors", "override", "expect",
               "national", "dudley", "bool", "enum", "child", "adult", "required", "<<", "", "0"]
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20), st.sampled_from(_VOCABULARY),
    st.dates(min_value=date(1, 1, 1)),
)
_KEYS = st.one_of(st.sampled_from(_VOCABULARY), st.text(max_size=10), st.integers(), st.booleans(), st.none())
_YAML_DATA = st.recursive(
    _SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(_KEYS, children, max_size=6)),
    max_leaves=40,
)


def _pack_shaped(body: Any) -> Any:
    return {"pack": "fuzz", "extends": "national", **body} if isinstance(body, dict) else body


@FUZZ
@given(data=_YAML_DATA, shaped=st.booleans())
def test_arbitrary_yaml(folder: Path, data: Any, shaped: bool) -> None:
    if shaped and isinstance(data, dict):
        data = _pack_shaped({str(k): v for k, v in data.items()})
    path = folder / "arbitrary.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    load_or_pack_error(path)


@FUZZ
@given(text=st.text())
def test_arbitrary_text(folder: Path, text: str) -> None:
    path = folder / "text.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    load_or_pack_error(path)


@FUZZ
@given(raw=st.binary())
def test_arbitrary_bytes(folder: Path, raw: bytes) -> None:
    path = folder / "bytes.yaml"
    path.write_bytes(raw)
    load_or_pack_error(path)


# -- mutations of the parsed tree ------------------------------------------------------------------
DATA = {p: yaml.safe_load(TEXTS[p]) for p in ALL_FILES}


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, prefix + (i,))
    return out


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


@st.composite
def tree_mutation(draw: st.DrawFn, source: Path) -> Any:
    """The pack's data with a few nodes replaced, deleted or swapped for other nodes of the pack."""
    data = yaml.safe_load(TEXTS[source])
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, last = _get(data, path[:-1]), path[-1]
        how = draw(st.sampled_from(["replace", "delete", "other_node", "rename"]))
        if how == "delete":
            del parent[last]
        elif how == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(_VOCABULARY))] = parent.pop(last)
        elif how == "other_node":
            parent[last] = copy.deepcopy(_get(DATA[source], draw(st.sampled_from(_paths(DATA[source])))))
        else:
            parent[last] = draw(_YAML_DATA)
    return data


@FUZZ
@given(source=st.sampled_from(PACK_FILES), data=st.data())
def test_tree_mutations(folder: Path, source: Path, data: st.DataObject) -> None:
    mutated = data.draw(tree_mutation(source), label="mutated")
    path = folder / f"tree_{source.name}"
    path.write_text(yaml.safe_dump(mutated, allow_unicode=True, sort_keys=False), encoding="utf-8")
    load_or_pack_error(path)


# -- hostile files, as explicit examples ---------------------------------------------------------
def _raises_pack_error(path: Path) -> lif_rules.PackError:
    with pytest.raises(lif_rules.PackError) as info:
        lif_rules.load_pack(path)
    check_problems(info.value)
    return info.value


def test_billion_laughs(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _raises_pack_error(path)


def test_billion_laughs_inside_a_pack(tmp_path: Path) -> None:
    text = TEXTS[POLICIES / "dudley.yaml"]
    bomb = ['x0: &x0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    bomb += [f"x{n}: &x{n} [{','.join([f'*x{n - 1}'] * 9)}]" for n in range(1, 9)]
    notes = "\n".join("  " + line for line in bomb)
    path = tmp_path / "dudley_bomb.yaml"
    path.write_text(text + f"\nbomb:\n{notes}\n", encoding="utf-8")
    shutil.copytree(POLICIES / "baselines", tmp_path / "baselines")
    _raises_pack_error(path)


def test_a_50_megabyte_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    line = "# " + "x" * 97 + "\n"
    with path.open("w", encoding="utf-8") as f:
        f.write("pack: huge\n")
        chunk = line * 10_000
        for _ in range(50):
            f.write(chunk)
    assert path.stat().st_size > 50_000_000
    _raises_pack_error(path)


def test_a_50_megabyte_sparse_file(tmp_path: Path) -> None:
    path = tmp_path / "sparse.yaml"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    _raises_pack_error(path)


@pytest.mark.parametrize("depth", [65, 1_000, 100_000])
def test_deep_nesting(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("[" * depth + "]" * depth + "\n", encoding="utf-8")
    _raises_pack_error(path)


def test_deep_block_nesting(tmp_path: Path) -> None:
    path = tmp_path / "deep_block.yaml"
    path.write_text("".join(" " * n + f"k{n}:\n" for n in range(2_000)) + " " * 2_000 + "v: 1\n", encoding="utf-8")
    _raises_pack_error(path)


def test_deep_mapping_flow(tmp_path: Path) -> None:
    path = tmp_path / "deep_map.yaml"
    path.write_text("{a: " * 100_000 + "1" + "}" * 100_000 + "\n", encoding="utf-8")
    _raises_pack_error(path)


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system",
    "!!python/object/new:os.system",
    "!!python/object/apply:subprocess.call",
])
def test_python_tags_never_run(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "marker"
    command = f"touch {marker}" if "subprocess" not in tag else f"[touch, {marker}]"
    for name, text in {
        "bare.yaml": f"{tag} [\"{command}\"]\n",
        "value.yaml": f"pack: x\nx: {tag} [\"{command}\"]\n",
        "args.yaml": f"pack: x\nx: {tag}\n  args: [\"{command}\"]\n",
        "in_pack.yaml": TEXTS[POLICIES / "dudley.yaml"].replace(
            "short_title:", f"short_title: {tag} [\"{command}\"]\n  old_short_title:", 1),
    }.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        error = _raises_pack_error(path)
        assert not marker.exists(), f"{name}: a Python tag ran"
        if name != "bare.yaml":
            assert any("tag" in p.message for p in error.errors), [str(p) for p in error.errors]


def test_python_name_tag(tmp_path: Path) -> None:
    path = tmp_path / "name.yaml"
    path.write_text("pack: x\nx: !!python/name:os.system ''\n", encoding="utf-8")
    _raises_pack_error(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    _raises_pack_error(tmp_path / "absent.yaml")
    (tmp_path / "dir.yaml").mkdir()
    _raises_pack_error(tmp_path / "dir.yaml")


# -- bugs found by fuzzing, kept as explicit examples ---------------------------------------------
def _dudley_with(tmp_path: Path, old: str, new: str) -> Path:
    text = TEXTS[POLICIES / "dudley.yaml"]
    assert old in text
    path = tmp_path / "dudley.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("every", ["{after: commissioned, months: 0}", "{after: commissioned, working_days: 0}",
                                   "{after: commissioned, days: 0}"])
def test_a_recurring_milestone_with_a_zero_period_is_a_pack_error(tmp_path: Path, every: str) -> None:
    path = _dudley_with(tmp_path, "every: {after: commissioned, months: 1}", f"every: {every}")
    _raises_pack_error(path)


def test_a_recurring_day_offset_is_rejected_or_honoured(tmp_path: Path) -> None:
    path = _dudley_with(tmp_path, "every: {after: commissioned, months: 1}", "every: {after: commissioned, day: 3}")
    try:
        pack = lif_rules.load_pack(path)
    except lif_rules.PackError as e:
        check_problems(e)
        return
    dues = [m.due for m in pack.schedule("sar", start=date(2026, 1, 5)) if m.id.startswith("sar_panel_meeting_")]
    assert all(a is not None and b is not None and a < b for a, b in zip(dues, dues[1:])), dues[:3]


def test_one_bad_offset_is_one_problem(tmp_path: Path) -> None:
    path = _dudley_with(tmp_path, "due: {after: referral_received, working_days: 2}",
                        "due: {after: referral_received, working_days: 100000}")
    error = _raises_pack_error(path)
    assert [p.path for p in error.errors] == ["$.reviews.rapid_review.milestones[scoping_requests_sent].due.working_days"], \
        [str(p) for p in error.errors]
