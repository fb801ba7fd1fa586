"""A cache of compiled packs on disk: a new process loads a pack it has loaded before in milliseconds.

Reading, checking and compiling a pack takes tens of milliseconds, and a command-line user pays it
on every call. A pack that compiles without a problem is kept in the user's cache folder, under a
key made of its path, its bytes, and a fingerprint of the library (its version and the size and
modification time of its modules and bundled packs). The entry also records the text of every
baseline the pack extends; before an entry is used those files are read again and must be
unchanged. Any difference, or any entry that cannot be read, means the pack is compiled afresh: the
cache can make loading faster, never different.

The folder is ``LIF_RULES_CACHE_DIR`` when set (``off`` turns the cache off), else
``$XDG_CACHE_HOME/lif_rules``, else ``~/.cache/lif_rules``. Entries are pickles of the library's
own objects, so the folder is used only when it belongs to the user running the library and no one
else may write to it or to its entries; otherwise the cache is off for that process.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["fetch", "keep", "folder", "MAX_ENTRIES"]

FORMAT = 4  # bump when what an entry holds changes (it is part of every entry's name)
MAX_ENTRIES = 256
"""Entries kept in the folder; the oldest are removed beyond it."""

_fingerprint: str | None = None


def folder() -> Path | None:
    """The cache folder to use, or ``None`` when the cache is off (or the folder is not safe to use)."""
    setting = os.environ.get("LIF_RULES_CACHE_DIR")
    if setting is not None and setting.strip().lower() in ("", "off", "0", "no", "false"):
        return None
    if setting:
        where = Path(setting)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        where = Path(base) / "lif_rules"
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = where.stat()
    except (OSError, ValueError):
        return None
    return where if stat.S_ISDIR(info.st_mode) and _private(info) else None


def _private(info: os.stat_result) -> bool:
    """Owned by this user and writable by no one else (always true where there are no user ids)."""
    getuid = getattr(os, "getuid", None)
    return getuid is None or (info.st_uid == getuid() and not info.st_mode & 0o022)


def _library() -> str:
    """A fingerprint of the library where it is installed (its code and bundled packs), of Python and
    of pydantic (whose models an entry holds): any edit or upgrade, or another environment, changes it."""
    global _fingerprint
    if _fingerprint is None:
        import pydantic
        import pydantic_core

        from .. import __version__
        from ..pack import bundled_dir
        package = Path(__file__).resolve().parent.parent
        digest = hashlib.sha256(f"{FORMAT}:{__version__}:{sys.version}:{pydantic.VERSION}:{pydantic_core.__version__}:"
                                f"{package}".encode("utf-8", "surrogatepass"))
        for root in sorted({package, bundled_dir().resolve()}):
            for path in sorted(root.rglob("*")):
                if path.suffix in (".py", ".yaml", ".yml") and "__pycache__" not in path.parts:
                    info = path.stat()
                    digest.update(f"{path.relative_to(root)}:{info.st_size}:{info.st_mtime_ns};".encode())
        _fingerprint = digest.hexdigest()
    return _fingerprint


def _entry(where: Path, key: Sequence[str], data: bytes) -> Path:
    digest = hashlib.sha256(_library().encode())
    for part in key:
        digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    digest.update(b"\0" + data)
    return where / f"{digest.hexdigest()[:40]}.pickle"


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def fetch(key: Sequence[str], data: bytes) -> Any | None:
    """What :func:`keep` kept for this key and these bytes, if every file it depends on is unchanged."""
    where = folder()
    if where is None:
        return None
    path = _entry(where, key, data)
    try:
        with open(path, "rb") as f:
            if not _private(os.fstat(f.fileno())):
                return None
            kept = pickle.load(f)  # noqa: S301 - the library's own objects, in a folder only this user can write
    except Exception:  # none yet, or damaged or outdated: compile afresh, and write a good one
        return None
    if not (isinstance(kept, tuple) and len(kept) == 2):  # (FORMAT is in the entry's name, with the library's)
        return None
    depends, payload = kept
    from .loading import read_limited
    for file, digest in depends:
        try:
            text = read_limited(file, file, "baseline").decode("utf-8-sig")
        except Exception:  # gone, unreadable, no longer a file: the pack must be loaded afresh
            return None
        if _text_digest(text) != digest:
            return None
    return payload


def keep(key: Sequence[str], data: bytes, depends: Sequence[tuple[Path, str]], payload: Any) -> None:
    """Keep ``payload`` for this key and these bytes, valid while each file in ``depends`` has its text.

    Best effort: a cache that cannot be written is skipped, since it only saves time.
    """
    where = folder()
    if where is None:
        return
    entry = (tuple((str(file), _text_digest(text)) for file, text in depends), payload)
    try:
        fd, temporary = tempfile.mkstemp(dir=where, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                _Pickler(f, protocol=pickle.HIGHEST_PROTOCOL).dump(entry)
            os.replace(temporary, _entry(where, key, data))
        except BaseException:
            os.unlink(temporary)
            raise
        _prune(where)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return


class _Pickler(pickle.Pickler):
    """Pickles the library's own plain objects as their class and attribute values, rebuilt one attribute
    at a time. Pickle's default replaces an object's ``__dict__`` wholesale, and CPython then reads its
    attributes by a slower path: a schedule of a pack read back that way took 15% longer."""

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        if not cls.__module__.startswith("lif_rules.") or not cls.__dictoffset__ or hasattr(cls, "model_fields"):
            return NotImplemented  # pydantic models, frozen containers and everything else: the usual way
        if dataclasses.is_dataclass(cls):  # fields only (cached properties are worked out again when used),
            # read without touching the object's __dict__, which would slow the pack this process goes on using
            return _rebuild, (cls, tuple((f.name, getattr(obj, f.name)) for f in dataclasses.fields(cls)))
        return _rebuild, (cls, tuple(vars(obj).items()))


def _rebuild(cls: type, attributes: tuple[tuple[str, Any], ...]) -> Any:
    made: Any = object.__new__(cls)
    for name, value in attributes:
        object.__setattr__(made, name, value)
    post_init = getattr(cls, "__post_init__", None)
    if post_init is not None:  # as a dataclass does once its fields are set
        post_init(made)
    return made


def _prune(where: Path) -> None:
    """Remove the oldest files beyond :data:`MAX_ENTRIES` (a temporary file a crash left counts as one)."""
    entries = []
    for path in where.iterdir():
        try:
            entries.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue
    entries.sort()
    for _, path in entries[:max(0, len(entries) - MAX_ENTRIES)]:
        try:
            path.unlink()
        except OSError:
            pass
