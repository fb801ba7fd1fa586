"""``lif-rules schedule --format csv|ics|html [-o FILE]`` and ``lif-rules render``, run as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

from viewkit import page_text

SCHEDULE = ["schedule", "dudley", "rapid_review", "--start", "2026-12-18", "--actual", "rapid_review_meeting=2027-01-05",
            "--today", "2027-01-06"]


def run(*args: str, code: str | None = None) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "lif_rules", *args]
    return subprocess.run(command, capture_output=True, timeout=120)


def as_json() -> dict[str, object]:
    result = run(*SCHEDULE, "--format", "json")
    assert result.returncode == 0
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_json_format_is_the_same_as_json_flag() -> None:
    flagged = run(*SCHEDULE, "--json")
    assert json.loads(flagged.stdout) == as_json()
    assert as_json()["review"] == "rapid_review"


def test_csv_on_standard_output_is_the_schedule_with_a_byte_order_mark_for_spreadsheets() -> None:
    result = run(*SCHEDULE, "--format", "csv")
    assert result.returncode == 0 and result.stderr == b""
    assert result.stdout.startswith(b"\xef\xbb\xbfid,name,due,")
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8-sig"), newline="")))
    milestones = as_json()["milestones"]
    assert isinstance(milestones, list)
    assert [r["id"] for r in rows] == [m["id"] for m in milestones]
    assert [(r["due"], r["actual"] or None, r["status"]) for r in rows] == \
        [(m["due"], m["actual"], m["status"]) for m in milestones]


def test_ics_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "review.ics"
    result = run(*SCHEDULE, "--format", "ics", "-o", str(out))
    assert result.returncode == 0 and result.stdout == b""
    assert result.stderr.decode() == f"wrote {out} (ics)\n"
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    assert sorted(str(e["summary"]) for e in calendar.walk("VEVENT")) == sorted(
        m["name"] for m in as_json()["milestones"])  # type: ignore[union-attr, index]


@pytest.mark.parametrize("fmt", ["csv", "ics"])
def test_a_format_with_no_place_for_warnings_still_gives_them_on_standard_error(fmt: str, tmp_path: Path) -> None:
    early = [*SCHEDULE[:5], "--actual", "rapid_review_meeting=2026-12-01"]  # recorded before the referral
    out = tmp_path / f"review.{fmt}"
    result = run(*early, "--format", fmt, "-o", str(out))
    assert result.returncode == 0
    assert result.stderr.decode().splitlines() == [
        "warning: rapid_review_meeting is recorded on 2026-12-01, before referral_received (2026-12-18), which it is "
        "counted from; the date is kept as given, and milestones counted from it are counted from that date",
        f"wrote {out} ({fmt})"]


def test_html_to_standard_output_and_with_json_to_a_file(tmp_path: Path) -> None:
    result = run(*SCHEDULE, "--format", "html")
    assert result.returncode == 0
    assert page_text(result.stdout.decode()).startswith("Rapid review (children): timeline from 18 December 2026")
    out = tmp_path / "timeline.html"
    result = run(*SCHEDULE, "--format", "html", "-o", str(out), "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"output": str(out), "format": "html", "bytes": out.stat().st_size}


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "html", "--json"], "lif-rules: error: --json prints JSON on standard output, so html needs a file: "
                                     "add -o FILE"),
    (["--format", "ics", "-o", "/no/such/folder/x.ics"], "lif-rules: error: cannot write '/no/such/folder/x.ics': "
                                                         "No such file or directory"),
])
def test_bad_output_choices_are_usage_errors(args: list[str], message: str) -> None:
    result = run(*SCHEDULE, *args)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [message]
    if "--json" in args:  # the error as JSON on standard output too
        assert json.loads(result.stdout)["error"]["type"] == "usage"
    else:
        assert result.stdout == b""


def test_an_unknown_format_is_a_usage_error() -> None:
    result = run(*SCHEDULE, "--format", "pdf")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines()[-1] == (
        "lif-rules schedule: error: argument --format: invalid choice: 'pdf' "
        "(choose from 'table', 'json', 'csv', 'ics', 'html')")


def test_render_a_pack_to_a_file_and_to_standard_output(tmp_path: Path) -> None:
    out = tmp_path / "dudley.html"
    result = run("render", "dudley", "-o", str(out))
    assert result.returncode == 0 and result.stderr.decode() == f"wrote {out} (html)\n"
    text = page_text(out.read_text(encoding="utf-8"))
    assert "Dudley Safeguarding People Partnership (DSPP) Joint Learning and Improvement Framework (LIF) 2020" in text
    assert run("render", "dudley").stdout == out.read_bytes()


def test_render_an_unknown_pack_is_a_usage_error() -> None:
    result = run("render", "dudly")
    assert result.returncode == 2
    assert result.stderr.decode().startswith("lif-rules: error: no bundled pack 'dudly' (did you mean 'dudley'?)")


WITHOUT_EXTRAS = ("import sys; sys.modules['jinja2'] = sys.modules['icalendar'] = None; "
                  "from lif_rules.cli.app import main; sys.exit(main(sys.argv[1:]))")


@pytest.mark.parametrize(("args", "package"), [
    (["render", "dudley"], "jinja2"),
    ([*SCHEDULE, "--format", "html"], "jinja2"),
    ([*SCHEDULE, "--format", "ics"], "icalendar"),
])
def test_without_the_views_extra_the_message_says_what_to_install(args: list[str], package: str) -> None:
    result = run(*args, code=WITHOUT_EXTRAS)
    assert result.returncode == 2
    assert result.stdout == b""
    message = result.stderr.decode()
    assert "Traceback" not in message and len(message.splitlines()) == 1
    assert f"needs the optional package '{package}', which is not installed; install it with: " \
           f"pip install \"lif_rules[views]\"" in message


def test_csv_and_table_need_no_extra() -> None:
    for fmt in ("csv", "table"):
        assert run(*SCHEDULE, "--format", fmt, code=WITHOUT_EXTRAS).returncode == 0
