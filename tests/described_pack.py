"""A small pack that uses every part of a pack's description, with known values, for describe and show tests."""

AREA = """\
pack: area
document:
  title: Area Safeguarding Partnership Learning and Improvement Framework
  short_title: Area LIF 2024
  publisher: Area Safeguarding Partnership
  source: area-lif-2024.txt
  version: "2.1"
  approved: 2024-03-01
  review_due: 2026-03-31
  in_force: {from: 2024-04-01}
  regime: [working_together_2023, care_act_2014]
facts:
  subject: {type: enum, values: [child, adult], description: who the case is about}
  died: {type: bool, description: the subject has died}
reviews:
  rapid_review:
    name: Rapid review
    legal_basis: statutory_guidance
    decided_by: the safeguarding partners
    citation: Area LIF 2024 s2
    rules:
      - {id: death, when: subject == child and died, status: required, citation: Area LIF 2024 s2.1}
    milestones:
      - {id: referral_received, name: Referral received, start: true, citation: Area LIF 2024 s2.2}
      - {id: meeting, name: Meeting, due: {after: referral_received, working_days: 10}, citation: Area LIF 2024 s2.3}
  audit:
    name: Case file audit
    legal_basis: non_statutory
    decided_by: the audit group
    citation: Area LIF 2024 s5
    in_force: {from: 2025-01-01, to: 2025-12-31}
    otherwise: discretionary
notifications:
  death_notice:
    name: Notice of a child's death
    by: local authority
    to: [Ofsted, the partners]
    when: subject == child and died
    deadline: within 5 working days
    citation: Area LIF 2024 s3
    in_force: {from: 2024-06-01}
roles:
  local_authority: {name: the local authority}
  health:
    name: the health partner
    predecessors:
      - {id: ccg, name: the clinical commissioning group, until: 2022-06-30}
meetings:
  rapid_review_meeting:
    name: Rapid review meeting
    quorum: {each_of: [local_authority, health], at_least: 2, chair: local_authority}
    citation: Area LIF 2024 s2.4
    note: remote attendance counts
notes:
  - {about: reviews.rapid_review, text: the document gives no unit; the pack reads working days, ref: s2.3}
"""
