"""Stage 2, shape: the authoring schema's problems, each located and worded for a policy author."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

import lif_rules
from lif_rules.core import loading
from lif_rules.core.schema import PackSpec
from lif_rules.core.shape import shape

Problems = Callable[..., list[str]]

from pack_texts import DEMO, SAR  # tests/ is on sys.path through its conftest


def test_the_base_pack_is_valid(write_pack: Callable[..., str]) -> None:
    pack = lif_rules.load_pack(write_pack(SAR))
    assert pack.reviews == ["sar"]


# --- unknown keys --------------------------------------------------------------------------------


def test_misspelt_key_is_located_at_the_key_with_allowed_keys_and_did_you_mean(pack_problems: Problems) -> None:
    text = SAR.replace('        citation: "Care Act 2014 s44(1)-(3)"\n', '        citaton: "Care Act 2014 s44(1)-(3)"\n')
    assert pack_problems(text) == [
        "x.yaml:11:9: $.reviews.sar.rules[duty]: missing required key 'citation'",
        "x.yaml:14:9: $.reviews.sar.rules[duty].citaton: unexpected key 'citaton'; allowed: id, when, status, "
        "citation, because, in_force (did you mean 'citation'?)",
    ]


def test_unknown_key_without_a_close_match(pack_problems: Problems) -> None:
    assert pack_problems(SAR + "colour: blue\n") == [
        "x.yaml:15:1: $.colour: unexpected key 'colour'; allowed: pack, baseline, extends, document, facts, "
        "definitions, reviews, notifications, roles, meetings, notes, examples",
    ]


def test_unknown_key_in_a_flow_mapping(pack_problems: Problems) -> None:
    text = SAR.replace("in_force: {from: 2020-01-01}", "in_force: {from: 2020-01-01, untill: 2021-01-01}")
    assert pack_problems(text) == [
        "x.yaml:3:96: $.document.in_force.untill: unexpected key 'untill'; allowed: from, to",
    ]


def test_unknown_key_in_a_quorum(pack_problems: Problems) -> None:
    text = SAR + """\
meetings:
  panel:
    name: SAR panel
    quorum:
      each_of: [police]
      quorm: 2
    citation: "Test LIF 3.1"
"""
    assert pack_problems(text) == [
        "x.yaml:20:7: $.meetings.panel.quorum.quorm: unexpected key 'quorm'; allowed: each_of, at_least, chair, one_role_per_person",
    ]


def test_unknown_key_in_an_example_lists_the_keys_of_its_kind(pack_problems: Problems) -> None:
    text = SAR + """\
examples:
  - kind: decide
    description: d
    cite: c
    facts: {died: true}
    expect: {sar: not_eligible}
    meeting: panel
