"""The typed, immutable form of a regulation file.

``loader.load_regulation`` turns a validated YAML file into this tree. Everything here
is a frozen dataclass holding tuples, so a ``Regulation`` can be shared and cached
freely. Field names follow the YAML keys; where a key is a Python keyword (``from``,
``to``) the field is called ``offset_from`` / ``offset_to``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

from dateutil.relativedelta import relativedelta

Anchor = Literal[
    "period_start",
    "period_midpoint",
    "period_end",
    "employment_start",
    "probation_end",
]
Party = Literal["employee", "manager", "either"]
Role = Literal[
    "employee",
    "manager",
    "delegate",
    "skip_level_manager",
    "director",
    "hr_adviser",
    "hr_admin",
]
Appointment = Literal["permanent", "temporary", "probation"]
DocumentKind = Literal["report", "agreements", "assessment", "objection", "attachment", "feedback"]
PeriodStart = Literal["calendar_year", "per_unit", "employee_start_date"]
Statement = Literal["voor_akkoord", "voor_gezien"]
RecordingMode = Literal["structured", "free_text"]
ItemType = Literal["text", "long_text", "rating", "date", "boolean"]
AssessmentWhen = Literal[
    "yearly_after_evaluation",
    "on_request",
    "legal_position_only",
    "end_of_probation",
]
ObjectionRoute = Literal["formal_objection", "response_only"]
RetentionStart = Literal["employment_end", "completion"]

ANCHORS: tuple[Anchor, ...] = (
    "period_start",
    "period_midpoint",
    "period_end",
    "employment_start",
    "probation_end",
)
FLAGS: tuple[str, ...] = ("improvement_points_recorded",)


@dataclass(frozen=True)
class Label:
    """A user-facing text in Dutch and English."""

    nl: str
    en: str


@dataclass(frozen=True)
class Source:
    """Where the regulation comes from."""

    title: str
    organisation: str
    seed: str
    effective_from: datetime.date | None = None
    url: str | None = None


@dataclass(frozen=True)
class PeriodRules:
    """How long a cycle period is and how its start is chosen.

    ``start_month`` is the default month for ``per_unit`` (a unit may choose its own).
    """

    length_months: int
    start: PeriodStart
    start_month: int | None = None


@dataclass(frozen=True)
class Offset:
    """A calendar distance: months first, then days (``relativedelta`` semantics)."""

    months: int = 0
    days: int = 0

    def apply(self, day: datetime.date) -> datetime.date:
        return day + relativedelta(months=self.months, days=self.days)


@dataclass(frozen=True)
class DueWindow:
    """The window ``[anchor + from, anchor + to]`` (both ends inclusive)."""

    anchor: Anchor
    offset_from: Offset
    offset_to: Offset

    def dates(self, anchor_date: datetime.date) -> tuple[datetime.date, datetime.date]:
        return self.offset_from.apply(anchor_date), self.offset_to.apply(anchor_date)


@dataclass(frozen=True)
class Takeover:
    """Who takes the initiative when nothing happened ``after_days`` after the window opened."""

    by: Literal["employee", "manager"]
    after_days: int


@dataclass(frozen=True)
class Initiative:
    by: Party
    takeover: Takeover | None = None


@dataclass(frozen=True)
class Signature:
    role: Literal["employee", "manager", "delegate"]
    statement: Statement
    declaration: Label | None = None


@dataclass(frozen=True)
class Recording:
    mode: RecordingMode
    required: bool = True
    attachments: bool = False
    form: str | None = None
    form_required: bool = False


@dataclass(frozen=True)
class AgreedFrequency:
    """Employee and manager agree how often they meet (per year), within bounds."""

    default_per_year: int
    min_per_year: int
    max_per_year: int

    def clamp(self, agreed: int | None) -> int:
        value = self.default_per_year if agreed is None else agreed
        return max(self.min_per_year, min(self.max_per_year, value))


@dataclass(frozen=True)
class Count:
    min_per_period: int = 1
    agreed_frequency: AgreedFrequency | None = None


@dataclass(frozen=True)
class Requirement:
    """A conversation of ``kind`` must have been held (with ``flag`` set, if given)."""

    kind: str
    flag: str | None = None


@dataclass(frozen=True)
class Conditions:
    appointments: tuple[Appointment, ...] = ()
    on_request: bool = False
    requires: tuple[Requirement, ...] = ()


@dataclass(frozen=True)
class ConversationKind:
    id: str
    label: Label
    initiative: Initiative
    conducted_by: tuple[Literal["manager", "delegate"], ...]
    report_by: Party
    signatures: tuple[Signature, ...]
    recording: Recording
    due: DueWindow
    description: Label | None = None
    agenda: str | None = None
    combinable_with: tuple[str, ...] = ()
    count: Count = Count()
    conditions: Conditions = Conditions()


@dataclass(frozen=True)
class ProbationKindRule:
    """During probation, ``kind`` follows this window and these requirements instead."""

    kind: str
    due: DueWindow
    requires: tuple[Requirement, ...] = ()


@dataclass(frozen=True)
class ProbationRules:
    period_start: Literal["employment_start", "regular"]
    kinds: tuple[ProbationKindRule, ...]

    def rule_for(self, kind_id: str) -> tuple[int, ProbationKindRule] | None:
        for index, rule in enumerate(self.kinds):
            if rule.kind == kind_id:
                return index, rule
        return None


@dataclass(frozen=True)
class ScaleValue:
    value: int
    label: Label


@dataclass(frozen=True)
class Aspect:
    id: str
    label: Label
    description: Label | None = None


@dataclass(frozen=True)
class ObjectionRules:
    route: ObjectionRoute
    term_days: int
    term_starts: Literal["day_after_handover", "handover_day"]
    internal_complaint: bool = False

    def deadline(self, handover: datetime.date) -> datetime.date:
        """The last day an objection or response can be lodged."""
        starts_next_day = self.term_starts == "day_after_handover"
        first_day = handover + datetime.timedelta(days=1 if starts_next_day else 0)
        return first_day + datetime.timedelta(days=self.term_days - 1)


@dataclass(frozen=True)
class AssessmentRules:
    kind: str
    when: tuple[AssessmentWhen, ...]
    recorded_by: Literal["manager"]
    scale: tuple[ScaleValue, ...]
    aspects: tuple[Aspect, ...]
    objection: ObjectionRules
    after_kind: str | None = None


@dataclass(frozen=True)
class FormItem:
    id: str
    label: Label
    type: ItemType
    help: Label | None = None
    required: bool = False
    # The employee decides whether this answer goes into the signed report (well-being).
    personal: bool = False


@dataclass(frozen=True)
class FormSection:
    id: str
    label: Label
    items: tuple[FormItem, ...]
    help: Label | None = None


@dataclass(frozen=True)
class Form:
    id: str
    label: Label
    sections: tuple[FormSection, ...]
    description: Label | None = None


@dataclass(frozen=True)
class VisibilityRule:
    document: DocumentKind
    readers: tuple[Role, ...]


@dataclass(frozen=True)
class Visibility:
    rules: tuple[VisibilityRule, ...] = ()

    def readers(self, document: str) -> tuple[str, ...]:
        for rule in self.rules:
            if rule.document == document:
                return rule.readers
        return ()

    def may_read(self, role: str, document: str) -> bool:
        return role in self.readers(document)


@dataclass(frozen=True)
class Reminders:
    before_due_days: tuple[int, ...] = ()
    after_due_days: tuple[int, ...] = ()
    escalate_after_days: int | None = None
    escalate_to: tuple[Role, ...] = ()


@dataclass(frozen=True)
class Retention:
    after: RetentionStart
    years: int = 0
    months: int = 0


@dataclass(frozen=True)
class ArchiveRule:
    document: DocumentKind
    personnel_file: bool
    retention: Retention
    kinds: tuple[str, ...] = ()  # empty: every conversation kind

    def covers(self, document: str, kind_id: str) -> bool:
        return self.document == document and (not self.kinds or kind_id in self.kinds)


@dataclass(frozen=True)
class Archiving:
    rules: tuple[ArchiveRule, ...] = ()

    def rule_for(self, document: str, kind_id: str) -> ArchiveRule | None:
        for rule in self.rules:
            if rule.covers(document, kind_id):
                return rule
        return None


@dataclass(frozen=True)
class Disagreement:
    escalate_to: tuple[Role, ...]
    last_resort: str | None = None


@dataclass(frozen=True)
class WorkPlan:
    """An individual work plan: drafted by the employee on ``form`` (the manager writes
    ``manager_sections``), established by both in an ``established_in`` conversation and
    revised only in a ``revised_in`` conversation."""

    form: str
    established_in: str
    manager_sections: tuple[str, ...] = ()
    revised_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class Regulation:
    id: str
    name: str
    version: str
    source: Source
    period: PeriodRules
    conversation_kinds: tuple[ConversationKind, ...]
    visibility: Visibility
    archiving: Archiving
    description: Label | None = None
    probation: ProbationRules | None = None
    assessment: AssessmentRules | None = None
    forms: tuple[Form, ...] = ()
    reminders: Reminders = Reminders()
    disagreement: Disagreement | None = None
    work_plan: WorkPlan | None = None

    def kind(self, kind_id: str) -> ConversationKind:
        for kind in self.conversation_kinds:
            if kind.id == kind_id:
                return kind
        raise KeyError(kind_id)

    def form(self, form_id: str) -> Form:
        for form in self.forms:
            if form.id == form_id:
                return form
        raise KeyError(form_id)

    @property
    def kind_ids(self) -> tuple[str, ...]:
        return tuple(kind.id for kind in self.conversation_kinds)
