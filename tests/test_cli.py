"""The ``lif-rules`` command line, run as a real process: output a user sees and exit statuses."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import lif_rules
from lif_rules.cli import app as cli, authoring

REPO = Path(__file__).resolve().parents[1]
DUDLEY = REPO / "policies" / "dudley.yaml"
SCHEMA_FILE = REPO / "policies" / "pack.schema.json"


def run(*args: str, stdin: str | None = None, cwd: Path | None = None,
        columns: int | None = 1000) -> subprocess.CompletedProcess[str]:
    """``lif-rules ARGS`` in a terminal ``columns`` wide (wide enough by default that no table wraps; ``None``: no
    COLUMNS, as when the output is not a terminal)."""
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = str(columns)
    return subprocess.run([sys.executable, "-m", "lif_rules", *args], input=stdin, capture_output=True, text=True,
                          cwd=cwd or REPO, timeout=120, env=env)


def lines(text: str) -> list[str]:
    return text.splitlines()


def assert_one_line_error(result: subprocess.CompletedProcess[str], status: int = 2) -> str:
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert len(lines(result.stderr)) == 1, result.stderr
    return result.stderr.strip()


def dudley_copy(tmp_path: Path, old: str, new: str, name: str = "dudley_copy.yaml") -> Path:
    text = DUDLEY.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the fixture edit {old!r} no longer matches dudley.yaml"
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


# -- the console script and help --------------------------------------------------------------------

def test_console_script_next_to_the_interpreter_runs() -> None:
    script = Path(sys.executable).with_name("lif-rules")
    if not script.exists():
        pytest.skip("the lif-rules console script is not installed next to this interpreter")
    result = subprocess.run([str(script), "validate", str(DUDLEY)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(rf"ok: {re.escape(str(DUDLEY))} \(dudley: \d+ review types\)\n", result.stdout)


def test_help_lists_every_command_and_the_exit_statuses() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("validate", "decide", "schedule", "quorum", "test", "schema", "diff", "why-not", "check", "render"):
        assert re.search(rf"^\s+{command}\s+\S", result.stdout, re.M), command
    assert "3  internal error" in result.stdout
    assert "2  bad input" in result.stdout


@pytest.mark.parametrize("command", ["validate", "decide", "schedule", "quorum", "test", "schema", "diff", "render"])
def test_each_command_has_help_with_json(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: lif-rules {command}")
    assert "--json" in result.stdout


def test_unknown_command_is_a_usage_error() -> None:
    result = run("frobnicate")
    assert result.returncode == 2
    assert result.stdout == ""
    assert lines(result.stderr)[0].startswith("usage: lif-rules")
    assert lines(result.stderr)[-1] == (
        "lif-rules: error: argument COMMAND: invalid choice: 'frobnicate' "
        "(choose from 'decide', 'schedule', 'quorum', 'validate', 'test', 'schema', 'diff', 'new', 'why-not', 'check', 'render', 'packs', 'show', 'serve')")


def test_no_command_prints_the_help() -> None:
    result = run()
    assert result.returncode == 0
    assert result.stdout == run("--help").stdout
    assert result.stderr == ""


def test_an_unexpected_exception_is_one_line_and_exit_3(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(authoring, "diff_packs", boom)
    assert cli.main(["diff", "dudley", "dudley"]) == 3
    captured = capsys.readouterr()
    assert captured.err == "lif-rules: internal error: RuntimeError: boom second line\n"


# -- validate -------------------------------------------------------------------------------------

def test_validate_a_good_pack_and_the_baseline() -> None:
    result = run("validate", "policies/dudley.yaml", "policies/baselines/national.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    out = lines(result.stdout)
    assert re.fullmatch(r"ok: policies/dudley\.yaml \(dudley: \d+ review types\)", out[0])
    assert re.fullmatch(r"ok: policies/baselines/national\.yaml \(baseline national: \d+ facts, \d+ definitions.*\)",
                        out[1])
    assert result.stderr == ""


BROKEN = """\
pack: broken
extends: national
document:
  title: Broken LIF
  short_title: Broken
  publisher: Broken Partnership
  source: broken.txt
  colour: blue
  in_force: {from: 2021-01-01}
  regime: [care_act_2014]
reviews:
  sar:
    name: Safeguarding adults review
    name: again
    legal_basis: statutory_duty
    decided_by: the SAB
    citation: "Care Act 2014 s44"
    rules:
      - id: duty
        when: subject == adult and care_and_suport_needs
        status: required
        citation: "Care Act 2014 s44(1)"
notes:
  - about: reviews.sar
    text: !!python/object:os.system echo hello
