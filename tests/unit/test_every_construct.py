"""One small pack that uses every construct of the pack format, each checked by a worked example.

``tests/packs/every_construct.yaml`` (with its baseline ``tests/packs/baselines/every_construct_base.yaml``)
must use every key of the JSON Schema (``lif-rules schema``), in every kind of object that has it, and
every operator of the condition language; ``lif-rules test`` must pass every example it carries. When
the format gains a key, this test fails until the pack uses it and an example checks it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

import lif_rules
from lif_rules.core import expr, loading, schema
from lif_rules.core.shape import shape

TESTS = Path(__file__).resolve().parent.parent
PACK = TESTS / "packs" / "every_construct.yaml"
BASELINE = TESTS / "packs" / "baselines" / "every_construct_base.yaml"
SCHEMA = json.loads((TESTS.parent / "policies" / "pack.schema.json").read_text(encoding="utf-8"))


def spec(path: Path) -> schema.PackSpec:
    shaped, problems = shape(loading.read_document(path))
    assert shaped is not None and problems == []
    return shaped


def models(node: Any) -> Iterator[BaseModel]:
    """Every pydantic model inside a spec, the spec included."""
    if isinstance(node, BaseModel):
        yield node
        for name in type(node).model_fields:
            yield from models(getattr(node, name))
    elif isinstance(node, dict):
        for value in node.values():
            yield from models(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from models(value)


def keys_written(model: BaseModel) -> set[str]:
    fields = type(model).model_fields
    return {fields[name].alias or name for name in model.model_fields_set}


def everything() -> list[BaseModel]:
    return [m for path in (PACK, BASELINE) for m in models(spec(path))]


def test_the_pack_loads_cleanly() -> None:
    pack = lif_rules.load_pack(PACK)
    assert pack.id == "every_construct" and pack.warnings == ()
    assert pack.reviews == ["rapid_review", "learning_review", "multi_agency_audit"]


def test_lif_rules_test_passes_every_example() -> None:
    result = subprocess.run([sys.executable, "-m", "lif_rules", "test", str(PACK)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "17 passed, 0 failed"


def test_every_key_of_the_json_schema_is_used_where_it_belongs() -> None:
    used = everything()
    unused: dict[str, list[str]] = {}
    for name, definition in [("PackSpec", SCHEMA), *SCHEMA["$defs"].items()]:
        cls = getattr(schema, name)
        written = set().union(*(keys_written(m) for m in used if isinstance(m, cls)))
        missing = sorted(set(definition.get("properties", {})) - written)
        if missing:
            unused[name] = missing
    assert unused == {}, "the pack and its baseline leave these keys of the schema unused"


def conditions() -> list[str]:
    return [m.when for m in everything() if isinstance(getattr(m, "when", None), str)]  # type: ignore[attr-defined]


def nodes(tree: expr.Node) -> Iterator[expr.Node]:
    yield tree
    if isinstance(tree, expr.Not):
        yield from nodes(tree.operand)
    elif isinstance(tree, (expr.And, expr.Or)):
        for operand in tree.operands:
            yield from nodes(operand)


def test_every_operator_of_the_condition_language_is_used() -> None:
    texts = conditions()
    found = [n for text in texts for n in nodes(expr.parse(text))]
    pack = lif_rules.load_pack(PACK)
    kinds = {
        "==": any(isinstance(n, expr.Compare) and n.op == "==" for n in found),
        "!=": any(isinstance(n, expr.Compare) and n.op == "!=" for n in found),
        "in": any(isinstance(n, expr.Member) and not n.negated for n in found),
        "not in": any(isinstance(n, expr.Member) and n.negated for n in found),
        "and": any(isinstance(n, expr.And) for n in found),
        "or": any(isinstance(n, expr.Or) for n in found),
        "not": any(isinstance(n, expr.Not) for n in found),
        "true": any(isinstance(n, expr.Const) and n.value for n in found),
        "false": any(isinstance(n, expr.Const) and not n.value for n in found),
        "a bool fact": any(isinstance(n, expr.Name) and n.name in pack.facts for n in found),
        "a definition": any(isinstance(n, expr.Name) and n.name not in pack.facts for n in found),
        "( )": any("(" in text for text in texts),
    }
    assert [k for k, used in kinds.items() if not used] == []


def test_every_kind_of_value_and_timetable_shape_is_used() -> None:
    used = everything()
    rules = [m for m in used if isinstance(m, schema.RuleBody)]
    milestones = [m for m in used if isinstance(m, schema.MilestoneBody)]
    examples = [m for m in used if isinstance(m, (schema.DecideExample, schema.ScheduleExample, schema.QuorumExample))]
    assert {r.status for r in rules} | {r.otherwise for r in used if isinstance(r, schema.ReviewBody)} == {
        "required", "consider", "discretionary", "not_eligible"}
    assert {m.roll for m in milestones} >= {"forward", "backward"}
    assert any(isinstance(m.due, list) for m in milestones) and any(isinstance(m.earliest, list) for m in milestones)
    assert any(m.due is not None and m.earliest is not None for m in milestones)  # a window
    assert {type(e).__name__ for e in examples} == {"DecideExample", "ScheduleExample", "QuorumExample"}
    assert any(isinstance(e, schema.DecideExample) and e.as_of is not None for e in examples)
    meetings = [m for m in used if isinstance(m, schema.QuorumSpec)]
    assert all(any(getattr(q, kind) for q in meetings) for kind in ("each_of", "at_least", "chair"))
