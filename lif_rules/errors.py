"""Error types: located pack problems (``PackError``) and bad case facts (``FactError``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["LifRulesError", "PackError", "FactError", "Problem", "printable", "did_you_mean", "quoted_bool_hint", "Suggestions",
           "short_repr"]


class LifRulesError(Exception):
    """Base class of every error the library raises on bad input."""


def printable(text: str) -> str:
    """``text`` with every character that is not printable shown as its escape (one line, nothing a
    terminal acts on)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a pack, located in its file (line and column are 1-based).

    A problem about the whole file (missing, unreadable, too large) has line and column 0 and is
    shown as ``file: message``.
    """

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        file = printable(self.file)  # one line: a file's name may hold a line break (path and message quote theirs)
        if self.line == 0:
            return f"{file}: {self.message}"
        return f"{file}:{self.line}:{self.column}: {self.path}: {self.message}"


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
    """A case's facts are wrong: an unknown fact name, a wrong type or a value outside an enum.

    ``fact`` names the fact (when one is to blame) and ``about`` says whether its ``name`` or its
    ``value`` is wrong.
    """

    def __init__(self, message: str, fact: str | None = None, about: str = "value"):
        super().__init__(message)
        self.fact = fact
        self.about = about

    def __reduce__(self) -> tuple[type[FactError], tuple[str, str | None, str]]:
        return (FactError, (str(self), self.fact, self.about))


def quoted_bool_hint(value: object) -> str:
    """A `` (the quotes make it text: ...)`` suffix for ``'true'`` or ``'false'`` written where a boolean is
    meant, or ``""``."""
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return f" (the quotes make it text: write {value.lower()} without them)"
    return ""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A `` (did you mean 'x'?)`` suffix for the closest choice, or ``""``."""
    import difflib  # only when there is a mistake to explain: it is slow to import

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class Suggestions:
    """Did-you-mean over one set of names, indexed once, so reporting many unknown names stays linear.

    Only names whose length could pass the similarity cutoff are compared, each word is looked up
    once, and after ``limit`` different words no more suggestions are made (the problems are still
    reported, without a guess).
    """

    def __init__(self, names: Iterable[str], limit: int = 64):
        self._by_length: dict[int, list[str]] = {}
        for name in names:
            self._by_length.setdefault(len(name), []).append(name)
        self._cache: dict[str, str] = {}
        self._left = limit

    def __call__(self, word: str) -> str:
        """A `` (did you mean 'x'?)`` suffix, or ``""``."""
        found = self._cache.get(word)
        if found is not None:
            return found
        if self._left <= 0:
            return ""
        self._left -= 1
        # difflib's ratio 2*M/(a+b) >= 0.6 needs the shorter name to be at least 3/7 of the longer
        low, high = (3 * len(word)) // 7, (7 * len(word)) // 3 + 1
        candidates = [n for length in range(low, high + 1) for n in self._by_length.get(length, ())]
        found = self._cache[word] = did_you_mean(word, candidates)
        return found


def short_repr(value: object, limit: int = 80) -> str:
    """``repr(value)`` cut to about ``limit`` characters, without ever building the whole of it.

    Nested containers are shown a few levels and items deep, so a case built from YAML aliases
    that expand to millions of items costs no more to describe than a small one.
    """
    import reprlib

    shorter = reprlib.Repr()
    shorter.maxlevel = 3
    shorter.maxdict = shorter.maxlist = shorter.maxtuple = shorter.maxset = shorter.maxfrozenset = 6
    shorter.maxstring = shorter.maxother = shorter.maxlong = limit
    try:
        text = shorter.repr(value)
    except Exception:  # a broken __repr__ of a caller's object: say what it is
        text = f"<{type(value).__name__} object>"
    return text if len(text) <= limit else text[: limit - 3] + "..."
