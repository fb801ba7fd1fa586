"""``lif-rules schedule`` as a user sees it: statuses, days late, warnings, and refused dates."""

from __future__ import annotations

import json
import re
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The schedule command, in a terminal wide enough that no table wraps."""
    return subprocess.run([sys.executable, "-m", "lif_rules", "schedule", "dudley", "rapid_review",
                           "--start", "2022-05-27", *args], capture_output=True, text=True, cwd=REPO, timeout=120,
                          env={**os.environ, "COLUMNS": "1000"})


def test_the_table_shows_status_days_late_and_warnings() -> None:
    result = run("--actual", "national_panel_informed=2022-06-28", "--actual", "rapid_review_meeting=2022-05-01",
                 "--today", "2022-07-01")
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert out[0] == "dudley: rapid_review timetable from 2022-05-27, today 2022-07-01"
    assert out[2].split()[:7] == ["milestone", "earliest", "due", "actual", "status", "late", "rule"]
    # counted from the meeting recorded on 1 May: due Wed 4 May, told Tue 28 Jun
    assert re.search(r"^national_panel_informed\s+-\s+2022-05-04\s+2022-06-28\s+met_late\s+55 days \(37 working days\)\s",
                     result.stdout, re.M)
    assert re.search(r"^scoping_requests_sent\s+-\s+2022-05-31\s+-\s+overdue\s+31 days \(21 working days\)\s",
                     result.stdout, re.M)
    assert re.search(r"^rapid_review_meeting\s+2022-06-09\s+2022-06-17\s+2022-05-01\s+met_early\s+-\s", result.stdout,
                     re.M)
    assert out[-2:] == ["Warnings:", "  rapid_review_meeting is recorded on 2022-05-01, before referral_received "
                        "(2022-05-27), which it is counted from; the date is kept as given, and milestones counted "
                        "from it are counted from that date"]


def test_json_has_statuses_days_late_and_warnings() -> None:
    result = run("--actual", "national_panel_informed=2022-06-28", "--today", "2022-07-01", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    told = next(m for m in data["milestones"] if m["id"] == "national_panel_informed")
    assert (told["due"], told["status"], told["days_late"], told["working_days_late"]) == ("2022-06-21", "met_late", 7, 5)
    assert data["warnings"] == []


def test_a_date_after_today_is_refused_with_exit_status_2() -> None:
    result = run("--actual", "national_panel_informed=2022-07-29", "--today", "2022-06-16")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("lif-rules: error: the actual date of 'national_panel_informed' (2022-07-29) is after "
                             "today (2022-06-16): a date that has not come cannot be recorded\n")


def test_schedule_json_is_ascii_like_every_json_answer(tmp_path: Path) -> None:
    from pack_texts import DEMO  # tests/ is on sys.path through its conftest

    pack = tmp_path / "demo.yaml"
    pack.write_text(DEMO.replace("name: Decision,", "name: Décision — first,"), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "lif_rules", "schedule", str(pack), "sar", "--start", "2024-03-04",
                             "--json"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.isascii()
    assert json.loads(result.stdout)["milestones"][1]["name"] == "Décision — first"
