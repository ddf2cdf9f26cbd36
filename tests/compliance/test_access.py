"""Who sees which part of the dashboard: only the units one directs, advises or
administers (with everything below them); everything else is "not found", as is a query
the dashboard cannot read."""

import pytest
from django.urls import reverse

from gesprekscyclus.organisations.models import Role
from gesprekscyclus.organisations.services import role_assign
from tests.compliance.conftest import dashboard_url, export_url
from tests.compliance.pages import figures_numbers, page, table, unit_options
from tests.compliance.scenario import TODAY, count_directly, subtree

SOCIAAL_PEOPLE = [  # everyone in Sector Sociaal and below, overdue since 1 February, by last name
    "Cas Claassen",
    "Daan Dekker",
    "Emma Evers",
    "Hugo Hendriks",
    "Mila Mulder",
    "Puck Prins",
    "Tim Tromp",
]
FYSIEK_PEOPLE = ["Noor Nijhuis", "Olga Oosterhuis", "Sven Smit"]
# In Team P&O (the top unit's head, Anna Aalders, is the director's manager and shows as such).
ELSEWHERE_PEOPLE = ["Lars Lammers", "Rik Rutten"]


def overdue_names(response) -> list[str]:
    return [name for name, _ in table(response, "overdue")]


def all_pages(unit_pk: int) -> list[str]:
    return [
        dashboard_url(unit=unit_pk),
        export_url("csv", unit=unit_pk),
        export_url("csv", unit=unit_pk, table="overdue"),
        export_url("xlsx", unit=unit_pk),
    ]


def test_a_director_sees_only_their_own_sector(refreshed, viewer):
    cast = refreshed.cast
    response = viewer(cast.user("director")).get(dashboard_url())
    assert response.status_code == 200
    board = response.context["board"]
    assert board.unit == cast.sector
    assert unit_options(response) == ["Sector Sociaal", "Team Inkomen", "Team Noord"]
    assert [name for name, _ in table(response, "units")] == ["Sector Sociaal itself", "Team Inkomen"]
    assert figures_numbers(board.totals) == count_directly(subtree(cast.sector), TODAY).numbers()
    assert overdue_names(response) == SOCIAAL_PEOPLE
    html = page(response)
    for name in [*FYSIEK_PEOPLE, *ELSEWHERE_PEOPLE, "Sector Fysiek", "Team Vergunningen", "Team P&amp;O"]:
        assert name not in html

    # The other director sees the other sector, and only that.
    response = viewer(cast.user("other_director")).get(dashboard_url())
    assert unit_options(response) == ["Sector Fysiek", "Team Vergunningen"]
    assert overdue_names(response) == FYSIEK_PEOPLE
    assert not any(name in page(response) for name in SOCIAAL_PEOPLE)


@pytest.mark.parametrize("unit", ["other_sector", "other_team", "root", "hr_unit"])
def test_a_director_cannot_open_a_unit_outside_their_sector(refreshed, viewer, unit):
    cast = refreshed.cast
    unit_pk = cast.hr_admin.unit_id if unit == "hr_unit" else getattr(cast, unit).pk
    client = viewer(cast.user("director"))
    assert client.get(dashboard_url(unit=cast.team.pk)).status_code == 200  # inside: fine
    for url in all_pages(unit_pk):
        assert client.get(url).status_code == 404, url


def test_an_hr_adviser_sees_the_unit_they_advise_and_nothing_beside_or_above_it(refreshed, viewer):
    cast = refreshed.cast
    # The cast's HR adviser advises Sector Sociaal.
    client = viewer(cast.user("hr_adviser"))
    response = client.get(dashboard_url())
    assert unit_options(response) == ["Sector Sociaal", "Team Inkomen", "Team Noord"]
    assert overdue_names(response) == SOCIAAL_PEOPLE
    for url in all_pages(cast.other_sector.pk):
        assert client.get(url).status_code == 404, url

    # Someone made HR adviser for Team Inkomen only.
    adviser = cast.other_employee.user
    role_assign(user=adviser, organisation=cast.organisation, role=Role.HR_ADVISER, unit=cast.team)
    client = viewer(adviser)
    response = client.get(dashboard_url())
    assert response.status_code == 200
    assert response.context["board"].unit == cast.team
    assert unit_options(response) == ["Team Inkomen", "Team Noord"]
    assert overdue_names(response) == [
        "Cas Claassen",
        "Emma Evers",
        "Hugo Hendriks",
        "Mila Mulder",
        "Puck Prins",
        "Tim Tromp",
    ]
    assert client.get(dashboard_url(unit=refreshed.north.pk)).status_code == 200
    for unit in (cast.sector, cast.root, cast.other_team):
        for url in all_pages(unit.pk):
            assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("who", ["employee", "manager", "outsider"])
def test_someone_without_an_oversight_role_gets_not_found(refreshed, viewer, who):
    """An employee, a team manager (the head of a unit, but no director or HR role) and
    someone with an account but no employee record."""
    cast = refreshed.cast
    client = viewer(cast.user(who))
    for url in [dashboard_url(), export_url("csv"), export_url("csv", table="overdue"), export_url("xlsx")]:
        assert client.get(url).status_code == 404, url
    for url in all_pages(cast.team.pk):
        assert client.get(url).status_code == 404, url


def test_an_anonymous_visitor_is_sent_to_log_in(refreshed, client, travel):
    travel()
    for url in (dashboard_url(), export_url("csv")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_an_hr_administrator_of_another_organisation_sees_only_their_own(refreshed, viewer):
    cast = refreshed.cast
    foreign = cast.foreign_employee
    role_assign(user=foreign.user, organisation=foreign.organisation, role=Role.HR_ADMIN)
    client = viewer(foreign.user)
    response = client.get(dashboard_url())
    assert response.status_code == 200
    assert response.context["board"].unit.organisation_id == foreign.organisation_id
    assert response.context["board"].totals.employees == 0
    assert not any(name in page(response) for name in SOCIAAL_PEOPLE + FYSIEK_PEOPLE)
    for url in all_pages(cast.root.pk):
        assert client.get(url).status_code == 404, url


MALFORMED = [
    ("unit", "abc"),
    ("unit", "0"),
    ("unit", "-1"),
    ("unit", "1.5"),
    ("unit", "1e3"),
    ("unit", "99999999999999999999"),
    ("unit", "0x10"),
    ("period", "abc"),
    ("period", "1800"),
    ("period", "2101"),
    ("period", "20260"),
    ("period", "-2026"),
    ("period", "2026.0"),
]


@pytest.mark.parametrize(("name", "value"), MALFORMED, ids=[f"{n}={v}" for n, v in MALFORMED])
def test_a_malformed_query_is_not_found_rather_than_an_error(refreshed, viewer, name, value):
    client = viewer(refreshed.cast.user("hr_admin"))
    for url in (
        dashboard_url(**{name: value}),
        export_url("csv", **{name: value}),
        export_url("xlsx", **{name: value}),
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("value", ["²", "①", "２０２６"])
def test_a_query_with_non_ascii_digits_is_not_found(refreshed, viewer, value):
    """``str.isdigit`` says yes to these, but ``int`` cannot read the first two (once a
    server error); the full-width ones are not a number a link of ours ever holds."""
    client = viewer(refreshed.cast.user("hr_admin"))
    for name in ("unit", "period"):
        for url in (dashboard_url(**{name: value}), export_url("csv", **{name: value})):
            assert client.get(url).status_code == 404, url
