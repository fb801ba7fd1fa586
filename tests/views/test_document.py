"""A pack rendered as a document for a board: everything the pack says is there, in words, escaped."""

from __future__ import annotations

import doctest
import re
from datetime import date

import pytest

import lif_rules
from lif_rules.views import document, pack_html, words
from viewkit import PACKS, assert_self_contained, page_text

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return {pid: pack_html(pack) for pid, pack in PACKS.items()}


@pytest.mark.parametrize("pid", sorted(PACKS))
def test_everything_the_pack_says_is_in_the_document(pid: str, pages: dict[str, str]) -> None:
    compiled = PACKS[pid].compiled
    text = page_text(pages[pid])
    doc = compiled.document
    for value in (doc.title, doc.short_title, doc.publisher, doc.source, doc.version):
        assert value is None or value in text
    for review in compiled.reviews.values():
        assert review.name in text and review.citation in text and review.decided_by[1:] in text
        for rule in review.rules:
            assert rule.citation in text
            assert rule.because is None or rule.because in text
        for m in review.milestones:
            assert m.name in text and m.citation in text and m.rule[1:] in text
    every_notification = {nid: n for rules in compiled.rule_sets for nid, n in rules.notifications.items()}
    assert "serious_incident_notification" in every_notification  # one that has ended is still shown, with its period
    for n in every_notification.values():
        assert n.name in text and n.citation in text and all(to in text for to in n.to)
    for meeting in compiled.meetings.values():
        assert meeting.name in text and meeting.citation in text
    for name, d in compiled.definitions.items():  # every definition, with its text
        assert f"“{name.replace('_', ' ')}” {name}" in text
        assert d.citation in text and (d.description is None or d.description[1:] in text)
    for fact in compiled.facts:
        assert fact.description[1:] in text


@pytest.mark.parametrize("pid", sorted(PACKS))
def test_every_note_is_shown_once(pid: str, pages: dict[str, str]) -> None:
    text = page_text(pages[pid])
    notes = PACKS[pid].compiled.notes
    assert notes
    for n, note in enumerate(notes, start=1):
        assert text.count(" ".join(note.text.split())) == 1, note.text
        assert f"Note {n} on {note.about}" in text


def test_a_note_is_shown_in_the_section_it_is_about(pages: dict[str, str]) -> None:
    html = pages["dudley"]
    sections = dict(re.findall(r'<section class="item [a-z]+" id="([a-z0-9_-]+)"(.*?)</section>', html, re.S))
    sar = page_text(sections["review-sar"])
    assert "Dudley's summary of the law (Adult Legislation: \"An adult in its area dies" in sar
    assert "the pack follows" not in page_text(sections["review-rapid_review"]).lower()
    header = page_text(html.split("<nav")[0])
    assert '"Due for Review April 2021" is read as due by the last day of that month' in header


@pytest.mark.parametrize("pid", sorted(PACKS))
def test_conditions_are_in_words_never_in_the_condition_language(pid: str, pages: dict[str, str]) -> None:
    compiled = PACKS[pid].compiled
    text = page_text(pages[pid])
    for op in ("==", "!=", " in [", "not in ["):
        assert op not in text
    written = [r.condition.text for review in compiled.reviews.values() for r in review.rules] \
        + [n.condition.text for n in compiled.notifications.values()] \
        + [d.condition.text for d in compiled.definitions.values()]
    for condition in written:
        if re.search(r"\b(and|or|not)\b|==|\[", condition):
            assert " ".join(condition.split()) not in text, condition


def test_a_rule_reads_as_a_sentence_with_its_definition_linked(pages: dict[str, str]) -> None:
    html = pages["dudley"]
    assert ('<strong>Required</strong> when the case meets the definition '
            '<a href="#definition-serious_child_safeguarding_case">“serious child safeguarding case”</a>.') in html
    text = page_text(html)
    assert ("“serious child safeguarding case” serious_child_safeguarding_case Abuse or neglect of a child is "
            "known or suspected, and the child has died or been seriously harmed. It holds when all of these hold: "
            "subject is child the case meets the definition “abuse or neglect known or suspected” any one of these "
            "holds: the subject has died") in text
    assert "Where no rule holds: not eligible, because not a serious child safeguarding case" in text


DATED = """\
pack: dated
extends: national
document: {title: T, short_title: T, publisher: P, source: s.txt, in_force: {from: 2017-01-01, to: 2019-12-31},
           regime: [lscb_regulations_2006]}
reviews:
  scr:
    name: Serious case review
    legal_basis: statutory_duty
    decided_by: the LSCB
    citation: "LSCB Regulations 2006 reg 5"
    in_force: {to: 2019-09-29}
    rules:
      - {id: serious, when: lscb_serious_case, status: required, citation: "reg 5(2)"}
  macfa:
    name: Case file audit
    legal_basis: non_statutory
    decided_by: the sub group
    citation: "local"
"""


