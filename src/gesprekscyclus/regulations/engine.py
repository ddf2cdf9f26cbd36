"""The cycle engine: which conversations are due for one employee in one period.

A pure function of the regulation and a few facts; no database, no clock (``as_of`` is
passed in). Nothing here knows which organisation a regulation belongs to: every
difference between presets is data in the regulation file.

Rules, in the order they are applied to each conversation kind:

1. ``conditions.appointments`` limits the kind to some appointments.
2. During probation (the employee's appointment is ``probation`` and the period contains
   the employment start) a ``probation.kinds`` rule replaces the kind's window and
   requirements, and the kind is scheduled even if it is normally on request.
3. An ``on_request`` kind is listed only when requested (``EmployeeFacts.requested_kinds``)
   or already held; a kind with ``requires`` only when a conversation meeting the
   requirement was held by the end of the window (or the kind itself was held).
4. The window is ``anchor + from`` .. ``anchor + to``; an anchor that is unknown for this
   employee (no probation end) means no item. A kind that must happen N times (minimum
   count, or the agreed frequency scaled to the period) gets N consecutive sub-windows.
5. Windows are clamped to the employment; a window wholly outside it is dropped.
6. The k-th held or waived conversation recorded as the kind (by date) settles the k-th
   item. A conversation recorded as another kind that also covered this one
   (``combined_with``, allowed by ``combinable_with``) settles a remaining item when it
   took place inside that item's window. So an end-of-period evaluation that also held
   the next planning does not settle this period's planning (its window closed long
   ago); for the next period the caller records the same conversation as its planning.

Reasons are data, not text. Each item's ``reason`` is a tuple of ``Phrase``: an English
message id with ``%(name)s`` placeholders and the values to put in them (plain values,
regulation ``Label``s, an ``Amount`` of months or days, an ``AnchorRef``, a ``PartyRef``
or a nested ``Phrase``). ``reasons.py`` renders them in a language through Django's
gettext catalogue, the one source of the Dutch text; this module imports nothing from
Django. Every message id is wrapped in ``gettext_noop`` so ``makemessages`` extracts it.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from dateutil.relativedelta import relativedelta

from gesprekscyclus.regulations.regulation import (
    Anchor,
    Appointment,
    ConversationKind,
    DueWindow,
    Label,
    Offset,
    Party,
    Regulation,
    Requirement,
)

Status = Literal["not_yet", "due", "overdue", "done", "waived"]
STATUSES: tuple[Status, ...] = ("not_yet", "due", "overdue", "done", "waived")

_ONE_DAY = datetime.timedelta(days=1)


def gettext_noop(message: str) -> str:
    """Marks ``message`` for extraction by ``makemessages``; ``reasons.py`` translates it."""
    return message


@dataclass(frozen=True)
class Amount:
    """A number of months or days, rendered with the language's plural forms."""

    number: int
    unit: Literal["month", "day"]


@dataclass(frozen=True)
class AnchorRef:
    """The point a window is anchored on, rendered as words ("the period start")."""

    anchor: Anchor


@dataclass(frozen=True)
class PartyRef:
    """Who takes the initiative, rendered as words ("employee", "manager")."""

    party: Party


@dataclass(frozen=True)
class Phrase:
    """A translatable message: ``msgid`` is English with ``%(name)s`` placeholders,
    ``params`` fill them in (see ``PhraseValue``)."""

    msgid: str
    params: tuple[tuple[str, PhraseValue], ...] = ()

    @classmethod
    def of(cls, msgid: str, **params: PhraseValue) -> Phrase:
        return cls(msgid, tuple(params.items()))


PhraseValue = str | int | datetime.date | Label | Amount | AnchorRef | PartyRef | Phrase

# Why an item is listed: the rule and its window first, then one phrase per note.
Reason = tuple[Phrase, ...]


