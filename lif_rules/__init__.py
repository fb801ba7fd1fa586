"""lif_rules: Learning and Improvement Frameworks of English safeguarding partnerships as policy packs.

Load a pack, then ask which reviews a case is eligible for, when each milestone is due, and
whether a meeting is quorate::

    import lif_rules
    pack = lif_rules.load_pack("dudley")
    pack.decide({"subject": "child", "died": True, "abuse_or_neglect": "suspected"})
"""

from __future__ import annotations

from .core.calendar import WorkingDayCalendar, calendar
from .core.cases import load_case
from .core.schema import DocumentSpec, InForceSpec
from .errors import FactError, LifRulesError, PackError, Problem
from .models import (
    Counterfactual, DateExplanation, Decision, Finding, Milestone, Notification, Outcome, PossibleNotification,
    QuorumResult, QuorumStep, Record, Schedule, SkippedDay, TraceStep,
)
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
