"""The figures follow what happens: a conversation changing refreshes its cycle once the
transaction commits, the daily ``send_reminders`` run refreshes every open cycle (dates
move on by themselves), and the commands ``refresh_dashboard`` and ``open_cycles`` write
them too."""

import datetime

import pytest
from django.core.management import CommandError

from gesprekscyclus.compliance.models import CycleProgress, UnitProgress
from gesprekscyclus.compliance.services import progress_refresh
from gesprekscyclus.conversations.services import conversation_mark_held
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import cycle_schedule, cycles_open
from gesprekscyclus.notifications.services import send_reminders
from gesprekscyclus.organisations.models import Employee
from tests.compliance import scenario
from tests.compliance.conftest import dashboard_url
from tests.compliance.pages import figures_numbers
from tests.compliance.scenario import PLANNING, count_directly, cycle_of, subtree
from tests.cycles.helpers import run
from tests.factories import EmployeeFactory
from tests.signatures.flow import load_kampen

JANUARY = datetime.date(2026, 1, 12)  # the planning window is open; the planning day


def row_of(employee) -> CycleProgress:
    return CycleProgress.objects.get(cycle=cycle_of(employee))


def test_planning_and_holding_a_conversation_refreshes_its_cycle_after_commit(
    world, travel, django_capture_on_commit_callbacks
):
    people = world.people
    progress_refresh(today=datetime.date(2026, 1, 5))
    before = {row.pk: row.computed_on for row in CycleProgress.objects.all()}
    assert row_of(people["employee"]).planned == 0
    travel(JANUARY)  # the refresh after commit counts on "today"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        conversation = scenario.plan(people["employee"], PLANNING)
    assert len(callbacks) >= 1
    row = row_of(people["employee"])
    assert (row.opened, row.planned, row.held, row.overdue) == (1, 1, 0, 0)
    assert row.computed_on == JANUARY

    with django_capture_on_commit_callbacks(execute=True):
        scenario.held(people["colleague"], PLANNING)
        conversation_mark_held(
            conversation, held_on=JANUARY, acting_user=conversation.conductor.user, today=JANUARY
        )
    for person in ("employee", "colleague"):
        row = row_of(people[person])
        assert (row.opened, row.planned, row.held, row.reported) == (1, 1, 1, 0), person
        assert row.computed_on == JANUARY
    # Nobody else's row was touched.
    untouched = CycleProgress.objects.exclude(
        cycle__employee__in=[people["employee"], people["colleague"]]
    ).values_list("pk", "computed_on")
    assert all(before[pk] == computed_on for pk, computed_on in untouched)


def test_without_a_commit_nothing_is_refreshed(world, travel):
    """The test transaction never commits: the change waits for the commit (and the
    daily run), so a rolled-back change never shows."""
    progress_refresh(today=datetime.date(2026, 1, 5))
    travel(JANUARY)
    scenario.plan(world.people["employee"], PLANNING)
    assert row_of(world.people["employee"]).planned == 0


def test_holding_a_conversation_shows_on_the_dashboard_at_once(
    world, viewer, django_capture_on_commit_callbacks
):
    progress_refresh(today=datetime.date(2026, 1, 5))
    client = viewer(world.cast.user("director"), JANUARY)
    assert client.get(dashboard_url()).context["board"].totals.held == 0
    with django_capture_on_commit_callbacks(execute=True):
        scenario.held(world.people["employee"], PLANNING)
    board = client.get(dashboard_url()).context["board"]
    assert board.totals.held == 1
    assert figures_numbers(board.totals) == count_directly(subtree(world.cast.sector), JANUARY).numbers()


def test_send_reminders_stores_the_figures_of_every_open_cycle_and_dates_move_on(world):
    assert not CycleProgress.objects.exists()
    send_reminders(today=datetime.date(2026, 1, 20))
    open_cycles = Cycle.objects.filter(organisation=world.cast.organisation, year=2026)
    assert CycleProgress.objects.count() == open_cycles.count() == 14
    assert set(CycleProgress.objects.values_list("computed_on", flat=True)) == {datetime.date(2026, 1, 20)}
    row = row_of(world.people["employee"])
    assert (row.opened, row.overdue, row.next_due_on) == (1, 0, scenario.PLANNING_DUE_BY)

    # Nothing happened, but the planning window closed on 1 February.
    send_reminders(today=datetime.date(2026, 2, 10))
    row = row_of(world.people["employee"])
    assert (row.opened, row.overdue, row.computed_on) == (1, 1, datetime.date(2026, 2, 10))
    assert CycleProgress.objects.count() == 14
    for cycle in open_cycles.select_related("employee", "regulation_version"):
        overdue = sum(item.status == "overdue" for item in cycle_schedule(cycle, datetime.date(2026, 2, 10)))
        assert CycleProgress.objects.get(cycle=cycle).overdue == overdue, cycle.employee.full_name


def test_the_dashboard_shows_what_send_reminders_found(world, viewer):
    """The daily run recounts the per-unit figures the dashboard reads, not only the rows
    per cycle: the planning window closing shows as thirteen people overdue."""
    send_reminders(today=datetime.date(2026, 1, 20))
    client = viewer(world.cast.user("hr_admin"), datetime.date(2026, 1, 20))
    assert client.get(dashboard_url()).context["board"].totals.overdue == 0
    send_reminders(today=datetime.date(2026, 2, 10))
    client = viewer(world.cast.user("hr_admin"), datetime.date(2026, 2, 10))
    response = client.get(dashboard_url())
    units = subtree(world.cast.root)
    direct = count_directly(units, datetime.date(2026, 2, 10))
    assert direct.overdue == 13
    assert figures_numbers(response.context["board"].totals) == direct.numbers()
    assert response.context["board"].totals.computed_until == datetime.date(2026, 2, 10)


