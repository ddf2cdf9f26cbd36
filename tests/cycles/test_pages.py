"""The conversation pages: my conversations, my team, and someone else's schedule.

The views judge statuses on ``timezone.localdate()``, so every test here travels to a
fixed day (20 January 2026). Assertions are on data that is not translated (the
regulation's own Dutch labels, dates, URLs, personnel numbers), on status CSS classes and
on status codes; the one notice without data is checked in English."""

import datetime
import re
import zoneinfo
from html import unescape

import pytest
from django.conf import settings
from django.db import connection
from django.template.defaultfilters import date as date_filter
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from gesprekscyclus.cycles.services import cycles_open
from gesprekscyclus.organisations.models import Employee
from gesprekscyclus.organisations.services import employees_refresh_managers
from gesprekscyclus.regulations.services import Scope
from tests.access.test_predicates import EMPLOYEES, ROLES, VIEW_EMPLOYEE, visible_in
from tests.cycles.helpers import OPENED_ON, PERIOD, load
from tests.factories import EmployeeFactory, JobFactory

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def on_a_fixed_day(time_machine):
    time_machine.move_to(datetime.datetime(2026, 1, 20, 10, 0, tzinfo=AMSTERDAM), tick=False)


@pytest.fixture
def opened(cast, heemstede):
    """Heemstede in force and the 2026 cycles opened on 5 January."""
    cycles_open(organisation=cast.organisation, year=PERIOD, today=OPENED_ON)
    return cast


def html(response) -> str:
    """The page as text, with HTML entities resolved (names may hold an apostrophe)."""
    return unescape(response.content.decode())


def nl_date(day: datetime.date, format_string: str) -> str:
    with translation.override("nl"):
        return date_filter(day, format_string)


