"""Reports and signatures through the API: the same rules as the signing page (password
again, the hash that was read), and a second click signs nothing twice."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from gesprekscyclus.accounts.models import User
from gesprekscyclus.api.models import Scope
from gesprekscyclus.api.services import api_token_issue
from gesprekscyclus.organisations.models import Role
from gesprekscyclus.signatures.models import Signature, VersionState
from tests.accounts.oidc_provider import install, sign_in
from tests.factories import RoleAssignmentFactory
from tests.signatures import flow

PROBLEM = "application/problem+json"


@pytest.fixture
def ready(cast):
    flow.load_kampen(cast.organisation)
    return flow.ready_for_signing(cast, flow.open_cycle(cast))


@pytest.fixture(autouse=True)
def signing_day():
    with time_machine.travel(flow.at(flow.PLANNING_DAY, 15), tick=False):
        yield


def report(client, conversation):
    response = client.get(f"/api/v1/conversations/{conversation.pk}/report/")
    assert response.status_code == 200, response.content
    return response.json()


def sign(client, conversation, **body):
    return client.post(f"/api/v1/conversations/{conversation.pk}/sign/", body, format="json")


def test_the_employee_reads_the_open_version_and_signs_it(cast, ready, as_user):
    client = as_user(cast.user("employee"))
    versions = report(client, ready)
    assert [v["state"] for v in versions] == [VersionState.OPEN]
    content_hash = versions[0]["content_hash"]
    assert flow.RESULTS in str(versions[0]["content"])
    response = sign(client, ready, expected_hash=content_hash, password=flow.PASSWORD, remark="Akkoord")
    assert response.status_code == 201, response.json()
    assert response.json()["role"] == "employee" and response.json()["remark"] == "Akkoord"
    assert report(client, ready)[0]["signatures"][0]["signer_name"] == cast.employee.full_name


def test_a_wrong_password_places_no_signature(cast, ready, as_user):
    client = as_user(cast.user("employee"))
    content_hash = report(client, ready)[0]["content_hash"]
    response = sign(client, ready, expected_hash=content_hash, password="not my password")
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    assert not Signature.objects.exists()


def test_a_changed_report_is_not_signed(cast, ready, as_user):
    client = as_user(cast.user("employee"))
    response = sign(client, ready, expected_hash="0" * 64, password=flow.PASSWORD)
    assert response.status_code in (409, 412)
    assert not Signature.objects.exists()


def test_signing_twice_signs_once_and_answers_with_the_signature_that_stands(cast, ready, as_user):
    client = as_user(cast.user("employee"))
    content_hash = report(client, ready)[0]["content_hash"]
    first = sign(client, ready, expected_hash=content_hash, password=flow.PASSWORD)
    second = sign(client, ready, expected_hash=content_hash, password=flow.PASSWORD)
    assert first.status_code == 201 and second.status_code == 200
    assert first.json() == second.json()
    assert Signature.objects.count() == 1


def test_both_signatures_complete_the_report(cast, ready, as_user):
    employee, manager = as_user(cast.user("employee")), as_user(cast.user("manager"))
    content_hash = report(employee, ready)[0]["content_hash"]
    assert sign(employee, ready, expected_hash=content_hash, password=flow.PASSWORD).status_code == 201
    assert sign(manager, ready, expected_hash=content_hash, password=flow.PASSWORD).status_code == 201
    assert report(manager, ready)[0]["state"] == VersionState.COMPLETE
    entries = employee.get(f"/api/v1/dossier-entries/?employee={cast.employee.pk}").json()["results"]
    assert len(entries) == 1 and entries[0]["has_pdf"] is True
    pdf = employee.get(f"/api/v1/dossier-entries/{entries[0]['id']}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf).startswith(b"%PDF")


def test_refusing_needs_a_reason(cast, ready, as_user):
    client = as_user(cast.user("employee"))
    content_hash = report(client, ready)[0]["content_hash"]
    response = sign(client, ready, expected_hash=content_hash, password=flow.PASSWORD, refuse=True)
    assert response.status_code == 409
    response = sign(
        client, ready, expected_hash=content_hash, password=flow.PASSWORD, refuse=True, reason="Klopt niet"
    )
    assert response.status_code == 201 and response.json()["refused"] is True


@pytest.mark.parametrize("role", ["colleague", "other_manager", "hr_adviser"])
def test_others_cannot_read_or_sign_the_report(cast, ready, as_user, role):
    client = as_user(cast.user(role))
    assert client.get(f"/api/v1/conversations/{ready.pk}/report/").status_code == 404
    assert sign(client, ready, expected_hash="x", password=flow.PASSWORD).status_code == 404
    assert not Signature.objects.exists()


# An account without a password (single sign-on only): the fresh login at the provider
# stands in for the password, for the session that made it, never for a token.


@pytest.fixture
def sso_employee(cast):
    user = cast.user("employee")
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def provider(settings, monkeypatch):
    settings.SIGNING_FRESH_AUTH_MINUTES = 10
    return install(settings, monkeypatch)


def sso_session(user, provider) -> APIClient:
    """An API client whose session logged in at the (fake) provider just now."""
    client = APIClient()
    provider.claims = {"email": user.email}
    assert sign_in(client, provider)["Location"] == reverse("core:overview")
    assert client.session["_auth_user_id"] == str(user.pk)
    return client


def test_an_account_without_a_password_signs_through_the_api_right_after_logging_in_at_the_provider(
    sso_employee, ready, provider
):
    client = sso_session(sso_employee, provider)
    with time_machine.travel(datetime.timedelta(minutes=9)):  # still within the limit
        content_hash = report(client, ready)[0]["content_hash"]
        response = sign(client, ready, expected_hash=content_hash, remark="Akkoord")
    assert response.status_code == 201, response.json()
    assert Signature.objects.get().signer == sso_employee


@pytest.mark.parametrize("refuse", [False, True], ids=["sign", "refuse"])
def test_an_account_without_a_password_is_refused_when_its_login_is_older_than_the_limit(
    sso_employee, ready, provider, refuse
):
    client = sso_session(sso_employee, provider)
    with time_machine.travel(datetime.timedelta(minutes=11)):
        content_hash = report(client, ready)[0]["content_hash"]
        body = {"refuse": True, "reason": "Klopt niet"} if refuse else {}
        # A password typed by an account without one does not help either.
        response = sign(client, ready, expected_hash=content_hash, password=flow.PASSWORD, **body)
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    assert "Gemeente-account" in response.json()["detail"]  # log in again there
    assert not Signature.objects.exists()


def test_an_account_without_a_password_never_signs_with_a_token_even_right_after_logging_in(
    cast, sso_employee, ready, provider
):
    """The token acts as its holder, but the holder's fresh login is the session's, not the
    token's: even sent along with that very session, a token does not sign for an account
    without a password."""
    RoleAssignmentFactory(user=sso_employee, organisation=cast.organisation, role=Role.HR_ADMIN, unit=None)
    _token, secret = api_token_issue(
        organisation=cast.organisation,
        name="Ondertekenen",
        scopes=[Scope.READ, Scope.WRITE],
        acting_user=User.objects.get(pk=sso_employee.pk),  # with the new role
    )
    client = sso_session(sso_employee, provider)  # a fresh login at the provider
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")  # and the token on the same requests
    content_hash = report(client, ready)[0]["content_hash"]
    for body in ({}, {"password": flow.PASSWORD}, {"refuse": True, "reason": "Klopt niet"}):
        response = sign(client, ready, expected_hash=content_hash, **body)
        assert response.status_code == 409, response.json()
        assert response["Content-Type"] == PROBLEM
    assert not Signature.objects.exists()
    client.credentials()  # the same session without the token signs
    assert sign(client, ready, expected_hash=content_hash).status_code == 201
