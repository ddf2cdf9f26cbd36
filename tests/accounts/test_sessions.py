"""Sessions end after inactivity and after their absolute lifetime; a user sees and ends
their own sessions; deactivating an account or an HR administrator ends them all."""

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from gesprekscyclus.accounts.models import UserSession
from gesprekscyclus.audit.models import AuditEvent

START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def page(response) -> str:
    return response.content.decode()


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_logging_in_records_a_session_with_its_origin(cast, password_login, client):
    user = cast.user("employee")
    password_login(user, HTTP_USER_AGENT="Firefox/130 op de werkplek", REMOTE_ADDR="10.1.2.3")
    user_session = UserSession.objects.get(user=user)
    assert user_session.session_key == client.session.session_key
    assert user_session.ip_address == "10.1.2.3"
    response = client.get(reverse("accounts:account"))
    assert "Firefox/130 op de werkplek" in page(response)
    assert "10.1.2.3" in page(response)
    assert "Deze sessie" in page(response)


def test_a_session_idle_for_longer_than_the_timeout_is_logged_out_with_a_reason(
    cast, password_login, client, traveller, settings
):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    password_login(cast.user("employee"))
    traveller.shift(dt.timedelta(minutes=29))
    assert client.get(reverse("core:overview")).status_code == 200
    traveller.shift(dt.timedelta(minutes=29))  # active again within 30 minutes: still in
    assert client.get(reverse("core:overview")).status_code == 200
    traveller.shift(dt.timedelta(minutes=31))
    response = client.get(reverse("core:overview"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=%2Foverzicht%2F"
    login_page = client.get(response["Location"])
    assert "langer dan 30 minuten niets hebt gedaan" in page(login_page)
    assert "_auth_user_id" not in client.session
    assert not UserSession.objects.exists()


def test_activity_does_not_extend_a_session_beyond_its_absolute_lifetime(
    cast, password_login, client, traveller, settings
):
    settings.SESSION_COOKIE_AGE = 8 * 60 * 60
    password_login(cast.user("employee"))
    for _ in range(16):  # a request every 29 minutes: never idle
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("core:overview")).status_code == 200
    traveller.shift(dt.timedelta(minutes=29))  # 8 h 13 min after logging in
    response = client.get(reverse("core:overview"))
    assert response.status_code == 302
    assert "hoogstens 8 uur" in page(client.get(response["Location"]))


def test_a_user_ends_another_session_of_their_own_and_that_browser_is_logged_out(
    cast, password_login, client
):
    user = cast.user("employee")
    laptop = Client()
    laptop.post(
        reverse("accounts:login"), {"username": user.email, "password": "correct horse battery staple"}
    )
    password_login(user)
    other = UserSession.objects.get(session_key=laptop.session.session_key)
    response = client.post(reverse("accounts:session_end", args=[other.pk]), follow=True)
    assert "De sessie is beëindigd." in page(response)
    assert laptop.get(reverse("core:overview")).status_code == 302
    assert client.get(reverse("core:overview")).status_code == 200
    assert list(UserSession.objects.filter(user=user)) == [
        UserSession.objects.get(session_key=client.session.session_key)
    ]


def test_ending_all_other_sessions_keeps_this_one(cast, password_login, client):
    user = cast.user("employee")
    others = [Client(), Client()]
    for other in others:
        other.post(
            reverse("accounts:login"), {"username": user.email, "password": "correct horse battery staple"}
        )
    password_login(user)
    response = client.post(reverse("accounts:sessions_end_others"), follow=True)
    assert "2 andere sessies zijn beëindigd." in page(response)
    for other in others:
        assert other.get(reverse("core:overview")).status_code == 302
    assert client.get(reverse("core:overview")).status_code == 200


def test_nobody_ends_a_session_of_someone_else_through_their_own_page(cast, login):
    victim = Client()
    victim.force_login(cast.user("colleague"))
    target = UserSession.objects.get(user=cast.user("colleague"))
    client = login(cast.user("employee"))
    assert client.post(reverse("accounts:session_end", args=[target.pk])).status_code == 404
    assert victim.get(reverse("core:overview")).status_code == 200


def test_deactivating_an_account_ends_its_sessions(cast):
    user = cast.user("employee")
    browser = Client()
    browser.force_login(user)
    user.is_active = False
    user.save()
    assert not Session.objects.exists()
    assert not UserSession.objects.filter(user=user).exists()
    assert browser.get(reverse("core:overview")).status_code == 302
    assert AuditEvent.objects.filter(action="account.sessions_ended", details__reason="deactivated").exists()


def test_an_hr_administrator_ends_every_session_of_an_employee_after_confirming(cast, login):
    employee_browser = Client()
    employee_browser.force_login(cast.user("employee"))
    client = login(cast.user("hr_admin"))
    detail = client.get(reverse("organisations:employee_detail", args=[cast.employee.pk]))
    url = reverse("accounts:employee_sessions_end", args=[cast.employee.pk])
    assert url in page(detail)
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert "is ingelogd in 1 sessie" in page(confirmation)
    assert employee_browser.get(reverse("core:overview")).status_code == 200  # nothing happened yet
    response = client.post(url, follow=True)
    assert "1 sessie van" in page(response)
    assert employee_browser.get(reverse("core:overview")).status_code == 302
    assert client.get(reverse("core:overview")).status_code == 200
    event = AuditEvent.objects.get(action="account.sessions_ended", details__reason="ended_by_administrator")
    assert event.actor == cast.user("hr_admin")


@pytest.mark.parametrize("role", ["employee", "manager", "director", "hr_adviser"])
def test_only_an_hr_administrator_may_end_someone_elses_sessions(cast, login, role):
    browser = Client()
    browser.force_login(cast.user("colleague"))
    client = login(cast.user(role))
    url = reverse("accounts:employee_sessions_end", args=[cast.colleague.pk])
    assert client.get(url).status_code in (403, 404)
    assert client.post(url).status_code in (403, 404)
    assert "sessies-beeindigen" not in page(
        client.get(reverse("organisations:employee_detail", args=[cast.colleague.pk]))
    )
    assert browser.get(reverse("core:overview")).status_code == 200


def test_an_hr_administrator_of_another_organisation_cannot_end_sessions(cast, login):
    client = login(cast.user("hr_admin"))
    url = reverse("accounts:employee_sessions_end", args=[cast.foreign_employee.pk])
    assert client.post(url).status_code == 404


def test_a_new_password_ends_the_other_sessions_and_keeps_this_one(cast, password_login, client):
    user = cast.user("employee")
    laptop = Client()
    laptop.post(
        reverse("accounts:login"), {"username": user.email, "password": "correct horse battery staple"}
    )
    password_login(user)
    new = "de kat krabt de krullen van de trap"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "correct horse battery staple", "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    assert laptop.get(reverse("core:overview")).status_code == 302
    assert client.get(reverse("core:overview")).status_code == 200
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [
        client.session.session_key
    ]


@pytest.mark.parametrize(
    ("setting", "value", "wait", "reason"),
    [
        ("SESSION_IDLE_TIMEOUT_MINUTES", 30, dt.timedelta(minutes=31), "inactive for more than 30 minutes"),
        ("SESSION_COOKIE_AGE", 8 * 60 * 60, None, "a session lasts at most 8 hours"),
    ],
)
def test_an_expired_session_on_the_api_answers_401_as_a_problem_document_not_a_redirect(
    cast, password_login, client, traveller, settings, setting, value, wait, reason
):
    setattr(settings, setting, value)
    password_login(cast.user("employee"))
    url = reverse("api:notification-list")
    assert client.get(url).status_code == 200
    if wait is None:  # active every 29 minutes until the absolute lifetime has passed
        for _ in range(17):
            traveller.shift(dt.timedelta(minutes=29))
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    else:
        traveller.shift(wait)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    problem = response.json()
    assert problem["type"] == "https://gesprekscyclus.nl/problems/not-authenticated"
    assert problem["status"] == 401
    assert reason in problem["detail"]
    assert "_auth_user_id" not in client.session
    assert not UserSession.objects.exists()
    assert client.get(url).status_code == 401  # and it stays logged out
