"""The facade: find a pack, run read → shape → compile, and answer decide / schedule / quorum."""

from __future__ import annotations

import dataclasses
import functools
import marshal
import threading
from collections.abc import Iterable, Mapping
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core import cache, loading
from .core.compile import compile_pack
from .core.compiled import CompiledPack, Layer, period_words
from .core.calendar import check_date
from .core.decide import MARSHAL_VERSION, Decider, DecisionsByDate, FactChecker, Plan, key_of
from .errors import PackError, Problem
from .models import Counterfactual, Decision, Finding, QuorumResult, Schedule
from .core.schema import DocumentSpec, PackSpec
from .core.lints import layer_warnings
from .core.shape import shape, shape_pruned

if TYPE_CHECKING:
    from .describe import PackDescription

__all__ = ["PolicyPack", "load_pack", "load_packs", "available_packs", "bundled_dir", "check_baseline", "is_baseline_file"]

MAX_BASELINE_DEPTH = 8


_dumps = marshal.dumps
_DAYS_REMEMBERED = 20_000  # about fifty years of distinct as_of dates; later ones take the bisect


@functools.lru_cache(maxsize=1)
def bundled_dir() -> Path:
    """The folder of the bundled packs: inside the installed package, or ``policies/`` of a source checkout."""
    import importlib.util
    try:
        spec = importlib.util.find_spec("lif_rules.policies")
    except ModuleNotFoundError:
        spec = None
    if spec is not None and spec.submodule_search_locations:  # a package on disk: no need for importlib.resources
        return Path(list(spec.submodule_search_locations)[0])
    if spec is None:  # imported from a source tree that was never installed
        return Path(__file__).resolve().parent.parent / "policies"
    return Path(str(resources.files("lif_rules.policies")))


def available_packs() -> list[str]:
    """Ids of the bundled partnership packs, sorted."""
    return sorted(p.stem for p in bundled_dir().glob("*.yaml"))