"""


def test_validate_reports_every_problem_located(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    result = run("validate", "broken.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    out = lines(result.stdout)
    assert len(out) == 4, result.stdout
    assert out[0].startswith("broken.yaml:8:3: $.document.colour: unexpected key 'colour'")
    assert out[1] == "broken.yaml:14:5: $.reviews.sar.name: duplicate key 'name' (first defined at line 13, column 5)"
    assert out[2] == ("broken.yaml:20:36: $.reviews.sar.rules[duty].when: unknown fact or definition "
                      "'care_and_suport_needs' (did you mean 'care_and_support_needs'?)")
    assert out[3].startswith("broken.yaml:25:11: $.notes[1].text: tag '!!python/object:os.system' is not allowed")
    assert result.stderr == "4 problems in 1 of 1 file\n"


def test_validate_a_folder_checks_each_file(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "good.yaml").write_text(DUDLEY.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("validate", str(tmp_path), "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["valid"] is False
    by_file = {Path(f["file"]).name: f for f in data["files"]}
    assert by_file["good.yaml"]["valid"] is True and by_file["good.yaml"]["id"] == "dudley"
    assert by_file["broken.yaml"]["valid"] is False
    assert [p["line"] for p in by_file["broken.yaml"]["problems"]] == [8, 14, 20, 25]



def test_a_file_name_with_a_line_break_cannot_add_a_line_to_what_validate_or_decide_print(tmp_path: Path) -> None:
    # Each problem, warning and "ok" is one line beginning with its file: a name holding a line break
    # (a legal file name) must not print a second line that reads as another file's verdict.
    (tmp_path / "x\nok: policies.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "y\nz.yaml").write_text(DUDLEY.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("validate", ".", cwd=tmp_path)
    assert result.returncode == 1
    out = lines(result.stdout)
    assert len(out) == 6, result.stdout  # 4 problems, the warning that the id differs from the name, one ok
    assert all(line.startswith(("x\\nok: policies.yaml:", "y\\nz.yaml:", "ok: y\\nz.yaml ")) for line in out), out
    assert result.stderr == "4 problems in 1 of 2 files\n"
    decided = run("decide", "./x\nok: policies.yaml", "-", stdin="{}", cwd=tmp_path)
    assert decided.returncode == 2 and decided.stdout == ""
    assert len(lines(decided.stderr)) == 4 and all(line.startswith("x\\nok: policies.yaml:")
                                                   for line in lines(decided.stderr)), decided.stderr
    missing = run("decide", "./nope\nsar: required.yaml", "-", stdin="{}", cwd=tmp_path)
    assert lines(missing.stderr) == ["./nope\\nsar: required.yaml: no such pack file"], missing.stderr


def test_a_case_file_name_with_a_line_break_is_one_line_of_error(tmp_path: Path) -> None:
    name = "c\nsar: required.yaml"
    (tmp_path / name).write_text("subject: adults\n", encoding="utf-8")
    for case in (name, "no\nsar: required.yaml"):  # bad facts, and a missing file
        result = run("decide", "dudley", case, cwd=tmp_path)
        message = assert_one_line_error(result)
        assert message.startswith("lif-rules: error: " + case.replace("\n", "\\n") + ":"), message


def test_a_line_break_in_a_packs_text_stays_inside_its_cell_or_line(tmp_path: Path) -> None:
    # A citation written over lines (a literal block, or "\n" in quotes) must not print a line of its
    # own, which in a table reads as another review's row ("macfa  required ...").
    old = 'citation: "Working Together 2018 ch.4 (from 15 December 2023, Working Together 2023 ch.5); Dudley LIF ' \
          '2020, Children\'s Learning Reviews: Rapid Review"'
    path = dudley_copy(tmp_path, old, old.replace("Working Together 2018", "Working Together\\nmacfa  required\\n2018"))
    for columns in (1000, 80):
        for trace in ((), ("--trace",)):
            result = run("decide", str(path), "-", "--review", "rapid_review", *trace, stdin="{}", columns=columns)
            assert result.returncode == 0, result.stderr
            assert not [line for line in lines(result.stdout) if line.startswith(("macfa", "2018"))], result.stdout
            assert "Working Together macfa required 2018 ch.4" in " ".join(result.stdout.split())

WARNING_PACKS = REPO / "tests" / "warning_packs"


def test_validate_prints_warnings_located_and_still_exits_0() -> None:
    result = run("validate", "tests/warning_packs/pack_id_differs.yaml", "tests/warning_packs/stockport.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines(result.stdout) == [
        "tests/warning_packs/pack_id_differs.yaml:3:7: warning: the pack id 'sandwell' differs from the file name "
        "'pack_id_differs.yaml': rename the file 'sandwell.yaml' (or change the id to match it), so that one name "
        "finds the pack and labels its answers",
        "ok: tests/warning_packs/pack_id_differs.yaml (sandwell: 1 review type)",
        "tests/warning_packs/stockport.yaml:3:7: warning: the pack id 'stockport' is also the id of a bundled pack: "
        "give this pack an id of its own (e.g. 'stockport_local'), so that answers from the two cannot be mistaken "
        "for each other",
        "ok: tests/warning_packs/stockport.yaml (stockport: 1 review type)",
    ]
    assert result.stderr == ""


def test_validate_json_lists_warnings_per_file() -> None:
    result = run("validate", "--json", str(WARNING_PACKS), "dudley")
    assert result.returncode == 0, result.stdout + result.stderr
    files = {Path(f["file"]).name: f for f in json.loads(result.stdout)["files"]}
    assert files["dudley"]["warnings"] == []
    (warning,) = files["stockport.yaml"]["warnings"]
    assert (warning["line"], warning["column"], warning["path"]) == (3, 7, "$.pack")
    assert warning["message"].startswith("the pack id 'stockport' is also the id of a bundled pack")
    assert all(f["valid"] and f["problems"] == [] for f in files.values())


def test_validate_help_explains_the_paths() -> None:
    help_text = " ".join(run("validate", "--help").stdout.split())
    assert "$.reviews.sar.rules[serious_case].when" in help_text
    assert "counted from 1 (examples[1] is the first example, to[2] the second recipient)" in help_text


@pytest.mark.parametrize("path, problem", [
    ("no/such/pack.yaml", "no/such/pack.yaml: no such pack file"),
    ("no/such/pack.json", "no/such/pack.json: no such pack file"),
    pytest.param("/dev/null", "/dev/null: is not a regular file (a device, pipe or socket); a pack file must be a file",
                 marks=pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null on this system")),
])
def test_validate_a_file_that_cannot_be_read_is_bad_input(path: str, problem: str) -> None:
    result = run("validate", path)  # exit status 2, as for an unreadable file in every other command
    assert result.returncode == 2, result.stdout + result.stderr
    assert (result.stdout, result.stderr) == ("", f"{problem}\n")
    as_json = run("validate", path, "--json")
    assert as_json.returncode == 2
    assert json.loads(as_json.stdout)["error"]["problems"][0]["message"] == problem.split(": ", 1)[1]


def test_validate_a_file_too_large_is_an_invalid_pack(tmp_path: Path) -> None:
    with (tmp_path / "big.yaml").open("wb") as f:
        f.truncate(6_000_000)
    result = run("validate", "big.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert lines(result.stdout) == ["big.yaml: pack file is 6,000,000 bytes; the limit is 5,000,000 bytes"]


# -- decide ---------------------------------------------------------------------------------------

CHILD = "subject: child\ndied: true\nabuse_or_neglect: suspected\n"


def test_decide_a_facts_file(tmp_path: Path) -> None:
    facts = tmp_path / "case.yaml"
    facts.write_text(CHILD, encoding="utf-8")
    result = run("decide", "dudley", str(facts))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert re.search(r"^rapid_review\s+required\s+-\s+rapid_review\.serious_case\s+Working Together 2018", out, re.M)
    assert re.search(r"^cspr\s+consider\s+-\s+cspr\.serious_case\s", out, re.M)
    assert re.search(r"^sar\s+not_eligible\s+-\s+sar\.otherwise\s", out, re.M)
    assert re.search(r"^  national_panel_notification\s+local authority\s", out, re.M)
    assert re.search(r"^  looked_after_child_death_notification\s.*\slooked_after$", out, re.M)
    assert result.stderr == ""


def test_decide_from_standard_input_as_json() -> None:
    result = run("decide", "dudley", "-", "--json", stdin=json.dumps({"subject": "adult", "died": True}))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["pack"] == "dudley"
    assert data["outcomes"]["rapid_review"]["status"] == "not_eligible"
    assert data["outcomes"]["sar"]["status"] == "undetermined"
    assert data["outcomes"]["sar"]["missing"] == ["abuse_or_neglect", "care_and_support_needs",
                                                  "concern_about_joint_working"]
    assert lif_rules.Decision.model_validate(data).outcomes["sar"].status == "undetermined"


def test_decide_one_review_with_its_trace(tmp_path: Path) -> None:
    facts = tmp_path / "case.json"
    facts.write_text(json.dumps({"subject": "adult", "care_and_support_needs": True, "died": False,
                                 "seriously_harmed": True, "abuse_or_neglect": "known",
                                 "concern_about_joint_working": False}), encoding="utf-8")
    result = run("decide", "dudley", str(facts), "--review", "sar", "--trace", "--as-of", "2021-03-01")
    assert result.returncode == 0, result.stderr
    out = lines(result.stdout)
    assert out[0] == "dudley (V3 (02.02.2021)): decision as of 2021-03-01"
    rows = [line for line in out if re.match(r"^(rapid_review|cspr|sar|macfa)\s", line)]
    assert len(rows) == 1 and re.match(r"^sar\s+discretionary\s+-\s+sar\.power\s", rows[0])
    assert "  sar: discretionary" in out
    assert "    sar.duty: false -> required" in out
    assert "    sar.power: true -> discretionary" in out
    assert any(line.startswith("        saw: ") and "concern_about_joint_working=false" in line for line in out)


def test_decide_warns_outside_the_period_in_force(tmp_path: Path) -> None:
    result = run("decide", "dudley", "-", "--as-of", "2020-01-01", stdin="{}")
    assert result.returncode == 0
    assert "Warnings:" in result.stdout
    assert "before the pack came into force on 2021-02-23" in result.stdout


def test_decide_bad_facts_is_a_usage_error_in_one_line() -> None:
    result = run("decide", "dudley", "-", stdin="subject: chlid\n")
    message = assert_one_line_error(result)
    assert message.startswith("lif-rules: error: <stdin>:1:10: $.subject: fact 'subject' must be one of: child, adult")
    assert "(did you mean 'child'?)" in message


def test_decide_unknown_fact_is_a_usage_error() -> None:
    message = assert_one_line_error(run("decide", "dudley", "-", stdin="dyed: true\n"))
    assert message.startswith("lif-rules: error: <stdin>:1:1: $.dyed: unknown fact 'dyed' (did you mean 'died'?)")


@pytest.mark.parametrize("stdin, expected", [
    ("- subject\n- child\n", "lif-rules: error: <stdin>:1:1: $: a case is a mapping of fact names to values "
                             "(e.g. subject: child), got a list"),
    ("{subject: child", "lif-rules: error: <stdin>:2:1: $.subject: the mapping opened with '{' at line 1, column 1 "
                        "is not closed: end it with '}'"),
])
def test_decide_facts_that_are_not_a_mapping(stdin: str, expected: str) -> None:
    assert assert_one_line_error(run("decide", "dudley", "-", stdin=stdin)).startswith(expected)


@pytest.mark.parametrize("text", ["", "\n  \n", "null\n", "~\n", "---\n"])
def test_decide_an_empty_case_file_is_refused_saying_to_write_braces(tmp_path: Path, text: str) -> None:
    (tmp_path / "case.yaml").write_text(text, encoding="utf-8")
    message = assert_one_line_error(run("decide", "dudley", "case.yaml", cwd=tmp_path))
    assert message == "lif-rules: error: case.yaml:1:1: $: the case is empty; write {} for a case with every fact unknown"
    message = assert_one_line_error(run("decide", "dudley", "-", stdin=text))
    assert message == "lif-rules: error: <stdin>:1:1: $: the case is empty; write {} for a case with every fact unknown"


@pytest.mark.parametrize("text, problem", [
    ('{"died": True}', "1:10: $.died: invalid JSON: 'True' is not JSON: write true"),
    ('{"died": true,}', "1:14: $.died: invalid JSON: a ',' before '}': JSON allows no comma after the last entry; "
                        "remove it"),
    ("{'died': true}", "1:2: $: invalid JSON: a string is written in double quotes in JSON, not single quotes"),
    ('{"died": true} # c', "1:16: $: invalid JSON: JSON has no comments: remove it (or write the file as YAML, "
                           "named .yaml, to keep it)"),
])
def test_decide_a_json_case_file_must_be_strict_json(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "case.json").write_text(text, encoding="utf-8")
    message = assert_one_line_error(run("decide", "dudley", "case.json", cwd=tmp_path))
    assert message == f"lif-rules: error: case.json:{problem}"


def test_decide_unreadable_facts_file() -> None:
    message = assert_one_line_error(run("decide", "dudley", "no-such-case.yaml"))
    assert message == "lif-rules: error: no-such-case.yaml: no such case file"


def test_decide_unknown_review_and_unknown_pack() -> None:
    message = assert_one_line_error(run("decide", "dudley", "-", "--review", "sra", stdin="{}"))
    assert message.startswith("lif-rules: error: pack 'dudley' has no review 'sra' (did you mean 'sar'?)")
    message = assert_one_line_error(run("decide", "dudly", "-", stdin="{}"))
    assert message.startswith("lif-rules: error: no bundled pack 'dudly' (did you mean 'dudley'?)")


def test_decide_with_an_invalid_pack_file_lists_its_problems(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    result = run("decide", "broken.yaml", "-", stdin="{}", cwd=tmp_path)
    assert result.returncode == 2  # a pack that does not load is bad input for every command but validate
    assert result.stdout == ""
    assert len(lines(result.stderr)) == 4
    assert all(line.startswith("broken.yaml:") for line in lines(result.stderr))


TOO_LONG = "9" * 5000  # more digits than Python converts an integer from


def test_decide_a_number_too_long_to_read_is_bad_facts_located(tmp_path: Path) -> None:
    (tmp_path / "case.yaml").write_text(f"subject: child\ndied: {TOO_LONG}\n", encoding="utf-8")
    message = assert_one_line_error(run("decide", "dudley", "case.yaml", cwd=tmp_path))
    assert message == ("lif-rules: error: case.yaml:2:7: $.died: a number of 5,000 digits: numbers are written with "
                       "at most 100 digits")


def test_validate_a_number_too_long_to_read_is_a_pack_problem(tmp_path: Path) -> None:
    dudley_copy(tmp_path, "working_days: 15}", f"working_days: {TOO_LONG}}}", "dudley.yaml")
    result = run("--json", "validate", "dudley.yaml", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    [problem] = json.loads(result.stdout)["files"][0]["problems"]
    assert problem["path"] == "$.reviews.rapid_review.milestones[national_panel_informed].due[2].working_days"
    assert problem["message"] == "a number of 5,000 digits: numbers are written with at most 100 digits"


# -- schedule -------------------------------------------------------------------------------------

def test_schedule_names_the_bank_holidays_that_moved_a_date() -> None:
    result = run("schedule", "dudley", "rapid_review", "--start", "2022-05-27")
    assert result.returncode == 0, result.stderr
    out = lines(result.stdout)
    assert out[0] == "dudley: rapid_review timetable from 2022-05-27"
    header = out[2].split()
    assert header == ["milestone", "earliest", "due", "actual", "status", "rule", "moved", "by"]
    row = next(line for line in out if line.startswith("rapid_review_meeting "))
    assert re.match(r"rapid_review_meeting\s+2022-06-09\s+2022-06-17\s+-\s+-\s+between 7 and 13 working days after "
                    r"referral_received\s+Spring Bank Holiday \(2022-06-02\), Platinum Jubilee.* \(2022-06-03\)$", row)
    first = next(line for line in out if line.startswith("scoping_requests_sent "))
    assert re.match(r"scoping_requests_sent\s+-\s+2022-05-31\s+-\s+-\s+2 working days after referral_received\s+-$",
                    first)
    ids = [line.split()[0] for line in out[4:] if line]
    assert ids[:2] == ["became_aware", "referral_received"] and ids[-1] == "national_panel_informed"


def test_schedule_with_actual_dates_today_and_json() -> None:
    result = run("schedule", "dudley", "rapid_review", "--start", "2022-05-27", "--actual",
                 "rapid_review_meeting=2022-06-13", "--today", "2022-06-16", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    by_id = {m["id"]: m for m in data["milestones"]}
    assert by_id["rapid_review_meeting"]["actual"] == "2022-06-13"
    assert by_id["rapid_review_meeting"]["status"] == "met"
    assert by_id["national_panel_informed"]["due"] == "2022-06-15"
    assert by_id["national_panel_informed"]["status"] == "overdue"


def test_schedule_text_shows_status_when_today_is_given() -> None:
    result = run("schedule", "dudley", "rapid_review", "--start", "2022-05-27", "--today", "2022-06-10")
    assert result.returncode == 0
    assert lines(result.stdout)[2].split()[:5] == ["milestone", "earliest", "due", "actual", "status"]
    assert re.search(r"^rapid_review_meeting\s+2022-06-09\s+2022-06-17\s+-\s+due\s", result.stdout, re.M)


@pytest.mark.parametrize("args, expected", [
    (["--start", "2022-13-01"], "lif-rules schedule: error: argument --start: invalid date '2022-13-01': "
                                "not a real date"),
    (["--start", "2026-02-30"], "lif-rules schedule: error: argument --start: invalid date '2026-02-30': "
                                "not a real date"),
    (["--start", "27/05/2022"], "lif-rules schedule: error: argument --start: invalid date '27/05/2022': "
                                "expected YYYY-MM-DD, e.g. 2026-01-05"),
    (["--start", "2022-05-27", "--actual", "rapid_review_meeting"],
     "lif-rules schedule: error: argument --actual: invalid --actual 'rapid_review_meeting': "
     "expected MILESTONE=YYYY-MM-DD"),
    ([], "lif-rules schedule: error: the following arguments are required: --start"),
])
def test_schedule_bad_dates_are_usage_errors(args: list[str], expected: str) -> None:
    result = run("schedule", "dudley", "rapid_review", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert lines(result.stderr)[0].startswith("usage: lif-rules schedule")
    assert lines(result.stderr)[-1] == expected


def test_schedule_unknown_milestone_or_review_without_timetable() -> None:
    message = assert_one_line_error(run("schedule", "dudley", "rapid_review", "--start", "2022-05-27",
                                        "--actual", "meeting=2022-06-01"))
    assert message.startswith("lif-rules: error: review 'rapid_review' has no milestone 'meeting'")
    message = assert_one_line_error(run("schedule", "dudley", "macfa", "--start", "2022-05-27"))
    assert message.startswith("lif-rules: error: review 'macfa' of pack 'dudley' has no timetable")


# -- quorum ---------------------------------------------------------------------------------------

def test_quorum_not_quorate_exits_1_and_names_who_is_missing() -> None:
    result = run("quorum", "dudley", "rapid_review_meeting", "icb", "local_authority", "--on", "2023-02-01")
    assert result.returncode == 1
    out = lines(result.stdout)
    assert out[:3] == ["dudley: rapid_review_meeting on 2023-02-01", "quorate: no", "missing: police"]
    assert any(re.match(r"police\s+police\s+no\s+no representative of 'police'", line) for line in out)
    assert any(re.match(r"icb\s+icb\s+yes\s+filled by 'icb'", line) for line in out)
    assert out[-1].startswith("citation: Dudley LIF 2020, The Rapid Review Meeting")


def test_quorum_quorate_exits_0() -> None:
    result = run("quorum", "dudley", "rapid_review_meeting", "icb", "police", "local_authority", "--on", "2023-02-01")
    assert result.returncode == 0
    assert lines(result.stdout)[1:3] == ["quorate: yes", "missing: -"]


def test_quorum_json_and_the_ccg_before_july_2022() -> None:
    result = run("quorum", "dudley", "rapid_review_meeting", "ccg", "police", "--on", "2022-06-30", "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["quorate"] is False
    assert data["missing"] == ["local_authority"]
    assert data["on"] == "2022-06-30"


def test_quorum_unknown_meeting_is_a_usage_error() -> None:
    message = assert_one_line_error(run("quorum", "dudley", "rapid_meeting", "icb"))
    assert message.startswith("lif-rules: error: pack 'dudley' has no quorum rule for meeting 'rapid_meeting'")


# -- test -----------------------------------------------------------------------------------------

def test_test_runs_the_bundled_examples() -> None:
    result = run("test", "dudley")
    assert result.returncode == 0, result.stdout
    out = lines(result.stdout)
    assert re.fullmatch(r"[1-9]\d* passed, 0 failed", out[-1])
    assert out[0].startswith("PASS dudley examples[1]: ")  # counted from 1, as in every path
    assert all(line.startswith("PASS dudley examples[") for line in out[:-1])
    assert "Working Together 2018 ch.4]" in out[0]


def test_test_a_wrong_expectation_fails(tmp_path: Path) -> None:
    path = dudley_copy(tmp_path, "rapid_review_meeting: {earliest: 2022-06-09, due: 2022-06-17}",
                       "rapid_review_meeting: {earliest: 2022-06-09, due: 2022-06-16}")
    result = run("test", str(path))
    assert result.returncode == 1
    out = lines(result.stdout)
    fail = [i for i, line in enumerate(out) if line.startswith("FAIL")]
    assert len(fail) == 1
    assert re.match(rf"FAIL dudley examples\[\d+\] \({re.escape(str(path))}:\d+\): a referral on the Friday before "
                    r"the 2022 Jubilee weekend \[Dudley LIF 2020, Rapid Reviews: 2, 7-13 and 15 working days\]$",
                    out[fail[0]])
    assert out[fail[0] + 1] == "    rapid_review_meeting: due expected 2022-06-16, got 2022-06-17"
    assert re.fullmatch(r"\d+ passed, 1 failed", out[-1])


def test_test_json(tmp_path: Path) -> None:
    result = run("test", "dudley", "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["failed"] == 0 and data["passed"] >= 1 and data["ok"] is True
    first = data["packs"][0]["results"][0]
    assert set(first) >= {"index", "kind", "description", "cite", "passed", "problems"}


def test_test_an_invalid_pack_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    result = run("test", "broken.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert lines(result.stdout)[-1] == "0 passed, 0 failed, 1 pack invalid"


# -- schema ---------------------------------------------------------------------------------------

def test_schema_is_json_schema_of_the_pack_format() -> None:
    result = run("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] and schema["title"]
    assert {"pack", "extends", "document", "reviews", "examples"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False


def test_the_committed_schema_file_is_up_to_date() -> None:
    result = run("schema")
    assert SCHEMA_FILE.read_text(encoding="utf-8") == result.stdout, (
        "policies/pack.schema.json is stale: run `lif-rules schema --output policies/pack.schema.json`")


def test_schema_output_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "pack.schema.json"
    result = run("schema", "--output", str(target))
    assert result.returncode == 0
    assert target.read_text(encoding="utf-8") == SCHEMA_FILE.read_text(encoding="utf-8")


PACK_FILES = sorted([*(REPO / "policies").glob("*.yaml"), *(REPO / "policies" / "baselines").glob("*.yaml"),
                     *(REPO / "tests" / "packs").rglob("*.yaml")])


@pytest.mark.parametrize("path", PACK_FILES, ids=lambda p: p.stem)
def test_the_bundled_packs_validate_against_the_schema(path: Path) -> None:
    import jsonschema  # in the test extra, so this runs wherever the tests do
    from lif_rules.core.loading import read_document

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(read_document(path).data)]
    assert errors == []


def test_the_schema_refuses_what_the_loader_refuses() -> None:
    import jsonschema
    from lif_rules.core.loading import read_document

    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    data = read_document(DUDLEY).data
    data["reviews"]["rapid-review"] = data["reviews"].pop("rapid_review")
    data["document"]["colour"] = "blue"
    assert sorted(e.json_path for e in validator.iter_errors(data)) == ["$.document", "$.reviews"]


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """An edit of dudley.yaml's data: the value at a dotted path is set (``DROP``: removed); ``~ID`` is the rapid
    review's milestone ``ID`` and a number an item of a list."""
    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            if part.startswith("~"):
                node = next(m for m in data["reviews"]["rapid_review"]["milestones"] if m["id"] == part[1:])
            else:
                node = node[int(part)] if part.isdigit() else node[part]
        if value is DROP:
            del node[last]
        else:
            node[int(last) if last.isdigit() else last] = value
    return edit


