"""Hostile and careless input: bounded work, answers no caller can change, only the documented errors.

One test (or a few) per way a pack, a case file or an argument was found to hang a service, exhaust
its memory, change what other callers get, or escape as an undocumented error.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import lif_rules
from lif_rules.core import compile as compile_stage

from pack_texts import DEMO  # tests/ is on sys.path through its conftest

# -- bounded work -----------------------------------------------------------------------------------


def many_misspellings(facts: int, references: int) -> str:
    lines = ["pack: big", "document: {title: t, short_title: t, publisher: p, source: s, in_force: {},"
             " regime: [care_act_2014]}", "facts:"]
    lines += [f"  fact_number_{k}: {{type: bool, description: d}}" for k in range(facts)]
    lines += ["reviews:", "  r:", "    name: r", "    legal_basis: non_statutory", "    decided_by: x",
              "    citation: c", "    rules:"]
    lines += [f"      - {{id: r{k}, when: fact_numbr_{k % facts}, status: required, citation: c}}"
              for k in range(references)]
    return "\n".join(lines) + "\n"


def test_did_you_mean_is_bounded_however_many_names_are_misspelt(write_pack: Callable[..., str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import difflib
    calls = []
    real = difflib.get_close_matches
    monkeypatch.setattr(difflib, "get_close_matches", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    path = write_pack(many_misspellings(3000, 4000))
    with pytest.raises(lif_rules.PackError) as info:
        lif_rules.load_pack(path)
    assert len(info.value.errors) == 4000  # every misspelling is reported ...
    assert len(calls) <= 64  # ... but only the first distinct ones get a suggestion, each compared once
    first = str(info.value.errors[0])
    assert first.endswith("unknown fact or definition 'fact_numbr_0' (did you mean 'fact_number_0'?)")


def test_definitions_chained_hundreds_deep_load_and_decide(write_pack: Callable[..., str]) -> None:
    lines = ["pack: deep", "document: {title: t, short_title: t, publisher: p, source: s, in_force: {},"
             " regime: [care_act_2014]}", "facts:", "  f1: {type: bool, description: d}",
             "  f2: {type: bool, description: d}", "definitions:", "  d0: {when: f1, citation: c}"]
    lines += [f"  d{k}: {{when: d{k - 1} and f{1 + k % 2} or not d{k - 1} and not f{1 + k % 2}, citation: c}}"
              for k in range(1, 400)]
    lines += ["  nots: {when: " + "not " * 30 + "f1, citation: c}"]
    lines += [f"  nots{k}: {{when: {'not ' * 20}nots{k - 1 if k else ''}, citation: c}}" for k in range(30)]
    lines += ["reviews:", "  r:", "    name: r", "    legal_basis: non_statutory", "    decided_by: x",
              "    citation: c", "    rules:", "      - {id: deep, when: d399, status: required, citation: c}",
              "      - {id: nots, when: nots29, status: consider, citation: c}"]
    pack = lif_rules.load_pack(write_pack("\n".join(lines) + "\n"))
    statuses = {pack.decide({"f1": f1, "f2": f2}).outcomes["r"].status for f1 in (True, False) for f2 in (True, False)}
    assert statuses <= {"required", "consider", "not_eligible"}  # decided without recursing through 400 definitions
    assert set(pack.decide({}).outcomes["r"].missing) <= {"f1", "f2"}


def test_a_review_too_large_to_decide_exactly_is_a_located_problem(write_pack: Callable[..., str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compile_stage, "MAX_REVIEW_NODES", 50)
    facts = "\n".join(f"  a{k}: {{type: bool, description: d}}\n  b{k}: {{type: bool, description: d}}" for k in range(8))
    # (a0 and b0) or (a1 and b1) ... with all the a's declared before all the b's is exponential in that order
    facts = "\n".join([f"  a{k}: {{type: bool, description: d}}" for k in range(8)]
                      + [f"  b{k}: {{type: bool, description: d}}" for k in range(8)])
    when = " or ".join(f"(a{k} and b{k})" for k in range(8))
    text = ("pack: wide\ndocument: {title: t, short_title: t, publisher: p, source: s, in_force: {}, regime: "
            f"[care_act_2014]}}\nfacts:\n{facts}\nreviews:\n  r:\n    name: r\n    legal_basis: non_statutory\n"
            f"    decided_by: x\n    citation: c\n    rules:\n      - {{id: wide, when: '{when}', status: required, "
            "citation: c}\n")
    with pytest.raises(lif_rules.PackError) as info:
        lif_rules.load_pack(write_pack(text))
    message = str(info.value.errors[0])
    assert "is too large to decide exactly" in message and "more than 50 decision-diagram nodes" in message
    assert "Split it into smaller rules or reviews" in message and "next to each other under 'facts:'" in message


def test_a_case_of_nested_aliases_is_refused_fast_with_a_short_message(tmp_path: Path) -> None:
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for k in range(1, 9):
        bomb.append(f"{'abcdefghi'[k]}: &{'abcdefghi'[k]} [*{'abcdefghi'[k - 1]}] " .replace(
            f"[*{'abcdefghi'[k - 1]}]", "[" + ", ".join([f"*{'abcdefghi'[k - 1]}"] * 10) + "]"))
    bomb.append("died: *i")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(bomb) + "\n", encoding="utf-8")
    assert path.stat().st_size < 1000
    t = time.perf_counter()
    with pytest.raises(lif_rules.FactError) as info:
        lif_rules.load_case(path)
    assert time.perf_counter() - t < 5
    assert "aliases expand to more than" in str(info.value)


def test_a_huge_value_is_described_in_a_bounded_message() -> None:
    huge: list[Any] = [list(range(100))]
    for _ in range(12):
        huge = [huge] * 10  # 10**12 items, shared
    with pytest.raises(lif_rules.FactError) as info:
        lif_rules.load_pack("dudley").decide({"died": huge})
    assert len(str(info.value)) < 300


def _tuples_shared(depth: int) -> tuple[Any, ...]:
    value: tuple[Any, ...] = (True,)
    for _ in range(depth):
        value = (value, value)  # 2**depth leaves, shared: hashing or writing it out in full never ends
    return value


def _cycle() -> list[Any]:
    loop: list[Any] = []
    loop.append(loop)
    return loop


@pytest.mark.parametrize("odd", [_tuples_shared(64), _cycle()],
                         ids=["shared tuples", "a list holding itself"])
@pytest.mark.parametrize("complete", [False, True], ids=["partial case", "complete case"])
def test_a_value_built_to_be_costly_is_refused_quickly(odd: Any, complete: bool) -> None:
    pack = lif_rules.load_pack("dudley")
    case: dict[str, Any] = {name: None for name in pack.facts} if complete else {}
    case["died"] = odd
    t = time.perf_counter()
    for _ in range(3):  # the same object again: no memo may hold it
        with pytest.raises(lif_rules.FactError, match="'died' must be true or false") as info:
            pack.decide(case, review="cspr")
        assert len(str(info.value)) < 300
    assert time.perf_counter() - t < 5


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_devices_and_pipes_are_refused_without_reading_them(tmp_path: Path) -> None:
    with pytest.raises(lif_rules.PackError, match="is not a regular file"):
        lif_rules.load_pack("/dev/zero")
    with pytest.raises(lif_rules.FactError, match="is not a regular file"):
        lif_rules.load_case("/dev/zero")
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    done: list[BaseException] = []

    def load() -> None:
        try:
            lif_rules.load_pack(fifo)
        except BaseException as e:  # noqa: BLE001 - the thread reports what it got
            done.append(e)

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(5)
    assert done and isinstance(done[0], lif_rules.PackError), "loading a FIFO must not wait for a writer"


def test_odd_pack_references_raise_documented_errors(tmp_path: Path) -> None:
    with pytest.raises(LookupError, match="no bundled pack"):
        lif_rules.load_pack("a" * 300)
    with pytest.raises(LookupError, match="no bundled pack"):
        lif_rules.load_pack("dud\x00ley")
    with pytest.raises(lif_rules.PackError, match="NUL"):
        lif_rules.load_pack("x\x00.yaml")
    with pytest.raises(lif_rules.PackError, match="too long"):
        lif_rules.load_pack(str(tmp_path / ("a" * 300 + ".yaml")))
    with pytest.raises(ValueError, match="a bundled pack id or a file path"):
        lif_rules.load_pack(42)  # type: ignore[arg-type]


TOO_LONG = "9" * 5000  # more digits than Python converts an integer from (4,300)


@pytest.mark.parametrize("written", [TOO_LONG, "-" + TOO_LONG, "0x" + "f" * 5000, "1" + "0" * 500 + ".5",
                                     "!!int " + TOO_LONG])
def test_a_number_too_long_to_read_is_a_located_problem_in_a_case(tmp_path: Path, written: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(f"subject: child\ndied: {written}\n", encoding="utf-8")
    with pytest.raises(lif_rules.FactError) as info:
        lif_rules.load_case(path)
    digits = sum(ch.isdigit() or ch in "abcdef" for ch in written.removeprefix("!!int ").removeprefix("0x"))
    assert str(info.value) == (f"{path}:2:7: $.died: a number of {digits:,} digits: numbers are written with at most "
                               f"100 digits")


def test_a_number_too_long_to_read_is_a_located_problem_in_a_pack(write_pack: Callable[..., str]) -> None:
    path = write_pack(DEMO.replace("working_days: 10", f"working_days: {TOO_LONG}"))
    with pytest.raises(lif_rules.PackError) as info:
        lif_rules.load_pack(path)
    assert [str(p) for p in info.value.errors] == [
        "x.yaml:24:85: $.reviews.sar.milestones[decision].due.working_days: a number of 5,000 digits: numbers are "
        "written with at most 100 digits"]


def test_a_number_too_long_in_an_example_s_facts_is_reported_once(write_pack: Callable[..., str]) -> None:
    path = write_pack(DEMO + "examples:\n  - {kind: decide, description: d, cite: c, facts: {died: " + TOO_LONG +
                      "}, expect: {sar: required}}\n")
    with pytest.raises(lif_rules.PackError) as info:
        lif_rules.load_pack(path)
    assert [f"{p.path}: {p.message}" for p in info.value.errors] == [
        "$.examples[1].facts.died: a number of 5,000 digits: numbers are written with at most 100 digits"]


# -- answers no caller can change ------------------------------------------------------------------


def test_a_shared_decision_cannot_be_changed_by_one_caller() -> None:
    pack = lif_rules.load_pack("dudley")
    d = pack.decide({"subject": "child", "abuse_or_neglect": "known"})
    outcome = d.outcomes["rapid_review"]
    for change in (lambda: outcome.missing.__init__(["x"]), lambda: outcome.missing.append("x"),  # type: ignore[misc]
                   lambda: outcome.trace[0].values.__init__(x=1), lambda: d.outcomes.__init__({}),  # type: ignore[misc]
                   lambda: d.notifications.clear(), lambda: outcome.missing.__setattr__("x", 1)):
        with pytest.raises(TypeError, match="immutable"):
            change()
    again = pack.decide({"subject": "child", "abuse_or_neglect": "known"})
    assert again.outcomes["rapid_review"].missing == ["died", "seriously_harmed"]
    empty = pack.decide({"subject": "adult"}).outcomes["rapid_review"].missing  # the shared empty list
    with pytest.raises(TypeError):
        empty.__init__(["x"])  # type: ignore[misc]
    assert pack.decide({"subject": "adult"}).outcomes["rapid_review"].missing == []


def test_frozen_containers_made_directly_are_filled_and_refuse_re_initialising() -> None:
    from lif_rules.frozen import FrozenDict, FrozenList

    made_list, made_dict = FrozenList(iter([1, 2])), FrozenDict([("a", 1)], b=2)
    assert (made_list, made_dict) == ([1, 2], {"a": 1, "b": 2})
    for change in (lambda: made_list.__init__([]), lambda: made_dict.__init__(),  # type: ignore[misc]
                   lambda: FrozenList().__init__([1]), lambda: FrozenDict().__init__(a=1)):  # type: ignore[misc]
        with pytest.raises(TypeError, match="immutable"):
            change()
    assert (made_list, made_dict) == ([1, 2], {"a": 1, "b": 2})


def test_the_parts_of_a_cached_pack_cannot_be_changed() -> None:
    pack = lif_rules.load_pack("dudley")
    example = next(e for e in pack.compiled.examples if e.kind == "decide")
    for change in (lambda: pack.document.regime.append("x"),  # type: ignore[arg-type]
                   lambda: example.facts.__setitem__("died", False),  # type: ignore[union-attr]
                   lambda: pack.compiled.notes[0].__dict__ and pack.document.regime.__init__([])):  # type: ignore[misc]
        with pytest.raises(TypeError, match="immutable"):
            change()
    assert lif_rules.load_pack("dudley").document.regime == ["working_together_2018", "care_act_2014"]


class LooksLikeChild:
    """An object that hashes and compares like the string 'child', but is not one."""

    def __hash__(self) -> int:
        return hash("child")

    def __eq__(self, other: object) -> bool:
        return other == "child"


def test_values_are_the_pack_s_own_constants_whoever_passes_them() -> None:
    import enum
    pack = lif_rules.load_pack("dudley")

    class Subject(str, enum.Enum):
        child = "child"

    d = pack.decide({"subject": Subject.child, "died": True, "abuse_or_neglect": "known"})
    assert d.outcomes["rapid_review"].trace[0].values["subject"].__class__ is str  # canonical, not the enum
    d.model_dump(mode="json")
    for odd in (LooksLikeChild(), b"child", 1):
        with pytest.raises(lif_rules.FactError, match="fact 'subject' must be one of: child, adult"):
            pack.decide({"subject": odd})
    for odd in (1, 0, "true", None.__class__):
        if odd is None.__class__:
            continue
        with pytest.raises(lif_rules.FactError, match="fact 'died' must be true or false"):
            pack.decide({"died": odd})
    assert pack.decide({"subject": "adult"}).model_dump(mode="json")["outcomes"]["sar"]["status"] == "undetermined"


# -- the command line and its environment ----------------------------------------------------------

def run(*args: str, env: dict[str, str] | None = None, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lif_rules", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120, **kwargs)


def test_an_output_that_cannot_show_the_text_is_an_environment_error() -> None:
    result = run("show", "barking_dagenham", env={"PYTHONIOENCODING": "ascii"})  # its notes hold '→'
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "set PYTHONIOENCODING=utf-8" in result.stderr
    as_json = run("show", "barking_dagenham", "--json", env={"PYTHONIOENCODING": "ascii"})
    assert as_json.returncode == 0  # JSON is written in ASCII


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_full_disk_is_an_environment_error() -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "lif_rules", "render", "dudley"], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_analyses_give_results_no_caller_can_change() -> None:
    pack = lif_rules.load_pack("dudley")
    counterfactual = pack.why_not({"subject": "child"}, review="rapid_review", want="required")[0]
    finding = next(f for f in pack.analyse() if f.example is not None)
    for change in (lambda: counterfactual.changes.__setitem__("died", False), lambda: finding.rules.append("x"),
                   lambda: finding.example.__setitem__("died", False)):  # type: ignore[union-attr]
        with pytest.raises(TypeError, match="immutable"):
            change()
