"""Load-time warnings about a pack's text: what loads, but may not say what its author meant.

Each lint reads one layer (the pack file itself, not its baselines) and returns located problems,
which ``load_pack`` keeps as the pack's warnings. Nothing here changes what a pack decides.
"""

from __future__ import annotations

import re

from ..errors import Problem
from .compiled import Layer
from .expr import mixed_and_or
from .loading import value_at
from .shape import condition_paths

__all__ = ["layer_warnings"]

_COMMENT_AFTER = re.compile(r"[ \t]+#")
_QUOTED = frozenset({("citation",), ("because",), ("otherwise_because",)})
"""Fields whose text an answer quotes as the reason for it: where a lost '# para 12' matters."""


def layer_warnings(layer: Layer) -> list[Problem]:
    """Every lint's warnings about ``layer``, in the order of the file."""
    found = mixed_conditions(layer) + text_cut_by_comment(layer)
    return sorted(found, key=lambda p: (p.line, p.column))


def mixed_conditions(layer: Layer) -> list[Problem]:
    """Conditions whose meaning rests on 'and' binding before 'or' (``a and b or c``): a slip authors make
    when they mean ``a and (b or c)``, which loading cannot tell from what was meant."""
    out = []
    for at in condition_paths(layer.doc.data):
        text = value_at(layer.doc.data, at)
        offset = mixed_and_or(text) if isinstance(text, str) else None
        if offset is not None:
            out.append(layer.source.problem_in_scalar(at, offset, (
                "'or' joins an 'and' written without parentheses; 'and' binds first, so this reads as "
                "(... and ...) or ...: add parentheses to say which is meant")))
    return out


def text_cut_by_comment(layer: Layer) -> list[Problem]:
    """A citation or reason, unquoted, followed by ' #' on its line: YAML ends the text there and reads
    the rest as a comment, so ``citation: WT 2018 ch.4 # para 12`` silently loses its paragraph.

    Only the fields an answer quotes are checked: elsewhere (``name: Rapid review  # ...``) a comment
    is far more likely meant as one, and a one-word value (``citation: LIF  # ...``) is taken as such.
    """
    source = layer.source
    lines = source.text.splitlines()
    out = []
    for path, text in source.strings.items():
        loc = source.nodes.get(path)
        if path[-1:] not in _QUOTED or loc is None or loc.style is not None or " " not in text.strip():
            continue
        if not 0 < loc.end_line <= len(lines):
            continue
        rest = lines[loc.end_line - 1][loc.end_column - 1:]
        if _COMMENT_AFTER.match(rest):
            hash_at = loc.end_column + rest.index("#")
            out.append(Problem(source.file, loc.end_line, hash_at, source.format(path), (
                f"the text ends before ' #': YAML reads ' #' and what follows as a comment, so {text!r} is the "
                f"whole value; if the '#' belongs to the text, put the text in quotes, or else move the comment "
                f"to a line of its own")))
    return out
