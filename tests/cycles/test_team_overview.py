"""The team overview (``cycles:team_schedule``): whose overview (my direct reports, or a
unit I oversee with everything below it), the filters, the sort orders, pagination, the
htmx partial and the number of queries.

Conversations and agreements are made through the services, as the pages would make
them: under Heemstede the manager plans the planning conversation on 5 January (the
manager holds the initiative from 15 December), it is held on 12 January, the employee
writes the report and the manager approves it. The views judge on ``timezone.localdate()``,
so every test stands still on a fixed day: 20 January 2026 (the planning window, 1 December
to 1 February, is open), or 10 February 2026 (it has closed). Assertions are on names,
personnel numbers, primary keys and URLs, which are not translated."""

import datetime
import re
import zoneinfo
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from gesprekscyclus.agreements.models import AgreementStatus
from gesprekscyclus.agreements.services import agreement_create, agreement_set_status
from gesprekscyclus.conversations.models import Status
from gesprekscyclus.conversations.services import (
    conversation_mark_held,
    conversation_plan,
    report_approve,
    report_finish,
    report_save,
)
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import cycles_open
from gesprekscyclus.cycles.views import sort_name
from gesprekscyclus.organisations.models import Employee, OrgUnit
from gesprekscyclus.organisations.services import employees_refresh_managers
from tests.agreements.conftest import agreement_values
from tests.cycles.helpers import OPENED_ON, PERIOD
from tests.cycles.test_pages import english, html, schedule_links
from tests.factories import EmployeeFactory, OrgUnitFactory

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
PLANNED_ON = OPENED_ON  # 5 January 2026: the manager took over the initiative on 15 December
PLANNING_DAY = datetime.date(2026, 1, 12)
UPCOMING_DAY = datetime.date(2026, 1, 27)
WINDOW_CLOSED = datetime.date(2026, 2, 10)  # the planning window closed on 1 February


def moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def on_a_fixed_day(time_machine):
    time_machine.move_to(moment(datetime.date(2026, 1, 20)), tick=False)


def team_url(**params) -> str:
    url = reverse("cycles:team_schedule")
    return f"{url}?{urlencode(params)}" if params else url


def members_of(response) -> list[str]:
    """Last names of the people listed, in the order shown."""
    return [member["person"].last_name for member in response.context["members"]]


