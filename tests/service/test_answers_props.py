"""Property: for any input the library takes, the service's answer over HTTP is the library's own.

Inputs are drawn with ``lif_rules.strategies`` from every bundled pack's own facts, timetables and
meetings; the library, run in this process, is the reference.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lif_rules
from lif_rules import strategies

PACKS = {pack_id: lif_rules.load_pack(pack_id) for pack_id in lif_rules.available_packs()}
TIMETABLED = [(p.id, r.id) for p in PACKS.values() for r in p.describe().reviews if r.has_timetable]
MEETINGS = [(p.id, m) for p in PACKS.values() for m in p.meetings]


@pytest.fixture(scope="module")
def http(server: Any) -> Any:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def _day(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


@st.composite
def _decisions(draw: st.DrawFn) -> tuple[str, dict[str, Any], str | None, date | None]:
    pack = PACKS[draw(st.sampled_from(sorted(PACKS)))]
    facts = draw(strategies.facts(pack))
    review = draw(st.one_of(st.none(), st.sampled_from(pack.reviews)))
    as_of = draw(st.one_of(st.none(), st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31))))
    return pack.id, facts, review, as_of


@given(_decisions())
def test_decide_over_http_is_the_librarys_decision(http: httpx.Client,
                                                  drawn: tuple[str, dict[str, Any], str | None, date | None]) -> None:
    pack_id, facts, review, as_of = drawn
    r = http.post(f"/packs/{pack_id}/decide", json={"facts": facts, "review": review, "as_of": _day(as_of)})
    assert r.status_code == 200, r.text
    expected = PACKS[pack_id].decide(facts, review=review, as_of=as_of)
    assert r.json()["result"] == expected.model_dump(mode="json")


@st.composite
def _schedules(draw: st.DrawFn) -> tuple[str, str, date, dict[str, date], date | None]:
    pack_id, review = draw(st.sampled_from(TIMETABLED))
    start, actual = draw(strategies.schedule_inputs(PACKS[pack_id], review, max_value=date(2095, 12, 31)))
    today = draw(st.one_of(st.none(), st.dates(min_value=max([start, *actual.values()]),
                                               max_value=date(2098, 12, 31))))
    return pack_id, review, start, actual, today


@given(_schedules())
def test_schedule_over_http_is_the_librarys_schedule(
        http: httpx.Client, drawn: tuple[str, str, date, dict[str, date], date | None]) -> None:
    pack_id, review, start, actual, today = drawn
    body = {"review": review, "start": start.isoformat(), "actual": {m: d.isoformat() for m, d in actual.items()},
            "today": _day(today)}
    r = http.post(f"/packs/{pack_id}/schedule", json=body)
    try:
        expected = PACKS[pack_id].schedule(review, start=start, actual=actual, today=today)
    except ValueError as e:  # e.g. a date the calendar does not cover: refused alike
        assert (r.status_code, r.json()["error"]["message"]) == (422, str(e))
        return
    assert r.status_code == 200, r.text
    assert r.json()["result"] == expected.model_dump(mode="json")


@st.composite
def _quorums(draw: st.DrawFn) -> tuple[str, str, list[str], date]:
    pack_id, meeting = draw(st.sampled_from(MEETINGS))
    return pack_id, meeting, draw(strategies.attendees(PACKS[pack_id], meeting)), draw(strategies.meeting_dates())


@given(_quorums())
def test_quorum_over_http_is_the_librarys_count(http: httpx.Client, drawn: tuple[str, str, list[str], date]) -> None:
    pack_id, meeting, attendees, on = drawn
    r = http.post(f"/packs/{pack_id}/quorum", json={"meeting": meeting, "attendees": attendees, "on": on.isoformat()})
    assert r.status_code == 200, r.text
    expected = PACKS[pack_id].check_quorum(meeting, attendees=attendees, on=on)
    assert r.json()["result"] == expected.model_dump(mode="json")


@given(st.sampled_from(sorted(PACKS)).flatmap(
    lambda pack_id: st.tuples(st.just(pack_id), st.dictionaries(
        st.sampled_from(PACKS[pack_id].facts + ["unknown_fact"]),
        st.one_of(st.booleans(), st.text(max_size=12), st.integers(), st.none(), st.lists(st.booleans(), max_size=2)),
        max_size=4))))
def test_facts_the_library_refuses_are_refused_with_its_message(http: httpx.Client,
                                                                drawn: tuple[str, dict[str, Any]]) -> None:
    pack_id, facts = drawn
    r = http.post(f"/packs/{pack_id}/decide", json={"facts": facts})
    try:
        expected = PACKS[pack_id].decide(facts)
    except lif_rules.FactError as e:
        assert r.status_code == 422
        assert (r.json()["error"]["type"], r.json()["error"]["message"]) == ("bad_facts", str(e))
        return
    assert r.status_code == 200, r.text
    assert r.json()["result"] == expected.model_dump(mode="json")
