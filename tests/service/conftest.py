"""The decision service under test: the real ``lif-rules serve`` in a subprocess, on a free loopback port."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

_ANNOUNCED = re.compile(r" on (http://\S+?)(;|$)")
STARTUP_SECONDS = 30


@dataclass
class Server:
    """A running ``lif-rules serve``: its URL, its process, and what it has written on standard error."""

    url: str
    process: subprocess.Popen[str]
    log: Path | None
    stderr: list[str] = field(default_factory=list)

    def log_lines(self) -> list[dict[str, Any]]:
        """Every line of the decision log, parsed (a line that does not parse fails the test)."""
        assert self.log is not None
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]

    def log_entry(self, answer_id: str) -> dict[str, Any]:
        [entry] = [e for e in self.log_lines() if e["id"] == answer_id]
        return entry

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flushing, as a crash."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def serve_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "lif_rules", "serve", *args]


def start_server(*args: str, log: Path | None = None, port: int = 0) -> Server:
    """Start ``lif-rules serve --port PORT [ARGS]`` (0: any free port) and wait until it answers ``/health``."""
    command = serve_command("--port", str(port), *args, *(["--decision-log", str(log)] if log else []))
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert process.stderr is not None
    first = process.stderr.readline()
    found = _ANNOUNCED.search(first)
    if not found:
        rest = process.stderr.read()
        process.wait(timeout=10)
        raise AssertionError(f"the server did not start (exit {process.returncode}): {first}{rest}")
    server = Server(found.group(1), process, log, [first])
    threading.Thread(target=_drain, args=(process, server.stderr), daemon=True).start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            if httpx.get(f"{server.url}/health", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            server.stop()
            raise AssertionError(f"the server never answered /health: {''.join(server.stderr)}")
        time.sleep(0.05)


def _drain(process: subprocess.Popen[str], into: list[str]) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        into.append(line)


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """One server with the bundled packs and a decision log, shared by the tests that only ask it questions.

    The log is not under pytest's temporary folders: another pytest session on the machine may prune
    those while this session still runs.
    """
    with tempfile.TemporaryDirectory(prefix="lif-rules-service-") as folder:
        running = start_server(log=Path(folder) / "decisions.jsonl")
        yield running
        running.stop()
    assert not any("Traceback" in line for line in running.stderr), "".join(running.stderr)


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c
