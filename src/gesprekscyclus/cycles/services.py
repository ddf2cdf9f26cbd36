"""Opening and closing cycles, and asking the engine what is due in one.

``cycles_open`` works in bulk: a fixed number of queries to read the organisation and
one ``COPY`` (PostgreSQL) or multi-row ``INSERT`` per batch of new cycles, so 200,000
employees take seconds, and a re-run writes nothing (``bench/commands.py`` measures it; docs/performance.md).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from gesprekscyclus.audit.services import audit_record
from gesprekscyclus.organisations.models import Employee, Organisation
from gesprekscyclus.regulations.engine import (
    DueItem,
    EmployeeFacts,
    HeldConversation,
    Period,
    compute_schedule,
    period_for,
    schedule_memo_key,
)
from gesprekscyclus.regulations.models import RegulationVersion
from gesprekscyclus.regulations.regulation import Regulation
from gesprekscyclus.regulations.services import RegulationResolver

from .models import CloseReason, Cycle, CycleStatus

Progress = Callable[[str, int, int], None]
BATCH_SIZE = 5000


class NoRegulation(Exception):
    """The organisation has no active regulation version, so no cycle can open."""


def employee_facts(
    employee, *, agreed_frequency_per_year: int | None = None, requested_kinds: Iterable[str] = ()
) -> EmployeeFacts:
    """The engine's view of an employee (a model instance or a ``values()`` dict)."""
    get = employee.get if isinstance(employee, dict) else lambda name: getattr(employee, name)
    return EmployeeFacts(
        employment_start=get("employment_start"),
        employment_end=get("employment_end"),
        appointment=get("appointment"),
        probation_end=get("probation_end"),
        agreed_frequency_per_year=agreed_frequency_per_year,
        requested_kinds=frozenset(requested_kinds),
    )


def _overlaps(period: Period, facts: EmployeeFacts) -> bool:
    return facts.employment_start <= period.end and (
        facts.employment_end is None or facts.employment_end >= period.start
    )


@dataclass
class OpenResult:
    year: int
    created: int = 0
    existing: int = 0
    closed: int = 0
    not_employed: int = 0
    without_regulation: list[str] = field(default_factory=list)


@transaction.atomic
def cycles_open(
    *,
    organisation: Organisation,
    year: int,
    today: datetime.date | None = None,
    progress: Progress | None = None,
    acting_user=None,
) -> OpenResult:
    """Open ``year``'s cycle for every employee whose employment overlaps their period,
    and close the open cycles of employees who have left (employment end before today).

    Idempotent: an employee who already has a cycle for ``year`` keeps it, whatever their
    unit or manager is now. Joiners are picked up by the next run; their windows start
    at their employment start. The regulation version is the one in force for the
    employee at the later of 1 January of ``year`` and their employment start.
    """
    report = progress or (lambda stage, done, total: None)
    today = today or timezone.localdate()
    # One run per organisation at a time: a second run waits here, then finds everything open.
    Organisation.objects.select_for_update(of=("self",)).filter(pk=organisation.pk).first()
    resolver = RegulationResolver(organisation.pk)
    if not resolver.has_any:
        raise NoRegulation(organisation.name)
    result = OpenResult(year=year)

    result.closed = _close_leavers(organisation, today)

    first_day = datetime.date(year, 1, 1)
    existing = set(
        Cycle.objects.filter(organisation=organisation, year=year).values_list("employee_id", flat=True)
    )
    # A previous period that runs into this one (a probation year that started mid-year)
    # is finished first: the new period starts the day after it ends.
    previous_end = dict(
        Cycle.objects.filter(organisation=organisation, year=year - 1).values_list(
            "employee_id", "period_end"
        )
    )
    # Periods start in ``year`` and last at most a few years; this bound only narrows the
    # query, the exact overlap is checked per employee below.
    candidates = Employee.objects.filter(
        organisation=organisation, employment_start__lt=datetime.date(year + 5, 1, 1)
    )
    candidates = candidates.filter(Q(employment_end__isnull=True) | Q(employment_end__gte=first_day))
    total = candidates.count()
    rows = candidates.order_by("pk").values_list(
        "pk",
        "personnel_number",
        "unit__path",
        "job_id",
        "employment_start",
        "employment_end",
        "appointment",
        "probation_end",
    )
    regulations: dict[int, Regulation] = {}
    periods: dict[tuple, Period] = {}
    opened_at = timezone.now()
    pending: list[tuple] = []
    report("open cycles", 0, total)
    for done, row in enumerate(rows.iterator(chunk_size=BATCH_SIZE), 1):
        pk, number, path, job_id, start, end, appointment, probation_end = row
        if done % BATCH_SIZE == 0:
            report("open cycles", done, total)
        if pk in existing:
            result.existing += 1
            continue
        version = resolver.version_for(unit_path=path, job_id=job_id, day=max(first_day, start))
        if version is None:
            result.without_regulation.append(number)
            continue
        if version.pk not in regulations:
            regulations[version.pk] = version.regulation()
        facts = EmployeeFacts(
            employment_start=start, employment_end=end, appointment=appointment, probation_end=probation_end
        )
        # The period depends only on these two facts; most employees share one.
        key = (version.pk, start, appointment)
        period = periods.get(key)
        if period is None:
            period = periods[key] = period_for(regulations[version.pk], facts, year)
        earlier = previous_end.get(pk)
        if earlier is not None and earlier >= period.start:
            if earlier >= period.end:
                result.existing += 1  # the previous cycle still covers this whole period
                continue
            period = Period(earlier + datetime.timedelta(days=1), period.end)
        if not _overlaps(period, facts):
            result.not_employed += 1
            continue
        pending.append((organisation.pk, pk, year, period.start, period.end, version.pk, opened_at))
        if len(pending) >= BATCH_SIZE:
            result.created += _insert(pending)
    result.created += _insert(pending)
    report("open cycles", total, total)
    if result.created or result.closed:
        audit_record(
            action="cycles.opened",
            actor=acting_user,
            organisation=organisation,
            details={"year": year, "created": result.created, "closed": result.closed},
        )
    return result


