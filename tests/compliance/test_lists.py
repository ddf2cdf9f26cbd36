"""The overdue list (longest overdue first), the probation list (ending within three
months) and the trend over periods."""

import datetime

import pytest

from gesprekscyclus.compliance.services import progress_refresh
from gesprekscyclus.cycles.services import cycles_open
from gesprekscyclus.organisations.services import employees_refresh_managers, units_refresh_paths
from tests.compliance import scenario
from tests.compliance.conftest import dashboard_url
from tests.compliance.pages import figure_cells, figures_numbers, section, table, text, unit_options
from tests.compliance.scenario import (
    PLANNING,
    PROGRESS,
    TODAY,
    count_directly,
    held,
    overdue_by_engine,
    subtree,
)
from tests.factories import EmployeeFactory, OrgUnitFactory

PLANNING_LABEL = "Result-oriented agreements / development plan conversation"  # Kampen, in English
PROGRESS_LABEL = "Progress conversation"


@pytest.fixture
def some_held(world):
    """Daan Dekker and Mila Mulder held their planning conversation (so only the progress
    conversation is overdue, since 2 August); Emma Evers held both (nothing overdue)."""
    people = world.people
    held(people["director"], PLANNING)
    held(people["manager"], PLANNING)
    held(people["employee"], PLANNING)
    held(people["employee"], PROGRESS)
    progress_refresh(today=TODAY)
    return world


def test_the_overdue_list_names_everyone_overdue_longest_overdue_first(some_held, viewer):
    cast = some_held.cast
    response = viewer(cast.user("hr_admin")).get(dashboard_url())
    rows = table(response, "overdue")
    names = [name for name, _ in rows]
    assert names == [
        # overdue since 1 February (the planning conversation), by last name …
        "Anna Aalders",
        "Cas Claassen",
        "Hugo Hendriks",
        "Lars Lammers",
        "Noor Nijhuis",
        "Olga Oosterhuis",
        "Puck Prins",
        "Rik Rutten",
        "Sven Smit",
        "Tim Tromp",
        # … then since 2 August (the progress conversation)
        "Daan Dekker",
        "Mila Mulder",
    ]
    assert names == [name for _, name, _ in overdue_by_engine(subtree(cast.root))]
    assert "Emma Evers" not in names  # held both
    assert "Jade Jansen" not in names  # joined last week, nothing due yet
    assert "Vera Visser" not in names  # left in 2025
    cells = dict(rows)
    # unit, manager, conversation, due by
    assert cells["Cas Claassen"] == ["Team Inkomen", "Mila Mulder", PLANNING_LABEL, "1 Feb 2026"]
    assert cells["Mila Mulder"] == ["Team Inkomen", "Daan Dekker", PROGRESS_LABEL, "2 Aug 2026"]
    assert cells["Anna Aalders"] == ["Gemeente Teststad", "—", PLANNING_LABEL, "1 Feb 2026"]
    assert response.context["board"].totals.overdue == len(names)
    assert "longest overdue of" not in section(response, "overdue")  # all of them are shown

    # In a sector, the same order for its people only.
    response = viewer(cast.user("director")).get(dashboard_url())
    assert [name for name, _ in table(response, "overdue")] == [
        "Cas Claassen",
        "Hugo Hendriks",
        "Puck Prins",
        "Tim Tromp",
        "Daan Dekker",
        "Mila Mulder",
    ]


def test_nobody_overdue_says_so(world, viewer):
    progress_refresh(today=datetime.date(2026, 1, 15))  # the planning window is open, nothing missed
    response = viewer(world.cast.user("hr_admin"), datetime.date(2026, 1, 15)).get(dashboard_url())
    assert response.context["board"].overdue == []
    assert "Nobody is overdue." in section(response, "overdue")


def probation(unit, first, last, ends: datetime.date):
    return EmployeeFactory(unit=unit, first_name=first, last_name=last, on_probation=True, probation_end=ends)


