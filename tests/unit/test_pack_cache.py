"""The cache of compiled packs: a second load skips compiling, and any change makes it compile afresh."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

import lif_rules
import lif_rules.pack
from lif_rules.core import cache

from pack_texts import DEMO, SAR  # tests/ is on sys.path through its conftest

BASE = """\
baseline: local_base
facts:
  subject: {type: enum, values: [child, adult], description: who the case is about}
  died: {type: bool, description: the subject has died}
definitions:
  adult_death: {when: subject == adult and died, citation: "Base 1", description: an adult has died}
"""

ON_BASE = SAR.replace("extends: national", "extends: local_base").replace("when: sar_duty", "when: adult_death")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("LIF_RULES_CACHE_DIR", str(where))
    return where


@pytest.fixture
def no_compiling(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call to make any further compiling fail the test: a load after it must come from the cache."""
    def forbid() -> None:
        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError("the pack was compiled again instead of read from the cache")
        monkeypatch.setattr(lif_rules.pack, "compile_pack", refuse)
    return forbid


def test_a_second_load_reads_the_cache_and_answers_the_same(
        folder: Path, write_pack: Callable[..., str], no_compiling: Callable[[], None]) -> None:
    name = write_pack(DEMO, "demo.yaml")
    first = lif_rules.load_pack(name)
    assert len(list(folder.glob("*.pickle"))) == 1
    no_compiling()
    second = lif_rules.load_pack(name)
    assert second is not first
    for facts in ({}, {"subject": "adult"}, {"subject": "adult", "died": True}, {"subject": "child", "died": False}):
        assert second.decide(facts).model_dump() == first.decide(facts).model_dump()
    start = date(2025, 3, 7)
    assert list(second.schedule("sar", start=start)) == list(first.schedule("sar", start=start))
    assert second.warnings == first.warnings and second.compiled.file == first.compiled.file


def test_the_warnings_of_a_load_are_kept_with_it(folder: Path, write_pack: Callable[..., str],
                                                 no_compiling: Callable[[], None]) -> None:
    name = write_pack(DEMO, "other_name.yaml")
    warned = lif_rules.load_pack(name).warnings
    assert any("differs from the file name" in w.message for w in warned)
    no_compiling()
    assert lif_rules.load_pack(name).warnings == warned


def test_an_edited_pack_is_compiled_afresh(folder: Path, write_pack: Callable[..., str]) -> None:
    name = write_pack(DEMO, "demo.yaml")
    assert lif_rules.load_pack(name).decide({"subject": "adult", "died": False}).outcomes["sar"].status == "discretionary"
    write_pack(DEMO.replace("status: discretionary", "status: not_eligible"), "demo.yaml")
    assert lif_rules.load_pack(name).decide({"subject": "adult", "died": False}).outcomes["sar"].status == "not_eligible"


def test_an_edited_baseline_is_seen_though_the_pack_is_unchanged(folder: Path, write_pack: Callable[..., str]) -> None:
    write_pack(BASE, "local_base.yaml")
    name = write_pack(ON_BASE, "test.yaml")
    adult_death = {"subject": "adult", "died": True}
    assert lif_rules.load_pack(name).decide(adult_death).outcomes["sar"].status == "required"
    write_pack(BASE.replace("subject == adult and died", "subject == child and died"), "local_base.yaml")
    assert lif_rules.load_pack(name).decide(adult_death).outcomes["sar"].status == "not_eligible"
    Path("local_base.yaml").unlink()
    with pytest.raises(lif_rules.PackError, match="no baseline 'local_base'"):
        lif_rules.load_pack(name)


def test_a_pack_with_problems_is_never_kept(folder: Path, write_pack: Callable[..., str]) -> None:
    name = write_pack(DEMO.replace("status: required", "status: requird"), "demo.yaml")
    for _ in range(2):
        with pytest.raises(lif_rules.PackError, match="requird"):
            lif_rules.load_pack(name)
    assert not list(folder.glob("*.pickle"))


