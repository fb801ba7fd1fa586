"""Many clients at once: every answer is a 200 and equal to the library's own, and every one is logged."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import httpx

import lif_rules

from .conftest import Server

CLIENTS = 16
REQUESTS_EACH = 50


def _questions() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(path, body, the library's result as JSON) for a mix of questions to every bundled pack."""
    cases = [{"subject": "child", "died": True, "abuse_or_neglect": "suspected"},
             {"subject": "adult", "died": True, "abuse_or_neglect": "known", "care_and_support_needs": True},
             {"subject": "child", "looked_after": True}, {}]
    out: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for pack_id in lif_rules.available_packs():
        pack = lif_rules.load_pack(pack_id)
        for facts in cases:
            out.append((f"/packs/{pack_id}/decide", {"facts": facts},
                        pack.decide(facts).model_dump(mode="json")))
        for review in pack.reviews[:1]:
            out.append((f"/packs/{pack_id}/decide", {"facts": cases[0], "review": review, "as_of": "2019-01-01"},
                        pack.decide(cases[0], review=review, as_of=date(2019, 1, 1)).model_dump(mode="json")))
        for meeting in pack.meetings:
            out.append((f"/packs/{pack_id}/quorum", {"meeting": meeting, "attendees": ["police", "ccg"],
                                                     "on": "2021-05-04"},
                        pack.check_quorum(meeting, attendees=["police", "ccg"], on=date(2021, 5, 4))
                        .model_dump(mode="json")))
        for review in (r.id for r in pack.describe().reviews if r.has_timetable):
            out.append((f"/packs/{pack_id}/schedule", {"review": review, "start": "2026-12-18", "today": "2027-01-20"},
                        pack.schedule(review, start=date(2026, 12, 18), today=date(2027, 1, 20))
                        .model_dump(mode="json")))
    return out


def test_concurrent_clients_all_get_the_librarys_answers(server: Server) -> None:
    questions = _questions()
    assert {path.rsplit("/", 1)[-1] for path, _, _ in questions} == {"decide", "quorum", "schedule"}

    def client(n: int) -> list[tuple[int, bool, str]]:
        mine = itertools.islice(itertools.cycle(questions), n * 7, n * 7 + REQUESTS_EACH)
        seen = []
        with httpx.Client(base_url=server.url, timeout=60) as c:
            for path, body, expected in mine:
                r = c.post(path, json=body)
                seen.append((r.status_code, r.status_code == 200 and r.json()["result"] == expected,
                             r.headers.get("x-answer-id", "")))
        return seen

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = [a for per_client in pool.map(client, range(CLIENTS)) for a in per_client]
    assert len(answers) == CLIENTS * REQUESTS_EACH
    assert [status for status, _, _ in answers] == [200] * len(answers)
    assert all(equal for _, equal, _ in answers)
    logged = {e["id"] for e in server.log_lines()}
    assert {answer_id for _, _, answer_id in answers} <= logged
