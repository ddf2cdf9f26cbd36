"""Tokens for integrations: issued and revoked by the HR administrator, acting as them,
limited to their scopes; every refusal is a problem+json document."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from gesprekscyclus.api.models import ApiToken, Scope
from gesprekscyclus.api.services import api_token_issue, api_token_revoke
from gesprekscyclus.audit.models import AuditEvent
from gesprekscyclus.conversations.services import Refused
from tests.api.conftest import token_client

PROBLEM = "application/problem+json"


def test_a_token_sees_exactly_what_its_holder_sees(cast, issue_token, as_user):
    _, client = issue_token(Scope.READ)
    via_token = client.get("/api/v1/employees/?page_size=500").json()
    via_session = as_user(cast.user("hr_admin")).get("/api/v1/employees/?page_size=500").json()
    assert via_token["count"] == via_session["count"] > 0
    assert [e["id"] for e in via_token["results"]] == [e["id"] for e in via_session["results"]]
    assert cast.foreign_employee.personnel_number not in {e["personnel_number"] for e in via_token["results"]}


def test_only_a_hash_of_the_secret_is_stored_and_the_secret_is_long(cast, issue_token):
    token, _ = issue_token()
    token, secret = api_token_issue(
        organisation=cast.organisation, name="BI", scopes=[Scope.READ], acting_user=cast.user("hr_admin")
    )
    assert secret.startswith(f"gc_{token.prefix}_") and len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret.split("_", 2)[2] not in (stored.secret_hash, stored.prefix)


@pytest.mark.parametrize(
    "header",
    ["Bearer gc_deadbeef_wrongsecret", "Bearer nonsense", "Bearer a b", "Bearer "],
    ids=["unknown", "malformed", "two-parts", "empty"],
)
def test_an_unknown_or_malformed_token_is_refused_with_401(db, header):
    client = token_client("x")
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/employees/")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401 and body["type"].endswith("/not-authenticated") and body["detail"]


def test_a_revoked_token_stops_working_at_once(cast, issue_token):
    token, client = issue_token()
    assert client.get("/api/v1/units/").status_code == 200
    api_token_revoke(token, acting_user=cast.user("hr_admin"))
    response = client.get("/api/v1/units/")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"] or "ingetrokken" in response.json()["detail"]


def test_an_expired_token_is_refused(cast, issue_token):
    _, client = issue_token(expires_on=timezone.localdate() + datetime.timedelta(days=1))
    assert client.get("/api/v1/units/").status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        assert client.get("/api/v1/units/").status_code == 401


def test_a_token_stops_when_its_holder_is_deactivated(cast, issue_token):
    _, client = issue_token()
    holder = cast.user("hr_admin")
    holder.is_active = False
    holder.save(update_fields=["is_active"])
    assert client.get("/api/v1/units/").status_code == 401


def test_a_read_token_may_not_write(cast, issue_token):
    _, client = issue_token(Scope.READ)
    response = client.put(
        f"/api/v1/organisations/{cast.organisation.pk}/employees/{cast.employee.personnel_number}/",
        {"first_name": "X"},
        format="json",
    )
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert "employees:write" in response.json()["detail"]


def test_a_write_only_token_may_not_read(cast, issue_token):
    _, client = issue_token(Scope.EMPLOYEES_WRITE)
    assert client.get("/api/v1/employees/").status_code == 403


def test_last_use_is_recorded(cast, issue_token):
    token, client = issue_token()
    assert token.last_used_at is None
    client.get("/api/v1/units/")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_an_hr_administrator_issues_tokens_and_both_acts_are_audited(cast):
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        api_token_issue(
            organisation=cast.organisation, name="x", scopes=[Scope.READ], acting_user=cast.user("director")
        )
    token, _ = api_token_issue(
        organisation=cast.organisation, name="AFAS", scopes=[Scope.READ], acting_user=cast.user("hr_admin")
    )
    api_token_revoke(token, acting_user=cast.user("hr_admin"))
    api_token_revoke(token, acting_user=cast.user("hr_admin"))  # idempotent
    actions = list(AuditEvent.objects.filter(object_id=str(token.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["api_token.issue", "api_token.revoke"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "  ", "scopes": [Scope.READ]}, "name"),
        ({"name": "x", "scopes": []}, "scope"),
        ({"name": "x", "scopes": ["admin"]}, "scope"),
        ({"name": "x", "scopes": [Scope.READ], "expires_on": datetime.date(2020, 1, 1)}, "future"),
    ],
    ids=["no-name", "no-scope", "unknown-scope", "expired"],
)
def test_a_token_needs_a_name_known_scopes_and_a_future_expiry(cast, kwargs, message, english):
    with pytest.raises(Refused, match=message):
        api_token_issue(organisation=cast.organisation, acting_user=cast.user("hr_admin"), **kwargs)
    assert not ApiToken.objects.exists()


def test_the_token_page_shows_the_secret_once_and_revokes(cast, client):
    client.force_login(cast.user("hr_admin"))
    url = reverse("api_tokens:list", kwargs={"organisation_pk": cast.organisation.pk})
    response = client.post(url, {"name": "Intranet", "scopes": [Scope.READ], "expires_on": ""}, follow=True)
    assert response.redirect_chain == [(url, 302)]  # a reload does not issue a second token
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    token = ApiToken.objects.get(name="Intranet")
    secret = response.context["secret"]
    assert secret.startswith(f"gc_{token.prefix}_") and secret in response.content.decode()
    assert token_client(secret).get("/api/v1/units/").status_code == 200
    again = client.get(url).content.decode()
    assert "Intranet" in again and secret not in again
    client.post(
        reverse("api_tokens:revoke", kwargs={"organisation_pk": cast.organisation.pk, "pk": token.pk})
    )
    assert token_client(secret).get("/api/v1/units/").status_code == 401


@pytest.mark.parametrize("role", ["director", "hr_adviser", "manager", "employee", "outsider"])
def test_nobody_but_the_hr_administrator_opens_the_token_page(cast, client, role):
    client.force_login(cast.user(role))
    url = reverse("api_tokens:list", kwargs={"organisation_pk": cast.organisation.pk})
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "x", "scopes": [Scope.READ]}).status_code == 403
    assert not ApiToken.objects.exists()


def test_an_unknown_api_address_is_a_problem_document_too(db, client):
    response = client.get("/api/v1/does-not-exist/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert "/api/v1/docs/" in response.json()["detail"]


def test_the_command_issues_a_working_token_and_revokes_it(cast, english):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command(
        "api_token",
        organisation=cast.organisation.name,
        holder=cast.user("hr_admin").email,
        name="AFAS",
        scope=["read"],
        stdout=out,
        stderr=StringIO(),
    )
    secret = out.getvalue().strip()
    assert token_client(secret).get("/api/v1/units/").status_code == 200
    prefix = secret.split("_")[1]
    call_command(
        "api_token",
        organisation=cast.organisation.name,
        holder=cast.user("hr_admin").email,
        revoke=prefix,
        stdout=StringIO(),
    )
    assert token_client(secret).get("/api/v1/units/").status_code == 401
    with pytest.raises(CommandError, match="not an HR administrator"):
        call_command(
            "api_token", organisation=cast.organisation.name, holder=cast.user("director").email, name="x"
        )


def test_every_read_through_the_api_is_in_the_audit_log(cast, issue_token):
    _, client = issue_token()
    rows = client.get("/api/v1/employees/?unit_code=INK", REMOTE_ADDR="10.1.2.3").json()["results"]
    event = AuditEvent.objects.filter(action="read:api.employee.list").get()
    assert event.actor == cast.user("hr_admin")
    assert sorted(event.details["ids"]) == sorted(row["id"] for row in rows) and rows
    assert event.details["query"] == {"unit_code": ["INK"]}
    assert event.ip_address == "10.1.2.3"
    client.get(f"/api/v1/employees/{cast.employee.pk}/")
    read = AuditEvent.objects.filter(action="read:organisations.view_employee").get()
    assert read.subject_id == cast.employee.pk


def test_token_failures_and_uses_are_authentication_events(cast, issue_token):
    token, client = issue_token()
    client.get("/api/v1/units/", REMOTE_ADDR="10.9.8.7")
    client.get("/api/v1/units/")  # within a few minutes: no second event
    api_token_revoke(token, acting_user=cast.user("hr_admin"))
    client.get("/api/v1/units/")
    events = list(AuditEvent.objects.filter(action__startswith="auth.token").order_by("pk"))
    assert [event.action for event in events] == ["auth.token_used", "auth.token_failed"]
    assert events[0].ip_address == "10.9.8.7" and events[0].details["token"] == token.prefix
    assert all(event.actor == cast.user("hr_admin") for event in events)


def _operations_needing(scope: str) -> set[tuple[str, str]]:
    """(method, path) of every API operation a token needs ``scope`` for, as the
    permission class decides it (``api.permissions.required_scope``)."""
    from drf_spectacular.generators import SchemaGenerator
    from rest_framework.test import APIRequestFactory

    from gesprekscyclus.api.permissions import required_scope

    generator = SchemaGenerator()
    generator._initialise_endpoints()
    found = set()
    for path, _regex, method, callback in generator.endpoints:
        if "[" in path:  # the catch-all that answers 404 for unknown addresses
            continue
        view = generator.create_view(callback, method)
        request = APIRequestFactory().generic(method, path)
        if required_scope(request, view) == scope:
            found.add((method, path))
    return found


def test_the_write_scope_is_described_as_exactly_what_it_allows(cast, client):
    assert _operations_needing(Scope.WRITE) == {
        ("POST", "/api/v1/conversations/{pk}/sign/"),
        ("POST", "/api/v1/notifications/{pk}/read/"),
    }
    client.force_login(cast.user("hr_admin"))
    url = reverse("api_tokens:list", kwargs={"organisation_pk": cast.organisation.pk})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    checkbox_id = re.search(r'value="write" id="([^"]+)"', page).group(1)
    label = re.search(rf'<label for="{checkbox_id}">([^<]*)<', page).group(1)
    assert "Sign or refuse to sign reports, and mark notifications as read" in label
    for cannot in ("agreement", "feedback"):
        assert cannot not in label.lower()