DROP = object()
AFTER_START = {"after": "referral_received"}

# Each edit makes dudley.yaml a pack the loader refuses for its shape, which the editor's schema can see too.
REFUSED_EDITS = {
    "blank citation": _set("reviews.rapid_review.citation", "  "),
    "empty title": _set("document.title", ""),
    "no pack id": _set("pack", DROP),
    "pack id null": _set("pack", None),
    "both a pack and a baseline": _set("baseline", "dudley"),
    "a pack without its document": _set("document", DROP),
    "a pack without reviews": _set("reviews", {}),
    "an offset without a unit": _set("~scoping_requests_sent.due", AFTER_START),
    "working days with months": _set("~scoping_requests_sent.due", {**AFTER_START, "working_days": 1, "months": 1}),
    "day with weeks": _set("~scoping_requests_sent.due", {**AFTER_START, "day": 2, "weeks": 1}),
    "an offset in a list without a unit": _set("~scoping_requests_sent.due", [AFTER_START]),
    "a milestone with no dates": _set("~scoping_requests_sent.due", DROP),
    "the start with a due date": _set("~referral_received.due", {**AFTER_START, "days": 1}),
    "the start before the start": _set("~referral_received.before_start", True),
    "before the start with a due date": _set("~became_aware.earliest", {**AFTER_START, "days": 1}),
    "recurring with a due date": _set("~scoping_requests_sent.recurring", {
        "every": {**AFTER_START, "weeks": 1}, "until": "rapid_review_meeting"}),
    "roll on the start": _set("~referral_received.roll", "forward"),
    "a bool fact with values": _set("facts.single_agency_review.values", ["a", "b"]),
    "an enum fact without values": _set("facts.setting", {"type": "enum", "description": "where"}),
    "an enum fact with one value": _set("facts.setting", {"type": "enum", "values": ["home"], "description": "where"}),
    "an enum fact with a value twice": _set("facts.setting", {"type": "enum", "values": ["home", "home"],
                                                              "description": "where"}),
    "an enum value that is a word of conditions": _set("facts.setting", {"type": "enum", "values": ["home", "in"],
                                                                         "description": "where"}),
    "a fact named like a word of conditions": _set("facts.true", {"type": "bool", "description": "yes"}),
    "a definition named like a word of conditions": _set("definitions", {"or": {"when": "died", "citation": "x"}}),
    "a quorum that asks for nothing": _set("meetings.rapid_review_meeting.quorum", {"one_role_per_person": True}),
    "a quorum with an empty each_of": _set("meetings.rapid_review_meeting.quorum", {"each_of": []}),
    "a role listed twice": _set("meetings.rapid_review_meeting.quorum.each_of", ["police", "police"]),
    "a decide example that expects nothing": _set("examples.1.expect", {}),
    "a decide example that expects no missing facts": _set("examples.1", {
        "kind": "decide", "description": "d", "cite": "c", "facts": {}, "expect": {}, "missing": {}}),
    "a schedule example that expects nothing": _set("examples.7.expect", {}),
    "a milestone expected nothing of": _set("examples.7.expect", {"follow_up_survey": {}}),
}

