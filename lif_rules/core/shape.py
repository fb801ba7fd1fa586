"""Stage 2, shape: plain pack data → ``PackSpec``, every problem located in the file.

Pydantic's errors are mapped back onto the YAML path of the offending node (its key, for unknown
keys), reworded for policy authors, and the parts with problems are pruned so later stages can
still check the rest.
"""

from __future__ import annotations

import copy
import re
import types
from collections.abc import Iterator
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..errors import Problem, did_you_mean, quoted_bool_hint, short_repr
from .loading import Document, PathT
from .schema import VERSION_TAGS, PackSpec

__all__ = ["shape", "shape_pruned", "condition_paths"]


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[PathT, bool]:
    """Map a pydantic ``loc`` onto the data's own path, skipping union tags and aliases."""
    path: list[str | int] = []
    node = data
    found = True
    for part in loc:
        key = "from" if part == "from_" else part
        if isinstance(node, dict) and isinstance(key, str) and key in node:
            path.append(key)
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            path.append(key)
            node = node[key]
        elif isinstance(node, dict) and isinstance(key, str) and not key.startswith(("function-", "json-")) and key not in (
            "decide", "schedule", "quorum", "list[OffsetSpec]", "OffsetSpec", "date", "str", "is-instance[date]",
            *VERSION_TAGS,
        ):
            path.append(key)  # a missing key: point at its parent
            found = False
            break
    return tuple(path), found


def _fields_of(data: Any, path: PathT) -> list[str]:
    """The keys the schema allows at ``path`` (for "allowed: ..." and did-you-mean)."""
    annotation: Any = PackSpec
    node = data
    for part in path:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
        annotation = _step(annotation, part, node)
    model = _narrow(annotation, node)
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return []
    return [f.alias or n for n, f in model.model_fields.items()]


