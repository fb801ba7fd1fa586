"""``lif-rules packs`` and ``lif-rules show PACK``: what a user reads, the JSON a program reads, and the errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

import lif_rules
from lif_rules.cli import main
from lif_rules.cli.catalogue import period
from lif_rules.pack import bundled_dir

from described_pack import AREA  # tests/ is on sys.path through its conftest
from pack_texts import DATED_ENDED


@pytest.fixture(autouse=True)
def _terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")


def test_packs_lists_each_bundled_pack_with_its_review_types(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["packs"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["id", "title", "version", "in", "force"]
    rows = [n for n, line in enumerate(lines) if line and not line.startswith((" ", "-", "id "))]
    summaries = [lif_rules.load_pack(i).describe().summary() for i in lif_rules.available_packs()]
    assert [lines[n].split()[0] for n in rows] == [s.id for s in summaries]
    for n, end, s in zip(rows, rows[1:] + [len(lines)], summaries):
        assert lines[n].split() == [s.id, *s.short_title.split(), *(s.version or "-").split(),
                                    *period(s.in_force).split()]
        assert lines[n + 1].startswith(" " * (max(len(i) for i in lif_rules.available_packs()) + 2) + "review types: ")
        assert " ".join(" ".join(lines[n + 1:end]).split()) == "review types: " + ", ".join(s.reviews)
    assert all(len(line) <= 100 for line in lines if len(line.split()) > 2)  # an id alone may be longer


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


def test_show_describes_every_part_of_the_pack(write_pack: Callable[..., str],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", write_pack(AREA, "area.yaml")]) == 0
    out = capsys.readouterr().out
    sha = lif_rules.load_pack("area.yaml").sha256
    assert out == f"""\
Area Safeguarding Partnership Learning and Improvement Framework
  pack         area
  short title  Area LIF 2024
  publisher    Area Safeguarding Partnership
  source       area-lif-2024.txt
  version      2.1
  approved     2024-03-01
  review due   2026-03-31
  in force     from 2024-04-01
  regime       working_together_2023, care_act_2014
  sha256       {sha}

Facts (2)
  subject: child | adult
      who the case is about
  died: true | false
      the subject has died

Review types (2)
  rapid_review: Rapid review
      legal basis  statutory_guidance
      decided by   the safeguarding partners
      citation     Area LIF 2024 s2
      timetable    referral_received, meeting
  audit: Case file audit
      legal basis  non_statutory
      decided by   the audit group
      citation     Area LIF 2024 s5
      in force     2025-01-01 to 2025-12-31
      timetable    none

Notifications (1)
  death_notice: Notice of a child's death
      by        local authority
      to        Ofsted, the partners
      deadline  within 5 working days
      citation  Area LIF 2024 s3
      in force  from 2024-06-01

Meetings with a quorum rule (1)
  rapid_review_meeting: Rapid review meeting
      quorum    each of local_authority, health; at least 2 of its roles represented; chaired by
                local_authority
      citation  Area LIF 2024 s2.4
      note      remote attendance counts

Roles (2)
  local_authority: the local authority
  health: the health partner
      before  ccg (the clinical commissioning group) until 2022-06-30

Notes (1)
  reviews.rapid_review (s2.3):
      the document gives no unit; the pack reads working days
"""


def test_show_lists_a_meeting_and_a_role_that_have_ended_and_says_until_when(
        write_pack: Callable[..., str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", write_pack(DATED_ENDED, "dated.yaml")]) == 0
    out = capsys.readouterr().out
    meetings = out[out.index("Meetings with a quorum rule"):out.index("Notes")]
    assert meetings == """\
Meetings with a quorum rule (2)
  partners: Partners' meeting
      quorum    each of local_authority
      citation  4.1
  lscb_board: LSCB board
      quorum    each of local_authority, lscb_chair
      citation  4.2
      in force  until 2019-09-29

Roles (2)
  local_authority: the local authority
  lscb_chair: the LSCB chair
      in force  until 2019-09-29

"""


def test_show_describes_each_bundled_pack(capsys: pytest.CaptureFixture[str]) -> None:
    for pack_id in lif_rules.available_packs():
        assert main(["show", pack_id]) == 0
        out = capsys.readouterr().out
        d = lif_rules.load_pack(pack_id).describe()
        for heading in (f"Facts ({len(d.facts)})", f"Review types ({len(d.reviews)})",
                        f"Notifications ({len(d.notifications)})", f"Roles ({len(d.roles)})",
                        f"Meetings with a quorum rule ({len(d.meetings)})", f"Notes ({len(d.notes)})"):
            assert f"\n\n{heading}\n" in out
        assert all(f"\n  {r.id}: " in out for r in d.reviews)
        assert all(len(line) <= 100 for line in out.splitlines() if len(line.split()) > 2)


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