# ... and each of these the loader accepts: the schema must not mark it.
ACCEPTED_EDITS = {
    "a start milestone with before_start false and roll null": _set("~referral_received.before_start", False),
    "roll null on the start": _set("~referral_received.roll", None),
    "due null beside earliest": _set("~became_aware.due", None),
    "calendar units together": _set("~scoping_requests_sent.due", {**AFTER_START, "months": 1, "weeks": 1, "days": 1}),
    "working days 0 with nulls": _set("~scoping_requests_sent.due", {**AFTER_START, "working_days": 0, "months": None}),
    "a bool fact with values null": _set("facts.single_agency_review.values", None),
    "a quorum of at_least alone, each_of empty": _set("meetings.rapid_review_meeting.quorum",
                                                      {"each_of": [], "at_least": 2}),
    "a quorum of its chair alone": _set("meetings.rapid_review_meeting.quorum", {"chair": "police"}),
    "a decide example expecting only that no duty is triggered": _set("examples.1", {
        "kind": "decide", "description": "d", "cite": "c", "facts": {}, "expect": {}, "notifications": []}),
    "a milestone expected to have no due date": _set("examples.7.expect", {"follow_up_survey": {"due": None}}),
}


def _loader_problems(tmp_path: Path, data: dict[str, Any]) -> list[str]:
    path = tmp_path / "dudley.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    try:
        lif_rules.load_pack(path)
    except lif_rules.PackError as e:
        return [str(p) for p in e.errors]
    return []