def test_dated_rules_and_the_document_show_their_periods(write_pack: object, pages: dict[str, str]) -> None:
    text = page_text(pack_html(lif_rules.load_pack(write_pack(DATED))))  # type: ignore[operator]
    assert "Period In force from 1 January 2017 to 31 December 2019 inclusive Legal regime" in text
    scr = text.split("Serious case review scr ")[1]
    assert scr.startswith("Legal basis A statutory duty Who decides The LSCB Citation LSCB Regulations 2006 reg 5 "
                          "Period In force until 29 September 2019 inclusive When it applies")
    audit = scr.split("Case file audit macfa ")[1]
    assert "Period" not in audit.split("When it applies")[0]  # an undated review has no period of its own
    national_panel = text.split("Serious incident notification to the Child Safeguarding Practice Review Panel "
                                "national_panel_notification ")[1]
    assert "Period In force from 29 June 2018 " in national_panel
    assert "Period In force from 23 February 2021 Legal regime" in page_text(pages["dudley"])


def test_in_force_words_is_the_one_helper_and_says_every_kind_of_period() -> None:
    assert doctest.testmod(words).failed == 0
    assert words.in_force_words((date(2023, 12, 15), date(2023, 12, 15))) == \
        "in force from 15 December 2023 to 15 December 2023 inclusive"


@pytest.mark.parametrize(("pid", "review", "expected"), [
    ("dudley", "rapid_review", ["Working days are Monday to Friday", "Where a step has more than one deadline",
                                "Each step is counted from"]),
    ("dudley", "sar", ["Working days are Monday to Friday", "Days, weeks and months are calendar periods",
                       "A recurring step happens", "Each step is counted from"]),
    ("cumbria", "rapid_review", ["Working days are Monday to Friday", "“Day N” counts the day the step happens as Day 1",
                                 "Where a step has more than one deadline", "Each step is counted from"]),
])
def test_a_timetable_says_how_it_is_counted(pid: str, review: str, expected: list[str],
                                            pages: dict[str, str]) -> None:
    sentences = document.counting_words(PACKS[pid].compiled.reviews[review].milestones)
    assert [s[:len(e)] for s, e in zip(sentences, expected)] == expected and len(sentences) == len(expected)
    text = page_text(pages[pid])
    assert all(s in text for s in sentences)


def test_quorum_names_each_role_and_who_held_it_before(pages: dict[str, str]) -> None:
    text = page_text(pages["dudley"])
    assert ("The meeting is quorate when: a representative of each of these is present: the local authority "
            "(safeguarding partner) the chief officer of police (safeguarding partner) the integrated care board "
            "(health safeguarding partner, from 1 July 2022); until 30 June 2022, the clinical commissioning group "
            "(health safeguarding partner until 30 June 2022)") in text


@pytest.mark.parametrize("pid", sorted(PACKS))
def test_the_document_is_self_contained(pid: str, pages: dict[str, str]) -> None:
    assert_self_contained(pages[pid])
    assert PACKS[pid].sha256 in pages[pid]


def hostile_pack(write_pack: object) -> lif_rules.PolicyPack:
    text = f"""\
    pack: hostile
    document: {{title: "T {HOSTILE}", short_title: T, publisher: "P {HOSTILE}", source: s.txt, in_force: {{}},
               regime: [care_act_2014]}}
    facts:
      died: {{type: bool, description: "the subject has died {HOSTILE}"}}
    definitions:
      gone: {{when: died, citation: "C {HOSTILE}", description: "D {HOSTILE}"}}
    reviews:
      r:
        name: "R {HOSTILE}"
        legal_basis: non_statutory
        decided_by: "someone {HOSTILE}"
        citation: "C {HOSTILE}"
        rules:
          - {{id: one, when: gone, status: required, citation: "C {HOSTILE}", because: "B {HOSTILE}"}}
        milestones:
          - {{id: start, name: "S {HOSTILE}", start: true, citation: "C {HOSTILE}"}}
          - {{id: next, name: "N {HOSTILE}", due: {{after: start, days: 3}}, citation: "C {HOSTILE}",
              note: "N {HOSTILE}"}}
    notes:
      - {{about: reviews.r, text: "note {HOSTILE}"}}
    """
    return lif_rules.load_pack(write_pack(text))  # type: ignore[operator]


def test_pack_text_is_escaped_so_a_script_in_a_citation_is_shown_as_text(write_pack: object) -> None:
    html = pack_html(hostile_pack(write_pack))
    assert "<script" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 11
    assert page_text(html).count(HOSTILE) == html.count("&lt;script&gt;alert(1)&lt;/script&gt;")


QUORUM = """\
pack: quorum
document: {title: T, short_title: T, publisher: P, source: s.txt, in_force: {}, regime: [care_act_2014]}
roles:
  la: {name: the local authority}
  police: {name: the police}
meetings:
  strict: {name: Strict meeting, quorum: {each_of: [la, police], one_role_per_person: true}, citation: c}
  loose: {name: Loose meeting, quorum: {each_of: [la, police], at_least: 2}, citation: c}
reviews:
  r: {name: R, legal_basis: non_statutory, decided_by: someone, citation: c}
"""


def test_quorum_says_when_one_person_fills_one_role_only(write_pack: object) -> None:
    pack = lif_rules.load_pack(write_pack(QUORUM))  # type: ignore[operator]
    text = page_text(pack_html(pack))
    strict, loose = text.split("Strict meeting strict ")[1].split("Loose meeting loose ")
    both = [{"name": "Jo Smith", "roles": ["la", "police"]}]
    assert not pack.check_quorum("strict", attendees=both, on=date(2024, 1, 1)).quorate
    assert pack.check_quorum("loose", attendees=both, on=date(2024, 1, 1)).quorate
    one_each = "one person counts for one of these roles only, even one who holds more than one"
    assert one_each in strict and one_each not in loose