@dataclass(frozen=True)
class EmployeeFacts:
    """What the engine needs to know about the employee.

    ``period_start_month`` is the unit's own start month for ``per_unit`` periods;
    ``requested_kinds`` are the on-request kinds someone asked for in this period.
    """

    employment_start: datetime.date
    employment_end: datetime.date | None = None
    appointment: Appointment = "permanent"
    probation_end: datetime.date | None = None
    agreed_frequency_per_year: int | None = None
    period_start_month: int | None = None
    requested_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Period:
    """A cycle period; both ends inclusive."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @property
    def midpoint(self) -> datetime.date:
        return self.start + datetime.timedelta(days=(self.end - self.start).days // 2)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class HeldConversation:
    """A conversation recorded for this period that took place (``held``) or was ``waived``.

    ``kind`` is what it was recorded as; ``combined_with`` lists kinds the same
    conversation also covered (say an evaluation and the next planning in one). It counts
    for those when the regulation allows the combination and its date falls inside the
    item's window.
    """

    kind: str
    date: datetime.date
    status: Literal["held", "waived"] = "held"
    improvement_points_recorded: bool = False
    combined_with: tuple[str, ...] = ()

    def has_flag(self, flag: str) -> bool:
        if flag == "improvement_points_recorded":
            return self.improvement_points_recorded
        raise ValueError(f"unknown flag {flag!r}")


@dataclass(frozen=True)
class DueItem:
    kind: str
    sequence: int
    count: int
    due_from: datetime.date
    due_by: datetime.date
    status: Status
    initiative: Party
    reason: Reason
    held_on: datetime.date | None = None


# -- periods -------------------------------------------------------------------------


def period_for(regulation: Regulation, facts: EmployeeFacts, year: int) -> Period:
    """The employee's period that starts in ``year``.

    ``calendar_year`` starts on 1 January, ``per_unit`` on the first of the unit's month
    (``facts.period_start_month``, else ``period.start_month``), ``employee_start_date``
    on the anniversary of the employment start. During probation, when the regulation
    says ``probation.period_start: employment_start``, the first period starts on the
    employment start itself.
    """
    start = _period_start(regulation, facts, year)
    end = start + relativedelta(months=regulation.period.length_months) - _ONE_DAY
    return Period(start=start, end=end)


def _period_start(regulation: Regulation, facts: EmployeeFacts, year: int) -> datetime.date:
    probation = regulation.probation
    if (
        probation is not None
        and probation.period_start == "employment_start"
        and facts.appointment == "probation"
        and facts.employment_start.year == year
    ):
        return facts.employment_start
    rules = regulation.period
    if rules.start == "calendar_year":
        return datetime.date(year, 1, 1)
    if rules.start == "per_unit":
        return datetime.date(year, facts.period_start_month or rules.start_month or 1, 1)
    return facts.employment_start + relativedelta(years=year - facts.employment_start.year)


# -- the schedule --------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    regulation: Regulation
    facts: EmployeeFacts
    period: Period
    held: tuple[HeldConversation, ...]
    as_of: datetime.date
    in_probation: bool


@dataclass(frozen=True)
class _Rule:
    """The rule that applies to a kind for this employee and period."""

    due: DueWindow
    requires: tuple[Requirement, ...]
    on_request: bool
    path: str


def compute_schedule(
    regulation: Regulation,
    facts: EmployeeFacts,
    period: Period,
    held: Sequence[HeldConversation],
    as_of: datetime.date,
) -> list[DueItem]:
    """The conversations due for this employee in ``period``, with their status on ``as_of``.

    ``held`` are the conversations recorded for this period (held or waived).
    """
    context = _Context(
        regulation=regulation,
        facts=facts,
        period=period,
        held=tuple(sorted(held, key=lambda conversation: conversation.date)),
        as_of=as_of,
        in_probation=_in_probation(regulation, facts, period),
    )
    order = {kind.id: index for index, kind in enumerate(regulation.conversation_kinds)}
    items = [
        item
        for index, kind in enumerate(regulation.conversation_kinds)
        for item in _items_for_kind(context, index, kind)
    ]
    return sorted(
        items,
        key=lambda item: (item.due_from, item.due_by, order[item.kind], item.sequence),
    )


# An employment start this long before the period cannot change any window of it (the
# windows lie within a year or so of the period) unless a window is anchored on it.
_LONG_BEFORE = relativedelta(years=5)


def _anchors(regulation: Regulation, *, probation: bool) -> frozenset[str]:
    """The anchors the regulation's windows use (kept on the parsed regulation)."""
    cache = regulation.__dict__.setdefault("_anchors_cache", {})
    if probation not in cache:
        anchors = {kind.due.anchor for kind in regulation.conversation_kinds}
        if regulation.probation is not None and probation:
            anchors.update(rule.due.anchor for rule in regulation.probation.kinds)
        cache[probation] = frozenset(anchors)
    return cache[probation]


