"""HR core systems keep employees up to date through the API: upsert by personnel
number, one at a time or in bulk, with the import's checks and all-or-nothing writes."""

import pytest

from gesprekscyclus.api.models import Scope
from gesprekscyclus.organisations.models import Employee

PROBLEM = "application/problem+json"


@pytest.fixture
def writer(issue_token):
    return issue_token(Scope.READ, Scope.EMPLOYEES_WRITE)[1]


def url(cast, number: str) -> str:
    return f"/api/v1/organisations/{cast.organisation.pk}/employees/{number}/"


def new_employee(**changes) -> dict:
    return {
        "first_name": "Noor",
        "last_name": "de Wit",
        "email": "noor.dewit@teststad.nl",
        "unit_code": "INK",
        "job_title": "Consulent",
        "hours_per_week": "32.00",
        "employment_start": "2026-02-01",
        "appointment": "temporary",
        **changes,
    }


def test_put_creates_an_employee_under_the_unit_head(cast, writer):
    response = writer.put(url(cast, "900001"), new_employee(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["personnel_number"] == "900001" and body["unit_code"] == "INK"
    assert body["manager"] == cast.manager.pk  # the head of Team Inkomen
    employee = Employee.objects.get(organisation=cast.organisation, personnel_number="900001")
    assert employee.email == "noor.dewit@teststad.nl" and str(employee.hours_per_week) == "32.00"


def test_put_again_updates_and_leaves_everyone_else_alone(cast, writer):
    writer.put(url(cast, "900001"), new_employee(), format="json")
    before = {e.pk: e.updated_at for e in Employee.objects.exclude(personnel_number="900001")}
    response = writer.put(
        url(cast, "900001"), new_employee(unit_code="VER", last_name="Visser"), format="json"
    )
    assert response.status_code == 200
    assert response.json()["manager"] == cast.other_manager.pk
    assert Employee.objects.get(personnel_number="900001").last_name == "Visser"
    assert {e.pk: e.updated_at for e in Employee.objects.exclude(personnel_number="900001")} == before


def test_an_existing_employee_keeps_their_account_when_updated(cast, writer):
    employee = cast.employee
    response = writer.put(
        url(cast, employee.personnel_number),
        new_employee(
            first_name=employee.first_name,
            last_name=employee.last_name,
            email=employee.email,
            employment_start="2020-01-01",
            appointment="permanent",
            hours_per_week="24",
        ),
        format="json",
    )
    assert response.status_code == 200
    employee.refresh_from_db()
    assert employee.user_id == cast.user("employee").pk and employee.hours_per_week == 24


def test_an_unknown_unit_is_refused_with_the_field_and_nothing_is_written(cast, writer):
    response = writer.put(url(cast, "900002"), new_employee(unit_code="NOPE"), format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    errors = response.json()["errors"]
    assert [(e["field"], e["row"]) for e in errors] == [("employees.unit_code", 1)]
    assert "NOPE" in errors[0]["message"]
    assert not Employee.objects.filter(personnel_number="900002").exists()


def test_malformed_input_names_each_field(cast, writer):
    response = writer.put(
        url(cast, "900003"),
        {"first_name": "", "email": "geen-adres", "employment_start": "31-02-2026"},
        format="json",
    )
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"first_name", "email", "employment_start", "last_name", "unit_code"} <= fields


def test_a_json_body_that_is_not_json_is_a_clear_400(cast, writer):
    response = writer.generic("PUT", url(cast, "900004"), "{niet json", content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize("role", ["director", "hr_adviser", "manager", "employee"])
def test_only_the_hr_administrator_upserts(cast, as_user, role):
    response = as_user(cast.user(role)).put(url(cast, "900005"), new_employee(), format="json")
    assert response.status_code == 403
    assert not Employee.objects.filter(personnel_number="900005").exists()


def test_another_organisation_is_not_found(cast, as_user):
    other = cast.foreign_employee.organisation
    response = as_user(cast.user("hr_admin")).put(
        f"/api/v1/organisations/{other.pk}/employees/900006/", new_employee(), format="json"
    )
    assert response.status_code == 404


def test_bulk_import_upserts_units_and_employees_in_one_go(cast, writer):
    body = {
        "units": [
            {"code": "WMO", "name": "Team Wmo", "parent_code": "SOC", "head_personnel_number": "900010"}
        ],
        "employees": [
            new_employee(personnel_number="900010", unit_code="WMO", email="a@teststad.nl"),
            new_employee(personnel_number="900011", unit_code="WMO", email="b@teststad.nl"),
        ],
    }
    dry = writer.post(
        f"/api/v1/organisations/{cast.organisation.pk}/import/", {**body, "dry_run": True}, format="json"
    )
    assert dry.status_code == 200 and dry.json()["employees_create"] == 2 and dry.json()["dry_run"] is True
    assert not Employee.objects.filter(personnel_number="900010").exists()
    response = writer.post(f"/api/v1/organisations/{cast.organisation.pk}/import/", body, format="json")
    assert response.status_code == 200
    assert response.json() | {} == {
        "dry_run": False,
        "units_create": 1,
        "units_update": 0,
        "units_unchanged": 0,
        "employees_create": 2,
        "employees_update": 0,
        "employees_unchanged": 0,
    }
    assert Employee.objects.get(personnel_number="900011").manager.personnel_number == "900010"


def test_one_bad_row_in_a_bulk_import_writes_nothing_and_names_the_row(cast, writer):
    body = {
        "employees": [
            new_employee(personnel_number="900020", email="a@teststad.nl"),
            new_employee(personnel_number="900021", email="b@teststad.nl", manager_personnel_number="404404"),
        ]
    }
    response = writer.post(f"/api/v1/organisations/{cast.organisation.pk}/import/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["field"], e["row"]) for e in errors] == [("employees.manager_personnel_number", 2)]
    assert not Employee.objects.filter(personnel_number__in=["900020", "900021"]).exists()


def test_get_by_personnel_number_follows_view_employee(cast, as_user):
    path = url(cast, cast.employee.personnel_number)
    assert as_user(cast.user("manager")).get(path).json()["id"] == cast.employee.pk
    assert as_user(cast.user("other_manager")).get(path).status_code == 404
    assert as_user(cast.user("hr_admin")).get(url(cast, "does-not-exist")).status_code == 404
