"""Property-based tests of the API against its committed contract (``docs/api/openapi.yaml``)
with Schemathesis: for every operation, requests generated from the schema (valid ones, with
path ids of real objects of the world and random ones), sent to the Django WSGI application
as two different people, must give no server error, only documented status codes and
content types, and bodies that match the documented schemas.

The examples are derandomized (the same run every time); each person's run is one test
(one world, rolled back afterwards), and every failing operation is reported at once.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from gesprekscyclus.agreements.models import Agreement
from gesprekscyclus.api.authentication import TOKEN_PREFIX
from gesprekscyclus.api.models import ApiToken, Scope, hash_secret
from gesprekscyclus.assessments.models import Assessment
from gesprekscyclus.conversations.models import Conversation
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.feedback.models import Feedback
from gesprekscyclus.notifications.models import Notification
from gesprekscyclus.organisations.models import Employee, Organisation, OrgUnit
from gesprekscyclus.regulations.models import RegulationVersion
from tests.api.world import PASSWORD, World, build_world

ROOT = Path(__file__).resolve().parents[2]
# The contract under test: the committed schema (``make schema`` writes it).
SCHEMA_PATH = ROOT / "docs" / "api" / "openapi.yaml"
# Examples per operation: valid requests (``positive``) and requests that break the
# schema (``negative``: wrong types, missing fields, odd path values), which must be
# refused with a documented problem, never a server error or an HTML page.
MAX_EXAMPLES = {GenerationMode.POSITIVE: 20, GenerationMode.NEGATIVE: 8}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# The people the API is tried as: the HR administrator (sees the whole organisation and
# may write employees) and a plain employee (sees their own things).
PEOPLE = ("hr_admin", "employee")

MODELS = {
    "organisations": Organisation,
    "units": OrgUnit,
    "employees": Employee,
    "regulations": RegulationVersion,
    "cycles": Cycle,
    "conversations": Conversation,
    "agreements": Agreement,
    "assessments": Assessment,
    "feedback": Feedback,
    "dossier-entries": DossierEntry,
    "notifications": Notification,
}


@pytest.fixture(scope="module")
def schema():
    return schemathesis.openapi.from_path(SCHEMA_PATH)


@pytest.fixture
def world(cast) -> World:
    """The rich world of ``tests/api/world.py`` on top of the cast."""
    return build_world(cast)


def token_for(user, organisation) -> str:
    """A token with every scope held by ``user`` (made directly: the issuing service is
    for HR administrators only, and the employee needs one too)."""
    prefix, secret = secrets.token_hex(4), secrets.token_urlsafe(32)
    ApiToken.objects.create(
        organisation=organisation,
        name=f"Schemathesis {user.pk}",
        prefix=prefix,
        secret_hash=hash_secret(secret),
        scopes=list(Scope.values),
        created_by=user,
    )
    return f"{TOKEN_PREFIX}{prefix}_{secret}"


def existing_path_parameters(world: World, operation) -> st.SearchStrategy[dict]:
    """Path parameters naming real objects of the world (theirs and other people's)."""
    path = operation.path
    if "{organisation_id}" in path:
        employees = list(Employee.objects.values_list("organisation_id", "personnel_number"))
        organisation = st.sampled_from(sorted({org for org, _ in employees}))
        if "{personnel_number}" in path:
            return st.sampled_from(employees).map(
                lambda pair: {"organisation_id": pair[0], "personnel_number": pair[1]}
            )
        return organisation.map(lambda org: {"organisation_id": org})
    if "{id}" in path:
        resource = path.removeprefix("/api/v1/").split("/")[0]
        ids = sorted(MODELS[resource].objects.values_list("pk", flat=True))
        return st.sampled_from(ids).map(lambda pk: {"id": pk})
    return st.just({})


def cases(world: World, operation, mode: GenerationMode) -> st.SearchStrategy:
    if "{" not in operation.path:
        return operation.as_strategy(mode)
    return st.one_of(
        existing_path_parameters(world, operation).flatmap(
            lambda parameters: operation.as_strategy(mode, path_parameters=parameters)
        ),
        operation.as_strategy(mode),
    )


def run_operation(world: World, operation, mode: GenerationMode, app, headers: dict) -> str | None:
    """Run the examples for one operation; the first failure's report, or None."""

    @hypothesis.settings(
        max_examples=MAX_EXAMPLES[mode],
        derandomize=True,
        database=None,
        deadline=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases(world, operation, mode))
    def examples(case):
        response = case.call(app=app, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        examples()
    except (Exception, BaseExceptionGroup) as error:
        return f"{operation.method.upper()} {operation.path} ({mode.value}):\n{error}"
    return None


@pytest.mark.parametrize("mode", list(MAX_EXAMPLES), ids=lambda mode: mode.value)
@pytest.mark.parametrize("person", PEOPLE)
def test_every_operation_keeps_its_contract(world, schema, person, mode):
    app = WSGIHandler()
    user = world.user(person)
    headers = {"Authorization": f"Bearer {token_for(user, world.cast.organisation)}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 29
    failures = [
        failure
        for operation in operations
        if (failure := run_operation(world, operation, mode, app, headers)) is not None
    ]
    assert not failures, (
        f"{len(failures)} of {len(operations)} operations break the contract:\n\n" + "\n\n".join(failures)
    )


def test_successful_writes_keep_their_contract(world, schema):
    """Generated writes are mostly refused; these succeed (201/200) and are validated the
    same way: a new and a changed employee, a bulk import, a signature, a notification read."""
    from gesprekscyclus.signatures.services import version_for_signing

    app = WSGIHandler()
    cast = world.cast
    organisation = cast.organisation.pk

    def headers(person: str) -> dict:
        return {"Authorization": f"Bearer {token_for(world.user(person), cast.organisation)}"}

    row = {
        "first_name": "Nieuwe",
        "last_name": "Collega",
        "email": "nieuwe.collega@example.org",
        "unit_code": cast.team.code,
        "job_title": "Consulent",
        "manager_personnel_number": cast.manager.personnel_number,
        "hours_per_week": "32.00",
        "employment_start": "2026-02-01",
        "appointment": "permanent",
    }
    colleague_planning = world.conversations["colleague_planning"]
    upsert = schema["/api/v1/organisations/{organisation_id}/employees/{personnel_number}/"]["PUT"]
    new = {"organisation_id": organisation, "personnel_number": "N1"}
    changed = row | {"last_name": "Gewijzigd", "employment_end": "2027-01-31"}
    signed_hash = version_for_signing(colleague_planning).content_hash
    runs = [
        ("hr_admin", 201, upsert.Case(path_parameters=new, body=row)),
        ("hr_admin", 200, upsert.Case(path_parameters=new, body=changed)),
        ("hr_admin", 200, schema["/api/v1/organisations/{organisation_id}/import/"]["POST"].Case(
            path_parameters={"organisation_id": organisation},
            body={
                "units": [{"code": "INK-B", "name": "Cluster B", "parent_code": cast.team.code}],
                "employees": [
                    row | {"personnel_number": "N2", "email": "n2@example.org", "unit_code": "INK-B"}
                ],
                "dry_run": False,
            },
        )),
        ("manager", 201, schema["/api/v1/conversations/{id}/sign/"]["POST"].Case(
            path_parameters={"id": colleague_planning.pk},
            body={"expected_hash": signed_hash, "password": PASSWORD},
        )),
        ("employee", 200, schema["/api/v1/notifications/{id}/read/"]["POST"].Case(
            path_parameters={"id": world.notifications["employee_1"].pk}
        )),
        ("employee", 200, schema["/api/v1/dossier-entries/{id}/pdf/"]["GET"].Case(
            path_parameters={"id": world.entries["employee_planning:report"].pk}
        )),
        ("employee", 200, schema["/api/v1/employees/{id}/schedule/"]["GET"].Case(
            path_parameters={"id": cast.employee.pk}, query={"as_of": "2026-03-01"}
        )),
    ]  # fmt: skip
    for person, status, case in runs:
        sent = headers(person)
        response = case.call(app=app, headers=sent)
        assert response.status_code == status, (case.path, response.status_code, response.text[:500])
        case.validate_response(response, checks=CHECKS, headers=sent)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organisations/1%0A/import/",  # a newline where the schema has an integer
        "/api/v1/organisations/x%0Ay/employees/1/",
        "/api/v1/nothing%0Ahere/",
        "/api/v1/nothing-here/",
    ],
    ids=["newline-in-integer", "newline-in-organisation", "newline-in-unknown-path", "unknown-path"],
)
def test_every_address_under_the_api_answers_with_a_problem_not_a_page(cast, path):
    """Anything under /api/v1/ that is not an operation is a 404 problem document, also when
    the address holds a newline (found by the negative examples above)."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(cast.user("hr_admin"))
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json", response.content[:120]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI handler closes the database connection when a request finishes; the test
    client switches that off, and so must these tests, or PostgreSQL loses the test's
    transaction after the first request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
