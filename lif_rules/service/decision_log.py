"""The decision log: one JSON line per answer, appended before the answer is sent.

Each line goes to the file in one ``write`` on an ``O_APPEND`` descriptor, straight to the kernel with
no buffer in this process, so a crash of the server (even ``SIGKILL``) loses no line whose answer
was sent, and lines are never interleaved. A crash in the middle of a write can leave the last line
unfinished (the kernel may stop a write that spans pages); that line's answer was never sent, so
opening the log again cuts it off, and every line in the file parses.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from .answers import ascii_json

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
        size, whole = _whole_lines(self.path)
        if whole < size:
            os.ftruncate(self._fd, whole)
        self.cut = size - whole
        """How many bytes of an unfinished last line were cut off on opening."""

    def append(self, entry: str) -> None:
        """Write one entry (a JSON text) as one line; when this returns, the line is in the file.

        The line is ASCII: JSON lets strings hold U+2028, U+0085 and other characters that many line
        readers (Python's ``splitlines`` among them) take for line breaks, so they are escaped.

        Raises:
            OSError: the line could not be written (e.g. the disk is full).
        """
        self._write(f"{ascii_json(entry)}\n".encode("ascii"))

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


def _whole_lines(path: Path, block: int = 1 << 16) -> tuple[int, int]:
    """The file's size, and the size of its part up to and including its last newline."""
    with path.open("rb") as f:
        size = end = f.seek(0, os.SEEK_END)
        while end > 0:
            start = max(0, end - block)
            f.seek(start)
            newline = f.read(end - start).rfind(b"\n")
            if newline >= 0:
                return size, start + newline + 1
            end = start
        return size, 0