def test_someone_who_moved_is_counted_in_their_new_unit_after_the_next_change(
    world, viewer, django_capture_on_commit_callbacks
):
    """Emma Evers moves from Team Inkomen to Team Noord; when her planning conversation is
    held, both teams are recounted."""
    progress_refresh(today=datetime.date(2026, 1, 5))
    client = viewer(world.cast.user("hr_admin"), JANUARY)

    def employees_by_unit():
        board = client.get(dashboard_url(unit=world.cast.team.pk)).context["board"]
        return board.own.employees, board.children[0].figures.employees, board.totals.held

    assert employees_by_unit() == (3, 3, 0)
    emma = world.people["employee"]
    Employee.objects.filter(pk=emma.pk).update(unit=world.north)
    assert employees_by_unit() == (3, 3, 0)  # nothing recounted yet
    with django_capture_on_commit_callbacks(execute=True):
        scenario.held(emma, PLANNING)
    assert employees_by_unit() == (2, 4, 1)
    assert row_of(emma).unit_id == world.north.pk


def test_refresh_dashboard_writes_the_figures_and_says_how_many(world):
    out, _ = run("refresh_dashboard", "--today", "2026-03-01", "--no-progress")
    assert "14" in out
    assert "2026-03-01" in out
    assert CycleProgress.objects.count() == 14
    assert set(CycleProgress.objects.values_list("computed_on", flat=True)) == {datetime.date(2026, 3, 1)}
    figures = {
        name: sum(getattr(row, name) for row in CycleProgress.objects.all()) for name in ("opened", "overdue")
    }
    assert figures == {"opened": 13, "overdue": 13}  # the planning conversation; not the joiner

    out, _ = run("refresh_dashboard", "--today", "2026-03-01", "--period", "2025", "--no-progress")
    assert "0 cycle" in out
    out, _ = run(
        "refresh_dashboard", "--today", "2026-03-02", "--organisation", "Gemeente Teststad", "--no-progress"
    )
    assert "14 cycle" in out
    # Nobody's figures changed overnight: the rows keep the day they last changed, and the
    # unit counts say they were checked on 2 March.
    assert set(CycleProgress.objects.values_list("computed_on", flat=True)) == {datetime.date(2026, 3, 1)}
    assert set(UnitProgress.objects.values_list("computed_from", flat=True)) == {datetime.date(2026, 3, 2)}


@pytest.mark.parametrize(
    "args",
    [
        ["--today", "2026-13-01"],
        ["--today", "1 maart"],
        ["--today", "2026-03-01x"],
        ["--organisation", "Gemeente Nergens"],
    ],
    ids=["month-13", "words", "trailing-text", "unknown-organisation"],
)
def test_refresh_dashboard_refuses_a_bad_argument(world, args):
    with pytest.raises(CommandError):
        run("refresh_dashboard", *args, "--no-progress")
    assert not CycleProgress.objects.exists()


def test_open_cycles_writes_the_figures_of_the_cycles_it_opens(cast):
    load_kampen(cast.organisation)
    out, _ = run(
        "open_cycles",
        "--organisation",
        "Gemeente Teststad",
        "--period",
        "2026",
        "--today",
        "2026-02-10",
        "--no-progress",
    )
    assert "10 opened" in out
    rows = CycleProgress.objects.filter(organisation=cast.organisation)
    assert rows.count() == 10
    assert set(rows.values_list("computed_on", flat=True)) == {datetime.date(2026, 2, 10)}
    assert all(row.overdue == 1 for row in rows)  # the planning window closed on 1 February

    # A joiner is picked up by the next run, with their figures.
    joiner = EmployeeFactory(unit=cast.team, employment_start=datetime.date(2026, 2, 1))
    run(
        "open_cycles",
        "--organisation",
        "Gemeente Teststad",
        "--period",
        "2026",
        "--today",
        "2026-02-11",
        "--no-progress",
    )
    assert row_of(joiner).computed_on == datetime.date(2026, 2, 11)
    assert CycleProgress.objects.filter(organisation=cast.organisation).count() == 11


def test_someone_whose_employment_ended_leaves_the_figures_when_their_cycle_closes(refreshed, viewer):
    """open_cycles closes the cycle of someone whose employment ended; the next full
    refresh no longer counts them, nor lists them as overdue."""
    person = refreshed.people["employee"]
    assert CycleProgress.objects.filter(cycle__employee=person).exists()
    Employee.objects.filter(pk=person.pk).update(employment_end=datetime.date(2026, 7, 31))

    cycles_open(organisation=refreshed.cast.organisation, year=2026, today=scenario.TODAY)
    progress_refresh(today=scenario.TODAY)

    assert not CycleProgress.objects.filter(cycle__employee=person).exists()
    response = viewer(refreshed.cast.user("hr_admin")).get(dashboard_url())
    board = response.context["board"]
    assert board.totals.employees == 13
    assert person.full_name not in [p.cycle.employee.full_name for p in board.overdue]