def ordered_links(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/gesprekken/medewerkers/(\d+)/"', html(response))]


def sign_links(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/gesprekken/gesprek/(\d+)/ondertekenen/"', html(response))]


def report_links(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/gesprekken/gesprek/(\d+)/#report"', html(response))]


def planned_links(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/gesprekken/gesprek/(\d+)/"', html(response))]


def page_links(response) -> list[str]:
    """The hrefs of the pagination links (query strings), entities resolved."""
    return re.findall(r'href="(\?[^"]*pagina=\d+)"', html(response))


def rename(person: Employee, first_name: str, last_name: str) -> None:
    Employee.objects.filter(pk=person.pk).update(first_name=first_name, last_name=last_name)


# -- conversations and agreements, through the services -------------------------------


def loaded(person: Employee) -> Employee:
    return Employee.objects.select_related("user", "manager__user").get(pk=person.pk)


def plan_planning(person: Employee, *, day: datetime.date = PLANNING_DAY):
    """The manager plans the planning conversation (on 5 January) for ``day``."""
    person = loaded(person)
    return conversation_plan(
        cycle=Cycle.objects.get(employee=person, year=PERIOD),
        kind="planning",
        starts_at=moment(day),
        location="Raadhuis, kamer 2.14",
        acting_user=person.manager.user,
        today=PLANNED_ON,
    )


def held_planning(person: Employee):
    conversation = plan_planning(person)
    manager = loaded(person).manager
    return conversation_mark_held(
        conversation, held_on=PLANNING_DAY, acting_user=manager.user, today=PLANNING_DAY
    )


def report_written(person: Employee):
    """Held, and the employee finished the report: the manager is to read it."""
    conversation = held_planning(person)
    person = loaded(person)
    report_save(conversation, text="Afspraken over 2026", expected_version=1, acting_user=person.user)
    return report_finish(conversation, acting_user=person.user)


def ready_for_signing(person: Employee):
    conversation = report_written(person)
    conversation = report_approve(conversation, acting_user=loaded(person).manager.user)
    assert conversation.status == Status.READY_FOR_SIGNING
    return conversation


def agreements_at_risk(person: Employee, count: int):
    """Held, with ``count`` agreements that the manager then marks at risk."""
    conversation = held_planning(person)
    manager = loaded(person).manager
    for index in range(count):
        agreement = agreement_create(
            conversation=conversation,
            values=agreement_values(description=f"Afspraak {index + 1}"),
            acting_user=manager.user,
        )
        agreement_set_status(
            agreement,
            status=AgreementStatus.AT_RISK,
            explanation="Te weinig tijd door ziekte in het team",
            acting_user=manager.user,
        )
    return conversation


# -- a sector with a unit two levels down ---------------------------------------------


@pytest.fixture
def sector(cast, heemstede):
    """The cast with names, a unit two levels below the sector and a leaver; the 2026
    cycles open::

        SOC Sector Sociaal   Dijkstra (head)
        └── INK Team Inkomen   Meijer (head), Bakker, Mulder, (Leenders, left in 2025)
            └── ARM Team Armoede   Hendriks (head), Smit
        FYS Sector Fysiek    Ouwens in Team Vergunningen
    """
    rename(cast.director, "Dirk", "Dijkstra")
    rename(cast.manager, "Maria", "Meijer")
    rename(cast.employee, "Bram", "Bakker")
    rename(cast.colleague, "Mila", "Mulder")
    rename(cast.other_employee, "Olga", "Ouwens")
    deep = OrgUnitFactory(organisation=cast.organisation, code="ARM", name="Team Armoede", parent=cast.team)
    cast.deep = OrgUnit.objects.get(pk=deep.pk)
    cast.deep_head = EmployeeFactory(unit=deep, first_name="Hanna", last_name="Hendriks")
    OrgUnit.objects.filter(pk=deep.pk).update(head=cast.deep_head)
    cast.deep_member = EmployeeFactory(unit=deep, first_name="Sem", last_name="Smit")
    cast.leaver = EmployeeFactory(unit=cast.team, leaver=True, first_name="Lotte", last_name="Leenders")
    employees_refresh_managers(organisation=cast.organisation)
    cycles_open(organisation=cast.organisation, year=PERIOD, today=OPENED_ON)
    return cast


def pks(*people: Employee) -> set[int]:
    return {person.pk for person in people}


def everyone_in_the_sector(cast) -> set[int]:
    return pks(cast.director, cast.manager, cast.employee, cast.colleague, cast.deep_head, cast.deep_member)


@pytest.mark.parametrize("role", ["director", "hr_adviser", "hr_admin"])
def test_choosing_the_sector_lists_everyone_in_it_and_in_the_units_below(sector, login, role):
    response = login(sector.user(role)).get(team_url(unit=sector.sector.pk))

    assert response.status_code == 200
    expected = everyone_in_the_sector(sector)
    assert {member["person"].pk for member in response.context["members"]} == expected
    assert response.context["total"] == len(expected) == 6
    assert schedule_links(response) == expected
    assert response.context["unit"].pk == sector.sector.pk
    page = html(response)
    assert "Sem Smit" in page  # two levels below the sector
    assert "Team Armoede" in page
    assert "Ouwens" not in page  # the other sector
    assert "Leenders" not in page  # left in 2025
    assert f'<option value="{sector.sector.pk}" selected>' in page


def test_a_director_chooses_among_the_units_they_oversee(sector, login):
    response = login(sector.user("director")).get(team_url())

    overseen = [sector.sector.pk, sector.team.pk, sector.deep.pk]
    assert [unit.pk for unit in response.context["units"]] == overseen
    assert [int(pk) for pk in re.findall(r'<option value="(\d+)"', html(response))] == overseen
    # Without a choice: their direct reports (the head of Team Inkomen).
    assert schedule_links(response) == pks(sector.manager)


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("team", ("manager", "employee", "colleague", "deep_head", "deep_member")),
        ("deep", ("deep_head", "deep_member")),
    ],
)
def test_choosing_a_unit_lower_down_lists_only_that_part(sector, login, unit, expected):
    response = login(sector.user("director")).get(team_url(unit=getattr(sector, unit).pk))

    assert response.status_code == 200
    assert schedule_links(response) == {getattr(sector, name).pk for name in expected}
    assert response.context["total"] == len(expected)


def test_an_hr_administrator_may_choose_any_unit_of_the_organisation(sector, login):
    response = login(sector.user("hr_admin")).get(team_url(unit=sector.other_sector.pk))

    assert response.status_code == 200
    assert schedule_links(response) == pks(sector.other_director, sector.other_manager, sector.other_employee)
    assert "Olga Ouwens" in html(response)


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        ("director", "other_sector"),
        ("director", "other_team"),
        ("director", "root"),  # above the sector
        ("hr_adviser", "other_team"),
        ("other_director", "sector"),
        ("manager", "team"),  # heading a unit is not overseeing it
        ("employee", "team"),
        ("employee", "sector"),
    ],
)
def test_a_unit_outside_ones_scope_is_404(sector, login, role, unit):
    response = login(sector.user(role)).get(team_url(unit=getattr(sector, unit).pk))
    assert response.status_code == 404


