"""Single sign-on through an OpenID Connect provider, against the fake provider of
``oidc_provider`` (no network)."""

import time
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from gesprekscyclus.accounts.models import User
from gesprekscyclus.accounts.sessions import AUTHENTICATED_AT
from gesprekscyclus.audit.models import AuditEvent
from gesprekscyclus.organisations.models import Employee
from tests.accounts.oidc_provider import CLIENT_ID, install, sign_in
from tests.accounts.test_two_factor import code_of, enrol


def page(response) -> str:
    return response.content.decode()


@pytest.fixture
def provider(settings, monkeypatch):
    return install(settings, monkeypatch)


def test_the_login_page_offers_the_provider_only_when_configured(client, db, settings, provider):
    response = client.get(reverse("accounts:login"))
    assert "Inloggen met Gemeente-account" in page(response)
    assert 'name="password"' in page(response)  # local accounts remain
    settings.OIDC_RP_CLIENT_ID = ""
    response = client.get(reverse("accounts:login"))
    assert "Inloggen met" not in page(response)
    assert client.get(reverse("accounts:oidc_start")).status_code == 404


def test_the_request_to_the_provider_uses_state_nonce_and_pkce(client, db, provider):
    start = client.get(reverse("accounts:oidc_start"))
    url = urlparse(start["Location"])
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://login.gemeente.example/authorize"
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == ["http://testserver/account/oidc/terug/"]
    assert query["state"] and query["nonce"] and query["code_challenge_method"] == ["S256"]
    assert "prompt" not in query


def test_an_existing_user_is_matched_by_email_in_any_case_and_logged_in(cast, client, provider):
    user = cast.user("employee")
    provider.claims = {"email": user.email.upper()}
    response = sign_in(client, provider)
    assert response["Location"] == reverse("core:overview")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[AUTHENTICATED_AT] == pytest.approx(time.time(), abs=5)
    assert provider.token_requests[0]["code"] == "code-1"
    assert provider.token_requests[0]["code_verifier"]
    assert client.get(reverse("core:overview")).status_code == 200


def test_a_user_is_matched_by_personnel_number(cast, client, provider, settings):
    settings.OIDC_MATCH_CLAIM = "employee_number"
    provider.claims = {
        "employee_number": cast.colleague.personnel_number,
        "email": "someone@elsewhere.example",
    }
    sign_in(client, provider)
    assert client.session["_auth_user_id"] == str(cast.colleague.user_id)


def test_nobody_unknown_is_let_in_or_created_and_the_login_page_says_why(cast, client, provider):
    accounts = User.objects.count()
    provider.claims = {"email": "stranger@example.org"}
    response = sign_in(client, provider)
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == accounts
    assert "geen actief account" in page(client.get(response["Location"]))


def test_a_deactivated_account_is_not_let_in(cast, client, provider):
    user = cast.user("employee")
    User.objects.filter(pk=user.pk).update(is_active=False)
    provider.claims = {"email": user.email}
    sign_in(client, provider)
    assert "_auth_user_id" not in client.session


def test_an_id_token_signed_with_another_key_is_refused(cast, client, provider):
    provider.claims = {"email": cast.user("employee").email}
    provider.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    response = sign_in(client, provider)
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert "is niet gelukt" in page(client.get(response["Location"]))


@pytest.mark.parametrize(
    "claims", [{"aud": "another-client"}, {"iss": "https://evil.example"}, {"exp": int(time.time()) - 60}]
)
def test_an_id_token_for_another_client_or_issuer_or_expired_is_refused(cast, client, provider, claims):
    provider.claims = {"email": cast.user("employee").email}
    provider.id_token_claims = claims
    sign_in(client, provider)
    assert "_auth_user_id" not in client.session


def test_a_forged_state_is_refused(cast, client, provider):
    provider.claims = {"email": cast.user("employee").email}
    client.get(reverse("accounts:oidc_start"))
    client.get(reverse("accounts:oidc_callback"), {"code": "code-1", "state": "forged"})
    assert "_auth_user_id" not in client.session