def schedule_links(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/gesprekken/medewerkers/(\d+)/"', html(response))}


def statuses(response) -> list[tuple[str, str]]:
    return [(row.item.kind, row.status) for row in response.context["rows"]]


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# -- my conversations ----------------------------------------------------------------


def test_my_page_shows_my_conversations_with_their_windows_and_status(opened, login):
    response = login(opened.user("employee")).get(reverse("cycles:my_schedule"))

    assert response.status_code == 200
    assert response.context["schedule"].cycle is not None
    assert statuses(response) == [("planning", "due"), ("progress", "not_yet"), ("evaluation", "not_yet")]
    page = html(response)
    for label in ("Planningsgesprek", "Voortgangsgesprek", "Evaluatiegesprek"):
        assert label in page
    assert "assessment" not in [kind for kind, _status in statuses(response)]  # only on request
    # ... which the page offers to ask for.
    assert 'action="/gesprekken/aanvragen/' in page
    assert page.count("gc-status--due") == 1
    assert page.count("gc-status--not_yet") == 2
    # Planning: 1 December 2025 to 1 February 2026; the period is calendar 2026.
    assert nl_date(datetime.date(2025, 12, 1), "j M Y") in page
    assert nl_date(datetime.date(2026, 2, 1), "j M Y") in page
    assert nl_date(datetime.date(2026, 1, 1), "j F Y") in page
    assert nl_date(datetime.date(2026, 12, 31), "j F Y") in page
    assert "Heemstede — Cyclus van jaargesprekken" in page


def test_my_page_in_english_shows_the_english_labels_and_no_notice_once_the_cycle_is_open(opened, login):
    client = english(login(opened.user("employee")))

    page = html(client.get(reverse("cycles:my_schedule")))

    assert "Planning conversation" in page
    assert "due now" in page
    assert "Planningsgesprek" not in page
    assert "has not been opened yet" not in page


def test_before_the_cycle_is_opened_my_page_shows_what_it_will_be_with_a_notice(cast, heemstede, login):
    client = english(login(cast.user("employee")))

    response = client.get(reverse("cycles:my_schedule"))

    assert response.status_code == 200
    assert response.context["schedule"].cycle is None
    assert "The cycle for 2026 has not been opened yet." in html(response)
    assert statuses(response) == [("planning", "due"), ("progress", "not_yet"), ("evaluation", "not_yet")]


def test_without_a_regulation_my_page_says_nothing_is_scheduled(cast, login):
    response = english(login(cast.user("employee"))).get(reverse("cycles:my_schedule"))

    assert response.status_code == 200
    assert response.context["schedule"] is None
    assert "No regulation is in force for you yet" in html(response)


def test_my_page_links_to_the_team_page_only_for_someone_with_a_team(opened, login):
    team_url = reverse("cycles:team_schedule")
    assert team_url in html(login(opened.user("manager")).get(reverse("cycles:my_schedule")))
    assert team_url not in html(login(opened.user("employee")).get(reverse("cycles:my_schedule")))


def test_someone_without_an_employee_record_has_no_conversations_page(opened, login):
    assert login(opened.outsider).get(reverse("cycles:my_schedule")).status_code == 404


@pytest.mark.parametrize("url_name", ["cycles:my_schedule", "cycles:team_schedule"])
def test_anonymous_visitor_is_sent_to_the_login_page(db, client, url_name):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_anonymous_visitor_of_a_schedule_is_sent_to_the_login_page(db, client):
    url = reverse("cycles:employee_schedule", args=[1])
    assert client.get(url)["Location"] == f"{reverse('accounts:login')}?next={url}"


# -- my team -------------------------------------------------------------------------


def test_team_page_lists_each_direct_report_with_a_link_to_their_schedule(opened, login):
    response = login(opened.user("manager")).get(reverse("cycles:team_schedule"))

    assert response.status_code == 200
    members = response.context["members"]
    assert {member["person"].pk for member in members} == {opened.employee.pk, opened.colleague.pk}
    assert schedule_links(response) == {opened.employee.pk, opened.colleague.pk}
    page = html(response)
    for person in (opened.employee, opened.colleague):
        assert person.full_name in page  # html() resolves the entities
    for member in members:
        assert (member["overdue"], member["due"]) == (0, 1)
        assert member["next"].item.kind == "planning"
    assert page.count("Planningsgesprek") == 2
    assert nl_date(datetime.date(2026, 2, 1), "j M Y") in page


def test_team_page_puts_the_most_overdue_first(opened, login, time_machine):
    """On 10 February the planning window (until 1 February) has closed for everyone with a
    calendar-year cycle; a newcomer on probation since 1 February has their planning due
    until 1 March. Overdue first, then due, then by last name."""
    Employee.objects.filter(pk=opened.employee.pk).update(last_name="Bakker")
    Employee.objects.filter(pk=opened.colleague.pk).update(last_name="Visser")
    newcomer = EmployeeFactory(
        unit=opened.team,
        last_name="Aalders",
        appointment="probation",
        employment_start=datetime.date(2026, 2, 1),
        probation_end=datetime.date(2027, 2, 1),
    )
    employees_refresh_managers(organisation=opened.organisation)
    cycles_open(organisation=opened.organisation, year=PERIOD, today=datetime.date(2026, 2, 2))
    time_machine.move_to(datetime.datetime(2026, 2, 10, 10, 0, tzinfo=AMSTERDAM), tick=False)

    response = login(opened.user("manager")).get(reverse("cycles:team_schedule"))

    members = response.context["members"]
    assert [member["person"].pk for member in members] == [
        opened.employee.pk,
        opened.colleague.pk,
        newcomer.pk,
    ]
    assert [(member["overdue"], member["due"]) for member in members] == [(1, 0), (1, 0), (0, 1)]
    assert [member["next"].item.kind for member in members] == ["planning"] * 3
    page = html(response)
    links = [int(pk) for pk in re.findall(r'href="/gesprekken/medewerkers/(\d+)/"', page)]
    assert links == [opened.employee.pk, opened.colleague.pk, newcomer.pk]
    assert page.count("gc-status--overdue") == 2


def test_team_page_shows_who_has_no_cycle_yet(opened, login):
    joiner = EmployeeFactory(unit=opened.team, employment_start=datetime.date(2026, 1, 12))
    employees_refresh_managers(organisation=opened.organisation)

    response = english(login(opened.user("manager"))).get(reverse("cycles:team_schedule"))

    members = {member["person"].pk: member for member in response.context["members"]}
    assert members[joiner.pk]["cycle"] is None
    assert members[opened.employee.pk]["cycle"] is not None
    assert html(response).count("No cycle opened yet") == 1
    assert joiner.pk in schedule_links(response)


def test_team_page_of_a_director_lists_the_manager_not_the_team_below(opened, login):
    response = login(opened.user("director")).get(reverse("cycles:team_schedule"))
    assert schedule_links(response) == {opened.manager.pk}


def test_team_page_of_someone_without_reports_is_empty(opened, login):
    response = login(opened.user("employee")).get(reverse("cycles:team_schedule"))
    assert response.status_code == 200
    assert response.context["members"] == []
    assert schedule_links(response) == set()


# -- someone else's schedule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("colleague", 404),
        ("other_manager", 404),
        ("other_director", 404),
        ("outsider", 404),
        ("employee", 200),
        ("manager", 200),
        ("director", 200),
        ("hr_adviser", 200),
        ("hr_admin", 200),
    ],
)
def test_the_employees_schedule_opens_for_themselves_and_those_over_them(opened, login, role, status):
    response = login(opened.user(role)).get(reverse("cycles:employee_schedule", args=[opened.employee.pk]))

    assert response.status_code == status
    if status == 200:
        assert response.context["employee"] == opened.employee
        assert opened.employee.full_name in html(response)  # html() resolves the entities
        assert statuses(response) == [("planning", "due"), ("progress", "not_yet"), ("evaluation", "not_yet")]


