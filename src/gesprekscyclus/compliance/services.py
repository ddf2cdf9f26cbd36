"""Keeping ``CycleProgress`` up to date, and counting it for the HR dashboard.

**Refreshing.** ``progress_refresh`` asks the cycle engine what is due in each cycle on a
day and matches every required conversation (an engine item) to the conversation that
covers it, in batches of a thousand cycles with a fixed number of queries per batch. An
item counts as

- *opened* when its window has opened (the engine says due, overdue or held);
- *planned* when a conversation for it is planned (or it has been held);
- *held*, *reported* (the report is finished), *signed* (every signature placed) and
  *archived* (the signed report is in the personnel file) after the conversation that
  covered it.

**Counting.** The dashboard counts employees, not conversations: an employee has "the
required conversations planned" when every conversation whose window has opened in the
period is planned or held, "held" when every one of them has been held, and so on. Only
employees with at least one such conversation count (the denominator): someone who
joined last week has nothing due yet and is neither on track nor behind.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Max, Min, Q, QuerySet, Sum, Value, When

from gesprekscyclus.conversations.models import HELD_STATUSES, UPCOMING_STATUSES, Conversation, Status
from gesprekscyclus.conversations.services import held_for_cycles
from gesprekscyclus.cycles.models import CloseReason, Cycle, CycleStatus
from gesprekscyclus.cycles.services import cycle_schedule, with_regulation_versions
from gesprekscyclus.dossiers.models import DossierEntry

from .models import CycleProgress, UnitProgress

Progress = Callable[[str, int, int], None]
CHUNK = 1000
REPORTED_STATUSES = (Status.REPORT_WRITTEN, Status.READY_FOR_SIGNING, Status.COMPLETED)
STAGES = ("planned", "held", "reported", "signed", "archived")
UPDATED_FIELDS = [
    "organisation",
    "unit",
    "year",
    "required",
    "opened",
    "planned",
    "held",
    "reported",
    "signed",
    "archived",
    "overdue",
    "next_due_on",
    "next_due_kind",
    "computed_on",
]


# -- refreshing ------------------------------------------------------------------------------


@dataclass
class _Covering:
    """A conversation of the employee, as far as progress is concerned."""

    cycle_id: int
    kinds: tuple[str, ...]
    status: str
    held_on: datetime.date | None
    archived: bool
    used: bool = False


def _conversations_by_employee(cycles: list[Cycle]) -> dict[int, list[_Covering]]:
    if not cycles:
        return {}
    employee_ids = {cycle.employee_id for cycle in cycles}
    # the cycles' periods with a year on either side (a combined conversation can cover
    # a neighbouring period), by date: no join with the cycles needed
    earliest = min(cycle.period_start for cycle in cycles) - datetime.timedelta(days=366)
    latest = max(cycle.period_end for cycle in cycles) + datetime.timedelta(days=366)
    rows = list(
        Conversation.objects.filter(
            employee_id__in=employee_ids,
            starts_at__date__gte=earliest,
            starts_at__date__lte=latest,
        )
        .exclude(status=Status.CANCELLED)
        .values_list("pk", "employee_id", "cycle_id", "kind", "combined_with", "status", "held_on")
        .order_by("starts_at", "pk")
    )
    archived = set(
        DossierEntry.objects.filter(
            conversation_id__in=[row[0] for row in rows if row[5] == Status.COMPLETED]
        )
        .values_list("conversation_id", flat=True)
        .distinct()
    )
    by_employee: dict[int, list[_Covering]] = defaultdict(list)
    for pk, employee_id, cycle_id, kind, combined_with, status, held_on in rows:
        by_employee[employee_id].append(
            _Covering(
                cycle_id=cycle_id,
                kinds=(kind, *(combined_with or ())),
                status=status,
                held_on=held_on,
                archived=pk in archived,
            )
        )
    return by_employee


@dataclass(slots=True)
class ProgressRow:
    """A cycle's progress before it is stored (the fields of ``CycleProgress``)."""

    cycle_id: int
    organisation_id: int
    unit_id: int
    year: int
    computed_on: datetime.date
    required: int = 0
    opened: int = 0
    planned: int = 0
    held: int = 0
    reported: int = 0
    signed: int = 0
    archived: int = 0
    overdue: int = 0
    next_due_on: datetime.date | None = None
    next_due_kind: str = ""


