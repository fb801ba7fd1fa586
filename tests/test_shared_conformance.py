"""The worked cases in ../shared/conformance pass (skipped where that folder is not beside the project)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CHECKER = Path(__file__).resolve().parents[1].parent / "shared" / "conformance" / "check.py"


@pytest.mark.skipif(not CHECKER.is_file(), reason="../shared/conformance is not beside this checkout")
def test_shared_worked_cases_all_pass() -> None:
    run = subprocess.run([sys.executable, str(CHECKER)], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], timeout=300)
    last = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr
    assert run.returncode == 0 and last.endswith(" 0 failed"), run.stdout + run.stderr
