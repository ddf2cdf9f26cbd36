"""An employee moves to another unit and so gets another manager (the unit is changed,
then ``employees_refresh_managers`` derives the managers again). Under Kampen
(``tests/signatures/flow``): the planning conversation was held with the old manager and
its report awaits the signatures; the progress conversation is planned with the old
manager. The employee moves from Team Inkomen (``manager``) to Team Vergunningen
(``other_manager``)."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from icalendar import Calendar

from gesprekscyclus.audit.models import AuditEvent
from gesprekscyclus.conversations.models import Status
from gesprekscyclus.conversations.services import Refused
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.organisations.models import Employee
from gesprekscyclus.organisations.services import employees_refresh_managers
from gesprekscyclus.signatures.services import version_for_signing
from tests.assessments import flow as assessment_flow
from tests.conversations.pages_helpers import browser, html, load_form, messages_of, post_form
from tests.disagreements.conftest import PROGRESS_DAY, PROGRESS_PLANNED_ON, plan
from tests.signatures import flow


@pytest.fixture
def before_the_move(cast, mailoutbox, django_capture_on_commit_callbacks):
    """The planning report signed by the employee, awaiting the manager; the progress
    conversation planned by the manager (its invitation is the first mail)."""
    flow.load_kampen(cast.organisation)
    cycle = flow.open_cycle(cast)
    planning = flow.ready_for_signing(cast, cycle)
    flow.sign(version_for_signing(planning), cast.user("employee"))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        progress = flow.planned(cast, cycle, flow.KAMPEN_PROGRESS)
    [invitation] = mailoutbox
    mailoutbox.clear()
    return planning, progress, invitation


def move(cast, django_capture_on_commit_callbacks):
    Employee.objects.filter(pk=cast.employee.pk).update(unit=cast.other_team)
    with django_capture_on_commit_callbacks(execute=True):
        changed = employees_refresh_managers(organisation=cast.organisation)
    assert changed == 1
    assert Employee.objects.get(pk=cast.employee.pk).manager == cast.other_manager


def event_of(message):
    [(_name, ics, _type)] = message.attachments
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    return event


def test_the_planned_conversation_moves_to_the_new_manager_with_an_updated_invitation(
    cast, before_the_move, mailoutbox, django_capture_on_commit_callbacks
):
    _planning, progress, invitation = before_the_move

    move(cast, django_capture_on_commit_callbacks)

    progress.refresh_from_db()
    assert (progress.conductor, progress.status) == (cast.other_manager, Status.PLANNED)
    # The old manager's calendar drops the event; the employee and the new manager get the update.
    withdrawal, message = mailoutbox
    assert withdrawal.to == [cast.manager.email]
    [(_name, cancel_ics, cancel_type)] = withdrawal.attachments
    assert "method=CANCEL" in cancel_type
    cancelled = event_of(withdrawal)
    assert str(cancelled["UID"]) == f"{progress.ics_uid}@gesprekscyclus"
    assert {str(address) for address in [cancelled.get("ATTENDEE")]} == {f"mailto:{cast.manager.email}"}
    assert set(message.to) == {cast.employee.email, cast.other_manager.email}
    before, after = event_of(invitation), event_of(message)
    assert str(after["UID"]) == str(before["UID"]) == f"{progress.ics_uid}@gesprekscyclus"
    assert after["SEQUENCE"] > before["SEQUENCE"]
    attendees = {str(address) for address in after.get("ATTENDEE")}
    assert attendees == {f"mailto:{cast.employee.email}", f"mailto:{cast.other_manager.email}"}
    assert cast.other_manager.full_name in message.subject
    # The new manager opens it; the old one no longer does.
    assert (
        browser(cast.user("other_manager"))
        .get(reverse("conversations:detail", args=[progress.pk]))
        .status_code
        == 200
    )
    assert (
        browser(cast.user("manager")).get(reverse("conversations:detail", args=[progress.pk])).status_code
        == 404
    )
    event = AuditEvent.objects.get(action="conversation.manager_changed")
    assert event.object_id == str(progress.pk)
    assert event.details == {"from_manager": cast.manager.pk, "to_manager": cast.other_manager.pk}


def test_the_held_conversation_keeps_its_conductor_and_the_new_manager_signs_its_report(
    cast, before_the_move, django_capture_on_commit_callbacks
):
    planning, _progress, _invitation = before_the_move

    move(cast, django_capture_on_commit_callbacks)

    planning.refresh_from_db()
    assert (planning.conductor, planning.status) == (cast.manager, Status.READY_FOR_SIGNING)
    assert not AuditEvent.objects.filter(
        action="conversation.manager_changed", object_id=str(planning.pk)
    ).exists()
    version = version_for_signing(planning)
    with pytest.raises(Refused, match="Your signature is not required on this report"):
        flow.sign(version, cast.user("manager"))
    new_manager = browser(cast.user("other_manager"))
    signing = reverse("signatures:sign", args=[planning.pk])
    assert escape(cast.other_manager.full_name) in html(new_manager.get(signing))

    form = load_form(new_manager, signing, action=reverse("signatures:sign_post", args=[planning.pk]))
    response = post_form(new_manager, form, data={"password": flow.PASSWORD})

    assert messages_of(response) == ["You have signed the report."]
    planning.refresh_from_db()
    assert planning.status == Status.COMPLETED
    version.refresh_from_db()
    assert {s.role: s.signer for s in version.signatures.all()} == {
        "employee": cast.user("employee"),
        "manager": cast.user("other_manager"),
    }
    assert DossierEntry.objects.filter(conversation=planning, document="report").count() == 1


def test_a_conversation_conducted_by_a_designated_person_stays_with_them(
    cast, heemstede, mailoutbox, django_capture_on_commit_callbacks
):
    """Heemstede lets the manager designate someone to conduct the progress conversation; a
    change of manager does not take it from them."""
    cycle = assessment_flow.open_cycle(cast)
    progress = plan(
        cycle,
        "progress",
        by=cast.user("manager"),
        on=PROGRESS_PLANNED_ON,
        day=PROGRESS_DAY,
        conductor=cast.colleague,
    )
    mailoutbox.clear()

    move(cast, django_capture_on_commit_callbacks)

    progress.refresh_from_db()
    assert (progress.conductor, progress.ics_sequence) == (cast.colleague, 0)
    assert mailoutbox == []
    assert not AuditEvent.objects.filter(action="conversation.manager_changed").exists()


def test_a_report_signed_before_the_move_still_names_the_old_manager_as_signer(
    cast, django_capture_on_commit_callbacks
):
    """The planning report was signed by the employee and the old manager; after the move
    its signing page (the record of who signed) names the old manager in the manager's row,
    not the new manager, who signed nothing."""
    flow.load_kampen(cast.organisation)
    planning = flow.ready_for_signing(cast, flow.open_cycle(cast))
    flow.sign_by_both(cast, planning)

    move(cast, django_capture_on_commit_callbacks)

    page = html(browser(cast.user("employee")).get(reverse("signatures:sign", args=[planning.pk])))
    signatures = page.split('id="signatures"')[1].split("</section>")[0]
    assert escape(cast.manager.full_name) in signatures
    assert escape(cast.other_manager.full_name) not in signatures