def _progress_of(cycle: Cycle, items, conversations: list[_Covering], today: datetime.date) -> ProgressRow:
    row = ProgressRow(
        cycle_id=cycle.pk,
        organisation_id=cycle.organisation_id,
        unit_id=cycle.employee.unit_id,
        year=cycle.year,
        computed_on=today,
    )
    for conversation in conversations:
        conversation.used = False
    for item in items:
        if item.status == "waived":
            continue
        row.required += 1
        if item.status != "done" and (row.next_due_on is None or item.due_by < row.next_due_on):
            row.next_due_on, row.next_due_kind = item.due_by, item.kind
        if item.status == "not_yet":
            continue
        row.opened += 1
        row.overdue += item.status == "overdue"
        if item.status == "done":
            covering = next(
                (
                    c
                    for c in conversations
                    if not c.used
                    and c.status in HELD_STATUSES
                    and c.held_on == item.held_on
                    and item.kind in c.kinds
                ),
                None,
            )
            row.planned += 1
            row.held += 1
        else:
            covering = next(
                (
                    c
                    for c in conversations
                    if not c.used
                    and c.cycle_id == cycle.pk
                    and c.status in UPCOMING_STATUSES
                    and item.kind in c.kinds
                ),
                None,
            )
            row.planned += covering is not None
        if covering is None:
            continue
        covering.used = True
        row.reported += covering.status in REPORTED_STATUSES
        row.signed += covering.status == Status.COMPLETED
        row.archived += covering.archived
    return row


def progress_of_cycles(cycles: list[Cycle], today: datetime.date) -> list[ProgressRow]:
    """The progress of each cycle (with ``employee`` and ``regulation_version`` loaded) on
    ``today``: four queries for any number of cycles, nothing written."""
    held = held_for_cycles(cycles)
    schedules = {cycle.pk: cycle_schedule(cycle, today, held[cycle.pk]) for cycle in cycles}
    return progress_from_schedules(cycles, schedules, today)


def progress_from_schedules(cycles: list[Cycle], schedules: dict[int, list], today: datetime.date):
    """The same, for cycles whose schedule the caller already asked the engine for
    (``send_reminders`` does both in one pass)."""
    conversations = _conversations_by_employee(cycles)
    return [
        _progress_of(cycle, schedules[cycle.pk], conversations[cycle.employee_id], today) for cycle in cycles
    ]


_ROW_FIELDS = (
    ("cycle_id", "integer"),
    ("organisation_id", "integer"),
    ("unit_id", "integer"),
    ("year", "integer"),
    ("required", "integer"),
    ("opened", "integer"),
    ("planned", "integer"),
    ("held", "integer"),
    ("reported", "integer"),
    ("signed", "integer"),
    ("archived", "integer"),
    ("overdue", "integer"),
    ("next_due_on", "date"),
    ("next_due_kind", "text"),
    ("computed_on", "date"),
)


_COMPARED = [name for name, _ in _ROW_FIELDS if name not in ("cycle_id", "computed_on")]


def _changed(rows: list[ProgressRow]) -> list[ProgressRow]:
    """The rows whose figures differ from what is stored (one read for the batch): on a
    normal day most cycles are where they were yesterday, and a read costs far less than
    rewriting the row and its indexes."""
    stored = {
        values[0]: values[1:]
        for values in CycleProgress.objects.filter(cycle_id__in=[row.cycle_id for row in rows])
        .values_list("cycle_id", *_COMPARED)
        .order_by()
    }
    return [
        row for row in rows if stored.get(row.cycle_id) != tuple(getattr(row, name) for name in _COMPARED)
    ]


def progress_store(rows: list[ProgressRow]) -> None:
    """Insert or update the rows that changed (``computed_on`` then says since when the
    figures are what they are). On PostgreSQL one ``INSERT … SELECT FROM unnest(…) ON
    CONFLICT DO UPDATE`` with an array per column: measured five times faster than
    ``bulk_create(update_conflicts=True)``, which prepares every value on its own; other
    databases (the small SQLite installations) take the ``bulk_create`` path."""
    rows = _changed(rows)
    if not rows:
        return
    if connection.vendor != "postgresql":
        CycleProgress.objects.bulk_create(
            [CycleProgress(**{name: getattr(row, name) for name, _ in _ROW_FIELDS}) for row in rows],
            update_conflicts=True,
            unique_fields=["cycle"],
            update_fields=UPDATED_FIELDS,
        )
        return
    names = [name for name, _ in _ROW_FIELDS]
    arrays = ", ".join(f"%s::{kind}[]" for _, kind in _ROW_FIELDS)
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in names[1:])
    table = CycleProgress._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(names)}) SELECT * FROM unnest({arrays}) "  # noqa: S608 (fixed names)
            f"ON CONFLICT (cycle_id) DO UPDATE SET {updates}",
            [[getattr(row, name) for row in rows] for name in names],
        )


