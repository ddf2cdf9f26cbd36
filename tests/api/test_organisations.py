"""``organisations/`` has filters like the other lists: by the whole name or a part of it."""

from pathlib import Path

import yaml

from gesprekscyclus.organisations.models import Role
from tests.factories import RoleAssignmentFactory

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_organisations_are_filtered_by_name_and_by_part_of_the_name(cast, as_user):
    user = cast.user("hr_admin")
    RoleAssignmentFactory(
        user=user, organisation=cast.foreign_employee.organisation, role=Role.HR_ADMIN, unit=None
    )
    client = as_user(user)
    assert _names(client.get("/api/v1/organisations/")) == ["Gemeente Elders", "Gemeente Teststad"]
    assert _names(client.get("/api/v1/organisations/", {"search": "TESTST"})) == ["Gemeente Teststad"]
    assert _names(client.get("/api/v1/organisations/", {"name": "gemeente elders"})) == ["Gemeente Elders"]
    assert _names(client.get("/api/v1/organisations/", {"name": "Elders"})) == []  # the whole name
    assert _names(client.get("/api/v1/organisations/", {"ordering": "-name"})) == [
        "Gemeente Teststad",
        "Gemeente Elders",
    ]


def test_the_filters_never_show_an_organisation_you_have_nothing_to_do_with(cast, as_user):
    client = as_user(cast.user("hr_admin"))
    assert _names(client.get("/api/v1/organisations/", {"search": "Elders"})) == []
    assert _names(client.get("/api/v1/organisations/", {"name": "Gemeente Elders"})) == []


def test_the_schema_documents_the_organisation_filters():
    schema = yaml.safe_load(SCHEMA.read_text())
    parameters = {p["name"] for p in schema["paths"]["/api/v1/organisations/"]["get"]["parameters"]}
    assert {"name", "search", "ordering", "page", "page_size"} <= parameters