_INSERT_COLUMNS = (
    "organisation_id",
    "employee_id",
    "year",
    "period_start",
    "period_end",
    "regulation_version_id",
    "opened_at",
    "status",
    "close_reason",
    "requested_kinds",
)


def _insert(pending: list[tuple]) -> int:
    """Insert new cycles, bypassing model instances: with PostgreSQL's COPY, elsewhere with
    ``executemany``. The caller holds the organisation's lock, so no row exists yet."""
    if not pending:
        return 0
    rows = [(*row, CycleStatus.OPEN.value, "", "[]") for row in pending]
    table = connection.ops.quote_name(Cycle._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in _INSERT_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            operations = connection.ops
            rows = [
                (
                    organisation_id,
                    employee_id,
                    year,
                    operations.adapt_datefield_value(period_start),
                    operations.adapt_datefield_value(period_end),
                    version_id,
                    operations.adapt_datetimefield_value(opened_at),
                    status,
                    close_reason,
                    requested,
                )
                for (
                    organisation_id,
                    employee_id,
                    year,
                    period_start,
                    period_end,
                    version_id,
                    opened_at,
                    status,
                    close_reason,
                    requested,
                ) in rows
            ]
            placeholders = ", ".join(["%s"] * len(_INSERT_COLUMNS))
            # Table and column names come from the model, never from input.
            statement = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            cursor.executemany(statement, rows)
    pending.clear()
    return len(rows)


def _close_leavers(organisation: Organisation, today: datetime.date) -> int:
    return Cycle.objects.filter(
        organisation=organisation,
        status=CycleStatus.OPEN,
        employee__employment_end__lt=today,
    ).update(status=CycleStatus.CLOSED, close_reason=CloseReason.EMPLOYMENT_ENDED, closed_at=timezone.now())


# -- what is due -------------------------------------------------------------------------


def held_conversations(cycle: Cycle) -> list[HeldConversation]:
    """The conversations of this cycle that settle due items (see
    ``conversations.services.held_for_cycles``, which does this for many cycles at once)."""
    from gesprekscyclus.conversations.services import held_for_cycles

    return held_for_cycles([cycle])[cycle.pk]


def with_regulation_versions(cycles: Iterable[Cycle]) -> list[Cycle]:
    """Give each cycle its regulation version from one query and one shared instance per
    version, instead of ``select_related`` copying the whole regulation text into every
    row (a bulk read of thousands of cycles would otherwise move megabytes)."""
    cycles = list(cycles)
    versions = RegulationVersion.objects.in_bulk({cycle.regulation_version_id for cycle in cycles})
    for cycle in cycles:
        cycle.regulation_version = versions[cycle.regulation_version_id]
    return cycles


def cycle_schedule(
    cycle: Cycle,
    as_of: datetime.date,
    held: list[HeldConversation] | None = None,
    *,
    memo: dict | None = None,
) -> list[DueItem]:
    """What is due in ``cycle`` on ``as_of``, under the version the cycle started with.

    The engine is a pure function of the regulation, the employee's facts, the period,
    the conversations held and the day, so a bulk caller passes a ``memo`` dict: the many
    employees with the same facts and the same history share one computation (the items
    returned are then shared too; callers only read them)."""
    facts = employee_facts(
        cycle.employee,
        agreed_frequency_per_year=cycle.agreed_frequency_per_year,
        requested_kinds=cycle.requested_kinds,
    )
    period = Period(cycle.period_start, cycle.period_end)
    if held is None:
        held = held_conversations(cycle)
    if memo is None:
        return compute_schedule(cycle.regulation_version.regulation(), facts, period, held, as_of)
    regulation = cycle.regulation_version.regulation()
    key = (cycle.regulation_version_id, *schedule_memo_key(regulation, facts, period, held, as_of))
    items = memo.get(key)
    if items is None:
        items = memo[key] = compute_schedule(regulation, facts, period, held, as_of)
    return items


def current_cycles(employee_ids: Iterable[int], day: datetime.date) -> dict[int, Cycle]:
    """Each employee's cycle whose period contains ``day`` (else their latest one),
    with employee and regulation version loaded: two queries for any number of employees."""
    cycles = (
        Cycle.objects.filter(employee_id__in=list(employee_ids))
        .select_related("employee")
        .order_by("employee_id", "-year")
    )
    chosen: dict[int, Cycle] = {}
    for cycle in cycles:
        current = chosen.get(cycle.employee_id)
        contains_day = cycle.period_start <= day <= cycle.period_end
        if current is None or (contains_day and not current.period_start <= day <= current.period_end):
            chosen[cycle.employee_id] = cycle
    with_regulation_versions(chosen.values())
    return chosen


def preview_schedule(
    version: RegulationVersion, employee: Employee, year: int, as_of: datetime.date
) -> tuple[Period, list[DueItem]]:
    """The schedule ``employee`` would get in ``year`` under ``version`` (no cycle needed)."""
    regulation = version.regulation()
    facts = employee_facts(employee)
    period = period_for(regulation, facts, year)
    return period, compute_schedule(regulation, facts, period, [], as_of)


def period_containing(regulation, facts: EmployeeFacts, day: datetime.date) -> tuple[int, Period]:
    """The employee's period (and the year it is named after) that contains ``day``."""
    for year in (day.year, day.year - 1):
        period = period_for(regulation, facts, year)
        if period.contains(day):
            return year, period
    return day.year, period_for(regulation, facts, day.year)


@dataclass(frozen=True)
class EmployeeSchedule:
    """An employee's schedule on a day: from their cycle, or (before it was opened) from
    the version that would apply, marked ``cycle=None``."""

    employee: Employee
    version: RegulationVersion
    year: int
    period: Period
    items: list[DueItem]
    cycle: Cycle | None


def employee_schedule(employee: Employee, as_of: datetime.date) -> EmployeeSchedule | None:
    """What is due for ``employee`` on ``as_of``; ``None`` when no regulation applies."""
    cycle = current_cycles([employee.pk], as_of).get(employee.pk)
    # No cycle contains the day but the next one is open (opened ahead of its period, as when
    # the planning window opens a month before the period): that cycle is the one to act in.
    if cycle is not None and (cycle.period_start <= as_of <= cycle.period_end or as_of < cycle.period_start):
        return EmployeeSchedule(
            employee=employee,
            version=cycle.regulation_version,
            year=cycle.year,
            period=Period(cycle.period_start, cycle.period_end),
            items=cycle_schedule(cycle, as_of),
            cycle=cycle,
        )
    resolver = RegulationResolver(employee.organisation_id)
    version = resolver.version_for(unit_path=employee.unit.path, job_id=employee.job_id, day=as_of)
    if version is None:
        return None
    regulation = version.regulation()
    facts = employee_facts(employee)
    year, period = period_containing(regulation, facts, as_of)
    items = compute_schedule(regulation, facts, period, [], as_of)
    return EmployeeSchedule(employee, version, year, period, items, cycle=None)


@transaction.atomic
def conversation_request(*, cycle: Cycle, kind: str, reason: str, acting_user) -> Cycle:
    """Ask for an on-request conversation (an assessment on request, or to support a
    decision on legal position) in this cycle; the schedule lists it from then on."""
    from django.utils.translation import gettext as _

    from gesprekscyclus.access.actor import actor_for
    from gesprekscyclus.conversations.services import Refused

    cycle = (
        Cycle.objects.select_for_update(of=("self",))
        .select_related("employee", "regulation_version")
        .get(pk=cycle.pk)
    )
    regulation = cycle.regulation_version.regulation()
    if kind not in regulation.kind_ids or not regulation.kind(kind).conditions.on_request:
        raise Refused(_("This conversation is not held on request under this regulation."))
    actor = actor_for(acting_user)
    if actor.employee_id not in (cycle.employee_id, cycle.employee.manager_id):
        raise Refused(_("Only the employee and their manager can ask for this conversation."))
    if not reason.strip():
        raise Refused(_("Say why you ask for it."))
    if kind not in cycle.requested_kinds:
        cycle.requested_kinds = [*cycle.requested_kinds, kind]
        cycle.save(update_fields=["requested_kinds"])
        audit_record(
            action="conversation.requested",
            actor=acting_user,
            organisation=cycle.organisation,
            obj=cycle,
            details={"kind": kind, "reason": reason.strip()},
        )
    return cycle