def _schema_errors(data: Any) -> list[str]:
    import jsonschema
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")),
                                                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]


@pytest.mark.parametrize("edit", REFUSED_EDITS.values(), ids=REFUSED_EDITS)
def test_the_editor_marks_a_pack_the_loader_refuses_for_its_shape(tmp_path: Path,
                                                                    edit: Callable[[dict[str, Any]], None]) -> None:
    from lif_rules.core.loading import read_document

    data = read_document(DUDLEY).data
    edit(data)
    assert _loader_problems(tmp_path, data), "the edit no longer makes a pack the loader refuses"
    assert _schema_errors(data), "the schema accepts a pack the loader refuses"


@pytest.mark.parametrize("edit", ACCEPTED_EDITS.values(), ids=ACCEPTED_EDITS)
def test_the_editor_does_not_mark_a_pack_the_loader_accepts(tmp_path: Path,
                                                            edit: Callable[[dict[str, Any]], None]) -> None:
    from lif_rules.core.loading import read_document

    data = read_document(DUDLEY).data
    edit(data)
    assert _loader_problems(tmp_path, data) == []
    assert _schema_errors(data) == []


@pytest.mark.parametrize("key, value", [("reviews", {"r": {"name": "n", "legal_basis": "non_statutory",
                                                           "decided_by": "d", "citation": "c"}}),
                                        ("meetings", {"m": {"name": "n", "citation": "c", "quorum": {"at_least": 1}}}),
                                        ("examples", [{"kind": "quorum", "description": "d", "cite": "c",
                                                       "meeting": "m", "attendees": [], "on": "2020-01-01",
                                                       "expect_quorate": False}])])
