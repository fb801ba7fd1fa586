"""The command line, ``lif-rules``: the parser, the dispatch, and the exit status of every command.

Each group of commands lives in its own module and adds its subcommands through ``register``;
this module turns what they raise into one clear line on standard error (one line per problem for
an invalid pack) and an exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import asdict

from .. import __version__
from ..core.explain import render_problems
from ..errors import FactError, PackError
from ..pack import available_packs
from . import analyses, authoring, cases, catalogue, service, starter, views
from .common import (
    PROG, EnvironmentProblem, UsageError, _error, _one_line, _Parser, _print, _print_json, _silence_stdout, _write, safe,
)

__all__ = ["main"]

EPILOG = """\
PACK is a bundled pack id (%(packs)s) or a pack file path.
Dates are written YYYY-MM-DD. --json prints machine-readable output on standard output, and on
failure {"error": {"type", "message", "problems"}}.

exit status:
  0  fine
  1  the answer is no: an invalid pack (validate), a failed example (test), a meeting not
     quorate (quorum), behaviour changed (diff), a rule that decides nothing (check)
  2  bad input: usage, an unknown pack, review, milestone or meeting id, a missing or
     unreadable file (validate included), bad facts or dates, a pack that does not load (in
     any command but validate); or an environment that stops the output (an encoding that
     cannot show it, a full disk)
  3  internal error (a bug in lif-rules; please report it)
"""


# -- top level ------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    """Run ``lif-rules`` with ``argv`` (default: ``sys.argv[1:]``) and return the exit status.

    With ``--json`` anywhere on the command line, a failure also prints
    ``{"error": {"type", "message", "problems"}}`` on standard output.
    """
    argv = sys.argv[1:] if argv is None else argv
    wants_json = "--json" in argv
    parser = _parser()
    if not argv:
        _print(parser.format_help())
        return 0
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as e:  # --help or --version: argparse has printed them
            return e.code if isinstance(e.code, int) else 0
        args.json = args.json or args.json_first
        command: Callable[[argparse.Namespace], int] = args.run
        return command(args)
    except UsageError as e:
        return _fail(wants_json, "usage", str(e), 2, prog=e.prog)
    except PackError as e:
        _write(sys.stderr, safe(render_problems(e)))
        return _fail(wants_json, "invalid_pack", "the pack does not load", 2, [asdict(p) for p in e.errors],
                     quiet=True)
    except FactError as e:
        return _fail(wants_json, "bad_facts", str(e), 2)
    except LookupError as e:
        return _fail(wants_json, "not_found", _one_line(e), 2)
    except EnvironmentProblem as e:
        return _fail(wants_json, "environment", str(e), 2)
    except ValueError as e:
        if type(e) is ValueError:  # the library's bad input (its subclasses, e.g. a UnicodeError, are bugs)
            return _fail(wants_json, "usage", _one_line(e), 2)
        return _internal(wants_json, e)
    except BrokenPipeError:  # e.g. piped into head: stop quietly
        _silence_stdout()
        return 0
    except OSError as e:  # a full disk, a closed terminal: the environment, not a bug
        return _fail(wants_json, "environment", f"cannot write the output: {e.strerror or e}", 2)
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except Exception as e:  # anything else is a bug: one line, no traceback
        return _internal(wants_json, e)


def _internal(wants_json: bool, e: Exception) -> int:
    return _fail(wants_json, "internal", f"internal error: {type(e).__name__}: {_one_line(e)}", 3)


def _fail(wants_json: bool, kind: str, message: str, status: int, problems: list[dict[str, object]] | None = None,
          *, quiet: bool = False, prog: str = PROG) -> int:
    """Report a failure: a line on standard error, and with ``--json`` the error object on standard output."""
    if not quiet:
        lines = message.splitlines() or [message]
        prefix = f"{prog}: " if kind == "internal" else f"{prog}: error: "
        _error(lines[0], prefix=prefix)
        for line in lines[1:]:
            _error(line, prefix="  ")
    if wants_json:
        try:
            _print_json({"error": {"type": kind, "message": message, "problems": problems or []}})
        except (OSError, EnvironmentProblem):
            pass
    return status


def _parser() -> argparse.ArgumentParser:
    try:
        packs = ", ".join(available_packs()) or "none"
    except OSError:
        packs = "none found"
    epilog = EPILOG % {"packs": packs}
    formatter = argparse.RawDescriptionHelpFormatter
    parser = _Parser(prog=PROG, description="Learning and Improvement Frameworks as policy packs: check them, "
                                            "and ask which reviews a case needs, when milestones are due and "
                                            "whether a meeting is quorate.",
                     epilog=epilog, formatter_class=formatter)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--json", dest="json_first", action="store_true", help="print machine-readable JSON on "
                        "standard output (also accepted after the command)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=_Parser)
    common = _Parser(add_help=False)
    common.add_argument("--json", action="store_true", help="print machine-readable JSON on standard output")

    def command(name: str, summary: str, run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=summary, description=summary, parents=[common], epilog=epilog,
                           formatter_class=formatter)
        p.set_defaults(run=run)
        return p

    for module in (cases, authoring, starter, analyses, views, catalogue, service):
        module.register(command)
    return parser


