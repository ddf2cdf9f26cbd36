"""Designating someone to conduct an employee's conversations, under Heemstede
(001_6a145d970164611e.txt: "Het planningsgesprek vindt plaats met de directe
leidinggevende of een door hem/haar aangewezen persoon."). The manager designates the
cast's ``colleague`` for June 2026: in that period the colleague sees the employee's cycle,
plans the progress conversation and conducts it, and nothing more. Pages that ask for
today's date are read on 2 June 2026 (the clock is moved there)."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from gesprekscyclus.audit.models import AuditEvent
from gesprekscyclus.conversations.models import Conversation
from gesprekscyclus.conversations.services import Refused, conversation_plan
from gesprekscyclus.disagreements.models import Delegation
from gesprekscyclus.disagreements.services import active_delegation, delegation_grant, delegation_revoke
from tests.assessments import flow
from tests.conversations.pages_helpers import browser, html, messages_of, plan_links, submit
from tests.disagreements.conftest import (
    PLANNED_ON,
    PLANNING_DAY,
    PROGRESS_DAY,
    PROGRESS_PLANNED_ON,
    hold,
    plan,
)

date = datetime.date
JUNE = (date(2026, 6, 1), date(2026, 6, 30))


@pytest.fixture
def cycle(cast, heemstede):
    return flow.open_cycle(cast)


@pytest.fixture
def planning(cast, cycle):
    """The planning conversation, planned by the employee and conducted by the manager."""
    return hold(
        plan(cycle, "planning", by=cast.user("employee"), on=PLANNED_ON, day=PLANNING_DAY),
        by=cast.user("employee"),
    )


@pytest.fixture
def june(cast, time_machine):
    """2 June 2026, 10:00 in Amsterdam."""
    time_machine.move_to(flow.at(PROGRESS_PLANNED_ON), tick=False)


def schedule_page(employee) -> str:
    return reverse("cycles:employee_schedule", args=[employee.pk])


def conversation_page(conversation) -> str:
    return reverse("conversations:detail", args=[conversation.pk])


def grant_on_page(cast):
    manager = browser(cast.user("manager"))
    return submit(
        manager,
        reverse("disagreements:delegations", args=[cast.employee.pk]),
        action="",
        data={
            "delegate": str(cast.colleague.pk),
            "starts_on": JUNE[0].isoformat(),
            "ends_on": JUNE[1].isoformat(),
            "reason": "Verlof leidinggevende.",
        },
    )


def plan_as_delegate(cast, cycle):
    delegate = browser(cast.user("colleague"))
    response = submit(
        delegate,
        reverse("conversations:plan", args=[cycle.pk, "progress"]),
        action="",
        data={
            "date": PROGRESS_DAY.isoformat(),
            "time": "10:00",
            "duration_minutes": "60",
            "location": "Raadhuis",
        },
    )
    assert response.status_code == 200, messages_of(response)
    return Conversation.objects.get(cycle=cycle, kind="progress")


def test_a_period_delegate_sees_the_cycle_plans_and_conducts_but_sees_nothing_else(
    cast, cycle, planning, june
):
    response = grant_on_page(cast)
    assert messages_of(response) == ["The designation is recorded."]
    delegation = Delegation.objects.get(employee=cast.employee)
    assert (delegation.delegate, delegation.starts_on, delegation.ends_on) == (cast.colleague, *JUNE)
    delegate = browser(cast.user("colleague"))

    assert delegate.get(schedule_page(cast.employee)).status_code == 200
    progress = plan_as_delegate(cast, cycle)

    assert (progress.conductor, progress.planned_by) == (cast.colleague, cast.user("colleague"))
    assert delegate.get(conversation_page(progress)).status_code == 200
    # Not the conversation the manager conducted, nor anybody else's cycle.
    assert delegate.get(conversation_page(planning)).status_code == 404
    for other in (cast.other_employee, cast.manager, cast.director):
        assert delegate.get(schedule_page(other)).status_code == 404
    # The designation page is the manager's.
    assert delegate.get(reverse("disagreements:delegations", args=[cast.employee.pk])).status_code == 404
    event = AuditEvent.objects.get(action="delegation.granted")
    assert (event.actor, event.object_id) == (cast.user("manager"), str(delegation.pk))


def test_the_delegates_cycle_page_offers_to_plan(cast, cycle, june):
    """The designated person "plans and conducts this employee's conversations in the
    period" (the designation page says so): on the employee's cycle page they find the
    *Plan* button for the progress conversation, as the manager does."""
    delegation_grant(
        employee=cast.employee,
        delegate=cast.colleague,
        starts_on=JUNE[0],
        ends_on=JUNE[1],
        acting_user=cast.user("manager"),
    )
    assert "progress" in plan_links(html(browser(cast.user("manager")).get(schedule_page(cast.employee))))

    page = html(browser(cast.user("colleague")).get(schedule_page(cast.employee)))

    assert "progress" in plan_links(page)


def test_revoking_moves_the_planned_conversation_back_and_ends_the_access(
    cast, cycle, june, mailoutbox, django_capture_on_commit_callbacks
):
    grant_on_page(cast)
    delegation = Delegation.objects.get(employee=cast.employee)
    progress = plan_as_delegate(cast, cycle)
    mailoutbox.clear()
    manager = browser(cast.user("manager"))

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(
            manager,
            reverse("disagreements:delegations", args=[cast.employee.pk]),
            action=reverse("disagreements:revoke", args=[delegation.pk]),
        )

    assert messages_of(response) == ["The designation is revoked."]
    progress.refresh_from_db()
    assert (progress.conductor, progress.ics_sequence) == (cast.manager, 1)
    # The delegate's calendar drops the event; the employee and the manager get the update.
    withdrawal, message = mailoutbox
    assert withdrawal.to == [cast.colleague.email]
    assert "method=CANCEL" in withdrawal.attachments[0][2]
    assert set(message.to) == {cast.employee.email, cast.manager.email}
    [(_name, ics, _type)] = message.attachments
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    assert (str(event["UID"]), event["SEQUENCE"]) == (f"{progress.ics_uid}@gesprekscyclus", 1)
    delegate = browser(cast.user("colleague"))
    assert delegate.get(schedule_page(cast.employee)).status_code == 404
    assert delegate.get(conversation_page(progress)).status_code == 404
    assert delegate.get(reverse("conversations:plan", args=[cycle.pk, "progress"])).status_code == 404
    assert active_delegation(cast.employee.pk, cast.colleague.pk, PROGRESS_PLANNED_ON) is None
    assert list(
        AuditEvent.objects.filter(object_type="disagreements.delegation")
        .order_by("id")
        .values_list("action", "actor")
    ) == [("delegation.granted", cast.user("manager").pk), ("delegation.revoked", cast.user("manager").pk)]


def test_a_held_conversation_stays_with_the_delegate_who_conducted_it(cast, cycle, june):
    delegation = delegation_grant(
        employee=cast.employee,
        delegate=cast.colleague,
        starts_on=JUNE[0],
        ends_on=JUNE[1],
        acting_user=cast.user("manager"),
    )
    progress = hold(
        plan(cycle, "progress", by=cast.user("colleague"), on=PROGRESS_PLANNED_ON, day=date(2026, 6, 2)),
        by=cast.user("colleague"),
    )

    delegation_revoke(delegation, acting_user=cast.user("manager"))

    progress.refresh_from_db()
    assert progress.conductor == cast.colleague


def test_the_access_ends_with_the_period(cast, cycle, time_machine):
    delegation_grant(
        employee=cast.employee,
        delegate=cast.colleague,
        starts_on=JUNE[0],
        ends_on=JUNE[1],
        acting_user=cast.user("manager"),
    )
    time_machine.move_to(flow.at(date(2026, 6, 30), 23, 30), tick=False)
    assert browser(cast.user("colleague")).get(schedule_page(cast.employee)).status_code == 200
    time_machine.move_to(flow.at(date(2026, 7, 1), 0, 30), tick=False)  # 30 June in UTC
    assert browser(cast.user("colleague")).get(schedule_page(cast.employee)).status_code == 404
    with pytest.raises(Refused, match="or the person the manager designated"):
        plan(cycle, "progress", by=cast.user("colleague"), on=date(2026, 7, 1), day=date(2026, 7, 8))


def test_only_the_manager_designates_and_revokes(cast, cycle):
    for name in ("employee", "director", "colleague"):
        with pytest.raises(Refused, match="Only the employee's manager designates"):
            delegation_grant(
                employee=cast.employee,
                delegate=cast.colleague,
                starts_on=JUNE[0],
                ends_on=JUNE[1],
                acting_user=cast.user(name),
            )
    with pytest.raises(Refused, match="other than the employee and yourself"):
        delegation_grant(
            employee=cast.employee,
            delegate=cast.employee,
            starts_on=JUNE[0],
            ends_on=JUNE[1],
            acting_user=cast.user("manager"),
        )
    with pytest.raises(Refused, match="Give the period"):
        delegation_grant(
            employee=cast.employee,
            delegate=cast.colleague,
            starts_on=JUNE[1],
            ends_on=JUNE[0],
            acting_user=cast.user("manager"),
        )
    delegation = delegation_grant(
        employee=cast.employee,
        delegate=cast.colleague,
        starts_on=JUNE[0],
        ends_on=JUNE[1],
        acting_user=cast.user("manager"),
    )
    with pytest.raises(Refused, match="Only the employee's manager revokes"):
        delegation_revoke(delegation, acting_user=cast.user("employee"))
    assert (
        browser(cast.user("other_manager"))
        .get(reverse("disagreements:delegations", args=[cast.employee.pk]))
        .status_code
        == 404
    )
    assert (
        browser(cast.user("colleague"))
        .post(reverse("disagreements:revoke", args=[delegation.pk]))
        .status_code
        == 404
    )
    assert AuditEvent.objects.filter(action="delegation.granted").count() == 1
    assert not AuditEvent.objects.filter(action="delegation.revoked").exists()


def test_designating_a_conductor_when_planning_is_a_recorded_and_audited_grant(cast, cycle):
    """The manager plans the progress conversation with the colleague conducting it: that is
    a designation for this one conversation, recorded as a Delegation and, like every grant,
    in the audit log; revoking it gives the conversation back to the manager."""
    progress = plan(
        cycle,
        "progress",
        by=cast.user("manager"),
        on=PROGRESS_PLANNED_ON,
        day=PROGRESS_DAY,
        conductor=cast.colleague,
    )

    delegation = Delegation.objects.get(conversation=progress)
    assert (delegation.delegate, delegation.granted_by) == (cast.colleague, cast.user("manager"))
    delegation_revoke(delegation, acting_user=cast.user("manager"))
    progress.refresh_from_db()
    assert progress.conductor == cast.manager
    assert AuditEvent.objects.filter(action="delegation.revoked", object_id=str(delegation.pk)).exists()
    assert AuditEvent.objects.filter(action="delegation.granted", object_id=str(delegation.pk)).exists()


def test_the_delegate_is_offered_only_the_kinds_a_delegate_may_conduct(cast, time_machine):
    """Zaanstad lets only the manager conduct (conducted_by: [manager] for every kind), so
    planning as a designated person is refused; the designated person's view of the cycle page
    must then offer no Plan button either (found by the Zaanstad year scenario)."""
    flow.put_in_force(cast, "zaanstad")
    cycle = flow.open_cycle(cast)
    time_machine.move_to(flow.at(date(2026, 10, 5)), tick=False)  # the joint evaluation is due
    delegation_grant(
        employee=cast.employee,
        delegate=cast.colleague,
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 10, 9),
        acting_user=cast.user("manager"),
    )
    managers = plan_links(html(browser(cast.user("manager")).get(schedule_page(cast.employee))))
    delegates = plan_links(html(browser(cast.user("colleague")).get(schedule_page(cast.employee))))

    assert "evaluation" in managers
    assert delegates == {}
    with pytest.raises(Refused):
        conversation_plan(
            cycle=cycle,
            kind="evaluation",
            starts_at=flow.at(date(2026, 10, 8)),
            location="Stadhuis",
            acting_user=cast.user("colleague"),
        )