"""
    assert pack_problems(text) == [
        "x.yaml:21:5: $.examples[1].meeting: unexpected key 'meeting'; allowed: description, cite, kind, facts, "
        "as_of, expect, notifications, missing",
    ]


# --- wrong types ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            'citation: "Care Act 2014 s44(1)-(3)"', "citation: 3",
            "x.yaml:14:19: $.reviews.sar.rules[duty].citation: expected a string, got 3",
        ),
        (
            'citation: "Care Act 2014 s44(1)-(3)"', "citation: [a, b]",
            "x.yaml:14:19: $.reviews.sar.rules[duty].citation: expected a string",
        ),
        (
            "        when: sar_duty\n", "        when: true\n",
            "x.yaml:12:15: $.reviews.sar.rules[duty].when: expected a string, got True (YAML read true as a bool: "
            "a condition in quotes, when: 'true', is text)",
        ),
        (
            "- id: duty", "- id: Duty",
            "x.yaml:11:13: $.reviews.sar.rules[Duty].id: 'Duty' is not a valid id: ids use lowercase letters, digits "
            "and '_', starting with a letter; write 'duty'",
        ),
        (
            "regime: [care_act_2014]", "regime: care_act_2014",
            "x.yaml:3:105: $.document.regime: expected a list, got 'care_act_2014'",
        ),
        (
            'citation: "Care Act 2014 s44(1)-(3)"', 'citation: "   "',
            "x.yaml:14:19: $.reviews.sar.rules[duty].citation: must not be empty",
        ),
        (
            'citation: "Care Act 2014 s44(1)-(3)"', "citation:",
            "x.yaml:14:18: $.reviews.sar.rules[duty].citation: 'citation:' is empty; write its text after it",
        ),
        (
            "  sar:\n", "  SAR review:\n",
            "x.yaml:5:3: $.reviews['SAR review']: 'SAR review' is not a valid id: ids use lowercase letters, digits and "
            "'_', starting with a letter; write 'sar_review'",
        ),
    ],
)
def test_wrong_types(pack_problems: Problems, old: str, new: str, problem: str) -> None:
    assert old in SAR
    assert pack_problems(SAR.replace(old, new)) == [problem]


def test_a_section_of_the_wrong_shape(pack_problems: Problems) -> None:
    assert pack_problems(SAR + "facts: [died]\n") == ["x.yaml:15:8: $.facts: expected a mapping"]


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "ON"])
def test_yaml_11_boolean_where_a_bool_is_expected_gets_the_yaml_12_hint(pack_problems: Problems, word: str) -> None:
    text = SAR + f"""\
facts:
  on_a_plan:
    type: bool
    description: the child is on a child protection plan
    override: {word}
"""
    column = 15
    assert pack_problems(text) == [
        f"x.yaml:19:{column}: $.facts.on_a_plan.override: expected true or false, got {word!r} "
        f"({word!r} is a string in YAML 1.2; write true or false)",
    ]


def test_quoted_true_where_a_bool_is_expected_gets_the_quotes_hint_not_the_yaml_one(pack_problems: Problems) -> None:
    text = SAR + "facts:\n  on_a_plan:\n    type: bool\n    description: d\n    override: 'true'\n"
    assert pack_problems(text) == [
        "x.yaml:19:15: $.facts.on_a_plan.override: expected true or false, got 'true' (the quotes make it text: "
        "write true without them)",
    ]


# --- missing keys, statuses, dates ---------------------------------------------------------------


def test_missing_required_key_is_located_at_its_parent(pack_problems: Problems) -> None:
    text = SAR.replace("title: T, short_title: T, ", "title: T, ")
    assert pack_problems(text) == ["x.yaml:3:11: $.document: missing required key 'short_title'"]


def test_missing_required_keys_of_a_review_are_all_reported(pack_problems: Problems) -> None:
    text = SAR.replace("    legal_basis: statutory_duty\n", "").replace("    decided_by: the SAB\n", "")
    problems = pack_problems(text)
    assert "x.yaml:6:5: $.reviews.sar: missing required key 'legal_basis'" in problems
    assert "x.yaml:6:5: $.reviews.sar: missing required key 'decided_by'" in problems


def test_bad_status_with_did_you_mean(pack_problems: Problems) -> None:
    assert pack_problems(SAR.replace("status: required", "status: requried")) == [
        "x.yaml:13:17: $.reviews.sar.rules[duty].status: 'requried' is not one of: required, consider, "
        "discretionary, not_eligible (did you mean 'required'?)",
    ]


def test_undetermined_is_not_a_status_a_rule_can_give(pack_problems: Problems) -> None:
    assert pack_problems(SAR.replace("status: required", "status: undetermined")) == [
        "x.yaml:13:17: $.reviews.sar.rules[duty].status: 'undetermined' is not one of: required, consider, "
        "discretionary, not_eligible",
    ]


def test_bad_regime_with_did_you_mean(pack_problems: Problems) -> None:
    assert pack_problems(SAR.replace("regime: [care_act_2014]", "regime: [care_act_2015]")) == [
        "x.yaml:3:106: $.document.regime[1]: 'care_act_2015' is not one of: lscb_regulations_2006, "
        "working_together_2015, working_together_2018, working_together_2023, care_act_2014, children_act_2004, "
        "dvcva_2004 (did you mean 'care_act_2014'?)",
    ]


@pytest.mark.parametrize(
    ("written", "got"),
    [("01/02/2020", "'01/02/2020'"), ("2020-1-1", "'2020-1-1'"), ("1 January 2020", "'1 January 2020'"),
     ("20200101", "20200101")],
)
def test_bad_date_format(pack_problems: Problems, written: str, got: str) -> None:
    text = SAR.replace("{from: 2020-01-01}", f"{{from: {written}}}")
    assert pack_problems(text) == [
        f"x.yaml:3:84: $.document.in_force.from: expected a date written YYYY-MM-DD, got {got}",
    ]


def test_impossible_date_is_located(pack_problems: Problems) -> None:
    problems = pack_problems(SAR.replace("{from: 2020-01-01}", "{from: 2021-02-29}"))
    assert len(problems) == 1
    assert problems[0].startswith("x.yaml:3:84: $.document.in_force.from: ")


def test_dates_written_as_yaml_timestamps_stay_text_until_the_schema_reads_them(write_pack: Callable[..., str]) -> None:
    pack = lif_rules.load_pack(write_pack(SAR))
    assert str(pack.document.in_force.from_) == "2020-01-01"


# --- examples ------------------------------------------------------------------------------------

EXAMPLE = """\
examples:
  - kind: {kind}
    description: d
    cite: c
    facts: {{died: true}}
    expect: {{sar: not_eligible}}
