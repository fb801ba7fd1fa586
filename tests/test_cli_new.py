"""``lif-rules new``: a starter pack that validates, passes its own examples, and has a working schema line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lif_rules.core.loading import parse_text


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lif_rules", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, env={**os.environ, "COLUMNS": "200"})


def test_a_starter_pack_validates_passes_its_examples_and_finds_its_schema(tmp_path: Path) -> None:
    result = run("new", "sandwell", "--folder", "packs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pack = tmp_path / "packs" / "sandwell.yaml"
    schema = tmp_path / "packs" / "pack.schema.json"
    assert pack.read_text(encoding="utf-8").splitlines()[0] == "# yaml-language-server: $schema=pack.schema.json"
    assert schema.read_text(encoding="utf-8") == run("schema", cwd=tmp_path).stdout
    assert run("validate", str(pack), cwd=tmp_path).stdout == f"ok: {pack} (sandwell: 1 review type)\n"
    tested = run("test", str(pack), cwd=tmp_path)
    assert tested.returncode == 0 and tested.stdout.splitlines()[-1] == "2 passed, 0 failed"
    jsonschema = pytest.importorskip("jsonschema")
    written = parse_text(pack.read_text(encoding="utf-8"), str(pack)).data  # read as packs are: dates stay text
    jsonschema.Draft202012Validator(json.loads(schema.read_text(encoding="utf-8"))).validate(written)


def test_new_refuses_a_bad_id_and_an_existing_pack(tmp_path: Path) -> None:
    bad = run("new", "Sandwell-LIF", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.strip() == ("lif-rules: error: invalid pack id 'Sandwell-LIF': ids use lowercase letters, digits "
                                  "and '_', starting with a letter; e.g. 'sandwell_lif'")
    assert run("new", "sandwell", cwd=tmp_path).returncode == 0
    again = run("new", "sandwell", cwd=tmp_path)
    assert again.returncode == 2 and "sandwell.yaml already exists" in again.stderr
