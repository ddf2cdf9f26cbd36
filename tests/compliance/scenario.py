"""An organisation on a fixed day for the dashboard tests, built through the services,
and a count of its figures made independently of ``compliance.services``.

Kampen (``presets/kampen.yaml``) is in force: calendar-year periods; for the 2026 cycle the
planning conversation is due 1 December 2025 .. 1 February 2026, the progress
conversation 2 June .. 2 August 2026 and the assessment 30 November 2026 .. 31 January
2027; the manager plans and conducts, the employee writes the report, both sign, and a
signed report goes into the personnel file. In Team Vergunningen a variant is in force
that keeps reports out of the personnel file, so "signed" and "archived" differ there.

On ``TODAY`` (10 August 2026) the windows of the planning and the progress conversation
have both closed and the assessment's has not opened yet. The tree (the cast's units plus
Team Noord), who is where, and how far they are (P = planning, V = progress conversation)::

    GEM Gemeente Teststad
      Anna Aalders (head)       nothing                          overdue since 1 Feb
    ├── SOC Sector Sociaal
    │     Daan Dekker (head)    P archived, V nothing            overdue since 2 Aug
    │   └── INK Team Inkomen
    │         Mila Mulder (head) P held, V archived              held
    │         Emma Evers        P and V archived                 archived
    │         Cas Claassen      P archived, V report finished    reported
    │       └── NRD Team Noord
    │             Tim Tromp (head) P cancelled, V nothing        overdue since 1 Feb
    │             Puck Prins    P archived, V planned (20 Aug)   planned; overdue since 2 Aug
    │             Hugo Hendriks P archived, V held               held
    ├── FYS Sector Fysiek
    │     Olga Oosterhuis (head) nothing                         overdue since 1 Feb
    │   └── VER Team Vergunningen (reports stay out of the personnel file)
    │         Sven Smit (head)  P and V signed                   signed
    │         Noor Nijhuis      P signed, V planned (20 Aug)     planned; overdue since 2 Aug
    │         Vera Visser       left in 2025                     no 2026 cycle
    └── PO Team P&O
          Rik Rutten            P planned (20 Jan), never held   overdue since 1 Feb
          Lars Lammers          nothing                          overdue since 1 Feb
          Jade Jansen           joined on 5 August 2026          nothing due yet
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field, fields

from gesprekscyclus.conversations.models import HELD_STATUSES, Conversation, Status
from gesprekscyclus.conversations.services import (
    conversation_cancel,
    conversation_mark_held,
    conversation_plan,
    report_approve,
    report_finish,
    report_save,
)
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import cycle_schedule, cycles_open
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.organisations.models import Employee, OrgUnit
from gesprekscyclus.organisations.services import employees_refresh_managers
from gesprekscyclus.regulations.services import Scope, read_regulation_source, regulation_load
from gesprekscyclus.signatures.services import signature_sign, version_for_signing
from tests.factories import EmployeeFactory, OrgUnitFactory
from tests.signatures.flow import KAMPEN_IN_FORCE, PASSWORD, kampen_answers, load_kampen

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
YEAR = 2026
CYCLES_OPENED_ON = datetime.date(2025, 11, 20)
TODAY = datetime.date(2026, 8, 10)
PLANNING_DUE_BY = datetime.date(2026, 2, 1)
PROGRESS_DUE_BY = datetime.date(2026, 8, 2)

PLANNING = ("planning", datetime.date(2025, 12, 5), datetime.date(2026, 1, 12))  # kind, planned on, day
PROGRESS = ("progress", datetime.date(2026, 6, 2), datetime.date(2026, 6, 15))
PROGRESS_LATE = ("progress", datetime.date(2026, 6, 2), datetime.date(2026, 8, 20))  # after TODAY

STAGES = ("planned", "held", "reported", "signed", "archived")
REPORT_FINISHED = (Status.REPORT_WRITTEN, Status.READY_FOR_SIGNING, Status.COMPLETED)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=AMSTERDAM)


# -- driving conversations through the services ----------------------------------------------


def cycle_of(employee: Employee, year: int = YEAR) -> Cycle:
    return Cycle.objects.select_related("employee", "regulation_version").get(employee=employee, year=year)


def plan(employee: Employee, step: tuple) -> Conversation:
    """The employee's manager plans the conversation (Kampen: the manager's initiative)."""
    kind, planned_on, day = step
    employee = Employee.objects.select_related("manager__user").get(pk=employee.pk)
    return conversation_plan(
        cycle=cycle_of(employee),
        kind=kind,
        starts_at=at(day),
        location="Stadhuis, kamer 1.08",
        acting_user=employee.manager.user,
        today=planned_on,
    )


def held(employee: Employee, step: tuple) -> Conversation:
    conversation = plan(employee, step)
    day = step[2]
    return conversation_mark_held(
        conversation, held_on=day, acting_user=conversation.conductor.user, today=day
    )


def report_finished(employee: Employee, step: tuple) -> Conversation:
    """Held, and the employee wrote and finished the report."""
    conversation = held(employee, step)
    conversation.refresh_from_db()
    report_save(
        conversation,
        text="",
        answers=kampen_answers(conversation.kind),
        expected_version=conversation.report.version,
        acting_user=employee.user,
    )
    report_finish(conversation, acting_user=employee.user)
    conversation.refresh_from_db()
    assert conversation.status == Status.REPORT_WRITTEN
    return conversation


def signed(employee: Employee, step: tuple) -> Conversation:
    """Held, reported, approved by the manager and signed by both: completed (and archived
    when the regulation says so)."""
    conversation = report_finished(employee, step)
    report_approve(conversation, acting_user=conversation.conductor.user)
    version = version_for_signing(conversation)
    for user in (employee.user, conversation.conductor.user):
        signature_sign(version, user=user, password=PASSWORD, expected_hash=version.content_hash)
    conversation.refresh_from_db()
    assert conversation.status == Status.COMPLETED
    return conversation


def kampen_without_personnel_file(organisation, unit: OrgUnit):
    """Kampen for ``unit`` only, but reports stay out of the personnel file."""
    filename, text = read_regulation_source("kampen")
    archived = "  - document: report\n    personnel_file: true\n"
    assert archived in text
    text = text.replace(archived, "  - document: report\n    personnel_file: false\n")
    return regulation_load(
        organisation=organisation,
        filename=filename,
        text=text,
        in_force_from=KAMPEN_IN_FORCE,
        scope=Scope(unit=unit),
    ).version


# -- the organisation --------------------------------------------------------------------------


def rename(employee: Employee, first: str, last: str) -> Employee:
    Employee.objects.filter(pk=employee.pk).update(first_name=first, last_name=last)
    employee.first_name, employee.last_name = first, last
    return employee


@dataclass
class World:
    cast: object
    north: OrgUnit  # NRD, the team below Team Inkomen
    people: dict[str, Employee]
    joiner: Employee
    leaver: Employee


def base_world(cast, *, today: datetime.date = CYCLES_OPENED_ON) -> World:
    """The cast under Kampen (Team Vergunningen: without the personnel file), one team
    below Team Inkomen with a head and two members, a joiner and a leaver, deterministic
    names, and the 2026 cycles open. No conversation yet."""
    load_kampen(cast.organisation)
    kampen_without_personnel_file(cast.organisation, cast.other_team)
    north = OrgUnitFactory(organisation=cast.organisation, code="NRD", name="Team Noord", parent=cast.team)
    teamlead = EmployeeFactory(unit=north)
    OrgUnit.objects.filter(pk=north.pk).update(head=teamlead)
    north.refresh_from_db()
    planner = EmployeeFactory(unit=north)
    holder = EmployeeFactory(unit=north)
    joiner = EmployeeFactory(unit=cast.hr_admin.unit, employment_start=datetime.date(2026, 8, 5))
    leaver = EmployeeFactory(unit=cast.other_team, leaver=True)
    employees_refresh_managers(organisation=cast.organisation)
    names = {
        "secretary": ("Anna", "Aalders"),
        "director": ("Daan", "Dekker"),
        "manager": ("Mila", "Mulder"),
        "employee": ("Emma", "Evers"),
        "colleague": ("Cas", "Claassen"),
        "other_director": ("Olga", "Oosterhuis"),
        "other_manager": ("Sven", "Smit"),
        "other_employee": ("Noor", "Nijhuis"),
        "hr_adviser": ("Rik", "Rutten"),
        "hr_admin": ("Lars", "Lammers"),
    }
    people = {role: rename(getattr(cast, role), *name) for role, name in names.items()}
    people["teamlead"] = rename(teamlead, "Tim", "Tromp")
    people["planner"] = rename(planner, "Puck", "Prins")
    people["holder"] = rename(holder, "Hugo", "Hendriks")
    rename(joiner, "Jade", "Jansen")
    rename(leaver, "Vera", "Visser")
    cycles_open(organisation=cast.organisation, year=YEAR, today=today)
    people = {
        role: Employee.objects.select_related("unit", "user", "manager__user").get(pk=person.pk)
        for role, person in people.items()
    }
    return World(cast=cast, north=north, people=people, joiner=joiner, leaver=leaver)


def full_world(cast) -> World:
    """``base_world`` with every conversation of the module docstring, through the services.
    Signing seals a PDF with this process's certificate, so the clock must not be moved
    before this runs."""
    world = base_world(cast)
    p = world.people
    # SOC and below
    signed(p["director"], PLANNING)
    held(p["manager"], PLANNING)
    signed(p["manager"], PROGRESS)
    signed(p["employee"], PLANNING)
    signed(p["employee"], PROGRESS)
    signed(p["colleague"], PLANNING)
    report_finished(p["colleague"], PROGRESS)
    cancelled = plan(p["teamlead"], PLANNING)
    conversation_cancel(cancelled, reason="Ziek", acting_user=cancelled.conductor.user)
    signed(p["planner"], PLANNING)
    plan(p["planner"], PROGRESS_LATE)
    signed(p["holder"], PLANNING)
    held(p["holder"], PROGRESS)
    # FYS and below (reports stay out of the personnel file)
    signed(p["other_manager"], PLANNING)
    signed(p["other_manager"], PROGRESS)
    signed(p["other_employee"], PLANNING)
    plan(p["other_employee"], PROGRESS_LATE)
    # PO
    plan(p["hr_adviser"], ("planning", datetime.date(2025, 12, 5), datetime.date(2026, 1, 20)))
    return world


# -- counting independently ------------------------------------------------------------------


@dataclass
class Count:
    employees: int = 0
    with_due: int = 0
    planned: int = 0
    held: int = 0
    reported: int = 0
    signed: int = 0
    archived: int = 0
    overdue: int = 0
    overdue_names: list[str] = field(default_factory=list)

    def numbers(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "overdue_names"}


def _stages_reached(conversation: Conversation) -> set[str]:
    reached = {"planned"}
    if conversation.status in HELD_STATUSES:
        reached.add("held")
    if conversation.status in REPORT_FINISHED:
        reached.add("reported")
    if conversation.status == Status.COMPLETED:
        reached.add("signed")
    if DossierEntry.objects.filter(conversation=conversation).exists():
        reached.add("archived")
    return reached


def count_directly(units: list[OrgUnit], today: datetime.date, year: int = YEAR) -> Count:
    """Employees of ``units`` with a cycle in ``year``, counted straight from the engine's
    due items, the conversations and the personnel file (one employee at a time, no
    cleverness): an employee reached a stage when every conversation whose window has
    opened has a (not cancelled) conversation of its kind in the cycle that reached it."""
    count = Count()
    cycles = Cycle.objects.filter(employee__unit__in=units, year=year).select_related(
        "employee", "regulation_version"
    )
    for cycle in cycles:
        count.employees += 1
        items = [item for item in cycle_schedule(cycle, today) if item.status != "waived"]
        opened = [item for item in items if item.status in ("due", "overdue", "done")]
        if not opened:
            continue
        count.with_due += 1
        reached_by_item = []
        for item in opened:
            reached = set()
            for conversation in Conversation.objects.filter(cycle=cycle, kind=item.kind).exclude(
                status=Status.CANCELLED
            ):
                reached |= _stages_reached(conversation)
            reached_by_item.append(reached)
        for stage in STAGES:
            if all(stage in reached for reached in reached_by_item):
                setattr(count, stage, getattr(count, stage) + 1)
        if any(item.status == "overdue" for item in opened):
            count.overdue += 1
            count.overdue_names.append(cycle.employee.full_name)
    return count


def subtree(unit: OrgUnit) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(organisation_id=unit.organisation_id, path__startswith=unit.path))


def overdue_by_engine(units: list[OrgUnit], today: datetime.date = TODAY, year: int = YEAR) -> list[tuple]:
    """(earliest deadline missed, name, conversations overdue) of everyone in ``units``
    with an overdue conversation, straight from the engine, longest overdue first (then
    by last name)."""
    found = []
    cycles = Cycle.objects.filter(employee__unit__in=units, year=year).select_related(
        "employee", "regulation_version"
    )
    for cycle in cycles:
        missed = [item.due_by for item in cycle_schedule(cycle, today) if item.status == "overdue"]
        if missed:
            found.append((min(missed), cycle.employee.last_name, cycle.employee.full_name, len(missed)))
    return [(due, name, overdue) for due, _, name, overdue in sorted(found)]