def schedule_memo_key(
    regulation: Regulation,
    facts: EmployeeFacts,
    period: Period,
    held: Sequence[HeldConversation],
    as_of: datetime.date,
) -> tuple:
    """A key under which ``compute_schedule``'s answer may be shared: equal keys give equal
    schedules. An employment start long before the period only matters when some window
    is anchored on it, so otherwise it is replaced by one fixed day; that lets a bulk run
    compute the schedule once for the many employees with the same situation."""
    anchors = _anchors(regulation, probation=facts.appointment == "probation")
    earliest = period.start - _LONG_BEFORE
    if "employment_start" not in anchors and facts.employment_start < earliest:
        facts = dataclasses.replace(facts, employment_start=earliest)
    return (facts, period, tuple(held), as_of)


def _in_probation(regulation: Regulation, facts: EmployeeFacts, period: Period) -> bool:
    return (
        regulation.probation is not None
        and facts.appointment == "probation"
        and period.contains(facts.employment_start)
    )


def _rule_for(context: _Context, index: int, kind: ConversationKind) -> _Rule:
    probation = context.regulation.probation
    found = probation.rule_for(kind.id) if probation and context.in_probation else None
    if found is not None:
        rule_index, rule = found
        return _Rule(
            due=rule.due,
            requires=rule.requires,
            on_request=False,
            path=f"probation.kinds[{rule_index}]",
        )
    return _Rule(
        due=kind.due,
        requires=kind.conditions.requires,
        on_request=kind.conditions.on_request,
        path=f"conversation_kinds[{index}]",
    )


def _items_for_kind(context: _Context, index: int, kind: ConversationKind) -> list[DueItem]:
    facts = context.facts
    if kind.conditions.appointments and facts.appointment not in kind.conditions.appointments:
        return []
    rule = _rule_for(context, index, kind)
    anchor = _anchor_date(rule.due.anchor, context)
    if anchor is None:
        return []
    window_from, window_to = rule.due.dates(anchor)
    direct, combined = _held_for(context, kind)
    basis = _basis(context, kind, rule, window_to)
    if not direct and not combined and basis is None:
        return []
    windows = _windows(window_from, window_to, _count(context, kind), facts)
    matches = _match(direct, combined, [(start, end) for start, end, _ in windows])
    items = []
    for sequence, (window, conversation) in enumerate(zip(windows, matches, strict=True), 1):
        start, end, clamp_notes = window
        items.append(
            _item(
                context,
                kind,
                rule,
                sequence=sequence,
                count=len(windows),
                window=(start, end),
                conversation=conversation,
                notes=[*(basis or []), *clamp_notes],
            )
        )
    return items


def _windows(
    start: datetime.date,
    end: datetime.date,
    count: int,
    facts: EmployeeFacts,
) -> list[tuple[datetime.date, datetime.date, list[Phrase]]]:
    """``count`` sub-windows of ``start``..``end`` clamped to the employment, minus empty ones."""
    windows = []
    for part_start, part_end in _split(start, end, count):
        clamped = _clamp(part_start, part_end, facts)
        if clamped is not None:
            windows.append(clamped)
    return windows


def _anchor_date(anchor: Anchor, context: _Context) -> datetime.date | None:
    if anchor == "period_start":
        return context.period.start
    if anchor == "period_midpoint":
        return context.period.midpoint
    if anchor == "period_end":
        return context.period.end
    if anchor == "employment_start":
        return context.facts.employment_start
    return context.facts.probation_end


def _held_for(
    context: _Context, kind: ConversationKind
) -> tuple[list[HeldConversation], list[HeldConversation]]:
    """The conversations recorded as this kind, and those of another kind that also
    covered this one (``combined_with``, when the regulation allows the combination)."""
    direct = [conversation for conversation in context.held if conversation.kind == kind.id]
    combined = [
        conversation
        for conversation in context.held
        if conversation.kind != kind.id
        and kind.id in conversation.combined_with
        and _combinable(context.regulation, conversation.kind, kind.id)
    ]
    return direct, combined


def _match(
    direct: list[HeldConversation],
    combined: list[HeldConversation],
    windows: list[tuple[datetime.date, datetime.date]],
) -> list[HeldConversation | None]:
    """The k-th conversation recorded as the kind settles the k-th window; a combined
    conversation settles a remaining window only when it took place inside it."""
    remaining = list(combined)
    matches: list[HeldConversation | None] = []
    for sequence, (start, end) in enumerate(windows):
        if sequence < len(direct):
            matches.append(direct[sequence])
            continue
        found = next((c for c in remaining if start <= c.date <= end), None)
        if found is not None:
            remaining.remove(found)
        matches.append(found)
    return matches