def test_the_editor_marks_a_baseline_with_what_only_a_pack_holds(tmp_path: Path, key: str, value: Any) -> None:
    from lif_rules.core.loading import read_document
    from lif_rules.pack import check_baseline

    data = read_document(REPO / "policies" / "baselines" / "national.yaml").data
    assert _schema_errors(data) == []
    data[key] = value
    path = tmp_path / "national.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert check_baseline(path)[1], "the loader no longer refuses this baseline"
    assert _schema_errors(data), "the schema accepts a baseline the loader refuses"


# -- the terminal: nothing from a pack or a case paints it, and tables fit its width ----------------

def run_bytes(*args: str) -> tuple[int, bytes]:
    """``lif-rules ARGS``: the exit status and everything written, byte for byte (no newline translation)."""
    result = subprocess.run([sys.executable, "-m", "lif_rules", *args], capture_output=True, cwd=REPO, timeout=120)
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("name, text, shown", [
    ("case.yaml", 'subject: child\n"\\e[2K\\rrapid_review  required": true\n', "\\x1b[2K\\rrapid_review"),
    ("case.json", json.dumps({"subject": "child", "\u001b[2K\rrapid_review  required": True}),
     "\\x1b[2K\\rrapid_review"),
    ("case.yaml", 'subject: "\\e[2K\\rchild"\n', "\\x1b[2K\\rchild"),
    ("case.yaml", '"\\u202erapid_review": true\n', "\\u202erapid_review"),
])
@pytest.mark.parametrize("as_json", [False, True])
def test_a_case_file_cannot_paint_the_terminal(tmp_path: Path, name: str, text: str, shown: str,
                                               as_json: bool) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    status, out = run_bytes("decide", "dudley", str(path), *(["--json"] if as_json else []))
    assert status == 2
    assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", out), out  # no escape, no carriage return
    assert "\u202e".encode() not in out
    assert shown.encode() in out, out  # the character is shown escaped, so the author can find it