@pytest.mark.parametrize("value", ["987654", "abc", "-1"])
def test_a_unit_that_does_not_exist_is_404(sector, login, value):
    assert login(sector.user("director")).get(team_url(unit=value)).status_code == 404


def test_sorting_by_unit_groups_people_by_unit_name_then_last_name(sector, login):
    client = login(sector.user("director"))

    by_unit = client.get(team_url(unit=sector.sector.pk, sort="unit"))
    by_name = client.get(team_url(unit=sector.sector.pk, sort="name"))

    # Sector Sociaal < Team Armoede < Team Inkomen
    assert members_of(by_unit) == ["Dijkstra", "Hendriks", "Smit", "Bakker", "Meijer", "Mulder"]
    assert ordered_links(by_unit) == [member["person"].pk for member in by_unit.context["members"]]
    assert members_of(by_name) == ["Bakker", "Dijkstra", "Hendriks", "Meijer", "Mulder", "Smit"]


def test_an_htmx_request_gets_only_the_table(sector, login):
    client = login(sector.user("director"))
    url = team_url(unit=sector.sector.pk, q="smit")

    partial = client.get(url, headers={"HX-Request": "true"})
    full = client.get(url)

    assert partial.status_code == 200
    assert partial.templates[0].name == "cycles/_team_table.html"
    assert "core/base.html" not in [template.name for template in partial.templates]
    content = partial.content.decode()
    assert "<html" not in content
    assert "<form" not in content
    # The title and the heading come along, so that they name the unit chosen in place.
    assert f"<title>Teamoverzicht: {sector.sector.name} — Gesprekscyclus</title>" in content
    assert f'<h1 id="team-heading" hx-swap-oob="true">Teamoverzicht: {sector.sector.name}</h1>' in content
    assert schedule_links(partial) == pks(sector.deep_member)  # the filter applies
    assert "<html" in full.content.decode()
    assert '<div id="team"' in full.content.decode()
    assert schedule_links(full) == pks(sector.deep_member)