def test_probation_ending_within_three_months_is_listed_soonest_first(refreshed, viewer):
    cast = refreshed.cast
    days = datetime.timedelta
    probation(cast.team, "Pien", "Proef", TODAY + days(30))
    probation(cast.team, "Bas", "Binnenkort", TODAY + days(92))  # 10 November: three months
    probation(cast.team, "Leo", "Later", TODAY + days(93))
    probation(cast.team, "Eva", "Eerder", TODAY - days(1))  # ended yesterday
    probation(refreshed.north, "Nina", "Noordam", TODAY)  # ends today
    probation(cast.other_team, "Fenna", "Fokkema", TODAY + days(10))
    employees_refresh_managers(organisation=cast.organisation)

    response = viewer(cast.user("hr_admin")).get(dashboard_url())
    assert [employee.full_name for employee in response.context["board"].probation] == [
        "Nina Noordam",
        "Fenna Fokkema",
        "Pien Proef",
        "Bas Binnenkort",
    ]
    listed = section(response, "probation")
    assert text(listed).count("probation ends on") == 4
    assert "Pien Proef (Team Inkomen): probation ends on 9 September 2026, manager Mila Mulder" in text(
        listed
    )
    assert "Bas Binnenkort (Team Inkomen): probation ends on 10 November 2026" in text(listed)
    for name in ("Leo Later", "Eva Eerder"):
        assert name not in listed

    # The director of Sector Sociaal sees the people of their own sector only.
    response = viewer(cast.user("director")).get(dashboard_url())
    assert [employee.full_name for employee in response.context["board"].probation] == [
        "Nina Noordam",
        "Pien Proef",
        "Bas Binnenkort",
    ]
    assert "Fenna Fokkema" not in section(response, "probation")


def test_no_probation_ending_says_so(refreshed, viewer):
    probation(refreshed.cast.team, "Leo", "Later", TODAY + datetime.timedelta(days=200))
    response = viewer(refreshed.cast.user("hr_admin")).get(dashboard_url())
    assert "No probation period ends in the next three months." in section(response, "probation")


@pytest.fixture
def two_periods(world):
    """The 2025 cycles opened as well (the leaver has one, the joiner does not); nothing
    was held in either period. Both are refreshed on TODAY."""
    cycles_open(organisation=world.cast.organisation, year=2025, today=datetime.date(2024, 11, 20))
    assert progress_refresh(today=TODAY) == 28
    return world


def test_an_earlier_period_appears_in_the_trend_for_its_year(two_periods, viewer):
    cast = two_periods.cast
    units = subtree(cast.root)
    count_2025 = count_directly(units, TODAY, year=2025)
    count_2026 = count_directly(units, TODAY, year=2026)
    assert (count_2025.employees, count_2025.with_due, count_2025.overdue) == (14, 14, 14)
    assert (count_2026.employees, count_2026.with_due, count_2026.overdue) == (14, 13, 13)

    client = viewer(cast.user("hr_admin"))
    response = client.get(dashboard_url())
    board = response.context["board"]
    assert [period for period, _ in board.trend] == [2022, 2023, 2024, 2025, 2026]
    trend = dict(board.trend)
    assert figures_numbers(trend[2025]) == count_2025.numbers()
    assert figures_numbers(trend[2026]) == count_2026.numbers()
    assert figures_numbers(board.totals) == count_2026.numbers()  # the chosen period is 2026
    empty = figure_cells(scenario.Count())
    assert table(response, "trend") == [
        ("2022", empty),
        ("2023", empty),
        ("2024", empty),
        ("2025", figure_cells(count_2025)),
        ("2026", figure_cells(count_2026)),
    ]

    # Choosing 2025 shows its figures, its overdue people (the leaver among them) and a
    # trend ending in 2025.
    response = client.get(dashboard_url(period=2025))
    board = response.context["board"]
    assert board.year == 2025
    assert figures_numbers(board.totals) == count_2025.numbers()
    assert [period for period, _ in board.trend] == [2021, 2022, 2023, 2024, 2025]
    assert table(response, "trend")[-1] == ("2025", figure_cells(count_2025))
    assert "Vera Visser" in [name for name, _ in table(response, "overdue")]

    # In a sector, the trend counts that sector only.
    response = client.get(dashboard_url(unit=cast.other_sector.pk))
    trend = dict(response.context["board"].trend)
    assert figures_numbers(trend[2025]) == count_directly(subtree(cast.other_sector), TODAY, 2025).numbers()
    assert trend[2025].employees == 4  # with the leaver of Team Vergunningen
    assert trend[2026].employees == 3


def test_the_unit_chooser_offers_the_top_levels_and_the_chosen_units_children(cast, viewer):
    """In an organisation of thousands of units the chooser stays short: two levels below
    the top, plus the chosen unit's ancestors and children; deeper units come into it
    as the viewer drills down."""
    deep = OrgUnitFactory(organisation=cast.organisation, name="Cluster Schulden", parent=cast.team)
    deeper = OrgUnitFactory(organisation=cast.organisation, name="Loket Schulden", parent=deep)
    units_refresh_paths(organisation=cast.organisation)
    client = viewer(cast.user("hr_admin"))

    top = unit_options(client.get(dashboard_url()))
    assert {cast.root.name, cast.sector.name, cast.team.name} <= set(top)
    assert deep.name not in top and deeper.name not in top

    at_team = unit_options(client.get(dashboard_url(unit=cast.team.pk)))
    assert deep.name in at_team and deeper.name not in at_team

    at_deep = unit_options(client.get(dashboard_url(unit=deep.pk)))
    assert deep.name in at_deep and deeper.name in at_deep
