"""The dashboard and its exports cost the same number of queries whatever the size of the
organisation: measured in the scenario's organisation, then again after it grew by two
dozen units (two levels deep), ninety people, a second period and well over fifty
people overdue. A failure lists the queries, so the one repeated per row is visible."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gesprekscyclus.compliance.dashboard import LIST_LIMIT
from gesprekscyclus.compliance.services import progress_refresh
from gesprekscyclus.cycles.services import cycles_open
from gesprekscyclus.organisations.models import OrgUnit
from gesprekscyclus.organisations.services import employees_refresh_managers
from tests.compliance.conftest import dashboard_url, export_url
from tests.compliance.pages import csv_rows, section, table, unit_options
from tests.compliance.scenario import CYCLES_OPENED_ON, TODAY
from tests.factories import EmployeeFactory, OrgUnitFactory

GROWN_UNITS = 12


@pytest.fixture
def small(refreshed):
    """The scenario's organisation (nobody held anything, so thirteen are overdue), with
    one probation ending soon, so every part of the page has something to show."""
    EmployeeFactory(
        unit=refreshed.cast.team, on_probation=True, probation_end=TODAY + datetime.timedelta(days=20)
    )
    employees_refresh_managers(organisation=refreshed.cast.organisation)
    return refreshed


def grow(world) -> None:
    """Twelve teams under Sector Sociaal (every third under Team Inkomen instead), each
    with a head, four members, a probation ending soon and a sub-team with one member;
    their cycles opened, the 2025 cycles too, and the figures refreshed."""
    cast = world.cast
    for index in range(GROWN_UNITS):
        parent = cast.team if index % 3 == 0 else cast.sector
        unit = OrgUnitFactory(
            organisation=cast.organisation,
            parent=parent,
            code=f"G{index:02d}",
            name=f"Team Groei {index:02d}",
        )
        head = EmployeeFactory(unit=unit)
        OrgUnit.objects.filter(pk=unit.pk).update(head=head)
        below = OrgUnitFactory(
            organisation=cast.organisation, parent=unit, code=f"G{index:02d}S", name=f"Subteam {index:02d}"
        )
        EmployeeFactory(unit=below)
        for _ in range(4):
            EmployeeFactory(unit=unit)
        EmployeeFactory(
            unit=unit, on_probation=True, probation_end=TODAY + datetime.timedelta(days=10 + index)
        )
    employees_refresh_managers(organisation=cast.organisation)
    cycles_open(organisation=cast.organisation, year=2026, today=CYCLES_OPENED_ON)
    cycles_open(organisation=cast.organisation, year=2025, today=datetime.date(2024, 11, 20))
    progress_refresh(today=TODAY)


HX = {"HX-Request": "true"}
CASES = [
    ("hr_admin", lambda world: dashboard_url(), {}),
    ("hr_admin", lambda world: dashboard_url(unit=world.cast.sector.pk, period=2026), {}),
    ("hr_admin", lambda world: dashboard_url(unit=world.cast.sector.pk), HX),
    ("director", lambda world: dashboard_url(), {}),
    ("hr_adviser", lambda world: dashboard_url(unit=world.cast.team.pk), {}),
    ("hr_admin", lambda world: export_url("csv"), {}),
    ("hr_admin", lambda world: export_url("csv", table="overdue"), {}),
    ("hr_admin", lambda world: export_url("xlsx"), {}),
]
IDS = [
    "admin-dashboard",
    "admin-sector",
    "admin-sector-htmx",
    "director-dashboard",
    "adviser-team",
    "admin-csv",
    "admin-overdue-csv",
    "admin-xlsx",
]


def count_queries(client, url: str, headers: dict) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(("role", "url", "headers"), CASES, ids=IDS)
def test_the_dashboard_uses_the_same_number_of_queries_for_a_large_organisation(
    small, viewer, django_assert_num_queries, role, url, headers
):
    client = viewer(small.cast.user(role))
    client.get(url(small), headers=headers)  # warm up anything cached per process
    queries_when_small = count_queries(client, url(small), headers)
    grow(small)
    with django_assert_num_queries(queries_when_small):
        response = client.get(url(small), headers=headers)
    assert response.status_code == 200


def test_growth_really_reaches_the_dashboard(small, viewer):
    """Guard for the test above: after growing, the pages show many more rows."""
    client = viewer(small.cast.user("hr_admin"))
    before = client.get(dashboard_url(unit=small.cast.sector.pk))
    grow(small)
    after = client.get(dashboard_url(unit=small.cast.sector.pk))

    # The chooser offers the top levels and the chosen unit's children (8 of the 12 grown are
    # directly below the sector); the 4 a level deeper are reached through the table.
    assert len(unit_options(after)) == len(unit_options(before)) + 8
    assert len(table(after, "units")) == len(table(before, "units")) + 8  # 8 of the 12 are directly below
    assert (
        len(after.context["board"].subtree_lines())
        == len(before.context["board"].subtree_lines()) + 2 * GROWN_UNITS
    )
    assert len(after.context["board"].probation) == len(before.context["board"].probation) + GROWN_UNITS
    assert after.context["board"].trend[-2][1].employees > 0  # 2025 is counted now

    # More people overdue than the page lists: the longest overdue are shown, the export has all.
    board = client.get(dashboard_url()).context["board"]
    overdue = board.totals.overdue
    assert overdue > LIST_LIMIT
    response = client.get(dashboard_url())
    assert len(table(response, "overdue")) == LIST_LIMIT
    assert f"The {LIST_LIMIT} longest overdue of {overdue} are shown" in section(response, "overdue")
    assert len(csv_rows(client.get(export_url("csv", table="overdue")))) == overdue
    assert len(csv_rows(client.get(export_url("csv")))) == len(
        OrgUnit.objects.filter(organisation=small.cast.organisation)
    )
