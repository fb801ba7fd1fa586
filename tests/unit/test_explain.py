"""Stage 5, explain: tables and text fitted to a width, without losing or splitting a word."""

from __future__ import annotations

from pathlib import Path

import lif_rules
from lif_rules.core.explain import MIN_COLUMN, fit, render_decision, render_table

HEADERS = ["review", "status", "citation"]
ROWS = [
    ["sar", "required", "Care Act 2014 s44(1)-(3); Dudley LIF 2020, Adult Legislation and Safeguarding Adult Reviews"],
    ["rapid_review", "not_eligible", "Working Together 2018 ch.4"],
]


def words(lines: list[str]) -> list[str]:
    return sorted(w for line in lines for w in line.split() if set(w) != {"-"})


def test_without_a_width_every_row_is_one_line() -> None:
    lines = render_table(HEADERS, ROWS)
    assert len(lines) == 2 + len(ROWS)
    assert lines[2] == "sar           required      " + ROWS[0][2]


def test_a_long_column_wraps_under_itself() -> None:
    lines = render_table(HEADERS, ROWS, width=60)
    assert max(len(line) for line in lines) <= 60
    assert words(lines) == words(render_table(HEADERS, ROWS))
    assert lines[:3] == [
        "review        status        citation",
        "------------  ------------  --------",
        "sar           required      Care Act 2014 s44(1)-(3); Dudley",
    ]
    assert lines[3].startswith(" " * 28 + "LIF 2020")


def test_a_table_that_cannot_fit_is_shown_a_row_at_a_time() -> None:
    rows = [["a_review_with_a_very_long_id_indeed", "not_eligible", ROWS[0][2]]]
    lines = render_table(HEADERS, rows, width=60)
    assert lines == [
        "review: a_review_with_a_very_long_id_indeed",
        "    status: not_eligible",
        "    citation: Care Act 2014 s44(1)-(3); Dudley LIF 2020,",
        "              Adult Legislation and Safeguarding Adult",
        "              Reviews",
    ]


def test_columns_are_not_squeezed_below_the_minimum() -> None:
    width = len("review        status        ") + MIN_COLUMN - 1  # the citation would get MIN_COLUMN - 1
    assert render_table(HEADERS, ROWS, width=width)[0] == "review: sar"


def test_fit_indents_continuations_under_a_label_or_by_four() -> None:
    assert fit(["    citation: aaa bbb ccc ddd"], 22) == ["    citation: aaa bbb", "              ccc ddd"]
    assert fit(["  rapid_review.duty: aaa bbb ccc"], 22) == ["  rapid_review.duty:", "      aaa bbb ccc"]
    assert fit(["short"], None) == ["short"] and fit(["x" * 30], 10) == ["x" * 30]  # a word is never split


def test_an_outcome_decided_by_whichever_of_two_rules_holds_names_both(tmp_path: Path) -> None:
    from pack_texts import DATED_REVIEW
    path = tmp_path / "dated.yaml"
    path.write_text(DATED_REVIEW + "    rules:\n"
                    "      - {id: r1, when: died, status: required, citation: c1}\n"
                    "      - {id: r2, when: not died, status: required, citation: c2}\n", encoding="utf-8")
    outcome = lif_rules.load_pack(path).decide({}).outcomes["review"]
    assert outcome.status == "required" and outcome.missing == []
    # died is unknown: each completion is decided by r1 or by r2, and none falls to the default
    assert [(s.rule_id, s.result) for s in outcome.trace] == [
        ("review.r1", "unknown"), ("review.r2", "unknown"), ("review.otherwise", "false")]
    row = [line for line in render_decision(lif_rules.load_pack(path).decide({})).splitlines()
           if line.startswith("review  required")]
    assert row == ["review  required  -        one of: review.r1, review.r2  c1; c2"]


def test_a_line_whose_first_word_does_not_fit_keeps_its_indentation() -> None:
    # A rule id longer than the width: its trace line, and an already wrapped continuation fitted again,
    # must stay indented, or they read as a new review (or a new row) instead of part of the one above.
    rule = "multi_agency_learning_review.near_miss_below_statutory_criteria"
    assert fit([f"    {rule}: false -> discretionary"], 60) == [f"    {rule}:", "        false -> discretionary"]
    once = fit([f"    rule: open: {rule}, other.otherwise"], 60)
    assert once == ["    rule: open:", f"          {rule},", "          other.otherwise"]
    assert fit(once, 60) == once


def test_a_narrow_decision_keeps_every_line_of_a_review_under_it() -> None:
    case = {"subject": "child", "died": True, "seriously_harmed": True, "looked_after": True, "near_miss": True,
            "care_and_support_needs": False, "agency_threshold_met": False}
    decision = lif_rules.load_pack("stockport").decide(case, review="multi_agency_learning_review")
    assert decision.outcomes["multi_agency_learning_review"].status == "undetermined"
    text = render_decision(decision, trace=True, width=60)
    stray = [line for line in text.splitlines() if line.startswith("multi_agency_learning_review.")]
    assert stray == [], text  # each such line belongs to the review or the trace step above it