def test_pack_text_with_control_characters_is_refused_without_painting() -> None:
    status, out = run_bytes("validate", "tests/invalid_packs/control_character_in_citation.yaml")
    assert status == 1
    assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", out), out
    assert b"control character U+001B (escape)" in out


ADULT_CASE = ("subject: adult\ncare_and_support_needs: true\nconcern_about_joint_working: true\ndied: true\n"
              "abuse_or_neglect: suspected\n")
WIDE_OUTPUTS = [
    ("decide", "dudley", "-", "--trace"),
    ("schedule", "dudley", "sar", "--start", "2026-01-05"),
    ("schedule", "dudley", "rapid_review", "--start", "2022-05-27", "--today", "2022-06-10"),
    ("quorum", "dudley", "rapid_review_meeting", "icb", "--on", "2023-02-01"),
]


def words(text: str) -> Counter[str]:
    """The words of some output, without the dashed rules under table headers or the colons after labels."""
    return Counter(w.rstrip(":") for w in text.split() if set(w) != {"-"})


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("args", WIDE_OUTPUTS, ids=lambda a: f"{a[0]}-{a[2]}")
def test_output_fits_the_terminal_and_keeps_every_word(args: tuple[str, ...], columns: int) -> None:
    wide = run(*args, stdin=ADULT_CASE, columns=1000)
    fitted = run(*args, stdin=ADULT_CASE, columns=columns)
    assert fitted.returncode == wide.returncode and fitted.stderr == wide.stderr == ""
    assert max(len(line) for line in lines(wide.stdout)) > columns  # there is something to fit
    assert max(len(line) for line in lines(fitted.stdout)) <= columns
    assert not words(wide.stdout) - words(fitted.stdout)  # every word still there, none split


