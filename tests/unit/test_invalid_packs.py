"""The catalogue of broken packs: one defect per file in ``tests/invalid_packs/``, each with its exact problems.

Each file starts with comment lines:

    # expect: <line>:<column>: <yaml.path>: <message>     (one per problem, in the order PackError lists them)
    # xfail: bug: <one line>                             (optional: a known library bug; the test is a strict xfail)
    # defect: <what is wrong>

``{national:<section>.<key>}`` in an expectation stands for ``policies/baselines/national.yaml:LINE:3``, the
entry's place in the bundled baseline, so the catalogue does not break when that file moves lines.
Packs that need binary content or sheer size are made in ``tmp_path`` by the tests at the bottom.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import lif_rules
from lif_rules.core import loading
from lif_rules.pack import bundled_dir

FOLDER = Path(__file__).resolve().parent.parent / "invalid_packs"
SAVE_AS_UTF8 = "save the file with the UTF-8 encoding (in most editors: Save As, Encoding: UTF-8)"


def national(match: re.Match[str]) -> str:
    section, key = match.group(1), match.group(2)
    lines = (bundled_dir() / "baselines" / "national.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index(f"{section}:")
    line = next(n for n in range(start + 1, len(lines)) if lines[n] == f"  {key}:")
    return f"policies/baselines/national.yaml:{line + 1}:3"


def header(path: Path) -> tuple[list[str], str | None]:
    expected: list[str] = []
    xfail = None
    for line in path.read_bytes().decode("utf-8", "replace").splitlines():  # a file may be broken past its header
        if not line.startswith("#"):
            break
        if line.startswith("# expect: "):
            expected.append(re.sub(r"\{national:(\w+)\.(\w+)\}", national, line[len("# expect: "):]))
        elif line.startswith("# xfail: "):
            xfail = line[len("# xfail: "):]
    return expected, xfail


def cases() -> list[object]:
    out: list[object] = []
    for path in sorted(FOLDER.glob("*.yaml")):
        _expected, xfail = header(path)
        marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
        out.append(pytest.param(path, id=path.stem, marks=marks))
    return out


def problems(path: Path | str) -> list[str]:
    with pytest.raises(lif_rules.PackError) as info:
        lif_rules.load_pack(path)
    return [f"{p.line}:{p.column}: {p.path}: {p.message}" for p in info.value.errors]


def test_the_catalogue_is_complete() -> None:
    assert len(list(FOLDER.glob("*.yaml"))) >= 20
    for path in FOLDER.glob("*.yaml"):
        expected, _xfail = header(path)
        assert expected, f"{path.name} has no '# expect:' line"
        assert path.read_bytes().startswith(b"# expect: "), path.name


@pytest.mark.parametrize("path", cases())
def test_invalid_pack(path: Path) -> None:
    expected, _xfail = header(path)
    assert problems(path) == expected


@pytest.mark.parametrize("path", sorted(FOLDER.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_problem_names_the_file(path: Path) -> None:
    with pytest.raises(lif_rules.PackError) as info:
        lif_rules.load_pack(path)
    assert {p.file for p in info.value.errors} == {str(path)}


# --- generated here rather than kept in the folder ---------------------------------------------------


def test_non_utf8_bytes(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"pack: broken\nextends: national\ndocument:\n  title: Caf\xe9 LIF\n")
    assert problems(path) == [f"4:13: $: the file is not saved as UTF-8: byte 0xe9 ('\u00e9' in Windows-1252) cannot be "
                              f"read; {SAVE_AS_UTF8}"]


def test_non_utf8_after_a_multibyte_character(tmp_path: Path) -> None:
    path = tmp_path / "mixed.yaml"
    path.write_bytes("pack: broken\nnote: \u00a7 2.1 \u2014 ".encode() + b"\x80\n")
    # 'note: ' is 6 characters, then '§ 2.1 — ' is 8: the bad byte is the 15th character
    assert problems(path) == [f"2:15: $: the file is not saved as UTF-8: byte 0x80 ('\u20ac' in Windows-1252) cannot be "
                              f"read; {SAVE_AS_UTF8}"]


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as f:
        f.write(b"pack: broken\n")
        f.write((b"# padding" + b" " * 90 + b"\n") * (loading.MAX_BYTES // 100 + 1))
    size = path.stat().st_size
    assert problems(path) == [f"0:0: $: pack file is {size:,} bytes; the limit is {loading.MAX_BYTES:,} bytes"]