def test_someone_with_two_step_verification_still_enters_the_code(cast, client, provider):
    user = cast.user("employee")
    device, _codes = enrol(user)
    provider.claims = {"email": user.email}
    with time_machine.travel(time.time() + 31, tick=False):
        response = sign_in(client, provider)
        assert response["Location"] == reverse("accounts:login_code")
        assert "_auth_user_id" not in client.session
        client.post(reverse("accounts:login_code"), {"code": code_of(device)})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_reauthentication_asks_the_provider_to_log_in_again_and_records_the_time(cast, client, provider):
    user = cast.user("employee")
    provider.claims = {"email": user.email}
    sign_in(client, provider)
    session = client.session
    session[AUTHENTICATED_AT] = time.time() - 3600
    session.save()
    target = reverse("core:overview")
    response = sign_in(client, provider, next_url=target, reauth="1")
    assert provider.last_authorize["prompt"] == ["login"]
    assert response["Location"] == target
    assert client.session[AUTHENTICATED_AT] == pytest.approx(time.time(), abs=5)


def _same_personnel_number_in_another_organisation(cast):
    """The foreign employee (Gemeente Elders) gets the colleague's personnel number."""
    Employee.objects.filter(pk=cast.foreign_employee.pk).update(
        personnel_number=cast.colleague.personnel_number
    )
    return cast.foreign_employee


def test_a_personnel_number_in_two_organisations_logs_nobody_in_and_says_why(
    cast, client, provider, settings
):
    settings.OIDC_MATCH_CLAIM = "employee_number"
    settings.OIDC_ORGANISATION = ""
    foreign = _same_personnel_number_in_another_organisation(cast)
    provider.claims = {"employee_number": cast.colleague.personnel_number}
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the Dutch text comes with the catalogue
    response = sign_in(client, provider)
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    login_page = page(client.get(response["Location"]))
    assert "cannot be matched unambiguously" in login_page
    assert "Contact HR" in login_page
    event = AuditEvent.objects.get(action="auth.login_failed", details__reason="sso_ambiguous")
    assert event.category == "auth"
    assert event.actor is None
    assert event.details["claim"] == "employee_number"
    assert event.details["value"] == cast.colleague.personnel_number
    assert sorted(event.details["accounts"]) == sorted([cast.colleague.user_id, foreign.user_id])


@pytest.mark.parametrize("named_by", ["name", "number"])
def test_oidc_organisation_matches_the_personnel_number_within_that_organisation(
    cast, client, provider, settings, named_by
):
    settings.OIDC_MATCH_CLAIM = "employee_number"
    foreign = _same_personnel_number_in_another_organisation(cast)
    provider.claims = {"employee_number": cast.colleague.personnel_number}
    settings.OIDC_ORGANISATION = "gemeente elders" if named_by == "name" else str(foreign.organisation_id)
    sign_in(client, provider)
    assert client.session["_auth_user_id"] == str(foreign.user_id)
    client.logout()
    settings.OIDC_ORGANISATION = "Gemeente Teststad" if named_by == "name" else str(cast.organisation.pk)
    sign_in(client, provider)
    assert client.session["_auth_user_id"] == str(cast.colleague.user_id)
    assert not AuditEvent.objects.filter(details__reason="sso_ambiguous").exists()


def test_oidc_organisation_leaves_out_people_of_other_organisations(cast, client, provider, settings):
    settings.OIDC_MATCH_CLAIM = "employee_number"
    settings.OIDC_ORGANISATION = "Gemeente Teststad"
    provider.claims = {"employee_number": cast.foreign_employee.personnel_number}
    response = sign_in(client, provider)
    assert "_auth_user_id" not in client.session
    assert "geen actief account" in page(client.get(response["Location"]))


def test_an_oidc_organisation_that_does_not_exist_refuses_every_login(cast, client, provider, settings):
    settings.OIDC_MATCH_CLAIM = "employee_number"
    settings.OIDC_ORGANISATION = "Gemeente Nergens"
    provider.claims = {"employee_number": cast.colleague.personnel_number}
    response = sign_in(client, provider)
    assert "_auth_user_id" not in client.session
    assert "is niet gelukt" in page(client.get(response["Location"]))
