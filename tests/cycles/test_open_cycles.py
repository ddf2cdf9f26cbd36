"""``cycles_open`` and ``manage.py open_cycles``: one cycle per employee and period,
idempotent, joiners picked up, leavers closed, a constant number of queries."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gesprekscyclus.audit.models import AuditEvent
from gesprekscyclus.cycles.models import CloseReason, Cycle, CycleStatus
from gesprekscyclus.cycles.services import NoRegulation, current_cycles, cycle_schedule, cycles_open
from gesprekscyclus.organisations.models import Employee, OrgUnit
from gesprekscyclus.organisations.services import employees_refresh_managers
from gesprekscyclus.regulations.services import Scope
from tests.cycles.helpers import OPENED_ON, ORGANISATION, PERIOD, load, open_cycles, run
from tests.factories import EmployeeFactory, JobFactory, OrganisationFactory, OrgUnitFactory


def cycles_of(organisation) -> dict[int, Cycle]:
    return {cycle.employee_id: cycle for cycle in Cycle.objects.filter(organisation=organisation)}


def staff_pks(organisation) -> set[int]:
    return set(Employee.objects.filter(organisation=organisation).values_list("pk", flat=True))


def test_opens_one_cycle_per_employee_under_the_regulation_in_force(cast, heemstede):
    stdout, _ = open_cycles()

    cycles = cycles_of(cast.organisation)
    assert set(cycles) == staff_pks(cast.organisation)
    assert len(cycles) == 10
    for cycle in cycles.values():
        assert cycle.year == PERIOD
        # Heemstede: 12-month periods from January unless the unit sets another month.
        assert (cycle.period_start, cycle.period_end) == (
            datetime.date(2026, 1, 1),
            datetime.date(2026, 12, 31),
        )
        assert cycle.regulation_version == heemstede
        assert cycle.status == CycleStatus.OPEN
        assert cycle.close_reason == ""
        assert cycle.opened_at is not None
        assert cycle.closed_at is None
    assert "Gemeente Teststad 2026: 10 opened, 0 already open, 0 closed" in stdout
    # The other organisation in the database is not touched.
    assert not Cycle.objects.filter(employee=cast.foreign_employee).exists()


def test_running_again_opens_nothing_new(cast, heemstede):
    open_cycles()
    before = {pk: cycle.pk for pk, cycle in cycles_of(cast.organisation).items()}

    stdout, _ = open_cycles(today=datetime.date(2026, 2, 1))

    assert "Gemeente Teststad 2026: 0 opened, 10 already open" in stdout
    assert {pk: cycle.pk for pk, cycle in cycles_of(cast.organisation).items()} == before
    assert Cycle.objects.count() == 10
    # Only the run that changed something is in the audit log.
    assert AuditEvent.objects.filter(action="cycles.opened").count() == 1


def test_progress_goes_to_stderr_and_can_be_switched_off(cast, heemstede):
    stdout, stderr = open_cycles()
    assert "open cycles: 10/10 (100%)" in stderr
    assert "open cycles" not in stdout

    stdout, stderr = open_cycles("--no-progress", period=2027, today=datetime.date(2027, 1, 5))
    assert "open cycles" not in stderr
    assert "Gemeente Teststad 2027: 10 opened" in stdout


def test_someone_who_moves_to_another_unit_and_manager_keeps_their_cycle(cast, heemstede):
    open_cycles()
    cycle = Cycle.objects.get(employee=cast.employee)
    # The new unit even has a regulation of its own by now.
    load(
        cast.organisation,
        "kampen",
        in_force_from=datetime.date(2013, 10, 1),
        scope=Scope(unit=cast.other_team),
    )
    Employee.objects.filter(pk=cast.employee.pk).update(unit=cast.other_team)
    employees_refresh_managers(organisation=cast.organisation)
    assert Employee.objects.get(pk=cast.employee.pk).manager == cast.other_manager

    stdout, _ = open_cycles(today=datetime.date(2026, 3, 1))

    assert "0 opened, 10 already open" in stdout
    moved = Cycle.objects.get(employee=cast.employee)
    assert moved.pk == cycle.pk
    assert (moved.period_start, moved.period_end) == (cycle.period_start, cycle.period_end)
    assert moved.regulation_version == heemstede
    assert moved.status == CycleStatus.OPEN


def test_a_joiner_gets_a_cycle_on_the_next_run_with_windows_from_their_first_day(cast, heemstede):
    open_cycles()
    first_day = datetime.date(2026, 6, 15)
    joiner = EmployeeFactory(unit=cast.team, employment_start=first_day)
    employees_refresh_managers(organisation=cast.organisation)

    stdout, _ = open_cycles(today=datetime.date(2026, 6, 20))

    assert "1 opened, 10 already open" in stdout
    cycle = Cycle.objects.get(employee=joiner)
    assert cycle.regulation_version == heemstede
    items = cycle_schedule(cycle, datetime.date(2026, 6, 20))
    assert items
    assert all(item.due_from >= first_day for item in items)
    # The planning window (December to February) closed before they came; the progress
    # window (2 June to 2 August, around the midpoint) is cut to start on their first day.
    assert [item.kind for item in items] == ["progress", "evaluation"]
    progress = items[0]
    assert (progress.due_from, progress.due_by) == (first_day, datetime.date(2026, 8, 2))
    assert "Window starts at the employment start." in progress.reason[-1].msgid


def test_a_joiner_gets_the_version_in_force_on_their_first_day(cast, heemstede):
    """The version is the one in force at the later of 1 January and the employment start."""
    kampen = load(cast.organisation, "kampen", in_force_from=datetime.date(2026, 4, 1))
    joiner = EmployeeFactory(unit=cast.team, employment_start=datetime.date(2026, 5, 1))

    open_cycles()

    assert Cycle.objects.get(employee=joiner).regulation_version == kampen
    assert Cycle.objects.get(employee=cast.employee).regulation_version == heemstede


def test_a_leavers_open_cycle_is_closed_once_their_employment_has_ended(cast, heemstede):
    open_cycles()
    Employee.objects.filter(pk=cast.employee.pk).update(employment_end=datetime.date(2026, 5, 31))

    stdout, _ = open_cycles(today=datetime.date(2026, 5, 31))  # their last day: still open
    assert "0 closed" in stdout
    assert Cycle.objects.get(employee=cast.employee).status == CycleStatus.OPEN

    stdout, _ = open_cycles(today=datetime.date(2026, 6, 1))

    assert "0 opened, 10 already open, 1 closed (employment ended)" in stdout
    cycle = Cycle.objects.get(employee=cast.employee)
    assert cycle.status == CycleStatus.CLOSED
    assert cycle.close_reason == CloseReason.EMPLOYMENT_ENDED
    assert cycle.closed_at is not None
    others = Cycle.objects.filter(organisation=cast.organisation).exclude(employee=cast.employee)
    assert set(others.values_list("status", flat=True)) == {CycleStatus.OPEN}
    # A later run neither reopens nor duplicates it.
    open_cycles(today=datetime.date(2026, 7, 1))
    assert Cycle.objects.filter(employee=cast.employee).count() == 1
    assert Cycle.objects.get(employee=cast.employee).status == CycleStatus.CLOSED


def test_nobody_gets_a_cycle_for_a_period_they_do_not_work_in(cast, heemstede):
    left = EmployeeFactory(unit=cast.team, leaver=True)  # left on 30 June 2025
    later = EmployeeFactory(unit=cast.team, employment_start=datetime.date(2027, 3, 1))

    stdout, _ = open_cycles()

    assert not Cycle.objects.filter(employee__in=[left, later]).exists()
    assert Cycle.objects.filter(organisation=cast.organisation).count() == 10
    assert "10 opened" in stdout
    assert "1 not employed in the period" in stdout


def test_people_outside_every_scope_get_no_cycle_and_are_listed(cast):
    """Only sector Sociaal (with team Inkomen below it) has a regulation."""
    social = load(cast.organisation, "kampen", scope=Scope(unit=cast.sector))

    stdout, stderr = open_cycles()

    inside = {cast.director.pk, cast.manager.pk, cast.employee.pk, cast.colleague.pk}
    cycles = cycles_of(cast.organisation)
    assert set(cycles) == inside
    assert {cycle.regulation_version for cycle in cycles.values()} == {social}
    assert "4 opened" in stdout
    outside = [cast.secretary, cast.other_director, cast.other_manager, cast.other_employee, cast.hr_adviser]
    outside.append(cast.hr_admin)
    assert "Gemeente Teststad: 6 employee(s) have no regulation in force for their unit or job: " in stderr
    listed = stderr.split("for their unit or job: ")[1].split(".")[0].split(", ")
    assert sorted(listed) == sorted(person.personnel_number for person in outside)


def test_a_job_group_regulation_alone_opens_cycles_for_those_jobs_only(cast):
    job = JobFactory(organisation=cast.organisation, title="Handhaver")
    Employee.objects.filter(pk__in=[cast.employee.pk, cast.other_employee.pk]).update(job=job)
    load(cast.organisation, "wierden", scope=Scope(job_group="Handhaving", jobs=(job,)))

    stdout, stderr = open_cycles()

    assert set(cycles_of(cast.organisation)) == {cast.employee.pk, cast.other_employee.pk}
    assert "8 employee(s) have no regulation in force" in stderr


def test_without_a_regulation_the_command_fails_and_points_to_load_regulation(cast):
    stdout, stderr = StringIO(), StringIO()
    with pytest.raises(CommandError, match="No cycles opened for: Gemeente Teststad") as error:
        call_command(
            "open_cycles",
            "--organisation",
            ORGANISATION,
            "--period",
            "2026",
            "--today",
            "2026-01-05",
            stdout=stdout,
            stderr=stderr,
        )

    # What the user sees: the hint (on stderr), then the command's error.
    shown = stderr.getvalue() + str(error.value)
    assert "no regulation is in force" in shown
    assert "load_regulation --organisation 'Gemeente Teststad'" in shown
    assert not Cycle.objects.exists()
    with pytest.raises(NoRegulation):
        cycles_open(organisation=cast.organisation, year=PERIOD, today=OPENED_ON)


def test_without_an_organisation_argument_every_organisation_is_tried(cast, heemstede):
    """Gemeente Elders has no regulation: its failure is reported, Teststad still opens."""
    with pytest.raises(CommandError, match="No cycles opened for: Gemeente Elders"):
        run("open_cycles", "--period", "2026", "--today", "2026-01-05")

    assert set(cycles_of(cast.organisation)) == staff_pks(cast.organisation)
    assert not Cycle.objects.filter(employee=cast.foreign_employee).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--organisation", "Gemeente Nergens", "--period", "2026"],
            "No organisation named 'Gemeente Nergens'",
        ),
        (["--organisation", "Gemeente Teststad", "--period", "26"], "--period 26: expected a year"),
        (
            ["--organisation", "Gemeente Teststad", "--period", "2026", "--today", "5-1-2026"],
            "--today '5-1-2026': expected YYYY-MM-DD",
        ),
    ],
)
def test_bad_arguments_are_refused_and_open_nothing(cast, heemstede, args, message):
    with pytest.raises(CommandError, match=message):
        run("open_cycles", *args)
    assert not Cycle.objects.exists()


# -- queries -------------------------------------------------------------------------


def organisation_of(size: int):
    """An organisation with ``size`` people spread over a small tree, some on probation,
    some with a job in a job group with its own regulation, some who left, one joiner
    after the period, and a unit with a regulation of its own."""
    organisation = OrganisationFactory()
    root = OrgUnitFactory(organisation=organisation)
    units = [OrgUnitFactory(organisation=organisation, parent=root) for _ in range(2)]
    job = JobFactory(organisation=organisation)
    for index in range(size):
        unit = units[index % 2]
        if index % 5 == 1:
            EmployeeFactory(unit=unit, on_probation=True)
        elif index % 5 == 2:
            EmployeeFactory(unit=unit, job=job)
        else:
            EmployeeFactory(unit=unit)
    EmployeeFactory(unit=root, leaver=True)
    EmployeeFactory(unit=root, employment_start=datetime.date(2027, 6, 1))
    OrgUnit.objects.filter(pk=units[0].pk).update(head=Employee.objects.filter(unit=units[0]).first())
    employees_refresh_managers(organisation=organisation)
    load(organisation)
    load(organisation, "kampen", in_force_from=datetime.date(2020, 1, 1), scope=Scope(unit=units[1]))
    load(
        organisation,
        "wierden",
        in_force_from=datetime.date(2020, 1, 1),
        scope=Scope(job_group="Handhaving", jobs=(job,)),
    )
    return organisation


def queries_of_cycles_open(organisation, expected_created: int) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        result = cycles_open(organisation=organisation, year=PERIOD, today=OPENED_ON)
    assert result.created == expected_created
    return [query["sql"] for query in context.captured_queries]


def test_opening_cycles_takes_the_same_number_of_queries_for_5_or_40_employees(db):
    queries_of_cycles_open(organisation_of(3), 3)  # warm up anything cached per process
    small, large = organisation_of(5), organisation_of(40)

    when_small = queries_of_cycles_open(small, 5)
    when_large = queries_of_cycles_open(large, 40)

    assert len(when_large) == len(when_small), "\n".join(when_large)
    # Re-runs write nothing and cost the same too.
    assert len(queries_of_cycles_open(large, 0)) == len(queries_of_cycles_open(small, 0))
    assert Cycle.objects.filter(organisation=large).count() == 40


def test_after_a_probation_year_that_started_mid_year_the_next_period_follows_on(cast, heemstede):
    """001_6a145d970164611e.txt: probation starts the cycle at the employment start, so the
    probation year runs into the next calendar year. The next cycle starts the day after it
    ends instead of overlapping it, and the probation evaluation stays in view until then."""
    newcomer = EmployeeFactory(
        organisation=cast.organisation,
        unit=cast.employee.unit,
        employment_start=datetime.date(2025, 6, 1),
        appointment="probation",
        probation_end=datetime.date(2026, 6, 1),
    )
    employees_refresh_managers(organisation=cast.organisation)
    open_cycles(period=2025, today=datetime.date(2025, 6, 2))
    open_cycles(period=2026, today=datetime.date(2026, 1, 5))

    probation_year = Cycle.objects.get(employee=newcomer, year=2025)
    regular = Cycle.objects.get(employee=newcomer, year=2026)
    assert (probation_year.period_start, probation_year.period_end) == (
        datetime.date(2025, 6, 1),
        datetime.date(2026, 5, 31),
    )
    assert (regular.period_start, regular.period_end) == (
        datetime.date(2026, 6, 1),
        datetime.date(2026, 12, 31),
    )
    current = current_cycles([newcomer.pk], datetime.date(2026, 3, 1))[newcomer.pk]
    assert current == probation_year
    assert "evaluation" in [item.kind for item in cycle_schedule(current, datetime.date(2026, 3, 1))]
