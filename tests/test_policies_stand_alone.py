"""The repository stands alone: no pack, note, document, message or comment points at files outside it (a
shared folder, the framework documents' text files, line numbers in them, or a research notebook's item
numbers)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lif_rules.pack import bundled_dir

REPO = Path(__file__).resolve().parents[1]
FORBIDDEN = re.compile(r"\.\./shared|seeds/|\bDOMAIN\b|\bD-\d{2}[a-z]?\b|\bref: D|\(L\d+|\bL\d{2,3}(?:-\d+)?\b|\bSPEC\b")
TEXTS = sorted([*bundled_dir().rglob("*.yaml"), REPO / "README.md", *(REPO / "docs").rglob("*.md"),
                *(REPO / "lif_rules").rglob("*.py"), *(REPO / "lif_rules").rglob("*.j2")])


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: str(p.relative_to(REPO)))
def test_nothing_refers_to_files_outside_the_repository(path: Path) -> None:
    found = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if FORBIDDEN.search(line)]
    assert found == []
