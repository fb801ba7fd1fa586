"""Collects the data-driven conformance cases in ``cases/*.yaml`` as pytest items.

Each case cites the framework paragraph or statute it checks. Shapes (one of):

    - description: ...
      cite: "Stockport LIF 2019 5.4.2; Care Act 2014 s44(1)-(3)"
      pack: stockport
      facts: {subject: adult, ...}
      as_of: 2017-06-01                       # optional: the date whose rules apply
      expect: {sar: required}                 # review -> status
      missing: {sar: [died]}                  # optional: exactly these facts, in the pack's order
      notifications: {include: [...], exclude: [...]}   # optional
    - description: ...
      cite: ...
      pack: dudley
      schedule: rapid_review
      start: 2022-05-27
      actual: {rapid_review_meeting: 2022-06-13}   # optional
      today: 2022-06-16                             # optional
      expect: {national_panel_informed: {due: 2022-06-15, status: overdue}}
    - description: ...
      cite: ...
      pack: dudley
      quorum: rapid_review_meeting
      attendees: [ccg, police, {name: Jo Smith, roles: [local_authority]}]
      on: 2020-11-02
      expect: {quorate: false, missing: [local_authority]}
    - description: ...
      cite: ...
      pack: stockport
      facts: {subject: chlid}
      fact_error: "subject"                   # FactError whose message contains this
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import lif_rules
from lif_rules.core.loading import parse_text

HERE = Path(__file__).parent


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".yaml" and file_path.parent.name == "cases":
        return CaseFile.from_parent(parent, path=file_path)
    return None


def _dates(case: dict[str, Any]) -> dict[str, Any]:
    """ISO strings to dates where the API takes dates (case files are read as YAML 1.2, like packs)."""
    out = dict(case)
    for key in ("start", "today", "on", "as_of"):
        if isinstance(out.get(key), str):
            out[key] = dt.date.fromisoformat(out[key])
    if isinstance(out.get("actual"), dict):
        out["actual"] = {k: dt.date.fromisoformat(v) for k, v in out["actual"].items()}
    return out


class CaseFile(pytest.File):
    def collect(self):  # type: ignore[no-untyped-def]
        # Read with the library's own YAML 1.2 reader: PyYAML's 1.1 rules would turn the key 'on' into True.
        text = self.path.read_text(encoding="utf-8")
        cases = [_dates(c) for c in (parse_text(text, str(self.path)).data or [])]
        for n, case in enumerate(cases):
            missing = {"description", "cite", "pack"} - set(case)
            if missing:
                raise ValueError(f"{self.path.name} case {n}: missing {sorted(missing)}")
            yield Case.from_parent(self, name=f"{n:03d} {case['description']}", case=case)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


class Case(pytest.Item):
    def __init__(self, *, case: dict[str, Any], **kwargs: Any):
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        case = self.case
        pack = lif_rules.load_pack(case["pack"])
        problems: list[str] = []
        if "fact_error" in case:
            with pytest.raises(lif_rules.FactError) as info:
                pack.decide(case["facts"])
            if case["fact_error"] not in str(info.value):
                problems.append(f"FactError {info.value} does not mention {case['fact_error']!r}")
        elif "schedule" in case:
            s = pack.schedule(case["schedule"], start=case["start"], actual=case.get("actual"), today=case.get("today"))
            for mid, want in case["expect"].items():
                for attr, value in want.items():
                    got = getattr(s[mid], attr)
                    if _iso(got) != _iso(value):
                        problems.append(f"{mid}.{attr}: expected {_iso(value)}, got {_iso(got)}")
        elif "quorum" in case:
            q = pack.check_quorum(case["quorum"], attendees=case["attendees"], on=case["on"])
            want = case["expect"]
            if q.quorate != want["quorate"] or list(q.missing) != want["missing"]:
                problems.append(f"expected quorate={want['quorate']} missing={want['missing']}, "
                                f"got quorate={q.quorate} missing={list(q.missing)}")
        else:
            d = pack.decide(case["facts"], as_of=case.get("as_of"))
            for review, want in case["expect"].items():
                got = d.outcomes[review].status if review in d.outcomes else "<no such review>"
                if got != want:
                    problems.append(f"{review}: expected {want}, got {got}")
            for review, facts in case.get("missing", {}).items():
                if list(d.outcomes[review].missing) != facts:
                    problems.append(f"{review}: missing should be {facts}, got {list(d.outcomes[review].missing)}")
            ids = {n.id for n in d.notifications}
            for nid in case.get("notifications", {}).get("include", []):
                if nid not in ids:
                    problems.append(f"notification {nid} expected, got {sorted(ids)}")
            for nid in case.get("notifications", {}).get("exclude", []):
                if nid in ids:
                    problems.append(f"notification {nid} not expected")
        if problems:
            raise CaseFailure(problems)

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailure):
            return f"[{self.case['cite']}]\n" + "\n".join(excinfo.value.problems)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"{self.case['pack']}: {self.case['description']}"


class CaseFailure(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems
