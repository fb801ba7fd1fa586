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


PARTNERS_REVIEW = """\
reviews:
  review:
    name: A review
    legal_basis: statutory_duty
    decided_by: the partners
    citation: "Local framework 1"
    rules:
"""
"""The head of a review the partners decide, ``review``, cited as "Local framework 1": its rules follow."""


DATED_ENDED = DATED_HEAD + """\
roles:
  local_authority: {name: the local authority}
  lscb_chair: {name: the LSCB chair, in_force: {to: 2019-09-29}}
""" + PARTNERS_REVIEW + """\
      - id: harm
        versions:
          - {when: harmed, status: discretionary, citation: "1.2 (old)", in_force: {to: 2018-06-28}}
          - {when: harmed, status: consider, citation: "1.2", in_force: {from: 2018-06-29}}
  scr:
    name: Serious case review
    legal_basis: statutory_duty
    decided_by: the LSCB
    citation: "Local framework 2"
    in_force: {to: 2019-09-29}
    rules:
      - {id: died, when: died, status: required, citation: "2.1"}
    milestones:
      - {id: decided, name: Decided, start: true, citation: "2.2"}
      - {id: report, name: Report, due: {after: decided, months: 6}, citation: "2.3"}
notifications:
  lscb_notice:
    name: Notice to the LSCB
    by: the local authority
    to: [the LSCB]
    when: died
    deadline: within 2 working days
    deadline_working_days: 2
    citation: "3.1"
    in_force: {to: 2019-09-29}
meetings:
  partners:
    name: Partners' meeting
    quorum: {each_of: [local_authority]}
    citation: "4.1"
  lscb_board:
    name: LSCB board
    quorum: {each_of: [local_authority, lscb_chair]}
    citation: "4.2"
    in_force: {to: 2019-09-29}
"""
"""A pack with a review, a duty, a role and a meeting that ended with the LSCBs on 29 September 2019."""
