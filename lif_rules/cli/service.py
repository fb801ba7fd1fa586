"""The command that starts the decision service: ``serve`` (needs the ``server`` extra)."""

from __future__ import annotations

import argparse
import socket
import sys

from ..pack import load_packs
from .common import PROG, Command, UsageError

INSTALL = 'pip install "lif_rules[server]"'


def _serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from ..service import create_app
    except ModuleNotFoundError as e:
        raise UsageError(f"the decision service needs the server extra ({e.name} is not installed): {INSTALL}") \
            from None
    packs = load_packs(args.packs)  # a folder that does not validate: every problem, located, exit 2
    if not packs:
        raise UsageError(f"no pack files (*.yaml, *.yml, *.json) in folder {args.packs!r}")
    try:
        app = create_app(packs, decision_log=args.decision_log)
    except OSError as e:
        raise UsageError(f"cannot open the decision log {args.decision_log!r}: {e.strerror or e}") from None
    listening = _listen(args.host, args.port)
    host, port = listening.getsockname()[:2]
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}"
    log = f"; decision log {args.decision_log}" if args.decision_log else ""
    sys.stderr.write(f"{PROG} serve: {len(packs)} packs ({', '.join(packs)}) on {url}{log}\n")
    sys.stderr.flush()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    server.run(sockets=[listening])
    return 0


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or a usage error saying why there cannot be one."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                                 proto=socket.IPPROTO_TCP, flags=socket.AI_PASSIVE)[0]
        # proto must say TCP: asyncio turns Nagle's algorithm off only on sockets that do, and with it on,
        # each answer on a kept-alive connection waits ~40 ms for a delayed acknowledgement
        listening = socket.socket(family, kind, proto)
    except OSError as e:
        raise UsageError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(address)
        listening.listen(2048)
    except OSError as e:
        listening.close()
        raise UsageError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    return listening


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}: expected a number from 0 to 65535 "
                                         "(0: any free port)")
    return int(text)


def register(command: Command) -> None:
    """Add serve to the command line."""
    p = command("serve", f"run the decision service: the packs' answers over HTTP with JSON ({INSTALL})", _serve)
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1, this "
                                                       "machine only; 0.0.0.0 opens it to the network)")
    p.add_argument("--port", type=_port, default=8000, help="the port to listen on (default 8000; 0: any free port, "
                                                             "announced on standard error)")
    p.add_argument("--packs", metavar="DIR", help="serve every pack in DIR instead of the bundled packs (baselines "
                                                  "beside them or in DIR/baselines)")
    p.add_argument("--decision-log", metavar="FILE", help="append one JSON line per answer to FILE (the request, "
                                                          "its record and the statuses), before the answer is sent")
