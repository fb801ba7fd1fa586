"""The decision log: one JSON line per answer, appended before the answer is sent.

Each line goes to the file in one ``write`` on an ``O_APPEND`` descriptor, straight to the kernel with
no buffer in this process, so a crash of the server (even ``SIGKILL``) loses no line whose answer
was sent, and lines are never interleaved. A line cut short by a crash of the whole machine is
ended before the first new line, so every line after it still parses.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

__all__ = ["DecisionLog"]


class DecisionLog:
    """An append-only file of JSON lines, safe to share between threads."""

    def __init__(self, path: str | Path):
        """Open (or create) the log for appending.

        Raises:
            OSError: the file cannot be opened for appending.
        """
        self.path = Path(path)
        self._lock = threading.Lock()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o640)
        if not _ends_a_line(self.path):
            self._write(b"\n")

    def append(self, entry: dict[str, Any]) -> None:
        """Write one entry as one line; when this returns, the line is in the file.

        Raises:
            OSError: the line could not be written (e.g. the disk is full).
        """
        self._write((json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))

    def _write(self, data: bytes) -> None:
        with self._lock:
            view = memoryview(data)
            while view:  # one write, unless the kernel takes part of it (a full disk, a signal)
                view = view[os.write(self._fd, view):]

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            if self._fd >= 0:
                os.close(self._fd)
                self._fd = -1


def _ends_a_line(path: Path) -> bool:
    """Whether the file is empty or ends with a newline."""
    with path.open("rb") as f:
        if f.seek(0, os.SEEK_END) == 0:
            return True
        f.seek(-1, os.SEEK_END)
        return f.read(1) == b"\n"
