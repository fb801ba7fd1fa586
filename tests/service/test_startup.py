"""``lif-rules serve`` starting and stopping: the packs it loads, where it listens, and why it refuses to start."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from lif_rules.cli.service import _listen
from lif_rules.pack import bundled_dir

from .conftest import serve_command, start_server


def _serve(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``lif-rules serve ARGS`` when it is expected to refuse to start."""
    return subprocess.run(serve_command(*args), capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_it_binds_to_loopback_by_default_and_stops_cleanly_on_sigterm() -> None:
    port = _free_port()
    server = start_server(port=port)
    try:
        assert server.url == f"http://127.0.0.1:{port}"
        assert server.stderr[0] == (f"lif-rules serve: 5 packs (barking_dagenham, cumbria, dudley, stockport, "
                                    f"wolverhampton) on http://127.0.0.1:{port}\n")
        assert httpx.get(f"{server.url}/health").status_code == 200
    finally:
        server.process.terminate()
        # uvicorn shuts down gracefully, then re-raises the signal so the parent sees how it ended
        assert server.process.wait(timeout=20) in (0, -signal.SIGTERM)
    assert not any("Traceback" in line for line in server.stderr)


def test_the_listening_socket_is_marked_tcp_so_nagle_is_turned_off() -> None:
    listening = _listen("127.0.0.1", 0)
    try:
        assert listening.proto == socket.IPPROTO_TCP
    finally:
        listening.close()


def _broken_folder(tmp_path: Path) -> Path:
    (tmp_path / "baselines").mkdir()
    (tmp_path / "baselines" / "national.yaml").write_bytes((bundled_dir() / "baselines" / "national.yaml").read_bytes())
    text = (bundled_dir() / "dudley.yaml").read_text(encoding="utf-8")
    (tmp_path / "dudley.yaml").write_text(text.replace("legal_basis: statutory_guidance", "legal_basis: law", 1),
                                          encoding="utf-8")
    (tmp_path / "cumbria.yaml").write_bytes((bundled_dir() / "cumbria.yaml").read_bytes())
    return tmp_path


def test_a_pack_folder_that_does_not_validate_stops_start_up_with_located_errors(tmp_path: Path) -> None:
    folder = _broken_folder(tmp_path)
    done = _serve("--port", "0", "--packs", str(folder))
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    for line in lines:
        file_, row, column, path, message = line.split(":", 4)
        assert file_ == str(folder / "dudley.yaml") and row.isdigit() and column.isdigit()
        assert path.startswith(" $.") and message.strip()
    assert lines[0].endswith(": $.reviews.rapid_review.legal_basis: 'law' is not one of: statutory_duty, "
                             "statutory_guidance, statutory_discretionary, non_statutory, agency_mandatory_procedure")


def test_with_json_the_located_errors_are_on_stdout_too(tmp_path: Path) -> None:
    folder = _broken_folder(tmp_path)
    done = _serve("--port", "0", "--packs", str(folder), "--json")
    assert done.returncode == 2
    error = json.loads(done.stdout)["error"]
    assert (error["type"], error["message"]) == ("invalid_pack", "the pack does not load")
    lines = (folder / "dudley.yaml").read_text(encoding="utf-8").splitlines()
    row = next(n for n, line in enumerate(lines, start=1) if line.endswith("legal_basis: law"))
    assert error["problems"][0] == {"file": str(folder / "dudley.yaml"), "line": row,
                                    "column": lines[row - 1].index("law") + 1,
                                    "path": "$.reviews.rapid_review.legal_basis",
                                    "message": "'law' is not one of: statutory_duty, statutory_guidance, "
                                               "statutory_discretionary, non_statutory, agency_mandatory_procedure"}


@pytest.mark.parametrize("make, says", [
    (lambda p: p / "nowhere", "no such folder"),
    (lambda p: p, "no pack files (*.yaml, *.yml, *.json) in folder"),
])
def test_a_folder_with_no_packs_stops_start_up(tmp_path: Path, make: object, says: str) -> None:
    folder = make(tmp_path)  # type: ignore[operator]
    done = _serve("--port", "0", "--packs", str(folder))
    assert done.returncode == 2
    assert says in done.stderr


def test_a_port_in_use_stops_start_up() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = _serve("--port", str(port))
    assert done.returncode == 2
    assert f"lif-rules: error: cannot listen on 127.0.0.1:{port}: Address already in use" in done.stderr


@pytest.mark.parametrize("port", ["-1", "65536", "http"])
def test_a_bad_port_is_a_usage_error(port: str) -> None:
    done = _serve("--port", port)
    assert done.returncode == 2
    assert f"invalid port {port!r}" in done.stderr


def test_without_the_server_extra_it_says_what_to_install() -> None:
    code = "import sys; sys.modules['uvicorn'] = None; from lif_rules.cli import main; sys.exit(main(['serve']))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert 'the decision service needs the server extra (uvicorn is not installed): pip install "lif_rules[server]"' \
        in done.stderr


def test_the_library_and_the_other_commands_never_import_the_server() -> None:
    code = ("import sys, lif_rules; lif_rules.load_pack('dudley').describe(); from lif_rules.cli import main; "
            "main(['packs']); main(['decide', 'dudley', '-']); "
            "print(sorted(m for m in ('fastapi', 'uvicorn', 'starlette') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, input="{}")
    assert done.stdout.splitlines()[-1] == "[]"