def _narrow(annotation: Any, node: Any) -> Any:
    """Unwrap ``Annotated`` and pick the union member that fits ``node``."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) not in (Union, types.UnionType):
        return annotation
    members = [_narrow(a, node) for a in get_args(annotation) if a is not type(None)]
    models = [a for a in members if isinstance(a, type) and issubclass(a, BaseModel)]
    if isinstance(node, dict) and models:  # an item written as one body, or as versions of it
        dated = [m for m in models if ("versions" in m.model_fields) == ("versions" in node)]
        if dated and len(dated) < len(models):
            models = dated
            members = dated
    if isinstance(node, dict) and isinstance(node.get("kind"), str):
        for m in models:
            if "kind" in m.model_fields and node["kind"] in get_args(m.model_fields["kind"].annotation):
                return m
    for a in members:
        if isinstance(node, list) and get_origin(a) is list:
            return a
        if isinstance(node, dict) and (get_origin(a) is dict or a in models):
            return a
    return members[0] if members else None


def _step(annotation: Any, part: str | int, node: Any) -> Any:
    annotation = _narrow(annotation, [] if isinstance(part, int) else {})
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(part, str):
        field = annotation.model_fields.get("from_" if part == "from" else part)
        return field.annotation if field else None
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is dict and len(args) == 2:
        return _narrow(args[1], node)
    if origin is list and args:
        return _narrow(args[0], node)
    return None


def shape(doc: Document) -> tuple[PackSpec | None, list[Problem]]:
    """Validate a document against the authoring schema, returning every located problem.

    Parts with problems are pruned and the rest validated again, so that later stages can still
    check what is left; the spec returned is ``None`` only when nothing usable remains.
    """
    spec, problems, _pruned = shape_pruned(doc)
    return spec, problems


_SECTIONS = ("facts", "definitions", "reviews", "notifications", "roles", "meetings")


def shape_pruned(doc: Document) -> tuple[PackSpec | None, list[Problem], set[str]]:
    """Like :func:`shape`, also returning the names of entries pruned for having problems.

    The paths of conditions inside pruned parts are added to ``doc.orphan_conditions``, so the
    compiler can still check the names they use.
    """
    data = doc.data
    smap = doc.source
    if not isinstance(data, dict):
        got = type(data).__name__ if data is not None else "nothing"
        return None, [smap.problem((), f"a pack is a mapping of keys such as 'pack:' and 'reviews:'; got {got}")], set()
    problems: list[Problem] = []
    pruned: set[str] = set()
    work = copy.deepcopy(data)
    written: dict[int, list[PathT]] = {}  # where each part was written, taken before the first is dropped
    for attempt in range(12):
        try:
            spec = PackSpec.model_validate(work)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            kept = [err for err in errors if not _is_other_union_branch(work, err, errors)]
            if attempt == 0:  # later rounds only clear what pruning list items shifted; report the first
                problems.extend(_problem(doc, work, err) for err in kept if not _under_rejected_tag(doc, work, err))
            cuts = {_prune_point(work, err) for err in kept}
            if None in cuts:
                break
            if attempt == 0:
                doc.orphan_conditions.extend(p for cut in cuts if cut is not None for p in _conditions_under(work, cut))
                written = _containers(work)
            for cut in sorted(cuts, key=lambda c: (len(c), c), reverse=True):  # type: ignore[arg-type]
                _cut(work, cut, pruned)  # type: ignore[arg-type]
        else:
            if attempt:
                smap.moved.update(_moved(work, written))
            return spec, problems, pruned
    return None, problems, pruned


def _walk(data: Any) -> Iterator[tuple[PathT, Any]]:
    """Every mapping and list in ``data`` with its path, each before the parts inside it."""
    stack: list[tuple[PathT, Any]] = [((), data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            items: Any = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            continue
        yield path, node
        stack.extend((path + (k,), v) for k, v in items)


def _containers(data: Any) -> dict[int, list[PathT]]:
    """Every mapping and list in ``data``, by identity: the paths it is at (more than one through aliases)."""
    found: dict[int, list[PathT]] = {}
    for path, node in _walk(data):
        found.setdefault(id(node), []).append(path)
    return found


def _moved(data: Any, written: dict[int, list[PathT]]) -> dict[PathT, PathT]:
    """Path in ``data`` (after list items were dropped) → path where that part was written, where they differ."""
    moved: dict[PathT, PathT] = {}
    for path, node in _walk(data):  # a part's parent first, so where its parent was written is known
        if path:
            parent = moved.get(path[:-1], path[:-1])
            was = next((p for p in written.get(id(node), ()) if p[:-1] == parent), None)
            if was is not None and was != path:
                moved[path] = was
    return moved


def _under_rejected_tag(doc: Document, data: Any, err: Any) -> bool:
    path, _found = _data_path(data, tuple(err["loc"]))
    return any(path[:n] in doc.source.rejected for n in range(len(path) + 1))


def _prune_point(data: Any, err: Any) -> PathT | None:
    """The smallest part of the data to drop so the error goes away (None: nothing sensible)."""
    path, _found = _data_path(data, tuple(err["loc"]))
    if err["type"] == "extra_forbidden":
        return path
    for n in range(len(path), 0, -1):
        p = path[:n]
        if isinstance(p[-1], int) or (len(p) == 2 and p[0] in _SECTIONS):
            return p
    return None


def condition_paths(data: Any) -> list[PathT]:
    """Paths of every ``when:`` string in a document's data."""
    return _conditions_under(data, ())


def _conditions_under(data: Any, path: PathT) -> list[PathT]:
    """Paths of the ``when:`` strings inside the part of the data at ``path``."""
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return []
    return [path + inner + ("when",) for inner, item in _walk(node)
            if isinstance(item, dict) and isinstance(item.get("when"), str)]


def _cut(data: Any, path: PathT, pruned: set[str]) -> None:
    node = data
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return
    last = path[-1]
    try:
        removed = node[last]
    except (KeyError, IndexError, TypeError):
        return
    if isinstance(removed, dict) and isinstance(removed.get("id"), str):
        pruned.add(removed["id"])
    if len(path) == 2 and path[0] in _SECTIONS:
        pruned.add(str(last))
    if isinstance(node, list) and isinstance(last, int):
        node[last] = None
        while None in node:
            node.remove(None)
    else:
        del node[last]


_SHAPE_ERRORS = {"list_type", "dict_type", "model_type", "model_attributes_type"}


def _is_other_union_branch(data: Any, err: Any, errors: list[Any]) -> bool:
    """A "wrong shape" error from the union member the author plainly did not mean."""
    if err["type"] not in _SHAPE_ERRORS:
        return False
    path, _ = _data_path(data, tuple(err["loc"]))
    return any(
        other is not err and _data_path(data, tuple(other["loc"]))[0][: len(path)] == path
        and other["type"] not in _SHAPE_ERRORS
        for other in errors
    )