def test_going_back_to_a_filtered_overview_gets_the_whole_page(sector, login):
    client = login(sector.user("director"))

    restored = client.get(
        team_url(unit=sector.sector.pk, q="smit"),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert "<html" in restored.content.decode()


# -- a team on 10 February: every status, at risk, signatures, waiting ------------------


@pytest.fixture
def team(cast, heemstede, time_machine):
    """The manager's team, on 10 February 2026 (the planning window closed on 1 February):

    ========  =====================================================  ============
    Bakker    nothing held                                           overdue
    Mulder    nothing held                                           overdue
    Aalders   on probation since 1 February: planning until 1 March  due
    Jansen    planning held                                          on track
    Peters    planning held, report ready for signing                on track
    Visser    planning held, 1 agreement at risk                     on track
    Yilmaz    planning held, 2 agreements at risk                    on track
    Zwart     planning held, report written: the manager reads it    on track
    Kok       joined on 5 February, after the cycles were opened     no cycle
    ========  =====================================================  ============
    """
    rename(cast.manager, "Maria", "Meijer")
    rename(cast.employee, "Bram", "Bakker")
    rename(cast.colleague, "Mila", "Mulder")
    people = {"Bakker": cast.employee, "Mulder": cast.colleague}
    for first_name, last_name in (
        ("Johan", "Jansen"),
        ("Pieter", "Peters"),
        ("Vera", "Visser"),
        ("Yusuf", "Yilmaz"),
        ("Zoë", "Zwart"),
    ):
        people[last_name] = EmployeeFactory(unit=cast.team, first_name=first_name, last_name=last_name)
    employees_refresh_managers(organisation=cast.organisation)
    cycles_open(organisation=cast.organisation, year=PERIOD, today=OPENED_ON)

    held_planning(people["Jansen"])
    cast.signing = ready_for_signing(people["Peters"])
    agreements_at_risk(people["Visser"], 1)
    agreements_at_risk(people["Yilmaz"], 2)
    cast.waiting = report_written(people["Zwart"])

    people["Aalders"] = EmployeeFactory(
        unit=cast.team,
        first_name="Anna",
        last_name="Aalders",
        appointment="probation",
        employment_start=datetime.date(2026, 2, 1),
        probation_end=datetime.date(2027, 2, 1),
    )
    employees_refresh_managers(organisation=cast.organisation)
    cycles_open(organisation=cast.organisation, year=PERIOD, today=datetime.date(2026, 2, 2))
    people["Kok"] = EmployeeFactory(
        unit=cast.team, first_name="Karin", last_name="Kok", employment_start=datetime.date(2026, 2, 5)
    )
    employees_refresh_managers(organisation=cast.organisation)
    Employee.objects.filter(pk=people["Jansen"].pk).update(personnel_number="P4711")
    Employee.objects.filter(pk=people["Kok"].pk).update(personnel_number="P47110")

    time_machine.move_to(moment(WINDOW_CLOSED), tick=False)
    cast.people = people
    return cast


EVERYONE = {"Aalders", "Bakker", "Jansen", "Kok", "Mulder", "Peters", "Visser", "Yilmaz", "Zwart"}


def test_each_row_shows_what_is_due_what_is_at_risk_and_what_waits(team, login):
    response = login(team.user("manager")).get(team_url())

    assert response.status_code == 200
    rows = {member["person"].last_name: member for member in response.context["members"]}
    assert set(rows) == EVERYONE
    assert response.context["total"] == 9
    summary = {
        name: (row["overdue"], row["due"], row["at_risk"], len(row["waiting"]), len(row["signing"]))
        for name, row in rows.items()
    }
    assert summary == {
        "Aalders": (0, 1, 0, 0, 0),
        "Bakker": (1, 0, 0, 0, 0),
        "Jansen": (0, 0, 0, 0, 0),
        "Kok": (0, 0, 0, 0, 0),
        "Mulder": (1, 0, 0, 0, 0),
        "Peters": (0, 0, 0, 0, 1),
        "Visser": (0, 0, 1, 0, 0),
        "Yilmaz": (0, 0, 2, 0, 0),
        "Zwart": (0, 0, 0, 1, 0),
    }
    assert rows["Kok"]["cycle"] is None
    page = html(response)
    assert 'gc-agreement--at_risk">2</span>' in page
    assert 'gc-agreement--at_risk">1</span>' in page
    assert sign_links(response) == [team.signing.pk]
    assert report_links(response) == [team.waiting.pk]
    assert page.count("gc-status--overdue") == 2


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "overdue"}, {"Bakker", "Mulder"}),
        ({"status": "due"}, {"Aalders"}),
        ({"status": "on_track"}, {"Jansen", "Peters", "Visser", "Yilmaz", "Zwart"}),
        ({"status": "no_cycle"}, {"Kok"}),
        ({"status": "unknown"}, EVERYONE),  # ignored
        ({"at_risk": "1"}, {"Visser", "Yilmaz"}),
        ({"signatures": "1"}, {"Peters"}),
        ({"status": "on_track", "at_risk": "1"}, {"Visser", "Yilmaz"}),
        ({"status": "overdue", "at_risk": "1"}, set()),
        ({"q": "yilmaz"}, {"Yilmaz"}),
        ({"q": "ZWART"}, {"Zwart"}),
        ({"q": "Vera Visser"}, {"Visser"}),
        ({"q": "visser vera"}, {"Visser"}),
        ({"q": "Vera Zwart"}, set()),  # every word must match
        ({"q": "  "}, EVERYONE),
        ({"q": "ser", "status": "on_track"}, {"Visser"}),
    ],
)
def test_filters_narrow_the_list(team, login, params, expected):
    response = login(team.user("manager")).get(team_url(**params))

    assert response.status_code == 200
    assert set(members_of(response)) == expected
    assert response.context["total"] == len(expected)
    assert schedule_links(response) == {team.people[name].pk for name in expected}


