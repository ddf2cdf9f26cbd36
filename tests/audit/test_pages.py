"""The HR administrator's search over their organisation's log (filters, pages, htmx,
CSV) and every employee's "who viewed or changed my data"."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from gesprekscyclus.audit.context import RequestOrigin, current_origin
from gesprekscyclus.audit.models import AuditEvent, Category
from gesprekscyclus.audit.services import audit_denied, audit_read, audit_record
from gesprekscyclus.organisations.models import Employee

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
SEARCHED = "read:audit.search.list"


def at_origin(ip: str):
    return current_origin.set(RequestOrigin(ip_address=ip, user_agent="Safari/18", method="GET", path="/x/"))


@pytest.fixture
def log(cast):
    """A few events: the manager read the employee's data from 10.0.0.5, the colleague was
    refused, HR changed something of the other employee, and someone in the other
    organisation read their own colleague's data."""
    token = at_origin("10.0.0.5")
    audit_read(actor=cast.user("manager"), obj=cast.employee, permission="organisations.view_employee")
    current_origin.reset(token)
    token = at_origin("172.16.4.4")
    audit_denied(actor=cast.user("colleague"), obj=cast.employee, permission="organisations.view_employee")
    audit_record(action="agreement.created", actor=cast.user("hr_adviser"), obj=cast.other_employee)
    current_origin.reset(token)
    audit_read(
        actor=cast.foreign_employee.user, obj=cast.foreign_employee, permission="organisations.view_employee"
    )
    return cast


def search(client, **filters):
    return client.get(reverse("audit:search"), filters, **ENGLISH)


def shown(response, *, logins: bool = False) -> list[AuditEvent]:
    """The events listed; without the tests' own log-ins (``login`` logs in for real) and
    the administrator's earlier searches (reading the log is itself recorded)."""
    events = [row["event"] for row in response.context["rows"] if row["event"].action != SEARCHED]
    return events if logins else [event for event in events if event.action != "auth.login"]


def test_the_hr_administrator_sees_their_organisations_events_newest_first(log, login):
    response = search(login(log.user("hr_admin")))

    assert response.status_code == 200
    assert [event.action for event in shown(response)] == [
        "agreement.created",
        "denied:organisations.view_employee",
        "read:organisations.view_employee",
    ]
    page = response.content.decode()
    assert "10.0.0.5" in page
    assert log.foreign_employee.full_name not in page
    assert "<caption>" in page


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"category": "denied"}, ["denied:organisations.view_employee"]),
        ({"category": "read"}, ["read:organisations.view_employee"]),
        ({"action": "agreement"}, ["agreement.created"]),
        ({"ip": "10.0."}, ["read:organisations.view_employee"]),
        ({"ip": "172.16.4.4"}, ["agreement.created", "denied:organisations.view_employee"]),
    ],
)
def test_the_filters_narrow_the_list(log, login, filters, expected):
    response = search(login(log.user("hr_admin")), **filters)

    assert [event.action for event in shown(response)] == expected


def test_searching_by_who_and_about_whom(log, login):
    client = login(log.user("hr_admin"))
    manager, employee = log.user("manager"), log.employee

    by_manager = search(client, actor=f"{manager.first_name} {manager.last_name}")
    by_email = search(client, actor=manager.email)
    about = search(client, subject=employee.personnel_number)
    about_other = search(client, subject=log.other_employee.last_name)

    assert [event.actor for event in shown(by_manager)] == [manager]
    assert [event.actor for event in shown(by_email)] == [manager]
    assert {event.subject for event in shown(about)} == {employee}
    assert [event.action for event in shown(about_other)] == ["agreement.created"]


def test_the_period_filter_takes_whole_days(log, login):
    client = login(log.user("hr_admin"))
    today = timezone.localdate()

    assert len(shown(search(client, date_from=today.isoformat(), date_to=today.isoformat()))) == 3
    assert shown(search(client, date_to=(today - datetime.timedelta(days=1)).isoformat())) == []