def _problem(doc: Document, data: Any, err: Any) -> Problem:
    smap = doc.source
    loc = tuple(err["loc"])
    path, found = _data_path(data, loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else "?"
        allowed = _fields_of(data, path[:-1])
        hint = did_you_mean(key, allowed)
        listed = f"; allowed: {', '.join(allowed)}" if allowed else ""
        return smap.problem(path, f"unexpected key {key!r}{listed}{hint}", key=True)
    if kind == "missing":
        return smap.problem(path[:-1] if not found else path, f"missing required key {str(loc[-1]).rstrip('_')!r}")
    got = err.get("input")
    if kind == "union_tag_invalid" and isinstance(got, dict) and "kind" in got:
        return smap.problem(path + ("kind",), _message(err))
    if "[key]" in loc and isinstance(got, str) and kind == "string_pattern_mismatch":
        at = path[: path.index("[key]")] if "[key]" in path else path
        return smap.problem(at, _bad_id(got), key=True)
    if "[key]" in loc and isinstance(got, str):
        allowed = re.findall(r"'([^']+)'", err.get("msg", ""))
        listed = f"; allowed: {', '.join(allowed)}" if allowed else ""
        at = path if path and path[-1] == got else path + (got,)
        return smap.problem(at, f"unexpected key {got!r}{listed}{did_you_mean(got, allowed)}", key=True)
    if kind == "string_pattern_mismatch" and isinstance(got, str):
        return smap.problem(path, _bad_id(got))
    if kind == "string_type" and got is None and path and isinstance(path[-1], str):
        example = " (e.g. when: subject == child and died)" if path[-1] == "when" else ""
        what = "the condition" if path[-1] == "when" else "its text"
        return smap.problem(path, f"'{path[-1]}:' is empty; write {what} after it{example}")
    message = _message(err)
    word = smap.yaml11_words.get(path)
    if word is not None and kind in ("bool_type", "bool_parsing"):
        message += f" ({word!r} is a string in YAML 1.2; write true or false)"
    elif kind == "string_type" and isinstance(got, (bool, int, float)) and path and path[-1] == "when":
        shown = str(got).lower() if isinstance(got, bool) else str(got)
        message += f" (YAML read {shown} as a {type(got).__name__}: a condition in quotes, when: '{shown}', is text)"
    elif kind in ("bool_type", "bool_parsing"):
        message += quoted_bool_hint(got)
    elif kind in ("literal_error", "enum") and isinstance(got, str):
        expected = re.findall(r"'([^']+)'", err.get("msg", ""))
        message = f"{got!r} is not one of: {', '.join(expected)}{did_you_mean(got, expected)}"
    return smap.problem(path, message)


def _message(err: Any) -> str:
    msg: str = err["msg"]
    got = err.get("input")
    kind = err["type"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    simple = {
        "string_type": "expected a string",
        "bool_type": "expected true or false",
        "int_type": "expected a whole number",
        "dict_type": "expected a mapping",
        "list_type": "expected a list",
        "model_type": "expected a mapping",
        "model_attributes_type": "expected a mapping",
        "string_pattern_mismatch": "expected an identifier: lowercase letters, digits and '_', starting with a letter",
    }
    if kind in simple:
        msg = simple[kind]
        if not isinstance(got, (dict, list)):
            msg += f", got {got!r}"
        return msg
    if kind == "union_tag_invalid":
        tag = str(err.get("ctx", {}).get("tag"))
        kinds = ["decide", "schedule", "quorum"]
        return f"'kind' must be one of: {', '.join(kinds)}; got {tag!r}{did_you_mean(tag, kinds)}"
    if kind == "union_tag_not_found":
        return "missing required key 'kind' (one of: decide, schedule, quorum)"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type", "datetime_from_date_parsing"):
        return f"{got!r} is not a real date (written YYYY-MM-DD)"
    if kind == "too_short":
        return "must not be empty"
    if kind in ("literal_error", "enum"):
        expected = re.findall(r"'([^']+)'", msg)
        return f"expected one of: {', '.join(expected)}; got {short_repr(got, 60)}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{got!r} is out of range: {msg.split('should be ', 1)[-1]}"
    return msg[:1].lower() + msg[1:]


def _bad_id(got: str) -> str:
    """An id that is not lowercase letters, digits and '_': say so, with the id it should be."""
    fixed = re.sub(r"_+", "_", re.sub(r"[^a-z0-9_]", "_", got.strip().lower())).strip("_")
    if fixed and not fixed[0].isalpha():
        fixed = "n_" + fixed
    hint = f"; write {fixed!r}" if fixed and fixed != got else ""
    return f"{short_repr(got, 60)} is not a valid id: ids use lowercase letters, digits and '_', starting with a letter{hint}"
