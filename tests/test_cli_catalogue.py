"""``lif-rules packs`` and ``lif-rules show PACK``: what a user reads, the JSON a program reads, and the errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import lif_rules
from lif_rules.cli import main
from lif_rules.pack import bundled_dir


@pytest.fixture(autouse=True)
def _terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")


def test_packs_lists_each_bundled_pack_with_its_review_types(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["packs"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["id", "title", "version", "in", "force"]
    assert lines[2].split() == ["barking_dagenham", "B&D", "LIF", "2017-2020", "-", "2017-02-01", "to", "2020-12-31"]
    dudley = lines.index(next(line for line in lines if line.startswith("dudley ")))
    assert lines[dudley].split()[-2:] == ["from", "2021-02-23"]
    assert "V3 (02.02.2021)" in lines[dudley]
    assert lines[dudley + 1] == "                  review types: rapid_review, cspr, table_top_review, macfa, sar,"
    assert lines[dudley + 2] == "                    training_impact_evaluation"
    assert all(len(line) <= 100 for line in lines)


def test_packs_json_is_each_packs_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["packs", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        lif_rules.load_pack(i).describe().summary().model_dump(mode="json") for i in lif_rules.available_packs()]


def test_show_json_is_the_packs_description(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "stockport", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == lif_rules.load_pack("stockport").describe().model_dump(mode="json")


def test_show_reads_a_pack_file_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--json", "show", str(bundled_dir() / "cumbria.yaml")]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "cumbria"


def test_show_describes_every_part_of_the_pack(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "dudley"]) == 0
    out = capsys.readouterr().out
    d = lif_rules.load_pack("dudley").describe()
    assert out.startswith(d.document.title[:60])
    for heading in (f"Facts ({len(d.facts)})", f"Review types ({len(d.reviews)})",
                    f"Notifications ({len(d.notifications)})", f"Meetings with a quorum rule ({len(d.meetings)})",
                    f"Roles ({len(d.roles)})", f"Notes ({len(d.notes)})"):
        assert f"\n\n{heading}\n" in out
    assert "  abuse_or_neglect: known | suspected | not_suspected\n" in out
    assert "  died: true | false\n" in out
    assert "  rapid_review: Rapid review (children)\n      legal basis  statutory_guidance\n" in out
    assert "      timetable    none\n" in out  # cspr has no timetable
    assert "      in force  from 2018-06-29\n" in out
    assert "      quorum    each of local_authority, police, icb\n" in out
    assert "      before  ccg (the clinical commissioning group" in out
    assert f"  sha256       {d.sha256}\n" in out
    assert all(len(line) <= 100 for line in out.splitlines())


def test_show_wraps_long_text_to_the_terminal_under_its_label(capsys: pytest.CaptureFixture[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    assert main(["show", "dudley"]) == 0
    lines = capsys.readouterr().out.splitlines()
    overflowing = [line for line in lines if len(line) > 60]
    assert [line.split()[0] for line in overflowing] == ["sha256"]  # a word too long to break (and its label)
    publisher = lines.index("  publisher    Dudley Safeguarding People Partnership (DSPP")
    assert lines[publisher + 1] == "               Business Unit)"


def test_show_an_unknown_pack_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "dudly"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("lif-rules: error: no bundled pack 'dudly' (did you mean 'dudley'?)")


def test_show_an_unknown_pack_with_json_prints_the_error_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "dudly", "--json"]) == 2
    captured = capsys.readouterr()
    error = json.loads(captured.out)["error"]
    assert error["type"] == "not_found"
    assert error["message"].startswith("no bundled pack 'dudly' (did you mean 'dudley'?)")
    assert error["problems"] == []
    assert "no bundled pack 'dudly'" in captured.err


def test_show_a_pack_that_does_not_load_lists_its_located_problems(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text((bundled_dir() / "dudley.yaml").read_text(encoding="utf-8")
                      .replace("extends: national", "extends: nationl"), encoding="utf-8")
    assert main(["show", str(broken), "--json"]) == 2
    captured = capsys.readouterr()
    error = json.loads(captured.out)["error"]
    assert (error["type"], error["message"]) == ("invalid_pack", "the pack does not load")
    [problem] = error["problems"]
    assert (problem["file"], problem["line"], problem["path"]) == (str(broken), 6, "$.extends")
    assert captured.err == f"{broken}:6:{problem['column']}: $.extends: {problem['message']}\n"
