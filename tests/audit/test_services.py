"""Writing the log: a change made through a service, in its transaction; the JSON line
on stdout; append-only; whose data an object is about."""

import pytest
from django.db import transaction

from gesprekscyclus.agreements.services import agreement_create
from gesprekscyclus.audit.context import RequestOrigin, current_origin
from gesprekscyclus.audit.models import AppendOnlyError, AuditEvent, Category
from gesprekscyclus.audit.services import audit_read, audit_record, subject_id_of
from gesprekscyclus.organisations.models import Role
from gesprekscyclus.organisations.services import role_assign
from tests.agreements.conftest import agreement_values

DOCUMENTED_FIELDS = {
    "logger",
    "level",
    "event",
    "id",
    "at",
    "category",
    "action",
    "actor_id",
    "actor",
    "organisation_id",
    "subject_id",
    "object_type",
    "object_id",
    "ip_address",
    "user_agent",
    "method",
    "path",
    "details",
}


@pytest.fixture
def origin():
    token = current_origin.set(
        RequestOrigin(ip_address="192.0.2.7", user_agent="Firefox/130", method="POST", path="/gesprekken/x/")
    )
    yield
    current_origin.reset(token)


def test_a_change_through_a_service_records_whose_data_it_is_and_from_where(cast, held_planning, origin):
    agreement = agreement_create(
        conversation=held_planning, values=agreement_values(), acting_user=cast.user("employee")
    )

    event = AuditEvent.objects.get(action="agreement.created")
    assert event.category == Category.WRITE
    assert event.actor == cast.user("employee")
    assert event.subject == cast.employee
    assert event.organisation == cast.organisation
    assert (event.object_type, event.object_id) == ("agreements.agreement", str(agreement.pk))
    assert (event.ip_address, event.user_agent, event.path) == ("192.0.2.7", "Firefox/130", "/gesprekken/x/")


def test_an_object_not_about_a_person_has_no_subject(cast):
    assignment = role_assign(
        user=cast.outsider,
        organisation=cast.organisation,
        role=Role.HR_ADMIN,
        acting_user=cast.user("hr_admin"),
    )

    event = AuditEvent.objects.get(action="role.assigned", object_id=str(assignment.pk))
    assert event.subject is None
    assert event.ip_address is None  # not in a request


def test_the_subject_is_found_without_a_query(cast, held_planning, django_assert_num_queries):
    report = held_planning.report if hasattr(held_planning, "report") else None
    with django_assert_num_queries(0):
        assert subject_id_of(cast.employee) == cast.employee.pk
        assert subject_id_of(held_planning) == cast.employee.pk
        assert subject_id_of(cast.organisation) is None
        if report is not None:
            assert subject_id_of(report) == cast.employee.pk


def test_a_committed_change_writes_one_json_line_with_the_documented_fields(
    cast, held_planning, origin, json_lines, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        agreement_create(
            conversation=held_planning, values=agreement_values(), acting_user=cast.user("employee")
        )

    [line] = [line for line in json_lines() if line["action"] == "agreement.created"]
    assert set(line) == DOCUMENTED_FIELDS
    event = AuditEvent.objects.get(action="agreement.created")
    assert line["id"] == event.pk
    assert line["category"] == "write"
    assert line["actor"] == cast.user("employee").email
    assert line["subject_id"] == cast.employee.pk
    assert line["organisation_id"] == cast.organisation.pk
    assert (line["ip_address"], line["method"], line["path"]) == ("192.0.2.7", "POST", "/gesprekken/x/")
    assert line["logger"] == "gesprekscyclus.audit"


def test_a_rolled_back_change_records_nothing_and_logs_nothing(
    cast, held_planning, json_lines, django_capture_on_commit_callbacks
):
    class Boom(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Boom), transaction.atomic():
        agreement_create(
            conversation=held_planning, values=agreement_values(), acting_user=cast.user("employee")
        )
        raise Boom

    assert not AuditEvent.objects.filter(action="agreement.created").exists()
    assert not [line for line in json_lines() if line["action"] == "agreement.created"]


def test_a_read_outside_a_request_is_written_and_logged_at_once(cast, json_lines):
    audit_read(actor=cast.user("manager"), obj=cast.employee, permission="organisations.view_employee")

    event = AuditEvent.objects.get(category=Category.READ)
    assert (event.action, event.subject, event.organisation) == (
        "read:organisations.view_employee",
        cast.employee,
        cast.organisation,
    )
    assert [line["action"] for line in json_lines()] == ["read:organisations.view_employee"]


def test_events_cannot_be_changed_or_deleted(cast):
    event = audit_record(action="test.done", actor=cast.user("hr_admin"), organisation=cast.organisation)

    event.action = "test.undone"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="test.undone")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(actor=cast.user("manager"))
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.done"


def test_deleting_a_user_keeps_their_events_without_the_reference(cast):
    user = cast.outsider
    event = audit_record(action="test.done", actor=user, organisation=cast.organisation)

    user.delete()

    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.action, event.actor) == ("test.done", None)


def test_existing_callers_keep_working_with_only_the_old_arguments(cast):
    event = audit_record(action="cycles.opened", organisation=cast.organisation, details={"year": 2026})

    assert (event.category, event.actor, event.subject, event.details) == (
        Category.WRITE,
        None,
        None,
        {"year": 2026},
    )
