"""Signing needs a fresh authentication: the password again for an account that has one;
for an account without one (single sign-on only) a login at the provider at most
SIGNING_FRESH_AUTH_MINUTES ago, and otherwise a step-up through the provider that
returns to the signing page."""

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from gesprekscyclus.accounts.models import User
from gesprekscyclus.accounts.sessions import AUTHENTICATED_AT
from gesprekscyclus.conversations.services import Refused
from gesprekscyclus.signatures.models import Signature
from gesprekscyclus.signatures.services import AuthenticationNotFresh, signature_refuse, signature_sign
from tests.accounts.oidc_provider import install, sign_in
from tests.conversations.pages_helpers import browser, find_form, html, messages_of, post_form

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def sso_employee(cast):
    """The employee's account logs in only through single sign-on: no password."""
    user = cast.user("employee")
    user.set_unusable_password()
    user.save()
    return User.objects.get(pk=user.pk)


@pytest.fixture
def provider(settings, monkeypatch):
    return install(settings, monkeypatch)


def minutes_ago(minutes: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=minutes)


def test_an_account_with_a_password_still_signs_with_its_password_only(cast, version):
    user = cast.user("employee")
    with pytest.raises(Refused, match="password is not correct"):
        signature_sign(
            version,
            user=user,
            password="wrong",
            expected_hash=version.content_hash,
            authenticated_at=timezone.now(),
        )
    signature = signature_sign(
        version, user=user, password="correct horse battery staple", expected_hash=version.content_hash
    )
    assert signature.signer == user


def test_an_account_without_a_password_signs_after_a_recent_login(sso_employee, version, settings):
    settings.SIGNING_FRESH_AUTH_MINUTES = 10
    signature = signature_sign(
        version,
        user=sso_employee,
        password="",
        expected_hash=version.content_hash,
        authenticated_at=minutes_ago(9),
    )
    assert signature.signer == sso_employee


@pytest.mark.parametrize("authenticated_at", [None, "stale"])
def test_an_account_without_a_password_is_refused_after_an_old_login(
    sso_employee, version, settings, authenticated_at
):
    settings.SIGNING_FRESH_AUTH_MINUTES = 10
    when = minutes_ago(11) if authenticated_at == "stale" else None
    with pytest.raises(AuthenticationNotFresh, match="log in again"):
        signature_sign(
            version, user=sso_employee, password="", expected_hash=version.content_hash, authenticated_at=when
        )
    with pytest.raises(AuthenticationNotFresh):
        signature_refuse(
            version,
            user=sso_employee,
            password="",
            expected_hash=version.content_hash,
            reason="No",
            authenticated_at=when,
        )
    assert not Signature.objects.exists()


def test_a_password_typed_by_an_account_without_one_does_not_help(sso_employee, version):
    with pytest.raises(AuthenticationNotFresh):
        signature_sign(
            version,
            user=sso_employee,
            password="correct horse battery staple",
            expected_hash=version.content_hash,
            authenticated_at=minutes_ago(60),
        )


def test_right_after_logging_in_the_page_signs_without_asking_a_password(sso_employee, ready):
    client = browser(sso_employee)
    url = reverse("signatures:sign", args=[ready.pk])
    page = html(client.get(url))
    form = find_form(page, action=reverse("signatures:sign_post", args=[ready.pk]))
    assert "password" not in form.names
    response = post_form(client, form, data={"remark": "Akkoord"})
    assert "You have signed the report." in messages_of(response)
    assert Signature.objects.get(signer=sso_employee).remark == "Akkoord"


def test_after_a_while_the_page_offers_to_log_in_again_and_a_post_is_refused(sso_employee, ready, provider):
    client = browser(sso_employee)
    session = client.session
    session[AUTHENTICATED_AT] = time.time() - 11 * 60
    session.save()
    url = reverse("signatures:sign", args=[ready.pk])
    page = html(client.get(url))
    reauth = f"{reverse('accounts:oidc_start')}?reauth=1&amp;next={url.replace('/', '%2F')}"
    assert reauth in page
    assert 'name="password"' not in page
    response = client.post(
        reverse("signatures:sign_post", args=[ready.pk]),
        {"expected_hash": ready.report_versions.get().content_hash, "remark": ""},
        follow=True,
    )
    assert any("log in again" in message for message in messages_of(response))
    assert not Signature.objects.exists()


def test_logging_in_again_at_the_provider_returns_to_the_page_and_allows_signing(
    sso_employee, ready, provider
):
    client = browser(sso_employee)
    session = client.session
    session[AUTHENTICATED_AT] = time.time() - 60 * 60
    session.save()
    url = reverse("signatures:sign", args=[ready.pk])
    provider.claims = {"email": sso_employee.email}
    back = sign_in(client, provider, next_url=url, reauth="1")
    assert provider.last_authorize["prompt"] == ["login"]
    assert back["Location"] == url
    form = find_form(html(client.get(url)), action=reverse("signatures:sign_post", args=[ready.pk]))
    response = post_form(client, form)
    assert "You have signed the report." in messages_of(response)


def test_a_provider_that_did_not_really_authenticate_again_does_not_make_the_login_fresh(
    sso_employee,
    ready,
    provider,
):
    """With prompt=login ignored, the provider's auth_time is the old login: still refused."""
    client = browser(sso_employee)
    url = reverse("signatures:sign", args=[ready.pk])
    provider.claims = {"email": sso_employee.email}
    provider.id_token_claims = {"auth_time": int(time.time()) - 60 * 60}
    sign_in(client, provider, next_url=url, reauth="1")
    page = html(client.get(url))
    assert "reauth=1" in page
    assert 'name="remark"' not in page
