"""The command line, ``lif-rules``: the parser, the dispatch, and the exit status of every command.

Each group of commands lives in its own module and adds its subcommands through ``register``;
this module turns what they raise into one clear line on standard error (one line per problem for
an invalid pack) and an exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from .. import __version__
from ..core.explain import render_problems
from ..errors import FactError, PackError
from ..pack import available_packs
from . import authoring, cases, catalogue, service
from .common import PROG, UsageError, _error, _one_line, _Parser, _silence_stdout

__all__ = ["main"]

EPILOG = """\
PACK is a bundled pack id (%(packs)s) or a pack file path.
Dates are written YYYY-MM-DD. --json prints machine-readable output on standard output.

exit status:
  0  fine
  1  problems found: an invalid pack, a failed example, a meeting not quorate, a diff with changes
  2  usage error: bad arguments or dates, an unreadable facts file, bad facts, an unknown
     pack, review, milestone or meeting id
  3  internal error (a bug in lif-rules; please report it)
"""


# -- top level ------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    """Run ``lif-rules`` with ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse has printed usage and the error (or the help) already
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    args.json = args.json or args.json_first
    try:
        command: Callable[[argparse.Namespace], int] = args.run
        return command(args)
    except UsageError as e:
        _error(str(e))
        return 2
    except PackError as e:
        sys.stderr.write(render_problems(e))
        return 1
    except FactError as e:
        _error(_one_line(e))
        return 2
    except LookupError as e:
        _error(_one_line(e))
        return 2
    except BrokenPipeError:  # e.g. piped into head: stop quietly
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except Exception as e:  # anything else is a bug: one line, no traceback
        _error(f"internal error: {type(e).__name__}: {_one_line(e)}", prefix=f"{PROG}: ")
        return 3


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

    for module in (cases, authoring, catalogue, service):
        module.register(command)
    return parser