def progress_refresh(
    *,
    today: datetime.date,
    organisation=None,
    year: int | None = None,
    cycle_ids: Iterable[int] | None = None,
    progress: Progress | None = None,
) -> int:
    """Recompute the progress of the given cycles, or of every open cycle (of one
    organisation, of one period), then the unit counts they feed; returns how many
    cycles were recomputed."""
    report = progress or (lambda stage, done, total: None)
    cycles = Cycle.objects.select_related("employee").order_by("pk")
    if cycle_ids is not None:
        cycles = cycles.filter(pk__in=list(cycle_ids))
    else:
        cycles = cycles.filter(status=CycleStatus.OPEN)
    if organisation is not None:
        cycles = cycles.filter(organisation=organisation)
    if year is not None:
        cycles = cycles.filter(year=year)
    ids = list(cycles.values_list("pk", flat=True))
    touched: set[tuple[int, int]] = set()
    if cycle_ids is not None:  # an employee who moved leaves their old unit's count too
        touched.update(CycleProgress.objects.filter(cycle_id__in=ids).values_list("unit_id", "year"))
    for start in range(0, len(ids), CHUNK):
        chunk = with_regulation_versions(cycles.filter(pk__in=ids[start : start + CHUNK]))
        rows = progress_of_cycles(chunk, today)
        progress_store(rows)
        touched.update((row.unit_id, row.year) for row in rows)
        report("dashboard figures", min(start + CHUNK, len(ids)), len(ids))
    if cycle_ids is not None:
        unit_progress_recount(pairs=touched, as_of=today)
    else:
        unit_progress_recount(
            organisation_id=organisation.pk if organisation is not None else None, as_of=today
        )
    return len(ids)


# -- counting ------------------------------------------------------------------------------------


@dataclass
class Figures:
    """Counts of employees for one unit (or a subtree, or a period)."""

    employees: int = 0  # with a cycle in the period
    with_due: int = 0  # with at least one required conversation whose window has opened
    planned: int = 0
    held: int = 0
    reported: int = 0
    signed: int = 0
    archived: int = 0
    overdue: int = 0  # with at least one overdue conversation
    computed_from: datetime.date | None = field(default=None, compare=False)
    computed_until: datetime.date | None = field(default=None, compare=False)

    COUNTS = ("employees", "with_due", *STAGES, "overdue")

    def add(self, other: Figures) -> None:
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.computed_from and (self.computed_from is None or other.computed_from < self.computed_from):
            self.computed_from = other.computed_from
        if other.computed_until and (
            self.computed_until is None or other.computed_until > self.computed_until
        ):
            self.computed_until = other.computed_until

    def share(self, stage: str) -> float | None:
        """The share (0–100) of employees with something due that reached ``stage``."""
        if not self.with_due:
            return None
        return 100 * getattr(self, stage) / self.with_due

    @property
    def cells(self) -> list[str]:
        """The table cells of a unit or period line: employees, due so far, the share per
        stage, overdue (formatted here: rendering thousands of template nodes per page
        would cost more than the queries)."""
        shares = [percent_text(share) for share in map(self.share, STAGES)]
        return [str(self.employees), str(self.with_due), *shares, str(self.overdue)]

    @property
    def shares(self) -> list[tuple[str, int, str]]:
        """Per stage: the stage, the number of employees, the share as printed."""
        return [(stage, getattr(self, stage), percent_text(self.share(stage))) for stage in STAGES]


def percent_text(share: float | None) -> str:
    """A share as the dashboard prints it everywhere (chart, tables, exports do the same
    rounding: half up, so 12.5 reads 13%)."""
    return "—" if share is None else f"{math.floor(share + 0.5)}%"


