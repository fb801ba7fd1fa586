"""Small pack texts the stage tests build on (line numbers matter: see each comment)."""

# Three lines, so the first review starts on line 4.
HEAD = """\
pack: test
extends: national
document: {title: T, short_title: T, publisher: P, source: s.txt, in_force: {from: 2020-01-01}, regime: [care_act_2014]}
"""

SAR = HEAD + """\
reviews:
  sar:
    name: SAR
    legal_basis: statutory_duty
    decided_by: the SAB
    citation: "Care Act 2014 s44"
    rules:
      - id: duty
        when: sar_duty
        status: required
        citation: "Care Act 2014 s44(1)-(3)"
"""

# A small pack of its own (no baseline): one SAR review with two rules and a two-step timetable.
DEMO = """\
pack: demo
document:
  title: Demo Learning and Improvement Framework
  short_title: Demo LIF
  publisher: Demo Partnership
  source: demo.txt
  version: "1"
  in_force: {from: 2024-01-01}
  regime: [care_act_2014]
facts:
  subject: {type: enum, values: [child, adult], description: who the case is about}
  died: {type: bool, description: the subject has died}
reviews:
  sar:
    name: Safeguarding adults review
    legal_basis: statutory_duty
    decided_by: the SAB
    citation: "Care Act 2014 s44"
    rules:
      - {id: duty, when: subject == adult and died, status: required, citation: "Care Act 2014 s44(2)"}
      - {id: power, when: subject == adult, status: discretionary, citation: "Care Act 2014 s44(4)"}
    milestones:
      - {id: request_received, name: Request received, start: true, citation: "Demo LIF 1"}
      - {id: decision, name: Decision, due: {after: request_received, working_days: 10}, citation: "Demo LIF 2"}
"""

# A pack in force from 2017 with two facts (five lines, so what follows starts on line 6).
DATED_HEAD = """\
pack: dated
document: {title: T, short_title: T, publisher: P, source: s, in_force: {from: 2017-01-01}, regime: [care_act_2014]}
facts:
  died: {type: bool, description: the subject has died}
  harmed: {type: bool, description: the subject was seriously harmed}
"""

DATED_REVIEW = DATED_HEAD + """\
reviews:
  review:
    name: A review
    legal_basis: non_statutory
    decided_by: x
    citation: c
"""
"""The dated pack's head and the start of one plain review: its rules or milestones follow."""

DATED_MEETING = """\
      - {id: referral, name: Referral, start: true, citation: c}
      - id: meeting
        versions:
          - {name: Meeting, due: {after: referral, working_days: 10}, citation: "old", in_force: {to: 2023-12-14}}
          - {name: Meeting, due: {after: referral, working_days: 15}, citation: "new", in_force: {from: 2023-12-15}}
"""
"""A start and a meeting whose deadline changes on 15 December 2023: milestones for ``DATED_REVIEW``."""
