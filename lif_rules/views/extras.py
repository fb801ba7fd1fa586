"""The optional packages views need, imported when a view is made, with a plain message when missing."""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["MissingExtraError", "require"]

INSTALL = 'pip install "lif_rules[views]"'


class MissingExtraError(ImportError):
    """A view needs an optional package that is not installed; the message says what to install."""


def require(module: str, purpose: str) -> ModuleType:
    """Import ``module`` (e.g. ``"icalendar"``), or raise :class:`MissingExtraError` naming ``purpose``."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(f"{purpose} needs the optional package {module!r}, which is not installed; "
                                f"install it with: {INSTALL}", name=module) from None