def _complete(stage: str) -> Sum:
    """Employees whose every opened conversation reached ``stage``."""
    return Sum(
        Case(
            When(opened__gt=0, **{f"{stage}__gte": F("opened")}, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def _aggregates() -> dict:
    return {
        "employees": Count("pk"),
        "with_due": Sum(
            Case(When(opened__gt=0, then=Value(1)), default=Value(0), output_field=IntegerField())
        ),
        **{stage: _complete(stage) for stage in STAGES},
        "overdue": Sum(
            Case(When(overdue__gt=0, then=Value(1)), default=Value(0), output_field=IntegerField())
        ),
        "computed_from": Min("computed_on"),
        "computed_until": Max("computed_on"),
    }


def unit_progress_recount(
    *,
    organisation_id: int | None = None,
    pairs: Iterable[tuple[int, int]] | None = None,
    as_of: datetime.date | None = None,
):
    """Sum ``CycleProgress`` into ``UnitProgress``: for the given (unit, period) pairs, or
    for everything (of one organisation). One grouped query and one upsert; a pair whose
    cycles are all gone is removed. A full recount first drops the rows of leavers'
    cycles (closed because the employment ended): they no longer count. ``as_of`` is the
    day the cycles were checked (rows that did not change keep their older
    ``computed_on``), shown on the dashboard as the day of its figures."""
    if pairs is None:
        # Someone whose employment ended is no longer counted (their cycle was closed).
        leavers = CycleProgress.objects.filter(cycle__close_reason=CloseReason.EMPLOYMENT_ENDED)
        if organisation_id is not None:
            leavers = leavers.filter(organisation_id=organisation_id)
        leavers.delete()
    rows = CycleProgress.objects.all()
    counts = UnitProgress.objects.all()
    if organisation_id is not None:
        rows = rows.filter(organisation_id=organisation_id)
        counts = counts.filter(organisation_id=organisation_id)
    if pairs is not None:
        pairs = set(pairs)
        if not pairs:
            return
        wanted = Q(pk__in=[])
        for unit_id, year in pairs:
            wanted |= Q(unit_id=unit_id, year=year)
        rows, counts = rows.filter(wanted), counts.filter(wanted)
    fresh = [
        UnitProgress(**values)
        for values in rows.values("unit_id", "organisation_id", "year").annotate(**_aggregates()).order_by()
    ]
    if as_of is not None:  # the figures are what the engine says on this day
        for row in fresh:
            row.computed_from = row.computed_until = as_of
    with transaction.atomic():
        UnitProgress.objects.bulk_create(
            fresh,
            update_conflicts=True,
            unique_fields=["unit", "year"],
            update_fields=["organisation", *Figures.COUNTS, "computed_from", "computed_until"],
        )
        counted = {(row.unit_id, row.year) for row in fresh}
        stale = [
            pk
            for pk, unit_id, year in counts.values_list("pk", "unit_id", "year")
            if (unit_id, year) not in counted
        ]
        UnitProgress.objects.filter(pk__in=stale).delete()


_FIGURE_FIELDS = ("unit_id", "year", *Figures.COUNTS, "computed_from", "computed_until")


# A subtree of up to this many units is matched by its ids (a hash lookup per row); a larger
# one by its path prefix (a join), so a query never carries ten thousand ids.
SUBTREE_ID_LIMIT = 1_000


def in_subtree(organisation_id: int, path: str, unit_ids: list[int] | None = None) -> Q:
    """Rows of the units at ``path`` and below: by the units' ids when the caller has a
    short list of them, else by the indexed path prefix."""
    if unit_ids is not None and len(unit_ids) <= SUBTREE_ID_LIMIT:
        return Q(unit_id__in=unit_ids)
    return Q(unit__organisation_id=organisation_id, unit__path__startswith=path)


def figures_by_unit(
    *, organisation_id: int, path: str, year: int, unit_ids: list[int] | None = None
) -> dict[int, Figures]:
    """The figures of each unit's own members in ``year``, for the units at ``path`` and
    below (one query, a row per unit)."""
    figures = {}
    for values in UnitProgress.objects.filter(in_subtree(organisation_id, path, unit_ids), year=year).values(
        *_FIGURE_FIELDS
    ):
        unit_id = values.pop("unit_id")
        values.pop("year")
        figures[unit_id] = Figures(**values)
    return figures


def figures_by_year(
    *, organisation_id: int, path: str, years: Iterable[int], unit_ids: list[int] | None = None
) -> dict[int, Figures]:
    """The figures of the units at ``path`` and below together per period, for the trend
    (one grouped query)."""
    sums = {name: Sum(name) for name in Figures.COUNTS}
    return {
        values.pop("year"): Figures(**values)
        for values in UnitProgress.objects.filter(
            in_subtree(organisation_id, path, unit_ids), year__in=list(years)
        )
        .values("year")
        .annotate(**sums, computed_from=Min("computed_from"), computed_until=Max("computed_until"))
        .order_by()
    }


def progress_in_scope(
    *, organisation_id: int, path: str, unit_ids: list[int] | None = None
) -> QuerySet[CycleProgress]:
    """Progress rows of the units at ``path`` and below in one organisation."""
    return CycleProgress.objects.filter(
        in_subtree(organisation_id, path, unit_ids), organisation_id=organisation_id
    )


def figures_rolled_up(units, own: dict[int, Figures], tree: dict) -> dict[int, Figures]:
    """The figures of each of ``units`` including everything below it: ``own`` holds the
    figures per unit, ``tree`` every unit by id (with ``path``)."""
    totals = {unit.pk: Figures() for unit in units}
    for unit_id, figures in own.items():
        unit = tree.get(unit_id)
        if unit is None:
            continue
        for ancestor_id in (*unit.ancestor_ids, unit.pk):
            if ancestor_id in totals:
                totals[ancestor_id].add(figures)
    return totals


def overdue_rows(rows: QuerySet[CycleProgress], year: int) -> QuerySet[CycleProgress]:
    """The cycles with an overdue conversation, longest overdue first."""
    return (
        rows.filter(year=year, overdue__gt=0)
        .select_related("cycle__employee__unit", "cycle__employee__manager")
        .order_by("next_due_on", "cycle_id")
    )
