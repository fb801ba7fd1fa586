"""Warnings: what loading notices that does not stop a pack from working (``PolicyPack.warnings``).

``tests/warning_packs/`` holds one pack per warning; each file starts with ``# warn: <line>:<column>: <message>``
lines, the warnings it gives in order. The file names are part of the test: a warning may be about them.
"""

from __future__ import annotations

import pickle
import shutil
from datetime import date
from pathlib import Path

import pytest

import lif_rules
from lif_rules.pack import bundled_dir

FOLDER = Path(__file__).resolve().parent.parent / "warning_packs"


def expected(path: Path) -> list[str]:
    return [line[len("# warn: "):] for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("# warn: ")]


@pytest.mark.parametrize("path", sorted(FOLDER.glob("*.yaml")), ids=lambda p: p.stem)
def test_warning_pack(path: Path) -> None:
    pack = lif_rules.load_pack(path)  # a warning never stops a pack from loading
    assert [f"{w.line}:{w.column}: {w.message}" for w in pack.warnings] == expected(path)
    assert {w.file for w in pack.warnings} == {str(path)}
    assert {w.path for w in pack.warnings} <= {"$.pack", "$.reviews.learning_review.rules[harm].when",
                                               "$.reviews.learning_review.citation",
                                               "$.reviews.learning_review.rules[harm].because"}


def test_the_catalogue_has_a_pack_per_warning() -> None:
    assert len(list(FOLDER.glob("*.yaml"))) >= 2
    assert all(expected(p) for p in FOLDER.glob("*.yaml"))


@pytest.mark.parametrize("ref", lif_rules.available_packs())
def test_bundled_packs_have_no_warnings(ref: str) -> None:
    assert lif_rules.load_pack(ref).warnings == ()


def test_a_pack_named_after_its_id_outside_the_bundle_has_no_warning(tmp_path: Path) -> None:
    path = tmp_path / "sandwell.yaml"
    shutil.copy(FOLDER / "pack_id_differs.yaml", path)
    assert lif_rules.load_pack(path).warnings == ()


def test_a_pack_with_both_warnings_gives_both(tmp_path: Path) -> None:
    path = tmp_path / "my-stockport.yaml"
    shutil.copy(FOLDER / "stockport.yaml", path)
    messages = [w.message for w in lif_rules.load_pack(path).warnings]
    assert [m.split(":")[0] for m in messages] == [
        "the pack id 'stockport' differs from the file name 'my-stockport.yaml'",
        "the pack id 'stockport' is also the id of a bundled pack",
    ]


def test_warnings_survive_pickling_and_rules_on() -> None:
    pack = lif_rules.load_pack(FOLDER / "stockport.yaml")
    assert pickle.loads(pickle.dumps(pack)).warnings == pack.warnings
    assert pack.rules_on(date(2024, 1, 1)).warnings == pack.warnings


def test_a_copy_of_a_bundled_pack_has_no_warning_and_an_edited_copy_has_one(tmp_path: Path) -> None:
    # A checkout's policies/dudley.yaml beside an installed (non-editable) copy is the same pack.
    source = bundled_dir() / "dudley.yaml"
    copy = tmp_path / "dudley.yaml"
    shutil.copy(source, copy)
    assert lif_rules.load_pack(copy).warnings == ()
    copy.write_text(source.read_text(encoding="utf-8") + "\n# a local edit\n", encoding="utf-8")
    assert [w.message.split(":")[0] for w in lif_rules.load_pack(copy).warnings] == [
        "the pack id 'dudley' is also the id of a bundled pack"]