def test_a_damaged_entry_is_replaced(folder: Path, write_pack: Callable[..., str]) -> None:
    name = write_pack(DEMO, "demo.yaml")
    lif_rules.load_pack(name)
    (entry,) = folder.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert lif_rules.load_pack(name).decide({"subject": "adult", "died": True}).outcomes["sar"].status == "required"
    assert entry.read_bytes() != b"not a pickle"


def test_another_version_of_the_library_does_not_read_the_entry(
        folder: Path, write_pack: Callable[..., str], monkeypatch: pytest.MonkeyPatch) -> None:
    name = write_pack(DEMO, "demo.yaml")
    lif_rules.load_pack(name)
    monkeypatch.setattr(cache, "_fingerprint", "another version of the library")
    lif_rules.load_pack(name)
    assert len(list(folder.glob("*.pickle"))) == 2


def test_another_pydantic_or_python_is_another_library(monkeypatch: pytest.MonkeyPatch) -> None:
    import pydantic
    monkeypatch.setattr(cache, "_fingerprint", None)
    here = cache._library()
    monkeypatch.setattr(cache, "_fingerprint", None)
    monkeypatch.setattr(pydantic, "VERSION", "0.0.0")
    assert cache._library() != here
    monkeypatch.setattr(cache, "_fingerprint", None)
    monkeypatch.setattr(cache.sys, "version", "another Python")
    assert cache._library() != here


@pytest.mark.parametrize("setting", ["off", "OFF", "0", ""])
def test_the_cache_can_be_turned_off(setting: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     write_pack: Callable[..., str]) -> None:
    monkeypatch.setenv("LIF_RULES_CACHE_DIR", setting)
    name = write_pack(DEMO, "demo.yaml")
    lif_rules.load_pack(name)
    assert cache.folder() is None
    assert not list(tmp_path.rglob("*.pickle"))


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="needs POSIX file modes")
def test_a_folder_others_may_write_to_is_not_used(folder: Path, write_pack: Callable[..., str]) -> None:
    folder.mkdir(mode=0o700)
    folder.chmod(0o777)
    name = write_pack(DEMO, "demo.yaml")
    lif_rules.load_pack(name)
    assert cache.folder() is None and not list(folder.iterdir())


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="needs POSIX file modes")
def test_an_entry_others_may_write_to_is_not_read(folder: Path, write_pack: Callable[..., str],
                                                  no_compiling: Callable[[], None]) -> None:
    name = write_pack(DEMO, "demo.yaml")
    lif_rules.load_pack(name)
    (entry,) = folder.glob("*.pickle")
    entry.chmod(0o666)
    assert cache.fetch(("demo.yaml", str(Path(name).resolve())), Path(name).read_bytes()) is None
    entry.chmod(0o600)
    no_compiling()
    lif_rules.load_pack(name)


def test_old_entries_are_removed_beyond_the_limit(folder: Path, write_pack: Callable[..., str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    for version in range(4):
        lif_rules.load_pack(write_pack(DEMO.replace('version: "1"', f'version: "{version}"'), "demo.yaml"))
    assert len(list(folder.iterdir())) == 2


def test_fact_names_and_values_are_interned_whether_compiled_or_read_from_the_cache(
        folder: Path, write_pack: Callable[..., str], no_compiling: Callable[[], None]) -> None:
    # A caller's literal names and values are interned: a pack holding the same objects reads a case by identity.
    name = write_pack(DEMO, "demo.yaml")
    compiled = lif_rules.load_pack(name)
    no_compiling()
    cached = lif_rules.load_pack(name)
    for pack in (compiled, cached):
        for fact in pack.compiled.facts:
            assert fact.name is sys.intern(fact.name)
            assert all(v is sys.intern(v) for v in fact.values if isinstance(v, str))
    case = {"subject": "adult", "died": True}  # literals: interned
    assert cached.decide(case).model_dump() == compiled.decide(case).model_dump()