def test_a_search_matches_a_personnel_number_exactly(team, login):
    client = login(team.user("manager"))

    assert members_of(client.get(team_url(q="P4711"))) == ["Jansen"]  # not Kok's P47110
    assert members_of(client.get(team_url(q="p47110"))) == ["Kok"]
    assert members_of(client.get(team_url(q="P471"))) == []  # part of a number is no match
    assert members_of(client.get(team_url(q="johan p4711"))) == ["Jansen"]


def test_when_nobody_matches_the_page_says_so(team, login):
    response = english(login(team.user("manager"))).get(team_url(q="Nobody"))

    assert response.context["members"] == []
    assert response.context["total"] == 0
    assert "Nobody matches these filters." in html(response)


def test_signatures_pending_links_to_the_signing_page(team, login):
    response = login(team.user("manager")).get(team_url(signatures="1"))

    [member] = response.context["members"]
    assert member["person"].pk == team.people["Peters"].pk
    assert [conversation.pk for conversation in member["signing"]] == [team.signing.pk]
    sign_url = reverse("signatures:sign", args=[team.signing.pk])
    assert f'<a href="{sign_url}">Planningsgesprek</a>' in html(response)
    assert 'name="signatures" value="1" checked' in html(response)


URGENCY = ["Zwart", "Yilmaz", "Visser", "Bakker", "Mulder", "Aalders", "Jansen", "Kok", "Peters"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        # Reports waiting for me, most agreements at risk, overdue, due, then last name.
        (None, URGENCY),
        ("urgency", URGENCY),
        ("nonsense", URGENCY),
        ("name", ["Aalders", "Bakker", "Jansen", "Kok", "Mulder", "Peters", "Visser", "Yilmaz", "Zwart"]),
        # Planning until 1 February (overdue), until 1 March (Aalders), progress from
        # 2 June until 2 August for those who held their planning; no cycle last.
        ("next", ["Bakker", "Mulder", "Aalders", "Jansen", "Peters", "Visser", "Yilmaz", "Zwart", "Kok"]),
    ],
)
def test_sort_orders(team, login, sort, expected):
    response = login(team.user("manager")).get(team_url(sort=sort) if sort else team_url())

    assert members_of(response) == expected
    assert ordered_links(response) == [team.people[name].pk for name in expected]
    assert response.context["sort"] == (sort if sort in ("name", "next") else "urgency")