def test_output_that_is_not_a_terminal_is_80_wide_and_never_narrower_than_60() -> None:
    piped = run(*WIDE_OUTPUTS[0], stdin=ADULT_CASE, columns=None)
    assert max(len(line) for line in lines(piped.stdout)) <= 80
    tiny = run(*WIDE_OUTPUTS[0], stdin=ADULT_CASE, columns=20)
    assert max(len(line) for line in lines(tiny.stdout)) <= 60
    assert lines(tiny.stdout) == lines(run(*WIDE_OUTPUTS[0], stdin=ADULT_CASE, columns=60).stdout)


# -- diff -----------------------------------------------------------------------------------------

def test_diff_of_a_pack_with_itself_is_empty() -> None:
    result = run("diff", "dudley", str(DUDLEY))
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines(result.stdout)[-1] == "no behavioural change"


def test_diff_reports_changed_outcomes_with_an_example(tmp_path: Path) -> None:
    path = dudley_copy(tmp_path, "when: sar_duty\n        status: required", "when: sar_duty\n        status: discretionary")
    result = run("diff", "dudley", str(path))
    assert result.returncode == 1, result.stderr
    changed = [line for line in lines(result.stdout) if line.startswith("  sar: ")]
    assert len(changed) == 1
    assert re.match(r"  sar: \d+ of \d+ cases change from required to discretionary, e\.g\. \{subject: adult, .*\}$",
                    changed[0])
    assert "care_and_support_needs: true" in changed[0]
    assert lines(result.stdout)[-1] == "the two versions behave differently"


def test_diff_of_a_file_whose_path_has_an_at_sign(tmp_path: Path) -> None:
    folder = tmp_path / "release@2"
    folder.mkdir()
    (folder / "dudley.yaml").write_text(DUDLEY.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("diff", str(folder / "dudley.yaml"), "dudley")
    assert result.returncode == 0, result.stderr
    assert lines(result.stdout)[-1] == "no behavioural change"
    dated = run("diff", f"{folder / 'dudley.yaml'}@2018-01-01", "dudley@2018-01-01")
    assert dated.returncode == 0, dated.stderr
    assert "as of 2018-01-01" in lines(dated.stdout)[0]


def test_diff_json(tmp_path: Path) -> None:
    path = dudley_copy(tmp_path, "each_of: [local_authority, police, icb]", "each_of: [local_authority, police]")
    result = run("diff", str(DUDLEY), str(path), "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["changed"] is True
    assert data["decisions"] == []
    assert data["meetings"] == [{"what": "quorum", "id": "rapid_review_meeting", "change": "changed",
                                 "old": "each of local_authority, police, icb, one role per person",
                                 "new": "each of local_authority, police, one role per person"}]


def test_a_folder_holds_json_packs_too(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(DUDLEY.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"pack": "area", "extends": "national",}', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a pack", encoding="utf-8")
    result = run("validate", str(tmp_path), "--json")
    assert result.returncode == 1  # the broken JSON pack was read, not skipped
    assert sorted(Path(f["file"]).name for f in json.loads(result.stdout)["files"]) == ["broken.json", "good.yaml"]
    with pytest.raises(lif_rules.PackError, match="broken.json:1:"):
        lif_rules.load_packs(tmp_path)


def test_the_librarys_bad_input_is_exit_2_in_every_command_and_its_subclasses_are_bugs(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from lif_rules.cli.app import main
    case = tmp_path / "case.yaml"
    case.write_text("subject: child\n", encoding="utf-8")
    args = ["why-not", "dudley", str(case), "--review", "rapid_review", "--want", "required"]
    for raised, status in ((ValueError("a search too large: give more of the case's facts"), 2),
                           (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), 3)):
        def refuse(*_: object, **__: object) -> None:
            raise raised
        monkeypatch.setattr(lif_rules.PolicyPack, "why_not", refuse)
        assert main(args) == status
        error = capsys.readouterr().err
        expected = "give more of the case's facts" if status == 2 else "lif-rules: internal error: UnicodeDecodeError"
        assert expected in error


# -- a bundled id beside a pack file of that name --------------------------------------------------

@pytest.mark.parametrize("command", [["validate", "dudley"], ["test", "dudley"], ["show", "dudley"],
                                     ["decide", "dudley", str(REPO / "examples" / "serious-harm.yaml")]])
def test_a_bundled_id_beside_a_file_of_that_name_says_which_it_read(tmp_path: Path, command: list[str]) -> None:
    edited = dudley_copy(tmp_path, "short_title: Dudley LIF 2020", "short_title: Dudley LIF draft", name="dudley.yaml")
    result = run(*command, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ("note: 'dudley' is the bundled pack; the file dudley.yaml in this folder is not read: "
                             "give its path (./dudley.yaml) to use it\n")
    edited.rename(tmp_path / "notes.yaml")  # nothing of that name: no note
    assert run(*command, cwd=tmp_path).stderr == ""
