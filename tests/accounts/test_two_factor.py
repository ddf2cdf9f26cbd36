"""Two-step verification with an authenticator app: required for HR administrators,
optional for everyone else; a second login step; recovery codes; throttled guessing."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gesprekscyclus.accounts import two_factor
from gesprekscyclus.audit.models import AuditEvent

START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def page(response) -> str:
    return response.content.decode()


def code_of(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits).token():06d}"


@pytest.fixture
def required(settings):
    settings.TOTP_REQUIRED_FOR_HR_ADMINS = True


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = two_factor.totp_device_pending(user)
    codes = two_factor.totp_device_confirm(device, code=code_of(device))
    device.refresh_from_db()
    return device, codes


def test_an_hr_administrator_without_an_app_is_sent_to_set_it_up_and_can_use_nothing_else(
    cast, password_login, client, required
):
    response = password_login(cast.user("hr_admin"))
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
    for url in (reverse("core:overview"), reverse("organisations:admin_home"), reverse("accounts:account")):
        assert client.get(url)["Location"].startswith(reverse("accounts:two_factor_setup"))
    setup = client.get(reverse("accounts:two_factor_setup"))
    assert setup.status_code == 200
    assert "<svg" in page(setup)
    assert "style=" not in page(setup)
    assert not re.search(r"<script(?![^>]*\bsrc=)", page(setup))  # no inline script
    assert "no-store" in setup["Cache-Control"]
    device = TOTPDevice.objects.get(user=cast.user("hr_admin"))
    assert two_factor.secret_text(device) in page(setup)
    assert not device.confirmed


def test_the_app_is_confirmed_only_with_a_right_code_and_then_recovery_codes_are_shown_once(
    cast, password_login, client, required, traveller
):
    password_login(cast.user("hr_admin"))
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=cast.user("hr_admin"))
    wrong = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "code is niet juist" in page(wrong)
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("core:overview")).status_code == 302
    traveller.shift(dt.timedelta(seconds=2))  # django-otp slows down the next try after a wrong one
    shown = client.post(reverse("accounts:two_factor_setup"), {"code": code_of(device)})
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    codes = re.findall(r'<code class="gc-hash">([a-z2-7]{8})</code>', page(shown))
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:overview")).status_code == 200
    account = page(client.get(reverse("accounts:account")))
    assert "10 ongebruikte herstelcodes" in account
    assert not any(code in account for code in codes)
    assert AuditEvent.objects.filter(action="account.two_factor_enabled").exists()


def test_logging_in_with_an_app_asks_for_the_code_before_anything_is_open(
    cast, password_login, client, required, traveller
):
    user = cast.user("hr_admin")
    device, _codes = enrol(user)
    traveller.shift(dt.timedelta(seconds=60))
    response = password_login(user)
    assert response["Location"] == reverse("accounts:login_code")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("core:overview"))["Location"].startswith(reverse("accounts:login"))
    wrong = client.post(reverse("accounts:login_code"), {"code": "123456"})
    assert "code is niet juist" in page(wrong)
    assert "_auth_user_id" not in client.session
    traveller.shift(dt.timedelta(seconds=2))
    right = client.post(reverse("accounts:login_code"), {"code": code_of(device)})
    assert right["Location"] == reverse("core:overview")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("organisations:admin_home")).status_code == 200


def test_the_code_step_keeps_the_page_asked_for(cast, client, required, traveller):
    user = cast.user("hr_admin")
    device, _codes = enrol(user)
    traveller.shift(dt.timedelta(seconds=60))
    target = reverse("organisations:admin_home")
    client.post(
        f"{reverse('accounts:login')}?next={target}",
        {"username": user.email, "password": "correct horse battery staple", "next": target},
    )
    assert client.post(reverse("accounts:login_code"), {"code": code_of(device)})["Location"] == target


def test_a_recovery_code_logs_in_once(cast, password_login, client, required):
    user = cast.user("hr_admin")
    _device, codes = enrol(user)
    password_login(user)
    response = client.post(reverse("accounts:login_code"), {"code": codes[0].upper()}, follow=True)
    assert response.status_code == 200
    assert "nog 9 over" in page(response)
    client.post(reverse("accounts:logout"))
    password_login(user)
    again = client.post(reverse("accounts:login_code"), {"code": codes[0]})
    assert "code is niet juist" in page(again)
    assert "_auth_user_id" not in client.session


def test_guessing_codes_is_throttled(cast, password_login, client, required, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = cast.user("hr_admin")
    device, codes = enrol(user)
    password_login(user)
    for _ in range(2):
        assert client.post(reverse("accounts:login_code"), {"code": "111111"}).status_code == 200
    locked = client.post(reverse("accounts:login_code"), {"code": "222222"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Neither the right code nor logging in anew helps during the cool-off.
    assert password_login(user).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_code_must_be_entered_within_five_minutes(cast, password_login, client, required, traveller):
    user = cast.user("hr_admin")
    device, _codes = enrol(user)
    password_login(user)
    traveller.shift(dt.timedelta(minutes=6))
    response = client.post(reverse("accounts:login_code"), {"code": code_of(device)}, follow=True)
    assert "_auth_user_id" not in client.session
    assert "duurde te lang" in page(response)


def test_an_employee_logs_in_without_a_code_and_may_switch_it_on_and_off(
    cast, password_login, client, required
):
    user = cast.user("employee")
    assert password_login(user)["Location"] == reverse("core:overview")
    assert client.get(reverse("core:overview")).status_code == 200
    assert "Tweestapsverificatie instellen" in page(client.get(reverse("accounts:account")))
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("accounts:two_factor_setup"), {"code": code_of(device)})
    refused = client.post(reverse("accounts:two_factor_disable"), {"code": "000000"}, follow=True)
    assert "staat nog aan" in page(refused)
    assert two_factor.two_factor_enabled(user)
    recovery = page(client.post(reverse("accounts:recovery_codes_renew")))
    code = re.findall(r'<code class="gc-hash">([a-z2-7]{8})</code>', recovery)[0]
    switched_off = client.post(reverse("accounts:two_factor_disable"), {"code": code}, follow=True)
    assert "staat uit" in page(switched_off)
    assert not two_factor.two_factor_enabled(user)


def test_an_hr_administrator_cannot_switch_it_off_while_it_is_required(cast, client, required):
    user = cast.user("hr_admin")
    _device, codes = enrol(user)
    client.post(
        reverse("accounts:login"), {"username": user.email, "password": "correct horse battery staple"}
    )
    client.post(reverse("accounts:login_code"), {"code": codes[0]})
    response = client.post(reverse("accounts:two_factor_disable"), {"code": codes[1]}, follow=True)
    assert "moet u tweestapsverificatie gebruiken" in page(response)
    assert two_factor.two_factor_enabled(user)


def test_without_the_requirement_an_hr_administrator_is_not_stopped(cast, password_login, client, settings):
    settings.TOTP_REQUIRED_FOR_HR_ADMINS = False
    password_login(cast.user("hr_admin"))
    assert client.get(reverse("organisations:admin_home")).status_code == 200


def test_a_session_opened_without_the_code_is_asked_for_it(cast, required):
    user = cast.user("hr_admin")
    device, _codes = enrol(user)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("organisations:admin_home"))
    assert response["Location"] == f"{reverse('accounts:login_code')}?next=%2Forganisatie%2Fbeheer%2F"
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=31)):
        done = client.post(response["Location"], {"code": code_of(device)})
    assert done["Location"] == reverse("organisations:admin_home")
    assert client.get(reverse("organisations:admin_home")).status_code == 200


def test_the_technical_administration_has_no_login_of_its_own(client, db):
    response = client.get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/django-admin/"


def test_the_api_answers_an_unverified_hr_administrator_with_a_problem_not_a_redirect(
    cast, password_login, client, required
):
    """An HR administrator whose session has no code yet gets the API's error shape, which an
    integration or the interactive docs can show, instead of a redirect to a page."""
    password_login(cast.user("hr_admin"))
    response = client.get("/api/v1/employees/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 403
    assert "code" in response.json()["detail"]