def test_the_next_deadline_is_the_one_sorted_on(team, login):
    response = login(team.user("manager")).get(team_url(sort="next"))

    deadlines = {
        member["person"].last_name: (member["next"].item.kind, member["next"].item.due_by)
        for member in response.context["members"]
        if member["next"] is not None
    }
    assert deadlines["Bakker"] == ("planning", datetime.date(2026, 2, 1))
    assert deadlines["Aalders"] == ("planning", datetime.date(2026, 3, 1))
    assert deadlines["Jansen"] == ("progress", datetime.date(2026, 8, 2))
    assert "Kok" not in deadlines


# -- pagination ---------------------------------------------------------------------


@pytest.fixture
def crowded(cast, heemstede):
    """Team Werk below the sector: a head and 56 people (Werker 01..56), all with a cycle
    and their planning due on 20 January; one more who joined after the cycles were opened."""
    unit = OrgUnitFactory(organisation=cast.organisation, code="WRK", name="Team Werk", parent=cast.sector)
    head = EmployeeFactory(unit=unit, first_name="Hans", last_name="Hoofd")
    OrgUnit.objects.filter(pk=unit.pk).update(head=head)
    for index in range(1, 57):
        EmployeeFactory(unit=unit, first_name="Wim", last_name=f"Werker {index:02d}")
    employees_refresh_managers(organisation=cast.organisation)
    cycles_open(organisation=cast.organisation, year=PERIOD, today=OPENED_ON)
    cast.joiner = EmployeeFactory(unit=unit, employment_start=datetime.date(2026, 1, 12))
    employees_refresh_managers(organisation=cast.organisation)
    return cast


def test_pages_of_fifty_keep_the_filters_in_their_links(crowded, login):
    client = login(crowded.user("director"))
    due = set(
        Employee.objects.filter(unit__path__startswith=crowded.sector.path)
        .exclude(pk=crowded.joiner.pk)
        .values_list("pk", flat=True)
    )
    assert len(due) == 61  # director, manager, employee, colleague, head, 56 people

    first = client.get(team_url(unit=crowded.sector.pk, status="due", sort="name"))

    assert first.context["total"] == 61
    assert len(first.context["members"]) == 50
    [next_link] = page_links(first)
    query = parse_qs(urlsplit(next_link).query)
    assert query == {"unit": [str(crowded.sector.pk)], "status": ["due"], "sort": ["name"], "pagina": ["2"]}

    second = client.get(reverse("cycles:team_schedule") + next_link)

    assert second.status_code == 200
    assert second.context["total"] == 61
    assert len(second.context["members"]) == 11
    [previous_link] = page_links(second)
    assert parse_qs(urlsplit(previous_link).query) == {
        "unit": [str(crowded.sector.pk)],
        "status": ["due"],
        "sort": ["name"],
        "pagina": ["1"],
    }
    listed = [member["person"] for member in first.context["members"] + second.context["members"]]
    assert {person.pk for person in listed} == due
    assert crowded.joiner.pk not in {person.pk for person in listed}
    names = [sort_name(person) for person in listed]
    assert names == sorted(names)
    assert all(member["due"] == 1 for member in second.context["members"])


def test_without_filters_the_second_page_holds_the_rest(crowded, login):
    client = english(login(crowded.user("director")))

    response = client.get(team_url(unit=crowded.sector.pk, pagina=2))

    assert response.context["total"] == 62  # the joiner without a cycle too
    assert len(response.context["members"]) == 12
    assert "Page 2 of 2" in html(response)
    [previous_link] = page_links(response)
    assert parse_qs(urlsplit(previous_link).query) == {"unit": [str(crowded.sector.pk)], "pagina": ["1"]}


# -- queries ------------------------------------------------------------------------


