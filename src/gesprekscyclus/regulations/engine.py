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
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from dateutil.relativedelta import relativedelta

from gesprekscyclus.regulations.regulation import (
    Anchor,
    Appointment,
    ConversationKind,
    DueWindow,
    Offset,
    Party,
    Regulation,
    Requirement,
)

Status = Literal["not_yet", "due", "overdue", "done", "waived"]
STATUSES: tuple[Status, ...] = ("not_yet", "due", "overdue", "done", "waived")

_ONE_DAY = datetime.timedelta(days=1)

# A note is an (English, Dutch) pair of sentences that ends up in the reason.
Note = tuple[str, str]


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
    reason: str
    reason_nl: str
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
) -> list[tuple[datetime.date, datetime.date, list[Note]]]:
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
) -> list[Note] | None:
    """Why the kind is needed at all, as notes; ``None`` when it is not needed."""
    notes: list[Note] = []
    if rule.on_request:
        if kind.id not in context.facts.requested_kinds:
            return None
        notes.append(("Requested.", "Aangevraagd."))
    for requirement in rule.requires:
        met = _requirement_met(context, requirement, window_to)
        if met is None:
            return None
        notes.append(_requirement_note(context.regulation, requirement, met))
    if context.in_probation and rule.path.startswith("probation."):
        notes.insert(0, ("Probation rule.", "Regel voor de proeftijd."))
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
) -> Note:
    label = regulation.kind(requirement.kind).label
    held_on = conversation.date.isoformat()
    if requirement.flag == "improvement_points_recorded":
        return (
            f"Improvement points were recorded in the {label.en.lower()} of {held_on}.",
            f"Verbeterpunten zijn vastgelegd in het {label.nl.lower()} van {held_on}.",
        )
    return (
        f"Follows the {label.en.lower()} of {held_on}.",
        f"Volgt op het {label.nl.lower()} van {held_on}.",
    )


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
) -> tuple[datetime.date, datetime.date, list[Note]] | None:
    notes: list[Note] = []
    if start < facts.employment_start:
        start = facts.employment_start
        notes.append(
            ("Window starts at the employment start.", "Termijn begint bij de indiensttreding."),
        )
    if facts.employment_end is not None and end > facts.employment_end:
        end = facts.employment_end
        notes.append(
            (
                "Window ends at the employment end.",
                "Termijn eindigt bij het einde van het dienstverband.",
            )
        )
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
) -> tuple[Party, Note | None]:
    takeover = kind.initiative.takeover
    if (
        takeover is None
        or status not in ("due", "overdue")
        or as_of < start + datetime.timedelta(days=takeover.after_days)
    ):
        return kind.initiative.by, None
    return takeover.by, (
        f"The {_PARTY_EN[takeover.by]} takes the initiative: nothing happened within "
        f"{_amount_en(takeover.after_days, 'day')}.",
        f"De {_PARTY_NL[takeover.by]} neemt het initiatief: binnen "
        f"{_amount(takeover.after_days, 'day', 'nl')} is er niets gebeurd.",
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
    notes: list[Note],
) -> DueItem:
    start, end = window
    status = _status(conversation, start, end, context.as_of)
    initiative, takeover_note = _initiative(kind, status, start, context.as_of)
    notes = list(notes)
    if conversation is not None:
        notes.append(_conversation_note(context.regulation, kind, conversation))
    if takeover_note is not None:
        notes.append(takeover_note)
    reason, reason_nl = _reason(context.regulation, kind, rule, sequence, count, notes)
    return DueItem(
        kind=kind.id,
        sequence=sequence,
        count=count,
        due_from=start,
        due_by=end,
        status=status,
        initiative=initiative,
        reason=reason,
        reason_nl=reason_nl,
        held_on=conversation.date if conversation is not None else None,
    )


def _conversation_note(
    regulation: Regulation, kind: ConversationKind, conversation: HeldConversation
) -> Note:
    day = conversation.date.isoformat()
    if conversation.status == "waived":
        return f"Waived on {day}.", f"Vervallen (afgezien) op {day}."
    if conversation.kind != kind.id:
        label = regulation.kind(conversation.kind).label
        return (
            f"Held on {day}, combined with the {label.en.lower()}.",
            f"Gehouden op {day}, gecombineerd met het {label.nl.lower()}.",
        )
    return f"Held on {day}.", f"Gehouden op {day}."


