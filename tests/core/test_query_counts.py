"""Pages cost the same number of queries whatever the size of the organisation.

Each case measures a page in a small organisation (the cast plus a little), grows the
organisation (many more team members, many more units under the director, more plans),
and asserts the page uses exactly as many queries as before. A failure lists the queries,
so the one that repeats per row is visible."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gesprekscyclus.organisations.models import Employee, OrgUnit
from gesprekscyclus.organisations.services import employees_refresh_managers
from tests.factories import DepartmentPlanFactory, EmployeeFactory, JobFactory, OrgUnitFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def add_people(cast, unit, count: int, job) -> None:
    """``count`` people in ``unit``, with a job; every fourth on probation, every fifth
    left already, so the template branches for both are exercised."""
    for index in range(count):
        if index % 4 == 3:
            EmployeeFactory(unit=unit, job=job, on_probation=True)
        elif index % 5 == 4:
            EmployeeFactory(unit=unit, job=job, leaver=True)
        else:
            EmployeeFactory(unit=unit, job=job)


def add_units(cast, parent, count: int, job, members: int) -> None:
    for _ in range(count):
        unit = OrgUnitFactory(organisation=cast.organisation, parent=parent)
        head = EmployeeFactory(unit=unit, job=job)
        OrgUnit.objects.filter(pk=unit.pk).update(head=head)
        add_people(cast, unit, members, job)
        DepartmentPlanFactory(unit=unit)


@pytest.fixture
def small(cast):
    """The cast with jobs for everyone, 5 people reporting to the manager, 2 units under
    the director, a unit under the other director, and one plan on the team."""
    job = JobFactory(organisation=cast.organisation)
    Employee.objects.filter(organisation=cast.organisation).update(job=job)
    add_people(cast, cast.team, 3, job)  # employee, colleague + 3 = 5 reports
    add_units(cast, cast.sector, 1, job, members=1)  # team + 1 = 2 units below the sector
    add_units(cast, cast.other_sector, 1, job, members=1)
    DepartmentPlanFactory(unit=cast.team, year=2026)
    DepartmentPlanFactory(unit=cast.sector, year=2026)
    employees_refresh_managers(organisation=cast.organisation)
    cast.job = job
    return cast


def grow(cast) -> None:
    """60 people reporting to the manager, 10 units under the director (each with a head
    and members), more units elsewhere, more plans."""
    add_people(cast, cast.team, 55, cast.job)
    add_units(cast, cast.sector, 8, cast.job, members=3)
    add_units(cast, cast.team, 2, cast.job, members=2)
    add_units(cast, cast.other_sector, 4, cast.job, members=2)
    for year in (2024, 2025, 2027):
        DepartmentPlanFactory(unit=cast.team, year=year)
        DepartmentPlanFactory(unit=cast.sector, year=year)
    employees_refresh_managers(organisation=cast.organisation)


def overview(cast):
    return reverse("core:overview")


def employee_search(cast):
    return reverse("organisations:employee_list")


def employee_search_by_word(cast):
    return reverse("organisations:employee_list") + "?q=e"


def team_page(cast):
    return reverse("organisations:unit_detail", args=[cast.team.pk])


def sector_page(cast):
    return reverse("organisations:unit_detail", args=[cast.sector.pk])


def employee_page(cast):
    return reverse("organisations:employee_detail", args=[cast.employee.pk])


CASES = [
    ("manager", overview),
    ("director", overview),
    ("hr_admin", overview),
    ("hr_adviser", overview),
    ("employee", overview),
    ("director", employee_search),
    ("hr_adviser", employee_search),
    ("hr_admin", employee_search),
    ("hr_admin", employee_search_by_word),
    ("manager", team_page),
    ("director", team_page),
    ("director", sector_page),
    ("hr_admin", sector_page),
    ("manager", employee_page),
]


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(("role", "page"), CASES, ids=[f"{role}-{page.__name__}" for role, page in CASES])
def test_page_uses_the_same_number_of_queries_for_a_large_organisation(
    small, login, django_assert_num_queries, role, page
):
    client = login(small.user(role))
    url = page(small)
    client.get(url)  # warm up anything cached per process
    queries_when_small = count_queries(client, url)
    grow(small)
    with django_assert_num_queries(queries_when_small):
        response = client.get(url)
    assert response.status_code == 200


def test_growth_really_reaches_the_pages(small, login):
    """Guard for the test above: after growing, the pages do show many more rows."""
    grow(small)
    manager = login(small.user("manager"))
    assert len(manager.get(reverse("core:overview")).context["team"]) >= 50
    director = login(small.user("director"))
    assert len(director.get(reverse("core:overview")).context["units"]) >= 10
    assert len(director.get(sector_page(small)).context["children"]) >= 9
    page = director.get(reverse("organisations:employee_list")).context["page"]
    assert page.paginator.count > 50
    assert len(page.object_list) == 50