def add_unit(cast, parent, code: str, members: int) -> list[Employee]:
    """A unit with a head and ``members`` people; returns ``[head, *members]``."""
    unit = OrgUnitFactory(organisation=cast.organisation, code=code, name=f"Team {code}", parent=parent)
    head = EmployeeFactory(unit=unit)
    OrgUnit.objects.filter(pk=unit.pk).update(head=head)
    people = [EmployeeFactory(unit=unit) for _ in range(members)]
    EmployeeFactory(unit=unit, leaver=True)
    return [head, *people]


def grow(cast) -> None:
    """Four more units below the sector (one of them two levels down), each with a head
    and six people with conversations in every state, and a newcomer without a cycle."""
    units = [add_unit(cast, cast.sector, f"S{index}", 6) for index in range(3)]
    units.append(add_unit(cast, cast.deep, "D0", 6))
    employees_refresh_managers(organisation=cast.organisation)
    cycles_open(organisation=cast.organisation, year=PERIOD, today=OPENED_ON)
    for head, *people in units:
        report_written(head)  # waits for the director when the head reports to them
        agreements_at_risk(people[0], 2)
        ready_for_signing(people[1])
        plan_planning(people[2], day=UPCOMING_DAY)
        held_planning(people[3])
        EmployeeFactory(unit=head.unit, employment_start=PLANNING_DAY)
    employees_refresh_managers(organisation=cast.organisation)


@pytest.fixture
def busy_sector(sector):
    """The sector with one conversation of each kind: Bakker's agreement at risk, Mulder's
    report ready for signing, Meijer's report waiting for the director, Smit's planned."""
    agreements_at_risk(sector.employee, 1)
    ready_for_signing(sector.colleague)
    report_written(sector.manager)
    plan_planning(sector.deep_member, day=UPCOMING_DAY)
    return sector


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_a_units_overview_uses_as_many_queries_for_many_people_as_for_a_few(
    busy_sector, login, django_assert_num_queries
):
    client = login(busy_sector.user("director"))
    url = team_url(unit=busy_sector.sector.pk)
    before = client.get(url)  # also warms up anything cached per process
    queries_when_small = count_queries(client, url)

    grow(busy_sector)
    with django_assert_num_queries(queries_when_small):
        after = client.get(url)

    # The growth really reaches the page.
    assert before.context["total"] == 6
    assert after.context["total"] == 6 + 4 * 8
    assert len(after.context["members"]) == 38
    assert sum(member["cycle"] is None for member in after.context["members"]) == 4
    assert (len(sign_links(before)), len(sign_links(after))) == (1, 5)
    assert (len(report_links(before)), len(report_links(after))) == (1, 4)  # three heads report to me
    assert (len(planned_links(before)), len(planned_links(after))) == (1, 5)
    at_risk = [member["at_risk"] for member in after.context["members"] if member["at_risk"]]
    assert sorted(at_risk) == [1, 2, 2, 2, 2]
    assert html(after).count("gc-agreement--at_risk") == 5


def test_names_sort_on_the_surname_not_its_prefix_or_case(cast, heemstede, login):
    """Dutch practice: "de Jong" sorts under J and "van Dijk" under D."""
    for first_name, last_name in (
        ("Anna", "Smit"),
        ("Bert", "de Jong"),
        ("Cees", "van Dijk"),
        ("Dirk", "Dijkstra"),
    ):
        EmployeeFactory(unit=cast.team, first_name=first_name, last_name=last_name)
    employees_refresh_managers(organisation=cast.organisation)

    response = login(cast.user("manager")).get(reverse("cycles:team_schedule") + "?sort=name")

    # Compare the four people made here only: the cast's generated names may share a surname.
    made = {"Anna", "Bert", "Cees", "Dirk"}
    order = [m["person"].last_name for m in response.context["members"] if m["person"].first_name in made]
    assert order == ["van Dijk", "Dijkstra", "de Jong", "Smit"]
