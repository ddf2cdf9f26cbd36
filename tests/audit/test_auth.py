"""Authentication events: log in, failed log-in, log out, lock-out, password changed,
each with the address it came from; never the password."""

import json

import pytest
from django.urls import reverse

from gesprekscyclus.audit.models import AuditEvent, Category
from tests.audit.conftest import PASSWORD

ORIGIN = {"REMOTE_ADDR": "10.1.2.3", "HTTP_USER_AGENT": "Firefox/130 op de werkplek"}


def log_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, **ORIGIN)


def auth_events(action: str):
    return list(AuditEvent.objects.filter(category=Category.AUTH, action=action))


def test_logging_in_is_recorded_with_the_address_and_the_browser(cast, client):
    response = log_in(client, cast.user("employee").email)

    assert response.status_code == 302
    [event] = auth_events("auth.login")
    assert event.actor == cast.user("employee")
    assert event.subject == cast.employee
    assert event.organisation == cast.organisation
    assert (event.ip_address, event.user_agent) == ("10.1.2.3", "Firefox/130 op de werkplek")


def test_a_failed_log_in_keeps_the_name_tried_but_never_the_password(cast, client):
    response = log_in(client, cast.user("employee").email, password="geheim-verkeerd-123")

    assert response.status_code == 200
    [event] = auth_events("auth.login_failed")
    assert event.actor is None
    assert event.subject == cast.employee  # an attempt on their account
    assert event.details == {"username": cast.user("employee").email}
    assert event.ip_address == "10.1.2.3"
    assert "geheim-verkeerd-123" not in json.dumps(event.details)
    assert not auth_events("auth.login")


def test_a_failed_log_in_for_an_unknown_name_is_recorded_without_an_organisation(cast, client):
    log_in(client, "niemand@example.org", password="wat dan ook")

    [event] = auth_events("auth.login_failed")
    assert (event.subject, event.organisation, event.details) == (
        None,
        None,
        {"username": "niemand@example.org"},
    )


def test_logging_out_is_recorded(cast, client):
    log_in(client, cast.user("manager").email)

    client.post(reverse("accounts:logout"), **ORIGIN)

    [event] = auth_events("auth.logout")
    assert (event.actor, event.subject, event.ip_address) == (cast.user("manager"), cast.manager, "10.1.2.3")


def test_a_lock_out_after_repeated_failures_is_recorded(cast, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(4):
        log_in(client, cast.user("colleague").email, password="fout fout fout")

    locked = auth_events("auth.locked_out")
    assert locked
    assert locked[0].subject == cast.colleague
    assert locked[0].ip_address == "10.1.2.3"
    assert locked[0].details == {"username": cast.user("colleague").email}
    assert len(auth_events("auth.login_failed")) == 4


def test_changing_ones_password_is_recorded_by_whom(cast, login):
    user = cast.user("employee")
    client = login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Paarse olifanten dansen op de Grote Markt 1987",
            "new_password2": "Paarse olifanten dansen op de Grote Markt 1987",
        },
        **ORIGIN,
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    [event] = auth_events("auth.password_changed")
    assert (event.actor, event.subject, event.details) == (user, cast.employee, {"how": "self"})
    assert event.ip_address == "10.1.2.3"


def test_a_password_set_outside_a_request_is_recorded_but_a_hash_upgrade_is_not(cast):
    user = cast.user("director")
    user.set_password("Een ander lang wachtwoord voor de directeur")
    user.save()
    [event] = auth_events("auth.password_changed")
    assert (event.actor, event.subject, event.details) == (None, cast.director, {"how": "without_login"})

    user.first_name = "Anders"
    user.save()
    assert len(auth_events("auth.password_changed")) == 1


@pytest.mark.parametrize("name", ["employee", "outsider"])
def test_every_login_event_can_be_found_by_the_account(cast, client, name):
    log_in(client, cast.user(name).email)
    assert AuditEvent.objects.filter(actor=cast.user(name), action="auth.login").count() == 1
