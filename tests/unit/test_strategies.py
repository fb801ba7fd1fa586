"""``lif_rules.strategies`` on a pack whose roles and meetings change over time."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

import lif_rules
from lif_rules import strategies

from pack_texts import DEMO  # tests/ is on sys.path through its conftest

DATED_MEETINGS = DEMO + """\
roles:
  local_authority: {name: the local authority}
  police: {name: the police}
  lscb_chair: {name: the LSCB's independent chair, in_force: {to: 2025-03-31}}
meetings:
  panel_meeting:
    name: Panel meeting
    quorum: {each_of: [local_authority, police]}
    citation: "Demo LIF 5"
  lscb_meeting:
    name: LSCB case review meeting
    quorum: {each_of: [local_authority, lscb_chair]}
    citation: "Demo LIF 6"
    in_force: {to: 2025-03-31}
"""


def dated_pack(tmp_path: Path) -> lif_rules.PolicyPack:
    path = tmp_path / "demo.yaml"
    path.write_text(DATED_MEETINGS, encoding="utf-8")
    return lif_rules.load_pack(path)


def test_attendees_for_a_meeting_that_has_ended(tmp_path: Path) -> None:
    pack = dated_pack(tmp_path)
    on = date(2024, 6, 3)
    assert pack.check_quorum("lscb_meeting", attendees=["local_authority", "lscb_chair"], on=on).quorate
    found = find(strategies.attendees(pack, "lscb_meeting"), lambda people: "lscb_chair" in people,
                 settings=settings(database=None))
    assert found == ["lscb_chair"]

    @given(strategies.attendees(pack, "lscb_meeting"), strategies.meeting_dates(max_value=date(2025, 3, 31)))
    def accepted(people: list[str | dict[str, object]], on: date) -> None:
        pack.check_quorum("lscb_meeting", attendees=people, on=on)
    accepted()


def test_attendees_hold_roles_of_every_date(tmp_path: Path) -> None:
    # the LSCB's chair is a role of the pack until 2025: a meeting held then may have one
    pack = dated_pack(tmp_path)
    assert "lscb_chair" not in pack.compiled.roles  # not among the latest roles
    found = find(strategies.attendees(pack, "panel_meeting"), lambda people: "lscb_chair" in people,
                 settings=settings(database=None))
    assert found == ["lscb_chair"]


def test_attendees_refuse_a_meeting_the_pack_never_has(tmp_path: Path) -> None:
    pack = dated_pack(tmp_path)
    try:
        strategies.attendees(pack, "lscb_meting")
    except LookupError as e:
        assert "no quorum rule for meeting 'lscb_meting'" in str(e) and "lscb_meeting" in str(e)
    else:
        raise AssertionError("an unknown meeting was accepted")


@given(st.data())
def test_drawn_attendees_are_accepted_on_any_date(data: st.DataObject) -> None:
    pack = lif_rules.load_pack("dudley")
    people = data.draw(strategies.attendees(pack, "rapid_review_meeting"))
    pack.check_quorum("rapid_review_meeting", attendees=people, on=data.draw(strategies.meeting_dates()))


def test_schedule_inputs_between_dates_with_no_timetable_say_so(tmp_path: Path) -> None:
    from pack_texts import DATED_MEETING, DATED_REVIEW
    path = tmp_path / "dated.yaml"
    path.write_text(DATED_REVIEW + "    in_force: {from: 2020-01-01}\n    rules:\n"
                    "      - {id: r, when: died, status: required, citation: c}\n    milestones:\n" + DATED_MEETING,
                    encoding="utf-8")
    pack = lif_rules.load_pack(path)
    with pytest.raises(ValueError) as raised:
        strategies.schedule_inputs(pack, "review", min_value=date(2017, 1, 1), max_value=date(2018, 12, 31))
    assert str(raised.value) == ("no start date from 2017-01-01 to 2018-12-31 has a timetable for 'review': it has "
                                 "one from 2020-01-01")
    start, _actual = find(strategies.schedule_inputs(pack, "review", min_value=date(2017, 1, 1)), lambda _: True)
    assert start >= date(2020, 1, 1)