# -- reasons -------------------------------------------------------------------------

_PARTY_EN = {"employee": "employee", "manager": "manager", "either": "employee or manager"}
_PARTY_NL = {
    "employee": "medewerker",
    "manager": "leidinggevende",
    "either": "medewerker of leidinggevende",
}
_WORDS = {
    "en": {
        "month": ("month", "months"),
        "day": ("day", "days"),
        "and": "and",
        "minus": "minus",
        "after": "after",
        "before": "before",
        "period_start": "the period start",
        "period_midpoint": "the middle of the period",
        "period_end": "the period end",
        "employment_start": "the employment start",
        "probation_end": "the end of probation",
    },
    "nl": {
        "month": ("maand", "maanden"),
        "day": ("dag", "dagen"),
        "and": "en",
        "minus": "min",
        "after": "na",
        "before": "vóór",
        "period_start": "het begin van de periode",
        "period_midpoint": "het midden van de periode",
        "period_end": "het einde van de periode",
        "employment_start": "de datum van indiensttreding",
        "probation_end": "het einde van de proeftijd",
    },
}


def _reason(
    regulation: Regulation,
    kind: ConversationKind,
    rule: _Rule,
    sequence: int,
    count: int,
    notes: list[Note],
) -> tuple[str, str]:
    due = rule.due
    number_en = f" {sequence} of {count}" if count > 1 else ""
    number_nl = f" {sequence} van {count}" if count > 1 else ""
    cite = f"{regulation.id} {regulation.version}, {rule.path}"
    english = (
        f"{kind.label.en}{number_en}: due from {_point(due.offset_from, due.anchor, 'en')} "
        f"to {_point(due.offset_to, due.anchor, 'en')} (rule {cite})."
    )
    dutch = (
        f"{kind.label.nl}{number_nl}: te voeren van {_point(due.offset_from, due.anchor, 'nl')} "
        f"tot {_point(due.offset_to, due.anchor, 'nl')} (regel {cite})."
    )
    for note_en, note_nl in notes:
        english += f" {note_en}"
        dutch += f" {note_nl}"
    return english, dutch


def _amount(number: int, unit: str, language: str) -> str:
    singular, plural = _WORDS[language][unit]
    return f"{number} {singular if number == 1 else plural}"


def _amount_en(number: int, unit: str) -> str:
    return _amount(number, unit, "en")


def _point(offset: Offset, anchor: Anchor, language: str) -> str:
    """``Offset(months=-1)`` at ``period_end`` -> ``1 month before the period end``.

    Months decide the direction; days with the opposite sign shorten the distance:
    ``Offset(months=12, days=-1)`` -> ``12 months minus 1 day after the period start``.
    """
    words = _WORDS[language]
    if offset.months == 0 and offset.days == 0:
        return words[anchor]
    if offset.months == 0:
        distance, after = _amount(abs(offset.days), "day", language), offset.days > 0
    else:
        distance, after = _amount(abs(offset.months), "month", language), offset.months > 0
        if offset.days:
            joiner = words["and"] if (offset.days > 0) == after else words["minus"]
            distance += f" {joiner} {_amount(abs(offset.days), 'day', language)}"
    return f"{distance} {words['after'] if after else words['before']} {words[anchor]}"


# -- the public JSON contract --------------------------------------------------------


def to_json(items: Sequence[DueItem]) -> list[dict[str, Any]]:
    """The stable ``schedule --format json`` shape: one object per item, dates in ISO."""
    return [
        {
            "kind": item.kind,
            "sequence": item.sequence,
            "count": item.count,
            "due_from": item.due_from.isoformat(),
            "due_by": item.due_by.isoformat(),
            "status": item.status,
            "initiative": item.initiative,
            "reason": item.reason,
            "reason_nl": item.reason_nl,
            "held_on": item.held_on.isoformat() if item.held_on else None,
        }
        for item in items
    ]