"""


def test_example_with_an_unknown_kind(pack_problems: Problems) -> None:
    assert pack_problems(SAR + EXAMPLE.format(kind="decid")) == [
        "x.yaml:16:11: $.examples[1].kind: 'kind' must be one of: decide, schedule, quorum; got 'decid' "
        "(did you mean 'decide'?)",
    ]


def test_example_without_a_kind(pack_problems: Problems) -> None:
    text = SAR + EXAMPLE.format(kind="decide").replace("  - kind: decide\n    description", "  - description")
    assert pack_problems(text) == [
        "x.yaml:16:5: $.examples[1]: missing required key 'kind' (one of: decide, schedule, quorum)",
    ]


def test_example_with_a_bad_expected_status(pack_problems: Problems) -> None:
    text = SAR + EXAMPLE.format(kind="decide").replace("{sar: not_eligible}", "{sar: not_eligable}")
    assert pack_problems(text) == [
        "x.yaml:20:19: $.examples[1].expect.sar: 'not_eligable' is not one of: required, consider, discretionary, "
        "not_eligible, undetermined (did you mean 'not_eligible'?)",
    ]


SCHEDULE_EXAMPLE = """\
examples:
  - kind: schedule
    description: d
    cite: c
    review: sar
    start: 2025-02-03
    expect: {{decision: {{{expect}}}}}
"""


@pytest.mark.parametrize("expect, problem", [
    ("due: 2025-02-30", "31:30: $.examples[1].expect.decision.due: '2025-02-30' is not a real date (written YYYY-MM-DD)"),
    ("due: next monday", "31:30: $.examples[1].expect.decision.due: expected a date written YYYY-MM-DD, got 'next monday'"),
    ("due: 20250317", "31:30: $.examples[1].expect.decision.due: expected a date written YYYY-MM-DD, got 20250317"),
    ("earliest: 2025-13-01",
     "31:35: $.examples[1].expect.decision.earliest: '2025-13-01' is not a real date (written YYYY-MM-DD)"),
    ("status: bogus", "31:33: $.examples[1].expect.decision.status: 'bogus' is not one of: met, met_late, met_early, "
                      "due, overdue, upcoming"),
    ("status: overdew", "31:33: $.examples[1].expect.decision.status: 'overdew' is not one of: met, met_late, "
                        "met_early, due, overdue, upcoming (did you mean 'overdue'?)"),
])
def test_a_schedule_example_s_expected_dates_and_statuses_are_checked_when_the_pack_loads(
        pack_problems: Problems, expect: str, problem: str) -> None:
    assert pack_problems(DEMO + SCHEDULE_EXAMPLE.format(expect=expect)) == [f"x.yaml:{problem}"]


def test_a_schedule_example_may_expect_no_date(write_pack: Callable[..., str]) -> None:
    text = DEMO + SCHEDULE_EXAMPLE.format(expect="due: 2025-02-17, earliest: null")
    [example] = lif_rules.load_pack(write_pack(text)).compiled.examples
    assert example.expect["decision"].model_dump(exclude_unset=True) == {"due": date(2025, 2, 17), "earliest": None}


def test_schedule_example_keys_are_checked_for_its_kind(pack_problems: Problems) -> None:
    text = SAR + """\
