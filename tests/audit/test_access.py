"""Failed authorisation and reads of personal data, recorded by the access shortcuts:
``denied`` when the object exists but is not the user's to see (not when it does not
exist), ``read`` when they may see it; all of a request's in one INSERT at its end."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gesprekscyclus.audit.models import AuditEvent, Category

pytestmark = pytest.mark.usefixtures("english")

ORIGIN = {"REMOTE_ADDR": "10.9.8.7", "HTTP_USER_AGENT": "Edge/129"}


def conversation_page(conversation) -> str:
    return reverse("conversations:detail", args=[conversation.pk])


def test_opening_someone_elses_conversation_is_refused_and_recorded_with_whose_it_is(cast, login, planning):
    client = login(cast.user("colleague"))

    response = client.get(conversation_page(planning), **ORIGIN)

    assert response.status_code == 404
    [event] = AuditEvent.objects.filter(category=Category.DENIED)
    assert event.action == "denied:conversations.view_conversation"
    assert event.actor == cast.user("colleague")
    assert event.subject == cast.employee
    assert event.organisation == cast.organisation
    assert (event.object_type, event.object_id) == ("conversations.conversation", str(planning.pk))
    assert (event.ip_address, event.user_agent) == ("10.9.8.7", "Edge/129")
    assert event.path == conversation_page(planning)


def test_asking_for_something_that_does_not_exist_is_not_a_refusal(cast, login, planning):
    client = login(cast.user("colleague"))

    assert client.get(reverse("conversations:detail", args=[planning.pk + 1000])).status_code == 404

    assert not AuditEvent.objects.filter(category__in=[Category.DENIED, Category.READ]).exists()


def test_opening_a_conversation_one_may_see_is_recorded_as_a_read(cast, login, planning):
    client = login(cast.user("manager"))

    assert client.get(conversation_page(planning), **ORIGIN).status_code == 200

    [event] = AuditEvent.objects.filter(category=Category.READ)
    assert event.action == "read:conversations.view_conversation"
    assert (event.actor, event.subject, event.organisation) == (
        cast.user("manager"),
        cast.employee,
        cast.organisation,
    )
    assert event.ip_address == "10.9.8.7"


def test_opening_an_employee_page_is_a_read_of_their_data(cast, login):
    client = login(cast.user("director"))

    assert client.get(reverse("organisations:employee_detail", args=[cast.employee.pk])).status_code == 200

    [event] = AuditEvent.objects.filter(category=Category.READ)
    assert (event.action, event.subject) == ("read:organisations.view_employee", cast.employee)


def test_a_unit_is_not_personal_data_but_the_members_its_page_lists_are(cast, login):
    client = login(cast.user("director"))

    assert client.get(reverse("organisations:unit_detail", args=[cast.team.pk])).status_code == 200

    # No read of the unit itself; one list read naming the members shown (tests/audit/test_list_reads.py).
    [event] = AuditEvent.objects.filter(category=Category.READ)
    assert event.action == "read:organisations.unit_members.list"
    assert (event.object_type, event.object_id) == ("organisations.orgunit", str(cast.team.pk))


def test_a_role_level_page_refused_with_403_is_recorded(cast, login):
    client = login(cast.user("manager"))

    assert client.get(reverse("audit:search"), **ORIGIN).status_code == 403

    [event] = AuditEvent.objects.filter(category=Category.DENIED)
    assert (event.action, event.actor, event.subject) == (
        "denied:audit.view_auditlog",
        cast.user("manager"),
        None,
    )
    assert event.organisation == cast.organisation  # the manager's own
    assert event.path == reverse("audit:search")


def test_a_page_stores_its_reads_in_one_insert_at_the_end_of_the_request(cast, login, planning):
    client = login(cast.user("manager"))
    with CaptureQueriesContext(connection) as context:
        client.get(conversation_page(planning))
    inserts = [
        query["sql"] for query in context.captured_queries if 'INTO "audit_auditevent"' in query["sql"]
    ]
    assert len(inserts) == 1


def test_the_read_is_logged_as_a_json_line_once_stored(cast, login, planning, json_lines):
    client = login(cast.user("manager"))
    client.get(conversation_page(planning), **ORIGIN)

    [line] = [line for line in json_lines() if line["category"] == "read"]
    assert line["id"] == AuditEvent.objects.get(category=Category.READ).pk
    assert (line["method"], line["ip_address"], line["subject_id"]) == ("GET", "10.9.8.7", cast.employee.pk)