def test_wrong_filters_are_explained_and_show_nothing(log, login):
    response = search(
        login(log.user("hr_admin")), ip="not an address", date_from="2026-02-01", date_to="2026-01-01"
    )

    assert shown(response) == []
    assert set(response.context["form"].errors) == {"ip", "date_to"}
    assert 'role="alert"' in response.content.decode()


def test_htmx_gets_only_the_results(log, login):
    response = login(log.user("hr_admin")).get(
        reverse("audit:search"), {"category": "read"}, HTTP_HX_REQUEST="true"
    )

    page = response.content.decode()
    assert "<html" not in page
    assert 'id="auditlog-results"' not in page
    assert "<table" in page
    assert "HX-Request" in response["Vary"]


def test_pages_of_fifty(cast, login):
    for index in range(55):
        audit_record(action=f"test.{index}", organisation=cast.organisation)
    client = login(cast.user("hr_admin"))

    first = search(client, action="test.")
    second = search(client, action="test.", pagina=2)

    assert len(shown(first)) == 50
    assert len(shown(second)) == 5
    assert "action=test.&amp;pagina=2" in first.content.decode()


@pytest.mark.parametrize("name", ["employee", "manager", "director", "hr_adviser", "outsider"])
def test_only_hr_administrators_may_search(log, login, name):
    client = login(log.user(name))
    assert client.get(reverse("audit:search")).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("audit:search"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_hr_administrator_of_another_organisation_sees_none_of_this_one(log, login):
    from gesprekscyclus.organisations.models import Role
    from tests.factories import RoleAssignmentFactory

    foreign_admin = log.foreign_employee.user
    RoleAssignmentFactory(
        user=foreign_admin, organisation=log.foreign_employee.organisation, role=Role.HR_ADMIN, unit=None
    )

    response = search(login(foreign_admin))

    assert [event.subject for event in shown(response)] == [log.foreign_employee]


def test_the_csv_export_has_the_filtered_events_and_is_safe_in_a_spreadsheet(log, login):
    Employee.objects.filter(pk=log.employee.pk).update(first_name="=HYPERLINK(1)")
    client = login(log.user("hr_admin"))

    response = client.get(reverse("audit:export"), {"subject": log.employee.personnel_number}, **ENGLISH)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["action"] for row in rows] == [
        "denied:organisations.view_employee",
        "read:organisations.view_employee",
    ]
    assert rows[1]["IP address"] == "10.0.0.5"
    assert rows[1]["about"].startswith("'=HYPERLINK(1)")
    assert rows[1]["by (e-mail address)"] == log.user("manager").email
    exported = AuditEvent.objects.get(action="auditlog.exported")
    assert (exported.actor, exported.organisation, exported.details["rows"]) == (
        log.user("hr_admin"),
        log.organisation,
        2,
    )


# -- my data -------------------------------------------------------------------------------


def mine(client):
    return client.get(reverse("audit:mine"), **ENGLISH)


def test_an_employee_sees_who_viewed_their_data_but_not_from_where(log, login):
    audit_read(actor=log.user("employee"), obj=log.employee, permission="organisations.view_employee")

    response = mine(login(log.user("employee")))

    assert response.status_code == 200
    events = shown(response)
    assert [(event.action, event.actor) for event in events] == [
        ("denied:organisations.view_employee", log.user("colleague")),
        ("read:organisations.view_employee", log.user("manager")),
    ]  # not their own looking, not others' data
    page = response.content.decode()
    assert log.user("manager").get_full_name() in page
    assert "10.0.0.5" not in page
    assert "172.16.4.4" not in page


def test_an_employee_sees_log_ins_to_their_account(cast, client, login):
    client.post(
        reverse("accounts:login"), {"username": cast.user("employee").email, "password": "fout"}, **ENGLISH
    )

    events = shown(mine(login(cast.user("employee"))), logins=True)

    assert [event.action for event in events][-1] == "auth.login_failed"
    assert Category.AUTH in {event.category for event in events}


def test_another_employee_sees_nothing_of_this(log, login):
    assert shown(mine(login(log.user("colleague")))) == []


def test_an_account_without_an_employee_has_no_entries(log, login):
    response = mine(login(log.outsider))
    assert response.status_code == 200
    assert response.context["has_employee"] is False