def _combinable(regulation: Regulation, first: str, second: str) -> bool:
    kinds = {kind.id: kind for kind in regulation.conversation_kinds}
    if first not in kinds or second not in kinds:
        return False
    return second in kinds[first].combinable_with or first in kinds[second].combinable_with


def _basis(
    context: _Context, kind: ConversationKind, rule: _Rule, window_to: datetime.date
) -> list[Phrase] | None:
    """Why the kind is needed at all, as notes; ``None`` when it is not needed."""
    notes: list[Phrase] = []
    if rule.on_request:
        if kind.id not in context.facts.requested_kinds:
            return None
        notes.append(Phrase.of(gettext_noop("Requested.")))
    for requirement in rule.requires:
        met = _requirement_met(context, requirement, window_to)
        if met is None:
            return None
        notes.append(_requirement_note(context.regulation, requirement, met))
    if context.in_probation and rule.path.startswith("probation."):
        notes.insert(0, Phrase.of(gettext_noop("Probation rule.")))
    return notes


def _requirement_met(
    context: _Context, requirement: Requirement, by: datetime.date
) -> HeldConversation | None:
    for conversation in context.held:
        if (
            conversation.kind == requirement.kind
            and conversation.status == "held"
            and conversation.date <= by
            and (requirement.flag is None or conversation.has_flag(requirement.flag))
        ):
            return conversation
    return None


def _requirement_note(
    regulation: Regulation, requirement: Requirement, conversation: HeldConversation
) -> Phrase:
    kind = _in_sentence(regulation.kind(requirement.kind).label)
    if requirement.flag == "improvement_points_recorded":
        return Phrase.of(
            gettext_noop("Improvement points were recorded in the %(kind)s of %(date)s."),
            kind=kind,
            date=conversation.date,
        )
    return Phrase.of(gettext_noop("Follows the %(kind)s of %(date)s."), kind=kind, date=conversation.date)


def _in_sentence(label: Label) -> Label:
    """A kind's label as it reads inside a sentence: "the progress conversation"."""
    return Label(nl=label.nl.lower(), en=label.en.lower())


