"""The decision log: one parseable line per answer, written before the answer is sent, surviving SIGKILL."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

import lif_rules
from lif_rules.service.decision_log import DecisionLog

from .conftest import Server, start_server

CHILD = {"subject": "child", "died": True, "abuse_or_neglect": "suspected"}


def test_each_answer_has_its_line_with_the_request_record_and_statuses(client: httpx.Client, server: Server) -> None:
    r = client.post("/packs/dudley/decide", json={"facts": CHILD, "as_of": "2026-03-02"})
    entry = server.log_entry(r.headers["x-answer-id"])
    assert entry["question"] == "decide"
    assert entry["request"] == {"facts": CHILD, "review": None, "as_of": "2026-03-02"}
    assert entry["record"] == r.json()["record"]
    decision = lif_rules.load_pack("dudley").decide(CHILD)
    assert entry["statuses"] == {
        "outcomes": {review: o.status for review, o in decision.outcomes.items()},
        "notifications": [n.id for n in decision.notifications],
        "possible_notifications": [n.id for n in decision.possible_notifications]}
    assert entry["statuses"]["outcomes"]["rapid_review"] == "required"


def test_schedule_and_quorum_answers_are_logged_with_their_statuses(client: httpx.Client, server: Server) -> None:
    r = client.post("/packs/dudley/schedule", json={"review": "rapid_review", "start": "2026-03-02",
                                                     "today": "2026-03-05"})
    entry = server.log_entry(r.headers["x-answer-id"])
    assert entry["question"] == "schedule"
    assert entry["request"] == {"review": "rapid_review", "start": "2026-03-02", "actual": {}, "today": "2026-03-05"}
    assert entry["statuses"] == {"milestones": {m["id"]: m["status"] for m in r.json()["result"]["milestones"]}}
    assert entry["statuses"]["milestones"]["scoping_requests_sent"] == "overdue"
    assert entry["record"]["as_of"] == "2026-03-02"  # the start: the timetable applied is the one in force then

    r = client.post("/packs/dudley/quorum", json={"meeting": "rapid_review_meeting", "attendees": ["police"],
                                                   "on": "2026-03-02"})
    entry = server.log_entry(r.headers["x-answer-id"])
    assert (entry["question"], entry["statuses"]) == ("quorum", {"quorate": False,
                                                                 "missing": ["local_authority", "icb"]})
    assert entry["record"]["as_of"] == "2026-03-02"


def test_characters_line_readers_break_on_are_escaped_in_the_log(client: httpx.Client, server: Server) -> None:
    attendees = ["police", "a\u2028b", "a\x85b", "a\x1cb", "caf\u00e9", "\U0001f600", "a\rb"]
    r = client.post("/packs/dudley/quorum", json={"meeting": "rapid_review_meeting", "attendees": attendees,
                                                   "on": "2026-03-02"})
    assert r.status_code == 200
    assert server.log is not None
    [line] = [line for line in server.log.read_bytes().split(b"\n") if r.headers["x-answer-id"].encode() in line]
    assert line.isascii()
    assert json.loads(line)["request"]["attendees"] == attendees
    assert server.log_entry(r.headers["x-answer-id"])["request"]["attendees"] == attendees  # read with splitlines()


@pytest.mark.parametrize("before, kept", [
    (b'{"id": "1"}\n{"id": "2", "quest', b'{"id": "1"}\n'),
    (b'{"id": "1"}\n' * 10_000 + b'{"id": "2", "quest' + b"x" * 70_000, b'{"id": "1"}\n' * 10_000),
    (b'{"id": "2", "quest', b""),
    (b'{"id": "1"}\n', b'{"id": "1"}\n'),
    (b"", b""),
])
def test_an_unfinished_line_left_by_a_crash_is_cut_off_on_opening(tmp_path: Path, before: bytes, kept: bytes) -> None:
    path = tmp_path / "decisions.jsonl"
    path.write_bytes(before)
    log = DecisionLog(path)
    assert log.cut == len(before) - len(kept)
    log.append('{"id":"3"}')
    log.close()
    assert path.read_bytes() == kept + b'{"id":"3"}\n'


def test_threads_appending_at_once_never_interleave_lines(tmp_path: Path) -> None:
    path = tmp_path / "decisions.jsonl"
    log = DecisionLog(path)
    big = "x" * 100_000  # larger than a pipe's or a page's atomic write

    def write(n: int) -> None:
        for i in range(50):
            log.append(json.dumps({"thread": n, "i": i, "padding": big if i % 10 == 0 else ""}))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(write, range(8)))
    log.close()
    entries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert sorted((e["thread"], e["i"]) for e in entries) == [(n, i) for n in range(8) for i in range(50)]


def test_a_log_that_cannot_be_opened_stops_start_up(tmp_path: Path) -> None:
    import subprocess

    from .conftest import serve_command
    done = subprocess.run(serve_command("--port", "0", "--decision-log", str(tmp_path / "no" / "such" / "log")),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "cannot open the decision log" in done.stderr and "No such file or directory" in done.stderr


@pytest.mark.parametrize("clients", [8])
def test_sigkill_during_a_load_run_loses_no_acknowledged_line(tmp_path: Path, clients: int) -> None:
    log = tmp_path / "decisions.jsonl"
    server = start_server(log=log)
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()
    deadline = time.monotonic() + 60  # bounded, whatever happens

    def load(n: int) -> None:
        facts = [CHILD, {"subject": "adult", "died": True}, {}][n % 3]
        with httpx.Client(base_url=server.url, timeout=10) as c:
            while not stop.is_set() and time.monotonic() < deadline:
                try:
                    r = c.post("/packs/dudley/decide", json={"facts": facts})
                except httpx.TransportError:
                    return  # the server is gone
                assert r.status_code == 200
                with lock:
                    acknowledged.append(r.headers["x-answer-id"])

    threads = [threading.Thread(target=load, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    while len(acknowledged) < 300 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill()  # mid-run: requests are in flight
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert len(acknowledged) >= 300
    # a write the kill stopped part-way may leave an unfinished last line: never an acknowledged one
    *lines, unfinished = log.read_text(encoding="utf-8").split("\n")
    logged = {json.loads(line)["id"] for line in lines}  # every whole line parses
    assert set(acknowledged) <= logged
    assert not any(answer_id in unfinished for answer_id in acknowledged)
    DecisionLog(log).close()  # opening it again leaves only whole lines
    assert log.read_text(encoding="utf-8").split("\n")[:-1] == lines