class PolicyPack:
    """A loaded, validated and compiled policy pack. Immutable and safe to share between threads."""

    __slots__ = ("_compiled", "_deciders", "_latest", "_checker", "_blank", "_size", "_every", "_memos", "_dated",
                 "_sources", "_schedulers", "_periods", "_day", "_warnings", "_on_day")
    _compiled: CompiledPack
    _deciders: list[Decider | None]
    _latest: Decider
    _checker: FactChecker
    _blank: dict[str, None]  # every fact unknown
    _size: int
    _every: Any  # a dict's values in catalogue order (all facts present)
    _memos: dict[str | None, dict[bytes, Decision]]  # the latest rules' decisions, by review (None: all) and key
    _dated: DecisionsByDate  # every period's decider's by_date
    _sources: tuple[tuple[str, str], ...]
    _schedulers: list[Any]
    _periods: list[CompiledPack | None]  # the pack with only one period's rules, made on first use
    _day: date | None
    _warnings: tuple[Problem, ...]
    _on_day: dict[date, Decider]  # as_of -> its period's decider: a lookup instead of a bisect

    def __init__(self, compiled: CompiledPack, sources: tuple[tuple[str, str], ...], day: date | None = None,
                 warnings: tuple[Problem, ...] = ()):
        init = object.__setattr__
        init(self, "_day", day)
        init(self, "_warnings", tuple(warnings))
        init(self, "_compiled", compiled)
        init(self, "_sources", sources)
        periods = len(compiled.rule_sets)
        by_date: DecisionsByDate = {}  # shared by the periods' deciders
        latest = Decider(compiled, compiled.rule_sets[-1], by_date)
        init(self, "_deciders", [None] * (periods - 1) + [latest])
        init(self, "_latest", latest)
        checker = FactChecker(compiled)
        init(self, "_checker", checker)
        # what a warm decide reads, held here to save it an attribute lookup each
        init(self, "_blank", checker.unknown)
        init(self, "_size", len(checker.names))
        init(self, "_every", checker.every)
        init(self, "_memos", latest.memos)
        init(self, "_dated", by_date)
        init(self, "_schedulers", [None] * periods)
        init(self, "_periods", [compiled] if periods == 1 else [None] * periods)
        init(self, "_on_day", {})

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a PolicyPack is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("a PolicyPack is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self._sources, self._day, self._warnings))

    def __repr__(self) -> str:
        return f"<PolicyPack {self.id!r} from {self._compiled.file}>"

    # -- what the pack says ---------------------------------------------------------------------
    @property
    def id(self) -> str:
        """The pack id, e.g. ``"dudley"``."""
        return self._compiled.id

    @property
    def version(self) -> str | None:
        """The framework document's version, as the pack records it (``None`` when it gives none)."""
        return self._compiled.document.version

    @property
    def sha256(self) -> str:
        """The SHA-256 of the pack's text and its baselines' (baselines first), in hex.

        Two packs with the same digest decide, schedule and count quorum identically with the same
        engine version: record it with an answer to reproduce the answer later.
        """
        import hashlib
        digest = hashlib.sha256()
        for name, text in self._sources:
            data = text.encode("utf-8")
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
        return digest.hexdigest()

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """What loading noticed that does not stop the pack from working, each located in the file.

        Each is a :class:`~lif_rules.errors.Problem` whose ``message`` is a plain sentence: a ``pack:``
        id that differs from the file name, or that is also the id of a bundled pack. ``()`` for the
        bundled packs.

        .. versionadded:: 0.1
        """
        return self._warnings

    @property
    def compiled(self) -> CompiledPack:
        """The compiled form (facts, reviews, notifications, roles, meetings, notes, examples)."""
        return self._compiled

    @property
    def document(self) -> DocumentSpec:
        """The framework document's metadata (title, version, dates, in-force period, regime), as the pack states it."""
        return self._compiled.document

    @property
    def reviews(self) -> list[str]:
        """Review type ids, in the order the pack defines them."""
        return list(self._compiled.reviews)

    @property
    def facts(self) -> list[str]:
        """Fact names, in the order the pack (with its baselines) declares them."""
        return [f.name for f in self._compiled.facts]

    @property
    def meetings(self) -> list[str]:
        """Meeting ids that have a quorum rule on some date: those of the latest rules, then any that have ended."""
        return self._compiled.ever_in_force("meetings")

    def describe(self) -> PackDescription:
        """The pack's document, facts with their values, review types, notifications, roles, meetings and notes."""
        from .describe import describe
        return describe(self._compiled, self.sha256)

    # -- the three questions --------------------------------------------------------------------
    def decide(self, facts: Mapping[str, Any], *, review: str | None = None, as_of: date | None = None) -> Decision:
        """Which reviews the case is eligible for, exactly, with reasons and citations.

        Args:
            facts: fact name → value; an absent fact (or ``None``) is unknown.
            review: decide this review type only.
            as_of: the date whose rules apply (dated rules as they stood that day); ``None`` applies
                the latest rules. A date outside the pack's in-force period still decides, with a
                warning; ``Decision.as_of`` says which date's rules were applied.

        Raises:
            FactError: an unknown fact name, a value of the wrong type or outside an enum.
            LookupError: an unknown review id.
            ValueError: ``as_of`` is not a date.
        """
        # A case seen before is one lookup: its key is the exact bytes of its values (see key_of), so a hit is a
        # case exactly equal to one checked before, and needs no check of its own.
        stated = key = None  # the case's values in catalogue order, as given, and their bytes
        try:
            if type(facts) is dict:
                if len(facts) == self._size:
                    stated = self._every(facts)
                else:
                    every = {**self._blank, **facts}  # an absent fact is unknown
                    if len(every) == self._size:  # else a name outside the catalogue
                        stated = self._every(every)
                if stated is not None:
                    key = _dumps(stated, MARSHAL_VERSION)  # key_of(stated), written out: a call is a tenth of a hit
                    if as_of is None:
                        return self._memos[review][key]
                    if type(as_of) is date:
                        return self._dated[as_of][review][key]
        except (KeyError, TypeError, ValueError):  # not seen, not as it is, or an unhashable review id
            pass
        return self._decide_carefully(facts, review, as_of, stated, key)

    def _decide_carefully(self, facts: Mapping[str, Any], review: str | None, as_of: date | None,
                          stated: tuple[Any, ...] | None, key: bytes | None) -> Decision:
        """Decide a case not seen before, or not given as a plain dict of exact values: check it.

        ``stated`` and ``key`` are the values and key the quick lookup made, if it got that far: when
        those values are exact, the decision is remembered under that very key, so the quick lookup
        finds it next time. Otherwise the checker puts the values in the pack's terms, or refuses them.
        """
        decider = self._latest if as_of is None else self._decider_on(as_of)
        plan = self._plan(decider, review)
        if stated is None or key is None or self._checker.exact(stated) is None:
            values = self._checker.values(facts)  # raises, or puts the values in the pack's terms
            key = key_of(values)
        else:
            values = stated
        if as_of is None:
            return plan.memo.get(key) or decider.remember(plan, values, key)
        found = self._dated.get(as_of, _NOTHING).get(review, _NOTHING).get(key)
        return found or decider.dated(plan, values, key, as_of)

    def _plan(self, decider: Decider, review: str | None) -> Plan:
        try:
            plan = decider.plans.get(review)
        except TypeError:  # an unhashable id
            plan = None
        if plan is None:
            if review is not None and (not isinstance(review, str) or review not in self._compiled.reviews):
                raise LookupError(_unknown("review", review, self._compiled.reviews, self.id))
            plan = decider.plan(review)
        return plan

    def why_not(self, facts: Mapping[str, Any], *, review: str, want: str,
                as_of: date | None = None) -> list[Counterfactual]:
        """The smallest changes of facts that would decide ``review`` as ``want``.

        Each counterfactual sets unknown facts or changes known ones (the fewest facts possible), so
        that the review is decided as ``want`` with every other unknown fact still unknown. All such
        smallest changes are listed, in the pack's fact order; ``[]`` when no change gives ``want``,
        and one counterfactual with no changes when the review is already ``want``.

        Args:
            facts: the case, as for :meth:`decide`.
            review: the review type.
            want: ``required``, ``consider``, ``discretionary`` or ``not_eligible``.
            as_of: the date whose rules apply (``None``: the latest).

        Raises:
            FactError: bad facts. LookupError: an unknown review. ValueError: another ``want``,
            ``as_of`` not a date, or a search of more than 200,000 states (many unknown facts, and
            no change of a few of them decides the review as ``want``): give more of the facts.
        """
        from .analyses.why_not import why_not
        compiled = self._compiled
        rules = compiled.rules_on(None if as_of is None else check_date(as_of, "as_of"))
        if not isinstance(review, str) or review not in rules.reviews:
            raise LookupError(_unknown("review", review, compiled.reviews, self.id))
        return why_not(compiled, self._checker.values(facts), rules.reviews[review], want)

    def analyse(self) -> list[Finding]:
        """Findings about the pack's rules: rules that decide no case, cases no rule covers, overlaps.

        Each :class:`Finding` has a ``kind`` (``unreachable_rule``, ``no_rule_holds``, ``overlap``),
        the review, the rule ids, a message and a complete example case (``None`` only for a rule
        whose condition no case satisfies).
        """
        from .analyses.findings import analyse
        return analyse(self._compiled)

    def rules_on(self, day: date) -> PolicyPack:
        """This pack with only the rules in force on ``day``: decided, scheduled and counted as of that day.

        Useful to compare what a pack said on two dates (``lif-rules diff dudley@2018-01-01 dudley``).
        """
        k = self._compiled.period_index(check_date(day, "day"))
        return PolicyPack(self._period(k), self._sources, day, self._warnings)

    def _period(self, k: int) -> CompiledPack:
        """The pack with only the rules of its ``k``-th period, which are then its latest."""
        found = self._periods[k]
        if found is None:  # a race makes two equal packs, harmlessly
            found = self._periods[k] = dataclasses.replace(self._compiled, rule_sets=(self._compiled.rule_sets[k],),
                                                           changes=())
        return found

    def _decider_on(self, day: date) -> Decider:
        compiled = self._compiled
        if day.__class__ is not date:
            day = check_date(day, "as_of")
        known = self._on_day.get(day)
        if known is not None:
            return known
        k = compiled.period_index(day)
        decider = self._deciders[k]
        if decider is None:  # built on first use: a race builds two equal deciders, harmlessly
            decider = self._deciders[k] = Decider(compiled, compiled.rule_sets[k], self._dated)
        if len(self._on_day) < _DAYS_REMEMBERED:
            self._on_day[day] = decider
        return decider

    def schedule(self, review: str, *, start: date, actual: Mapping[str, date] | None = None,
                 today: date | None = None) -> Schedule:
        """The milestones of a review, from its start date and any actual dates.

        The timetable is the one in force on ``start``. ``review`` may also be a duty to notify with a
        working-day deadline (``start`` is then the day the notifier became aware).

        Raises:
            LookupError: an unknown review or milestone id, a review with no timetable, or one not in
                force on ``start``.
            ValueError: dates of the wrong type or out of the calendar's range.
        """
        from .core.schedule import Scheduler, timetable_in
        compiled = self._compiled
        k = compiled.period_index(check_date(start, "start")) if compiled.changes else 0
        scheduler: Scheduler | None = self._schedulers[k]
        if scheduler is None:  # built on first use: a race builds two equal schedulers, harmlessly
            scheduler = self._schedulers[k] = Scheduler(self._period(k))
        rules = compiled.rule_sets[k]
        if isinstance(review, str) and review not in rules.notifications and not (
                review in rules.reviews and rules.reviews[review].applies):
            kind, what = ("reviews", "review type") if review in compiled.reviews else ("notifications", "duty")
            _refuse_on(f"the {what} {review!r} of pack {self.id!r} is not in force", start,
                       "it is in force", compiled.periods_in_force(kind, review))
        if isinstance(review, str) and review in rules.reviews and timetable_in(rules, review) is None:
            _refuse_on(f"{review!r} of pack {self.id!r} has no timetable", start, "it has one",
                       compiled.periods_where(lambda period: timetable_in(period, review) is not None))
        return scheduler.schedule(review, start=start, actual=actual, today=today)

    def check_quorum(self, meeting: str, *, attendees: Iterable[str | Mapping[str, Any]],
                     on: date | None = None) -> QuorumResult:
        """Whether a meeting with these attendees is quorate on a date (default today), and who is missing.

        Args:
            meeting: the meeting id, e.g. ``"rapid_review_meeting"``.
            attendees: who attended, in order: people with the roles they hold
                (``{"name": "Jo Smith", "roles": ["police", "local_authority"]}``; ``name`` may be
                left out), or plain role ids (``"police"``), each one attendee holding one role. Entries
                with the same name are one person. Role ids the pack does not name are other attendees
                and count for nothing. At most 1,000 attendees (``lif_rules.core.quorum.MAX_ATTENDEES``),
                50 roles each, names and role ids of at most 200 characters.
            on: the meeting's date; the roles are those in force then (e.g. ``ccg`` fills the health
                partner's place before 1 July 2022).

        Where the quorum rule says ``one_role_per_person`` (Dudley: a representative "from each of
        the safeguarding partners"), a person counts for one role only: people are matched to the
        roles the rule asks for by a maximum matching, and ``QuorumStep.filled_by`` names who filled
        each role.

        Returns:
            ``quorate``, ``missing`` (role ids as they were on the date, in the rule's order) and a
            ``trace`` with one step per role the rule asks for.

        Raises:
            LookupError: an unknown meeting id, a meeting the pack gives no quorum rule, or one whose
                rule is not in force on ``on`` (the message says when it is).
            ValueError: ``attendees`` is not a list of role ids and people, has more than 1,000
                entries, or has a person without ``roles`` or with roles that are not strings;
                ``on`` is not a date.

        Examples:
            >>> import lif_rules
            >>> from datetime import date
            >>> dudley = lif_rules.load_pack("dudley")
            >>> q = dudley.check_quorum("rapid_review_meeting", attendees=[
            ...     {"name": "Jo Smith", "roles": ["police", "local_authority"]}, "icb"], on=date(2026, 3, 2))
            >>> q.quorate, q.missing
            (False, ['police'])
            >>> [(s.role, s.filled_by) for s in q.trace]
            [('local_authority', ['Jo Smith']), ('police', []), ('icb', ['icb'])]

        .. versionchanged:: attendees may be people with several roles; ``one_role_per_person``.
        """
        from .core.quorum import check_quorum
        day = date.today() if on is None else check_date(on, "on")
        rules = self._period(self._compiled.period_index(day))
        if isinstance(meeting, str) and meeting not in rules.meetings:
            _refuse_on(f"the quorum rule for meeting {meeting!r} of pack {self.id!r} is not in force", day,
                       "it is in force", self._compiled.periods_in_force("meetings", meeting))
        return check_quorum(rules, meeting, attendees=attendees, on=day)


_NOTHING: dict[Any, Any] = {}


def _refuse_on(what: str, day: date, has: str, periods: list[tuple[date | None, date | None]]) -> None:
    """Raise a LookupError saying that ``what`` holds not on ``day`` but in ``periods`` (the pack's own, joined),
    rather than that it is unknown; nothing when there are no such periods (the caller's own error follows)."""
    if periods:
        raise LookupError(f"{what} on {day.isoformat()}; {has} {', '.join(period_words(p) for p in periods)}")


def _unknown(kind: str, value: Any, known: Any, pack: str) -> str:
    from .errors import did_you_mean
    hint = did_you_mean(value, known) if isinstance(value, str) else ""
    return f"pack {pack!r} has no {kind} {value!r}{hint}; {kind}s: {', '.join(known)}"


_cache: dict[str, PolicyPack] = {}
_cache_lock = threading.Lock()


PACK_SUFFIXES = (".yaml", ".yml", ".json")
"""The names of pack files: YAML, or strict JSON for ``.json``."""


def looks_like_path(ref: str) -> bool:
    """Whether a pack reference is a file path rather than a bundled id: a name ending in one of
    :data:`PACK_SUFFIXES`, or a folder in it."""
    return ref.endswith(PACK_SUFFIXES) or "/" in ref or "\\" in ref


def pack_files(folder: Path) -> list[Path]:
    """The pack files (see :data:`PACK_SUFFIXES`) directly in a folder, in name order."""
    return sorted(p for p in folder.iterdir() if p.suffix in PACK_SUFFIXES and p.is_file())


def load_pack(ref: str | Path) -> PolicyPack:
    """Load a bundled pack by id (``"dudley"``) or any pack file by path.

    Raises:
        PackError: the file is missing or invalid (every problem, located).
        LookupError: an unknown bundled pack id.
        ValueError: ``ref`` is neither a string nor a path.
    """
    if not isinstance(ref, (str, Path)):
        from .errors import short_repr
        raise ValueError(f"a pack is a bundled pack id or a file path, got {short_repr(ref)}")
    ref_text = str(ref)
    if not isinstance(ref, Path) and not looks_like_path(ref_text):
        with _cache_lock:
            if ref_text in _cache:
                return _cache[ref_text]
        known = available_packs()
        if ref_text not in known:
            from .errors import Suggestions, short_repr
            raise LookupError(f"no bundled pack {short_repr(ref_text)}{Suggestions(known)(ref_text[:100])}; "
                              f"bundled packs: {', '.join(known)}")
        path = bundled_dir() / f"{ref_text}.yaml"
        pack = _load_file(path, f"policies/{ref_text}.yaml")
        with _cache_lock:
            return _cache.setdefault(ref_text, pack)
    return _load_file(Path(ref_text), ref_text)


def load_packs(folder: str | Path | None = None) -> dict[str, PolicyPack]:
    """Every pack in a folder (default: the bundled packs), by pack id, in file name order.

    The folder's ``*.yaml``, ``*.yml`` and ``*.json`` files are loaded, except baselines (files with
    ``baseline:``), which the packs find beside them or in ``baselines/``.

    Raises:
        PackError: the folder is missing, a pack does not load, or two files have the same pack
            id (every problem of every file, located).
    """
    if folder is None:
        return {ref: load_pack(ref) for ref in available_packs()}
    where = Path(folder)
    if not where.is_dir():
        raise PackError([Problem(str(folder), 1, 1, "$", "no such folder")])
    packs: dict[str, PolicyPack] = {}
    problems: list[Problem] = []
    for path in pack_files(where):
        try:
            pack = load_pack(path)
        except PackError as e:  # a baseline never loads as a pack: only now is it worth asking
            if not is_baseline_file(path):
                problems.extend(e.errors)
            continue
        if pack.id in packs:
            first = packs[pack.id].compiled.file
            problems.append(loading.read_document(path).source.problem(
                ("pack",), f"pack id {pack.id!r} is also the id of {first}: give each pack its own id"))
            continue
        packs[pack.id] = pack
    if problems:
        raise PackError(problems)
    return packs


def is_baseline_file(path: Path) -> bool:
    """Whether a file reads as a baseline (``baseline:`` without ``pack:``); ``False`` when it cannot be read."""
    try:
        data = loading.read_document(path).data
    except PackError:
        return False
    return isinstance(data, dict) and "baseline" in data and "pack" not in data


def _load_file(path: Path, display: str) -> PolicyPack:
    data = loading.read_limited(path, display, "pack file")
    try:
        key: tuple[str, ...] | None = (display, str(path.resolve()))
    except (OSError, RuntimeError):
        key = None
    kept = None if key is None else cache.fetch(key, data)
    if kept is not None:
        compiled, sources, warnings = kept
        return PolicyPack(compiled, sources, warnings=warnings)
    layers, sources, problems, pruned, paths = _layers(path, display, data=data)
    compiled, found = compile_pack(layers, pruned=pruned)
    if found and len(layers) == 1:  # asked only of a pack that fails: it reads the candidate baselines
        missing = _missing_baseline(layers[0], path.parent)
        if missing is not None:  # every name the baseline defines is reported unknown: say the cause once instead
            raise PackError(problems + [missing])
    problems.extend(found)
    if problems or compiled is None:
        raise PackError(problems)
    warnings = tuple(_warnings(layers[-1], path))
    if key is not None:  # baselines first in both lists; the pack itself is the key
        cache.keep(key, data, [(p, layer.source.text) for p, layer in zip(paths[:-1], layers[:-1])],
                   (compiled, sources, warnings))
    return PolicyPack(compiled, sources, warnings=warnings)


def _warnings(layer: Layer, path: Path) -> list[Problem]:
    """A pack id that differs from its file's name, or that a bundled pack also has; then what the lints find."""
    pack_id = layer.spec.pack
    if pack_id is None:
        return []
    where = layer.source.locate(("pack",))
    out: list[Problem] = []

    def warn(message: str) -> None:
        out.append(Problem(layer.source.file, where.line, where.column, "$.pack", message))

    if path.stem != pack_id:
        warn(f"the pack id {pack_id!r} differs from the file name {path.name!r}: rename the file '{pack_id}.yaml' "
             f"(or change the id to match it), so that one name finds the pack and labels its answers")
    bundled = bundled_dir() / f"{pack_id}.yaml"
    if bundled.is_file() and bundled.resolve() != path.resolve() and not _same_text(bundled, layer):
        warn(f"the pack id {pack_id!r} is also the id of a bundled pack: give this pack an id of its own "
             f"(e.g. '{pack_id}_local'), so that answers from the two cannot be mistaken for each other")
    return out + layer_warnings(layer)


def _same_text(bundled: Path, layer: Layer) -> bool:
    """Whether the pack is a copy of the bundled file (a checkout's ``policies/`` beside an installed copy)."""
    try:
        return bundled.read_text(encoding="utf-8-sig") == layer.source.text
    except (OSError, UnicodeDecodeError):
        return False


def _layers(path: Path, display: str, *, top: str = "pack", data: bytes | None = None
            ) -> tuple[list[Layer], tuple[tuple[str, str], ...], list[Problem], set[str], list[Path]]:
    """Read a pack (from ``data`` when its bytes are already read) and the chain of baselines it
    extends, shaping each; baselines first.

    Returns the layers, their source texts, the problems found so far, the names of entries pruned
    for having problems (so compiling the rest does not report them again), and the layers' files.
    """
    chain: list[Layer] = []
    seen: list[str] = []
    current_path, current_name = path, display
    problems: list[Problem] = []
    pruned: set[str] = set()
    visited: list[Path] = []
    while True:
        visited.append(current_path)
        shaped = _baseline_shaped(current_path, current_name) if chain else None
        if shaped is None:
            if data is not None and not chain:
                doc = loading.parse_bytes(data, current_name)
            else:
                doc = loading.read_document(current_path, display_name=current_name)
            problems.extend(doc.problems)
            spec, found, cut = shape_pruned(doc)
            problems.extend(found)
            pruned |= cut
            if chain and spec is not None and not (doc.problems or found or cut):
                _remember_baseline(current_path, current_name, spec, doc)
        else:
            spec, doc = shaped
        if spec is None:
            raise PackError(problems)
        header = _check_header(spec, doc, is_top=not chain and top == "pack")
        if header:  # the wrong kind of file: nothing else about it is worth saying
            raise PackError(problems + header)
        chain.insert(0, Layer(spec, doc))
        seen.append(spec.baseline or spec.pack or current_name)
        if spec.extends is None:
            break
        found_path = _find_baseline(spec.extends, current_path.parent)
        if spec.extends in seen or len(chain) > MAX_BASELINE_DEPTH or (
                found_path is not None and any(found_path.resolve() == p.resolve() for p in visited)):
            cycle = " → ".join(seen + [spec.extends])
            problems.append(doc.source.problem(("extends",), f"baselines extend each other in a cycle: {cycle}"))
            raise PackError(problems)
        if found_path is None:
            problems.append(doc.source.problem(("extends",), f"no baseline {spec.extends!r} next to this pack or bundled "
                                                             f"(bundled baselines: {', '.join(_bundled_baselines())})"))
            raise PackError(problems)
        current_path = found_path
        current_name = _display(found_path)
    sources = tuple((layer.source.file, layer.source.text) for layer in chain)
    return chain, sources, problems, pruned, visited[::-1]


_baselines: dict[tuple[str, str, int, int], tuple[PackSpec, loading.Document]] = {}


def _baseline_key(path: Path, display: str) -> tuple[str, str, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (str(path.resolve()), display, info.st_mtime_ns, info.st_size)


def _baseline_shaped(path: Path, display: str) -> tuple[PackSpec, loading.Document] | None:
    """A baseline read and shaped before in this process, unchanged since (packs share one baseline)."""
    key = _baseline_key(path, display)
    return None if key is None else _baselines.get(key)


def _remember_baseline(path: Path, display: str, spec: PackSpec, doc: loading.Document) -> None:
    """Keep a baseline that read and shaped without a problem, for the next pack that extends it."""
    key = _baseline_key(path, display)
    if key is not None:
        _baselines[key] = (spec, doc)


def _names_used(data: Any) -> set[str]:
    """The facts, definitions, roles and notifications a pack's text names (conditions, quorums, examples)."""
    from .core import expr
    used: set[str] = set()
    stack: list[tuple[Any, Any]] = [(None, data)]
    while stack:
        key, node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.items())
            if key == "quorum":
                used.update(r for r in [*(node.get("each_of") or ()), node.get("chair")] if isinstance(r, str))
        elif isinstance(node, list):
            stack.extend((None, v) for v in node)
        elif key == "when" and isinstance(node, str):
            try:
                used.update(expr.names(expr.parse(node)))
            except expr.ConditionSyntaxError:
                pass
    examples = data.get("examples") if isinstance(data, dict) else None
    for example in examples if isinstance(examples, list) else ():
        if isinstance(example, dict):
            for part in ("facts", "notifications"):
                named = example.get(part)
                if isinstance(named, (dict, list)):
                    used.update(n for n in named if isinstance(n, str))
    return used


def _missing_baseline(layer: Layer, folder: Path) -> Problem | None:
    """A pack without ``extends:`` that uses names a bundled (or neighbouring) baseline defines: one problem saying so."""
    spec = layer.spec
    if spec.pack is None or spec.extends is not None:
        return None
    own = set(spec.facts) | set(spec.definitions) | set(spec.roles) | set(spec.notifications)
    used = _names_used(layer.doc.data) - own
    if not used:
        return None
    best: tuple[int, str, list[str]] | None = None
    candidates = sorted({p for p in (folder / "baselines").glob("*.yaml")} | set((bundled_dir() / "baselines").glob("*.yaml")))
    for candidate in candidates:
        try:
            doc = loading.read_document(candidate)
        except PackError:
            continue
        base, _problems = shape(doc)
        if base is None or base.baseline is None:
            continue
        defined = set(base.facts) | set(base.definitions) | set(base.roles) | set(base.notifications)
        names = sorted(used & defined)
        if names and (best is None or len(names) > best[0]):
            best = (len(names), base.baseline, names)
    if best is None:
        return None
    count, baseline, names = best
    shown = ", ".join(names[:3]) + (f" and {count - 3} more" if count > 3 else "")
    where = layer.source.locate(("pack",), key=True)
    return Problem(layer.source.file, where.line, where.column, "$",
                   f"this pack does not extend a baseline; add 'extends: {baseline}' (it uses {count} "
                   f"name{'' if count == 1 else 's'} that baseline defines: {shown})")


def _display(path: Path) -> str:
    """Bundled files are shown as ``policies/...``; others as given."""
    try:
        return "policies/" + path.resolve().relative_to(bundled_dir().resolve()).as_posix()
    except ValueError:
        return str(path)


def _bundled_baselines() -> list[str]:
    return sorted(p.stem for p in (bundled_dir() / "baselines").glob("*.yaml"))


def _find_baseline(name: str, folder: Path) -> Path | None:
    for candidate in (folder / "baselines" / f"{name}.yaml", folder / f"{name}.yaml",
                      bundled_dir() / "baselines" / f"{name}.yaml"):
        if candidate.is_file():
            return candidate
    return None


def _check_header(spec: PackSpec, doc: loading.Document, *, is_top: bool) -> list[Problem]:
    if is_top and spec.pack is None:
        if spec.baseline is not None:
            return [doc.source.problem(("baseline",), "this file is a baseline; load a pack that extends it", key=True)]
        return [doc.source.problem((), "missing required key 'pack' (the pack id, e.g. pack: dudley)")]
    if not is_top and spec.baseline is None:
        return [doc.source.problem((), "a file named in 'extends' must be a baseline (with 'baseline: <id>')")]
    if spec.pack is not None and spec.baseline is not None:
        return [doc.source.problem(("baseline",), "a file is either a pack ('pack:') or a baseline ('baseline:'), not both", key=True)]
    return []


_CHECK_PACK = """\
pack: checking_a_baseline
extends: {baseline}
document: {{title: x, short_title: x, publisher: x, source: x, in_force: {{}}, regime: [care_act_2014]}}
reviews:
  placeholder: {{name: x, legal_basis: non_statutory, decided_by: x, citation: x}}
"""


def check_baseline(path: str | Path, display: str | None = None) -> tuple[PackSpec, list[Problem]]:
    """Check a baseline file on its own: read and shape it and the baselines it extends, then
    compile its facts, definitions, notifications and roles under a placeholder pack.

    Returns:
        the baseline as written (its shaped spec) and every problem found.

    Raises:
        PackError: the file cannot be read, or is not a baseline.
    """
    layers, _sources, problems, pruned, _paths = _layers(Path(path), display or str(path), top="baseline")
    top_id = layers[-1].spec.baseline or "?"
    placeholder = loading.parse_text(_CHECK_PACK.format(baseline=top_id), "<placeholder>")
    spec, _found = shape(placeholder)
    assert spec is not None  # fixed text
    _compiled, found = compile_pack(layers + [Layer(spec, placeholder)], pruned=pruned)
    return layers[-1].spec, problems + [p for p in found if p.file != "<placeholder>"]


def _rebuild(sources: tuple[tuple[str, str], ...], day: date | None = None,
             warnings: tuple[Problem, ...] = ()) -> PolicyPack:
    layers = []
    for name, text in sources:
        doc = loading.parse_text(text, name)
        spec, problems = shape(doc)
        if spec is None:
            raise PackError(problems)
        layers.append(Layer(spec, doc))
    compiled, problems = compile_pack(layers)
    if compiled is None:
        raise PackError(problems)
    pack = PolicyPack(compiled, sources, warnings=warnings)
    return pack if day is None else pack.rules_on(day)
