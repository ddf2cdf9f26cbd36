"""List pages and exports that show other people's data record one audit event each
(``audit_list_read``): who, the page, the filters, how many rows and which people, from
where. Every person shown finds it among "who viewed my data"; the HR administrator finds
it in the search. A list of only one's own data records nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gesprekscyclus.audit import services
from gesprekscyclus.audit.models import AppendOnlyError, AuditEvent, Category, ListedSubject
from gesprekscyclus.audit.services import audit_list_read
from gesprekscyclus.organisations.models import Employee
from gesprekscyclus.privacy import export as subject_export
from tests.compliance import conftest as compliance
from tests.compliance.pages import csv_rows
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.usefixtures("english")

# The dashboard's organisation (tests/compliance/scenario.py), with its fixtures.
locmem_mail = compliance.locmem_mail
no_refresh_left_pending = compliance.no_refresh_left_pending
refreshed = compliance.refreshed
travel = compliance.travel
viewer = compliance.viewer
world = compliance.world
export_url = compliance.export_url

ORIGIN = {"REMOTE_ADDR": "10.20.30.40", "HTTP_USER_AGENT": "Firefox/140"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def list_reads() -> list[AuditEvent]:
    """The list events recorded so far (not the log-ins, not reads of single objects)."""
    return list(AuditEvent.objects.filter(category=Category.READ, details__has_key="subjects").order_by("id"))


def listed(event: AuditEvent) -> set[int]:
    return set(ListedSubject.objects.filter(event=event).values_list("employee_id", flat=True))


def ids(*people: Employee) -> list[int]:
    return sorted(person.pk for person in people)


# -- the pages ------------------------------------------------------------------------------


def test_the_team_overview_records_one_event_naming_the_viewer_and_the_people_shown(cast, login):
    client = login(cast.user("manager"))

    response = client.get(reverse("cycles:team_schedule"), {"sort": "name"}, **ORIGIN)

    assert response.status_code == 200
    [event] = list_reads()
    assert (event.action, event.actor, event.subject, event.organisation) == (
        "read:cycles.team.list",
        cast.user("manager"),
        None,
        cast.organisation,
    )
    shown = [member["person"] for member in response.context["members"]]
    assert ids(*shown) == ids(cast.employee, cast.colleague)
    assert event.details == {
        "rows": 2,
        "subject_count": 2,
        "subjects": ids(cast.employee, cast.colleague),
        "query": {"sort": ["name"]},
    }
    assert listed(event) == {cast.employee.pk, cast.colleague.pk}
    assert (event.ip_address, event.user_agent, event.path) == (
        "10.20.30.40",
        "Firefox/140",
        reverse("cycles:team_schedule"),
    )


def test_a_units_overview_names_only_the_people_on_the_page_shown(cast, login):
    for _ in range(3):
        EmployeeFactory(unit=cast.team)
    client = login(cast.user("director"))

    response = client.get(reverse("cycles:team_schedule"), {"unit": cast.sector.pk, "q": "e"})

    [event] = list_reads()
    shown = [member["person"] for member in response.context["members"]]
    assert shown and event.details["subjects"] == ids(*shown)
    assert event.details["query"] == {"unit": [str(cast.sector.pk)], "q": ["e"]}
    assert event.organisation == cast.organisation


def test_the_employee_search_records_the_page_of_people_and_the_search_words(cast, login):
    client = login(cast.user("hr_admin"))

    response = client.get(reverse("organisations:employee_list"), {"q": cast.employee.last_name})

    [event] = list_reads()
    page = list(response.context["page"])
    assert cast.employee in page
    assert event.action == "read:organisations.employees.list"
    assert event.actor == cast.user("hr_admin")
    assert event.details["subjects"] == ids(*page)
    assert event.details["query"] == {"q": [cast.employee.last_name]}
    assert listed(event) == {person.pk for person in page}


def test_a_unit_page_records_the_members_it_lists(cast, login):
    client = login(cast.user("director"))

    response = client.get(reverse("organisations:unit_detail", args=[cast.team.pk]))

    [event] = list_reads()
    assert event.action == "read:organisations.unit_members.list"
    assert (event.object_type, event.object_id, event.organisation) == (
        "organisations.orgunit",
        str(cast.team.pk),
        cast.organisation,
    )
    assert event.details["subjects"] == ids(*response.context["page"])


def test_the_overview_page_records_the_managers_team_but_not_ones_own_details(cast, login):
    login(cast.user("manager")).get(reverse("core:overview"))

    [event] = list_reads()
    assert event.action == "read:core.overview.team"
    assert event.details["subjects"] == ids(cast.employee, cast.colleague)


@pytest.mark.parametrize(
    "url",
    [
        reverse("core:overview"),
        reverse("cycles:my_schedule"),
        reverse("cycles:team_schedule"),
        reverse("notifications:inbox"),
        reverse("audit:mine"),
    ],
)
def test_an_employee_seeing_only_their_own_data_records_no_list_read(cast, login, url):
    response = login(cast.user("employee")).get(url)

    assert response.status_code == 200
    assert list_reads() == []


def test_an_empty_search_records_nothing(cast, login):
    client = login(cast.user("hr_admin"))

    response = client.get(reverse("organisations:employee_list"), {"q": "nobody-is-called-this"})

    assert list(response.context["page"]) == []
    assert list_reads() == []


def test_finding_only_oneself_records_nothing(cast, login):
    client = login(cast.user("hr_admin"))

    response = client.get(reverse("organisations:employee_list"), {"q": cast.hr_admin.personnel_number})

    assert list(response.context["page"]) == [cast.hr_admin]
    assert list_reads() == []


def test_the_organisation_export_records_every_employee_in_it(cast, login):
    client = login(cast.user("hr_admin"))

    response = client.get(reverse("organisations:export_download", args=[cast.organisation.pk, "xlsx"]))

    assert response.status_code == 200
    [event] = list_reads()
    everyone = Employee.objects.filter(organisation=cast.organisation)
    assert event.action == "read:organisations.employees.export"
    assert (event.object_type, event.object_id) == ("organisations.organisation", str(cast.organisation.pk))
    assert event.details["subjects"] == ids(*everyone)
    assert event.details["query"] == {"format": ["xlsx"]}
    assert cast.foreign_employee.pk not in listed(event)


# -- the dashboard --------------------------------------------------------------------------


def test_the_dashboard_overdue_export_records_one_event_naming_everyone_in_it(refreshed, viewer):
    cast = refreshed.cast
    client = viewer(cast.user("hr_admin"))

    rows = csv_rows(client.get(export_url("csv", table="overdue", period=2026), **ORIGIN))

    [event] = list_reads()
    exported = Employee.objects.filter(personnel_number__in=[row["personnel number"] for row in rows])
    assert len(rows) > 5
    assert (event.action, event.actor, event.organisation) == (
        "read:compliance.overdue.export",
        cast.user("hr_admin"),
        cast.organisation,
    )
    assert event.details["rows"] == len(rows)
    assert event.details["subjects"] == ids(*exported)
    assert event.details["query"] == {"table": ["overdue"], "period": ["2026"]}
    assert listed(event) == {person.pk for person in exported}
    assert event.ip_address == "10.20.30.40"


def test_the_dashboards_unit_figures_are_no_personal_data(refreshed, viewer):
    client = viewer(refreshed.cast.user("hr_admin"))

    assert client.get(export_url("csv")).status_code == 200

    assert list_reads() == []


def test_the_xlsx_export_with_its_overdue_sheet_is_recorded(refreshed, viewer):
    client = viewer(refreshed.cast.user("hr_admin"))

    assert client.get(export_url("xlsx")).status_code == 200

    [event] = list_reads()
    assert event.action == "read:compliance.overdue.export" and event.details["subject_count"] > 5


def test_the_dashboard_records_the_overdue_and_probation_lists(refreshed, viewer):
    client = viewer(refreshed.cast.user("hr_admin"))

    response = client.get(compliance.dashboard_url())

    board = response.context["board"]
    shown = [progress.cycle.employee for progress in board.overdue] + board.probation
    [event] = list_reads()
    assert event.action == "read:compliance.dashboard.list"
    assert shown and event.details["subjects"] == ids(*set(shown))


# -- where the event shows up ---------------------------------------------------------------


def test_a_listed_person_sees_that_their_manager_viewed_the_team_list(cast, login, client):
    login(cast.user("manager")).get(reverse("cycles:team_schedule"))
    client.logout()

    response = login(cast.user("employee")).get(reverse("audit:mine"), **ENGLISH)

    [row] = [row for row in response.context["rows"] if row["event"].category == Category.READ]
    assert row["event"].action == "read:cycles.team.list"
    assert row["who"] == cast.user("manager").get_full_name()
    assert row["what"] == "viewed: the team overview"
    assert "viewed: the team overview" in response.content.decode()


def test_the_viewer_does_not_see_their_own_list_reads_as_about_them(cast, login):
    client = login(cast.user("hr_admin"))
    client.get(reverse("organisations:employee_list"))  # everyone, the administrator too
    assert cast.hr_admin.pk in listed(list_reads()[0])

    response = client.get(reverse("audit:mine"))

    assert [row for row in response.context["rows"] if row["event"].category == Category.READ] == []


def test_someone_not_on_the_page_does_not_see_it(cast, login, client):
    login(cast.user("manager")).get(reverse("cycles:team_schedule"))
    client.logout()

    response = login(cast.user("other_employee")).get(reverse("audit:mine"))

    assert [row for row in response.context["rows"] if row["event"].category == Category.READ] == []


def test_the_hr_administrator_finds_the_list_read_in_the_search(cast, login, client):
    login(cast.user("manager")).get(reverse("cycles:team_schedule"))
    client.logout()
    admin = login(cast.user("hr_admin"))

    everything = admin.get(reverse("audit:search"), {"category": "read"}, **ENGLISH)
    about_colleague = admin.get(reverse("audit:search"), {"subject": cast.colleague.last_name}, **ENGLISH)
    about_outsider = admin.get(reverse("audit:search"), {"subject": cast.other_employee.last_name}, **ENGLISH)

    [row] = [row for row in everything.context["rows"] if row["event"].action == "read:cycles.team.list"]
    assert row["event"].actor == cast.user("manager")
    assert row["what"] == "viewed: the team overview"
    assert "2 people" in everything.content.decode()
    assert "read:cycles.team.list" in [row["event"].action for row in about_colleague.context["rows"]]
    assert "read:cycles.team.list" not in [row["event"].action for row in about_outsider.context["rows"]]


def test_reading_the_audit_log_is_itself_recorded(cast, login):
    agreement = AuditEvent.objects.create(
        action="agreement.created", organisation=cast.organisation, subject=cast.employee
    )
    client = login(cast.user("hr_admin"))

    client.get(reverse("audit:search"), {"action": "agreement"})
    client.get(reverse("audit:export"), {"action": "agreement"})

    search, exported = AuditEvent.objects.filter(category=Category.READ).order_by("id")
    assert search.action == "read:audit.search.list"
    assert search.details["ids"] == [agreement.pk]
    assert search.details["subjects"] == [cast.employee.pk]
    assert search.organisation == cast.organisation
    assert exported.action == "auditlog.exported"
    assert (exported.details["rows"], exported.details["subjects"]) == (1, [cast.employee.pk])
    assert listed(exported) == {cast.employee.pk}


def test_the_data_subject_export_has_the_list_read_but_not_who_else_was_on_it(cast, login):
    login(cast.user("manager")).get(reverse("cycles:team_schedule"))

    events = subject_export.collect(cast.employee).data["audit_events"]

    [event] = [event for event in events if event["action"] == "read:cycles.team.list"]
    assert event["about_you"] is True
    assert event["details"] == {"rows": 2, "subject_count": 2, "query": {}}


# -- how it is written ----------------------------------------------------------------------


def audit_inserts(context) -> dict[str, int]:
    inserts = [query["sql"] for query in context.captured_queries if query["sql"].startswith("INSERT")]
    return {
        table: sum(f'INTO "{table}"' in sql for sql in inserts)
        for table in ("audit_auditevent", "audit_listedsubject")
    }


def test_a_list_read_is_one_insert_for_the_event_and_one_for_its_people_however_many(cast, login):
    client = login(cast.user("director"))
    url = reverse("cycles:team_schedule") + f"?unit={cast.sector.pk}"
    client.get(url)  # warm up

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(40):
        EmployeeFactory(unit=cast.team)
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    counts = [len(event.listed.all()) for event in list_reads()]
    assert counts[-1] == counts[-2] + 40
    assert audit_inserts(few) == audit_inserts(many) == {"audit_auditevent": 1, "audit_listedsubject": 1}


def test_the_json_line_carries_the_people_shown(cast, login, json_lines):
    login(cast.user("manager")).get(reverse("cycles:team_schedule"), **ORIGIN)

    [line] = [line for line in json_lines() if line["action"] == "read:cycles.team.list"]
    assert line["id"] == list_reads()[0].pk
    assert line["details"]["subjects"] == ids(cast.employee, cast.colleague)
    assert (line["subject_id"], line["ip_address"], line["method"]) == (None, "10.20.30.40", "GET")


def test_the_details_name_at_most_so_many_people_and_the_table_all_of_them(cast, monkeypatch, rf):
    monkeypatch.setattr(services, "LISTED_IN_DETAILS", 2)
    request = rf.get("/organisatie/medewerkers/", {"q": "e"})
    request.user = cast.user("hr_admin")
    people = [cast.employee, cast.colleague, cast.other_employee, cast.manager]

    event = audit_list_read(request, "read:organisations.employees.list", subjects=people)

    assert event.details == {
        "rows": 4,
        "subject_count": 4,
        "subjects": ids(*people)[:2],
        "query": {"q": ["e"]},
    }
    assert listed(event) == {person.pk for person in people}


def test_the_people_of_a_list_read_cannot_be_changed_or_deleted(cast, login):
    login(cast.user("manager")).get(reverse("cycles:team_schedule"))
    row = ListedSubject.objects.filter(employee=cast.employee).get()

    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        ListedSubject.objects.filter(pk=row.pk).update(employee=cast.colleague)
    with pytest.raises(AppendOnlyError):
        ListedSubject.objects.filter(pk=row.pk).delete()


def test_deleting_a_person_keeps_the_list_read_without_the_reference(cast, login):
    login(cast.user("manager")).get(reverse("cycles:team_schedule"))
    [event] = list_reads()

    Employee.objects.filter(pk=cast.colleague.pk).delete()

    assert listed(event) == {cast.employee.pk, None}
    assert AuditEvent.objects.get(pk=event.pk).details["subjects"] == ids(cast.employee, cast.colleague)
