"""The command line, ``lif-rules``: one module per group of commands, ``app`` ties them together."""

from .app import main

__all__ = ["main"]
