"""lif_rules: Learning and Improvement Frameworks of English safeguarding partnerships as policy packs.

Load a pack, then ask which reviews a case is eligible for, when each milestone is due, and
whether a meeting is quorate::

    import lif_rules
    pack = lif_rules.load_pack("dudley")
    pack.decide({"subject": "child", "died": True, "abuse_or_neglect": "suspected"})
"""

from __future__ import annotations

from .core.calendar import WorkingDayCalendar, calendar
from .core.schema import DocumentSpec, InForceSpec
from .errors import FactError, LifRulesError, PackError, Problem
from .models import (
    Counterfactual, DateExplanation, Decision, Finding, Milestone, Notification, Outcome, PossibleNotification,
    QuorumResult, QuorumStep, Record, Schedule, SkippedDay, TraceStep,
)
import typing as _typing

if _typing.TYPE_CHECKING:
    from .core.cases import load_case
    from .describe import (
        DocumentDescription, FactDescription, InForce, MeetingDescription, NoteDescription, NotificationDescription,
        PackDescription, PackSummary, PredecessorDescription, ReviewDescription, RoleDescription,
    )
from .pack import PolicyPack, available_packs, load_pack, load_packs

__all__ = [
    "load_pack", "load_packs", "available_packs", "load_case", "calendar", "PolicyPack", "WorkingDayCalendar",
    "DocumentSpec", "InForceSpec",
    "Decision", "Outcome", "TraceStep", "Notification", "PossibleNotification",
    "Schedule", "Milestone", "DateExplanation", "SkippedDay", "QuorumResult", "QuorumStep",
    "Counterfactual", "Finding", "Record",
    "PackDescription", "PackSummary", "DocumentDescription", "FactDescription", "ReviewDescription",
    "NotificationDescription", "RoleDescription", "PredecessorDescription", "MeetingDescription", "NoteDescription",
    "InForce",
    "PackError", "FactError", "LifRulesError", "Problem",
]

__version__ = "0.1.0"

# Imported on first use, so that a program that only decides and schedules starts faster.
_LAZY = {name: ".describe" for name in (
    "DocumentDescription", "FactDescription", "InForce", "MeetingDescription", "NoteDescription",
    "NotificationDescription", "PackDescription", "PackSummary", "PredecessorDescription", "ReviewDescription",
    "RoleDescription")} | {"load_case": ".core.cases"}


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'lif_rules' has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