examples:
  - kind: schedule
    description: d
    cite: c
    review: sar
    start: 2020-01-01
    expect: {a: {due: 2020-01-01, erliest: 2020-01-01}}
"""
    assert pack_problems(text) == [  # only the misspelt key is dropped: the rest of the example is still checked
        "x.yaml:19:13: $.examples[1].review: no review 'sar' with a timetable; reviews with one: none",
        "x.yaml:21:35: $.examples[1].expect.a.erliest: unexpected key 'erliest'; allowed: due, earliest, status "
        "(did you mean 'earliest'?)",
    ]


def test_quorum_example_yes_gets_the_hint(pack_problems: Problems) -> None:
    text = SAR + """\
examples:
  - kind: quorum
    description: d
    cite: c
    meeting: panel
    attendees: [police]
    on: 2023-01-01
    expect_quorate: yes
"""
    assert pack_problems(text) == [
        "x.yaml:22:21: $.examples[1].expect_quorate: expected true or false, got 'yes' "
        "('yes' is a string in YAML 1.2; write true or false)",
    ]


# --- the whole document --------------------------------------------------------------------------


def test_every_schema_problem_is_reported_in_file_order(pack_problems: Problems) -> None:
    text = SAR.replace("status: required", "status: requried") + """\
facts:
  on_a_plan:
    type: bool
    description: the child is on a child protection plan
    override: yes
colour: blue
"""
    assert pack_problems(text) == [
        "x.yaml:13:17: $.reviews.sar.rules[duty].status: 'requried' is not one of: required, consider, discretionary, "
        "not_eligible (did you mean 'required'?)",
        "x.yaml:19:15: $.facts.on_a_plan.override: expected true or false, got 'yes' "
        "('yes' is a string in YAML 1.2; write true or false)",
        "x.yaml:20:1: $.colour: unexpected key 'colour'; allowed: pack, baseline, extends, document, facts, "
        "definitions, reviews, notifications, roles, meetings, notes, examples",
    ]


def test_a_broken_only_review_is_not_reported_as_missing(pack_problems: Problems) -> None:
    assert pack_problems(SAR.replace("    name: SAR\n", "    nam: SAR\n")) == [
        "x.yaml:6:5: $.reviews.sar: missing required key 'name'",
        "x.yaml:6:5: $.reviews.sar.nam: unexpected key 'nam'; allowed: name, legal_basis, decided_by, citation, "
        "rules, otherwise, otherwise_because, milestones, in_force (did you mean 'name'?)",
    ]


@pytest.mark.parametrize(("text", "got"), [("- a\n- b\n", "list"), ("just words\n", "str"), ("3\n", "int")])
def test_a_pack_is_a_mapping(pack_problems: Problems, text: str, got: str) -> None:
    assert pack_problems(text) == [f"x.yaml:1:1: $: a pack is a mapping of keys such as 'pack:' and 'reviews:'; got {got}"]


def test_shape_returns_a_frozen_spec() -> None:
    spec, problems = shape(loading.parse_text(SAR, "x.yaml"))
    assert problems == []
    assert isinstance(spec, PackSpec)
    assert spec.reviews["sar"].rules[0].citation == "Care Act 2014 s44(1)-(3)"
    with pytest.raises(Exception):
        spec.pack = "other"  # type: ignore[misc]
