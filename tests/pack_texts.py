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
