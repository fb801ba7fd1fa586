"""Reading a case's facts from a file: YAML 1.2 core or JSON, exactly as strictly as packs are read.

``died: yes`` stays the string ``'yes'`` (and the fact check then says to write ``true``), a repeated
key is refused, aliases, size and nesting have the pack loader's limits, and every problem is
located as ``file:line:column``. A mistake in a value that only the pack can see (an unknown fact, a
value outside an enum) is located through :meth:`CaseFile.locate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import FactError, PackError, Problem
from .loading import SourceMap, parse_bytes, read_limited

if TYPE_CHECKING:
    from ..pack import PolicyPack

__all__ = ["CaseFile", "read_case", "parse_case", "load_case"]


@dataclass(frozen=True)
class CaseFile:
    """The facts of a case file, and where each was written."""

    facts: dict[str, Any]
    source: SourceMap

    def locate(self, error: FactError) -> FactError:
        """The same error, its message starting with where the fact is written (``file:line:column: $.fact:``)."""
        fact = error.fact
        if fact is None or fact not in self.facts:
            return FactError(str(Problem(self.source.file, 0, 0, "", str(error))), fact)  # ``file: message``, one line
        node = (fact,)
        hint = ""
        word = self.source.yaml11_words.get(node)
        if word is not None and "true or false" in str(error):
            hint = f" ({word!r} is a string in YAML 1.2: write true or false)"
        return FactError(str(self.source.problem(node, f"{error}{hint}", key=error.about == "name")), fact)


def read_case(path: str | Path) -> CaseFile:
    """Read a case file (YAML or JSON).

    Raises:
        FactError: the file is missing, unreadable, too large, not valid YAML or JSON, has a repeated
            key, is empty (a case with every fact unknown is written ``{}``) or is not a mapping of
            fact names to true/false or words; each problem located.
    """
    name = str(path)
    try:
        raw = read_limited(path, name, "case file")
    except PackError as e:
        raise _fact_error(e.errors) from None
    return parse_case(raw, name)


def parse_case(raw: bytes, name: str) -> CaseFile:
    """Parse the bytes of a case (from a file or standard input); see :func:`read_case`."""
    try:
        doc = parse_bytes(raw, name, kind="case")
    except PackError as e:
        raise _fact_error(e.errors) from None
    problems = list(doc.problems)
    data = doc.data
    if not isinstance(data, dict):
        problems.append(doc.source.problem((), f"a case is a mapping of fact names to values (e.g. subject: child), "
                                               f"got {_kind(data)}"))
    else:
        for key, value in data.items():
            if isinstance(value, (dict, list)):
                problems.append(doc.source.problem((key,), f"fact {key!r} must be true, false or a word, got {_kind(value)}"))
    if problems:
        raise _fact_error(problems)
    return CaseFile(data, doc.source)


def load_case(path: str | Path, *, pack: PolicyPack | None = None) -> dict[str, Any]:
    """The facts in a case file, read exactly as the command line reads them (see :func:`read_case`).

    With ``pack``, the facts are also checked against its fact catalogue, as the command line checks
    them: an unknown fact or a wrong value raises a ``FactError`` that says where in the file it is
    written (without ``pack``, ``decide`` finds it later, without the place).
    """
    case = read_case(path)
    if pack is not None:
        try:
            pack.decide(case.facts)
        except FactError as e:
            raise case.locate(e) from None
    return case.facts


def _fact_error(problems: list[Problem] | tuple[Problem, ...]) -> FactError:
    """The problems of a case file, in PackError's order and words, as a FactError."""
    return FactError(str(PackError(problems)))


def _kind(data: Any) -> str:
    return {list: "a list", dict: "a mapping", str: "a string", bool: "true or false", int: "a number",
            float: "a number"}.get(type(data), type(data).__name__)
