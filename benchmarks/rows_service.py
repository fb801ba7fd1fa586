"""Benchmark rows for the decision service: the per-request cost of ``POST /packs/{id}/decide`` over loopback.

The baseline is a bare FastAPI endpoint in the same server process, returning a constant JSON of
the same size as the decide answer: what HTTP, uvicorn and FastAPI cost anyway. Both are asked by
one client over one kept-alive loopback connection, in interleaved rounds, with the same body.
Run as a script (``python rows_service.py [--decision-log FILE]``), this module is that server.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import lif_rules

from common import Measured, Row, interleaved

FACTS = {"subject": "child", "died": True, "abuse_or_neglect": "suspected"}
BODY = json.dumps({"facts": FACTS}).encode()
HEADERS = {"content-type": "application/json"}
REQUESTS = 200  # per round and side


def _start(*args: str) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    return process, int(process.stdout.readline())


def _post(connection: http.client.HTTPConnection, path: str) -> bytes:
    connection.request("POST", path, BODY, HEADERS)
    response = connection.getresponse()
    data = response.read()
    assert response.status == 200, data
    return data


def _bench(rounds: int, *args: str) -> Measured:
    process, port = _start(*args)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port)
        answer = json.loads(_post(connection, "/packs/dudley/decide"))
        assert answer["result"] == lif_rules.load_pack("dudley").decide(FACTS).model_dump(mode="json")
        constant = _post(connection, "/bare")
        assert abs(len(constant) - len(json.dumps(answer, separators=(",", ":")).encode())) <= 8  # same size
        post = _post

        def ours() -> float:
            t = time.perf_counter()
            for _ in range(REQUESTS):
                post(connection, "/packs/dudley/decide")
            return (time.perf_counter() - t) / REQUESTS

        def base() -> float:
            t = time.perf_counter()
            for _ in range(REQUESTS):
                post(connection, "/bare")
            return (time.perf_counter() - t) / REQUESTS

        return interleaved(ours, base, rounds)
    finally:
        process.terminate()
        process.wait(timeout=30)


def bench_decide_over_http(rounds: int) -> Measured:
    return _bench(rounds)


def bench_decide_over_http_logged(rounds: int) -> Measured:
    with tempfile.TemporaryDirectory() as folder:
        return _bench(rounds, "--decision-log", str(Path(folder) / "decisions.jsonl"))


def _serve(argv: list[str]) -> None:
    """The server both sides ask: the service, plus a bare endpoint answering a decide answer's bytes."""
    import uvicorn
    from fastapi import FastAPI
    from fastapi.responses import Response
    from fastapi.routing import APIRoute

    from lif_rules.cli.service import _listen
    from lif_rules.service import create_app

    log = argv[argv.index("--decision-log") + 1] if "--decision-log" in argv else None
    app: FastAPI = create_app({"dudley": lif_rules.load_pack("dudley")}, decision_log=log)
    pack = lif_rules.load_pack("dudley")
    record = lif_rules.Record(pack="dudley", pack_version=pack.version, pack_sha256=pack.sha256,
                              engine_version=lif_rules.__version__, as_of=None, answered_at=datetime.now(timezone.utc))
    constant = json.dumps({"result": pack.decide(FACTS).model_dump(mode="json"),
                           "record": record.model_dump(mode="json")}, separators=(",", ":")).encode()

    async def bare() -> Response:
        return Response(constant, media_type="application/json")

    app.router.routes.append(APIRoute("/bare", bare, methods=["POST"]))
    listening = _listen("127.0.0.1", 0)
    print(listening.getsockname()[1], flush=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False)).run(sockets=[listening])


ROWS = [
    Row("service_decide", "POST /packs/dudley/decide over loopback vs a bare FastAPI endpoint, same size", 1.5,
        bench_decide_over_http),
    Row("service_decide_logged", "the same, with --decision-log (one os.write per answer)", 1.5,
        bench_decide_over_http_logged),
]

if __name__ == "__main__":
    _serve(sys.argv[1:])
