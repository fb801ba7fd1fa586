"""Shared test setup: hypothesis profiles and helpers that write pack files to a temporary folder.

Hypothesis profiles: ``dev`` (the default), ``ci`` (chosen when the ``CI`` environment variable
is set) and ``fast``; ``HYPOTHESIS_PROFILE=<name>`` picks one explicitly.
"""

from __future__ import annotations

import os
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

import lif_rules

# Compiled packs are cached in a folder of this test run's own (inherited by the command-line runs),
# never the user's, and every test that loads a pack twice also checks a cached load.
os.environ.setdefault("LIF_RULES_CACHE_DIR", tempfile.mkdtemp(prefix="lif_rules_cache_"))

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None, print_blob=True)
settings.register_profile("fast", max_examples=10, deadline=None)
settings.register_profile("stress", max_examples=3000, deadline=None, print_blob=True)  # HYPOTHESIS_PROFILE=stress, by hand
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


@pytest.fixture
def write_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """Write a pack file into an empty working folder; returns its name (e.g. ``"x.yaml"``).

    The text is dedented, so a test can indent it with the code; problems then read
    ``x.yaml:LINE:COLUMN: ...`` with lines counted in the dedented text.
    """
    monkeypatch.chdir(tmp_path)

    def write(text: str, name: str = "x.yaml") -> str:
        Path(name).write_text(textwrap.dedent(text), encoding="utf-8")
        return name

    return write


@pytest.fixture
def pack_problems(write_pack: Callable[..., str]) -> Callable[..., list[str]]:
    """Write a pack, load it, and return its problems as ``str(problem)`` lines (it must fail)."""

    def problems(text: str, name: str = "x.yaml") -> list[str]:
        ref = write_pack(text, name)
        with pytest.raises(lif_rules.PackError) as info:
            lif_rules.load_pack(ref)
        return [str(p) for p in info.value.errors]

    return problems