def _count(context: _Context, kind: ConversationKind) -> int:
    count = kind.count.min_per_period
    frequency = kind.count.agreed_frequency
    if frequency is not None:
        per_year = frequency.clamp(context.facts.agreed_frequency_per_year)
        months = context.regulation.period.length_months
        count = max(count, (per_year * months + 6) // 12, 1)
    return count


def _split(
    start: datetime.date,
    end: datetime.date,
    count: int,
) -> list[tuple[datetime.date, datetime.date]]:
    """``count`` consecutive windows covering ``start``..``end`` (as equal as days allow)."""
    total = (end - start).days + 1
    count = min(count, total)
    return [
        (
            start + datetime.timedelta(days=part * total // count),
            start + datetime.timedelta(days=(part + 1) * total // count - 1),
        )
        for part in range(count)
    ]


def _clamp(
    start: datetime.date, end: datetime.date, facts: EmployeeFacts
) -> tuple[datetime.date, datetime.date, list[Phrase]] | None:
    notes: list[Phrase] = []
    if start < facts.employment_start:
        start = facts.employment_start
        notes.append(Phrase.of(gettext_noop("Window starts at the employment start.")))
    if facts.employment_end is not None and end > facts.employment_end:
        end = facts.employment_end
        notes.append(Phrase.of(gettext_noop("Window ends at the employment end.")))
    if start > end:
        return None
    return start, end, notes


def _status(
    conversation: HeldConversation | None,
    start: datetime.date,
    end: datetime.date,
    as_of: datetime.date,
) -> Status:
    if conversation is not None:
        return "done" if conversation.status == "held" else "waived"
    if as_of < start:
        return "not_yet"
    if as_of > end:
        return "overdue"
    return "due"


def _initiative(
    kind: ConversationKind, status: Status, start: datetime.date, as_of: datetime.date
) -> tuple[Party, Phrase | None]:
    takeover = kind.initiative.takeover
    if (
        takeover is None
        or status not in ("due", "overdue")
        or as_of < start + datetime.timedelta(days=takeover.after_days)
    ):
        return kind.initiative.by, None
    return takeover.by, Phrase.of(
        gettext_noop("The %(party)s takes the initiative: nothing happened within %(days)s."),
        party=PartyRef(takeover.by),
        days=Amount(takeover.after_days, "day"),
    )


def _item(
    context: _Context,
    kind: ConversationKind,
    rule: _Rule,
    *,
    sequence: int,
    count: int,
    window: tuple[datetime.date, datetime.date],
    conversation: HeldConversation | None,
    notes: list[Phrase],
) -> DueItem:
    start, end = window
    status = _status(conversation, start, end, context.as_of)
    initiative, takeover_note = _initiative(kind, status, start, context.as_of)
    notes = list(notes)
    if conversation is not None:
        notes.append(_conversation_note(context.regulation, kind, conversation))
    if takeover_note is not None:
        notes.append(takeover_note)
    return DueItem(
        kind=kind.id,
        sequence=sequence,
        count=count,
        due_from=start,
        due_by=end,
        status=status,
        initiative=initiative,
        reason=(_rule_phrase(context.regulation, kind, rule, sequence, count), *notes),
        held_on=conversation.date if conversation is not None else None,
    )


def _conversation_note(
    regulation: Regulation, kind: ConversationKind, conversation: HeldConversation
) -> Phrase:
    if conversation.status == "waived":
        return Phrase.of(gettext_noop("Waived on %(date)s."), date=conversation.date)
    if conversation.kind != kind.id:
        return Phrase.of(
            gettext_noop("Held on %(date)s, combined with the %(kind)s."),
            date=conversation.date,
            kind=_in_sentence(regulation.kind(conversation.kind).label),
        )
    return Phrase.of(gettext_noop("Held on %(date)s."), date=conversation.date)


# -- reasons -------------------------------------------------------------------------


def _rule_phrase(
    regulation: Regulation, kind: ConversationKind, rule: _Rule, sequence: int, count: int
) -> Phrase:
    """The kind, its window and the rule it comes from (``regulation version, key path``)."""
    due = rule.due
    window = {
        "start": _point(due.offset_from, due.anchor),
        "end": _point(due.offset_to, due.anchor),
        "regulation": regulation.id,
        "version": regulation.version,
        "path": rule.path,
    }
    if count > 1:
        return Phrase.of(
            gettext_noop(
                # Translators: kind is a conversation kind's name; start and end are points in time
                # such as "1 month before the period start"; regulation, version and path cite the
                # rule, e.g. "ID 1.0, conversation_kinds[0]".
                "%(kind)s %(sequence)s of %(count)s: due from %(start)s to %(end)s "
                "(rule %(regulation)s %(version)s, %(path)s)."
            ),
            kind=kind.label,
            sequence=sequence,
            count=count,
            **window,
        )
    return Phrase.of(
        # Translators: as above, for a kind that occurs once in the period.
        gettext_noop("%(kind)s: due from %(start)s to %(end)s (rule %(regulation)s %(version)s, %(path)s)."),
        kind=kind.label,
        **window,
    )


def _point(offset: Offset, anchor: Anchor) -> AnchorRef | Phrase:
    """``Offset(months=-1)`` at ``period_end`` -> ``1 month before the period end``.

    Months decide the direction; days with the opposite sign shorten the distance:
    ``Offset(months=12, days=-1)`` -> ``12 months minus 1 day after the period start``.
    """
    if offset.months == 0 and offset.days == 0:
        return AnchorRef(anchor)
    distance: Amount | Phrase
    if offset.months == 0:
        distance, after = Amount(abs(offset.days), "day"), offset.days > 0
    else:
        distance, after = Amount(abs(offset.months), "month"), offset.months > 0
        if offset.days:
            days = Amount(abs(offset.days), "day")
            if (offset.days > 0) == after:
                distance = Phrase.of(gettext_noop("%(months)s and %(days)s"), months=distance, days=days)
            else:
                distance = Phrase.of(gettext_noop("%(months)s minus %(days)s"), months=distance, days=days)
    if after:
        return Phrase.of(
            gettext_noop("%(distance)s after %(anchor)s"), distance=distance, anchor=AnchorRef(anchor)
        )
    return Phrase.of(
        gettext_noop("%(distance)s before %(anchor)s"), distance=distance, anchor=AnchorRef(anchor)
    )
