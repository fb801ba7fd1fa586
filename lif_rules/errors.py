"""Error types: located pack problems (``PackError``) and bad case facts (``FactError``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["LifRulesError", "PackError", "FactError", "Problem", "did_you_mean"]


class LifRulesError(Exception):
    """Base class of every error the library raises on bad input."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a pack, located in its file (line and column are 1-based)."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.path}: {self.message}"


class PackError(LifRulesError, ValueError):
    """A pack could not be loaded; ``errors`` holds every problem found, each located."""

    def __init__(self, errors: Iterable[Problem]):
        unique = sorted(set(errors), key=lambda p: (p.file, p.line, p.column, p.path, p.message))
        self.errors: tuple[Problem, ...] = tuple(unique)
        super().__init__("\n".join(str(p) for p in self.errors))

    @property
    def problems(self) -> tuple[Problem, ...]:
        """The same as ``errors``."""
        return self.errors

    def __reduce__(self) -> tuple[type[PackError], tuple[tuple[Problem, ...]]]:
        return (PackError, (self.errors,))


class FactError(LifRulesError, ValueError):
    """A case's facts are wrong: an unknown fact name, a wrong type or a value outside an enum."""

    def __init__(self, message: str, fact: str | None = None):
        super().__init__(message)
        self.fact = fact

    def __reduce__(self) -> tuple[type[FactError], tuple[str, str | None]]:
        return (FactError, (str(self), self.fact))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A `` (did you mean 'x'?)`` suffix for the closest choice, or ``""``."""
    import difflib  # only when there is a mistake to explain: it is slow to import

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
