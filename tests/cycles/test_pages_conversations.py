"""The cycle pages with conversations in them cost the same number of queries whatever
the size of the team.

Each report has, through the pages, a held planning conversation with a finished report
waiting for the manager, an agreement made in it, and a planned progress conversation.
The pages are measured with two reports (the cast's employee and colleague), the team
grows to twenty reports with the same history, and every page is measured again: the
counts must be equal. A failure lists the queries of the page that grew.

Heemstede is in force; the cycles were opened on 5 January; everything happens on
20 January 2026 (the planning conversations at 8:00, the pages at 10:00)."""

import datetime

import pytest

from gesprekscyclus.organisations.services import employees_refresh_managers
from tests.conversations.pages_helpers import (
    assert_same_query_counts,
    browser,
    detail_page,
    first_conversations,
    my_page,
    queries_of,
    schedule_page,
    team_page,
    travel,
)
from tests.cycles.helpers import open_cycles
from tests.factories import EmployeeFactory

TODAY = datetime.date(2026, 1, 20)
GROWN_TEAM = 20


@pytest.fixture
def team(cast, heemstede, time_machine):
    """The cast with the 2026 cycles open; both reports of the manager have had their
    planning conversation today."""
    travel(time_machine, datetime.date(2026, 1, 5), 9)
    open_cycles(today=datetime.date(2026, 1, 5))
    travel(time_machine, TODAY)
    manager = browser(cast.user("manager"))
    cast.conversations = {
        person.pk: first_conversations(manager, person, browser(person.user), TODAY)
        for person in (cast.employee, cast.colleague)
    }
    return cast


def grow(cast, size: int = GROWN_TEAM) -> None:
    """More reports for the manager, each with the same conversations and agreement."""
    newcomers = [EmployeeFactory(unit=cast.team) for _ in range(size - 2)]
    employees_refresh_managers(organisation=cast.organisation)
    open_cycles(today=datetime.date(2026, 1, 5))
    manager = browser(cast.user("manager"))
    for person in newcomers:
        first_conversations(manager, person, browser(person.user), TODAY)


def pages(cast) -> dict[str, tuple[str, str]]:
    planning = cast.conversations[cast.employee.pk]["planning"]
    progress = cast.conversations[cast.employee.pk]["progress"]
    return {
        "manager: team page": ("manager", team_page()),
        "manager: own cycle page": ("manager", my_page()),
        "manager: the employee's cycle page": ("manager", schedule_page(cast.employee)),
        "manager: the planning conversation": ("manager", detail_page(planning)),
        "manager: the progress conversation": ("manager", detail_page(progress)),
        "employee: own cycle page": ("employee", my_page()),
        "employee: the planning conversation": ("employee", detail_page(planning)),
        "director: the employee's cycle page": ("director", schedule_page(cast.employee)),
        "director: the planning conversation": ("director", detail_page(planning)),
        "director: team page": ("director", team_page()),
    }


def measure(cast) -> dict[str, list[str]]:
    clients = {}
    measured = {}
    for name, (role, url) in pages(cast).items():
        client = clients.setdefault(role, browser(cast.user(role)))
        measured[name] = queries_of(client, url)
    return measured


def test_the_conversation_pages_use_as_many_queries_for_twenty_reports_as_for_two(team):
    before = measure(team)
    grow(team)
    after = measure(team)
    assert_same_query_counts(before, after)

    # The growth really reaches the pages: twenty people, each with a planned conversation,
    # a held one and a report waiting for the manager.
    response = browser(team.user("manager")).get(team_page())
    members = response.context["members"]
    assert len(members) == GROWN_TEAM
    assert all(member["upcoming"] is not None for member in members)
    assert all(len(member["waiting"]) == 1 for member in members)
    assert all(member["rows"][0].status == "done" for member in members)
    assert response.content.decode().count("#report") == GROWN_TEAM