@pytest.mark.parametrize("role", ROLES)
def test_schedule_pages_open_exactly_for_the_people_the_matrix_allows(opened, login, role):
    """Whoever may see a person may see what is due for them (organisations.view_employee)."""
    client = login(opened.user(role))
    allowed = visible_in(VIEW_EMPLOYEE, EMPLOYEES, role)
    seen = {
        target: client.get(reverse("cycles:employee_schedule", args=[getattr(opened, target).pk])).status_code
        for target in EMPLOYEES
    }
    assert seen == {target: 200 if target in allowed else 404 for target in EMPLOYEES}


def test_schedule_of_someone_who_does_not_exist_is_404(opened, login):
    response = login(opened.user("hr_admin")).get(reverse("cycles:employee_schedule", args=[987654]))
    assert response.status_code == 404


def test_the_schedule_shows_the_regulation_of_the_cycle_not_a_newer_one(opened, login):
    load(opened.organisation, "klassiek", in_force_from=datetime.date(2013, 10, 1))  # replaces Heemstede

    response = login(opened.user("manager")).get(
        reverse("cycles:employee_schedule", args=[opened.employee.pk])
    )

    page = html(response)
    assert "Heemstede — Cyclus van jaargesprekken" in page
    assert "Klassiek" not in page
    assert "Voortgangsgesprek" in page


# -- queries -------------------------------------------------------------------------


def grow(cast) -> None:
    """30 more people reporting to the manager: most with a 2026 cycle (some on probation,
    some under a job group's own regulation), a few who joined after the cycles opened."""
    job = JobFactory(organisation=cast.organisation)
    load(
        cast.organisation,
        "wierden",
        in_force_from=datetime.date(2020, 1, 1),
        scope=Scope(job_group="Handhaving", jobs=(job,)),
    )
    for index in range(25):
        if index % 5 == 0:
            EmployeeFactory(unit=cast.team, on_probation=True, employment_start=datetime.date(2026, 1, 2))
        elif index % 5 == 1:
            EmployeeFactory(unit=cast.team, job=job)
        else:
            EmployeeFactory(unit=cast.team)
    cycles_open(organisation=cast.organisation, year=PERIOD, today=OPENED_ON)
    for _ in range(5):
        EmployeeFactory(unit=cast.team, employment_start=datetime.date(2026, 1, 12))
    employees_refresh_managers(organisation=cast.organisation)


def my_page(cast):
    return reverse("cycles:my_schedule")


def team_page(cast):
    return reverse("cycles:team_schedule")


def schedule_of_employee(cast):
    return reverse("cycles:employee_schedule", args=[cast.employee.pk])


CASES = [
    ("manager", team_page),
    ("manager", my_page),
    ("employee", my_page),
    ("manager", schedule_of_employee),
    ("director", schedule_of_employee),
]


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(("role", "page"), CASES, ids=[f"{role}-{page.__name__}" for role, page in CASES])
def test_page_uses_the_same_number_of_queries_as_the_team_grows(
    opened, login, django_assert_num_queries, role, page
):
    client = login(opened.user(role))
    url = page(opened)
    client.get(url)  # warm up anything cached per process
    queries_when_small = count_queries(client, url)
    grow(opened)
    with django_assert_num_queries(queries_when_small):
        response = client.get(url)
    assert response.status_code == 200


def test_growth_really_reaches_the_team_page(opened, login):
    """Guard for the test above: after growing, the team page has 32 rows, with and
    without a cycle, under two regulations."""
    grow(opened)
    response = login(opened.user("manager")).get(reverse("cycles:team_schedule"))
    members = response.context["members"]
    assert len(members) == 32
    assert sum(member["cycle"] is None for member in members) == 5
    regulations = {member["cycle"].regulation_version.regulation_id for member in members if member["cycle"]}
    assert regulations == {"heemstede", "wierden"}
    assert Employee.objects.filter(manager=opened.manager).count() == 32


def test_in_december_my_page_shows_the_next_cycle_opened_ahead_with_its_planning_due(
    cast, heemstede, login, time_machine
):
    """The 2026 planning window opens on 1 December 2025; HR opened the 2026 cycles in
    November. Without a 2025 cycle the page used to compute the never-opened 2025 period, all
    overdue, with no link to plan - while the reminder sent the employee right there."""
    cycles_open(organisation=cast.organisation, year=PERIOD, today=datetime.date(2025, 11, 24))
    time_machine.move_to(datetime.datetime(2025, 12, 3, 9, 0, tzinfo=AMSTERDAM), tick=False)

    response = login(cast.user("employee")).get(reverse("cycles:my_schedule"))

    schedule = response.context["schedule"]
    assert schedule.cycle is not None and schedule.cycle.year == PERIOD
    assert statuses(response)[0] == ("planning", "due")
    assert f'href="/gesprekken/plannen/{schedule.cycle.pk}/planning/"' in html(response)
