"""The conversation services as the two people in a conversation meet them: who may plan
it, what the invitation looks like, private preparation, holding it, writing and
approving the report, and how held conversations settle the schedule.

Everything runs under Heemstede (see ``conftest.py`` for its windows and initiative).
Refusal messages are checked in English (``english``); names and the regulation's own
labels are data and are checked as they are.
"""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from gesprekscyclus.audit.models import AuditEvent
from gesprekscyclus.conversations.models import Conversation, Preparation, Report, Side, Status
from gesprekscyclus.conversations.services import (
    Refused,
    StaleEdit,
    conversation_cancel,
    conversation_mark_held,
    conversation_plan,
    conversation_reschedule,
    held_for_cycles,
    preparation_save,
    preparation_share,
    report_approve,
    report_finish,
    report_save,
    report_send_back,
    visible_preparations,
)
from gesprekscyclus.core.text import without_nul
from gesprekscyclus.cycles.models import Cycle, CycleStatus
from gesprekscyclus.cycles.services import cycle_schedule, cycles_open
from gesprekscyclus.organisations.models import Employee
from gesprekscyclus.organisations.services import employees_refresh_managers
from tests.conversations.conftest import (
    BEFORE_TAKEOVER,
    EVALUATION_DAY,
    EVALUATION_PLANNED_ON,
    LAST_EMPLOYEE_DAY,
    PLANNING_DAY,
    PROGRESS_DAY,
    PROGRESS_PLANNED_ON,
    TAKEOVER_DAY,
    at,
    cycle_of,
)
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.usefixtures("english")


def item(cycle, kind, as_of):
    """The (single) schedule item of ``kind`` in ``cycle`` on ``as_of``."""
    [found] = [entry for entry in cycle_schedule(cycle, as_of) if entry.kind == kind]
    return found


def fresh(conversation) -> Conversation:
    return Conversation.objects.get(pk=conversation.pk)


# -- planning: who takes the initiative ------------------------------------------------------


def test_the_employee_plans_the_planning_conversation_while_the_initiative_is_theirs(cast, cycle, plan):
    conversation = plan(cycle, "planning", on=BEFORE_TAKEOVER, starts=PLANNING_DAY, by="employee")

    conversation = fresh(conversation)
    assert conversation.status == Status.PLANNED
    assert conversation.cycle == cycle
    assert conversation.employee == cast.employee
    # Nobody designated: the manager conducts it.
    assert conversation.conductor == cast.manager
    assert conversation.planned_by == cast.user("employee")
    assert conversation.starts_at == at(PLANNING_DAY)
    assert conversation.ends_at == at(PLANNING_DAY, 11)
    assert conversation.location == "Raadhuis, kamer 2.14"


@pytest.mark.parametrize("day", [BEFORE_TAKEOVER, LAST_EMPLOYEE_DAY])
def test_the_manager_cannot_plan_before_the_takeover_and_is_told_the_employee_starts(cast, cycle, plan, day):
    with pytest.raises(Refused) as refused:
        plan(cycle, "planning", on=day, starts=PLANNING_DAY, by="manager")

    assert str(refused.value) == (
        "Under this regulation the employee takes the initiative for the planning conversation."
    )
    assert not Conversation.objects.exists()


def test_the_manager_plans_from_the_fourteenth_day_of_the_window(cast, cycle, plan):
    # Heemstede: planning due from 1 December 2025; takeover {by: manager, after_days: 14}.
    conversation = plan(cycle, "planning", on=TAKEOVER_DAY, starts=PLANNING_DAY, by="manager")

    assert conversation.conductor == cast.manager
    assert conversation.planned_by == cast.user("manager")


def test_after_the_takeover_the_employee_is_told_the_manager_takes_the_initiative(cycle, plan):
    with pytest.raises(Refused, match="the manager takes the initiative for the planning conversation"):
        plan(cycle, "planning", on=TAKEOVER_DAY, starts=PLANNING_DAY, by="employee")


def test_either_side_plans_a_progress_conversation(cast, cycle, plan):
    by_manager = plan(cycle, "progress", on=PROGRESS_PLANNED_ON, starts=PROGRESS_DAY, by="manager")
    by_employee = plan(cycle, "progress", on=PROGRESS_PLANNED_ON, starts=PROGRESS_DAY, by="employee")

    assert by_manager.planned_by == cast.user("manager")
    assert by_employee.planned_by == cast.user("employee")


@pytest.mark.parametrize(
    "name", ["colleague", "director", "other_manager", "hr_adviser", "hr_admin", "secretary", "outsider"]
)
def test_nobody_but_the_employee_and_their_manager_plans(cast, cycle, plan, name):
    with pytest.raises(Refused) as refused:
        plan(cycle, "progress", on=PROGRESS_PLANNED_ON, starts=PROGRESS_DAY, by=name)

    assert str(refused.value) == (
        "Only the employee and their manager (or the person the manager designated) can plan a conversation."
    )
    assert not Conversation.objects.exists()


def test_a_closed_cycle_refuses_new_conversations(cycle, plan):
    Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.CLOSED)

    with pytest.raises(Refused, match="This cycle is closed; no conversations can be planned in it."):
        plan(cycle, "progress", on=PROGRESS_PLANNED_ON, starts=PROGRESS_DAY)


def test_a_conversation_needs_a_place_or_an_online_link(cycle, plan):
    with pytest.raises(Refused, match="Give a place or an online link."):
        plan(cycle, "progress", on=PROGRESS_PLANNED_ON, starts=PROGRESS_DAY, location="")

    online = plan(
        cycle,
        "progress",
        on=PROGRESS_PLANNED_ON,
        starts=PROGRESS_DAY,
        location="",
        online_url="https://teams.example.org/meet/42",
    )
    assert online.online_url == "https://teams.example.org/meet/42"


@pytest.mark.parametrize("minutes", [10, 481])
def test_a_conversation_lasts_between_a_quarter_and_eight_hours(cycle, plan, minutes):
    with pytest.raises(Refused, match="between 15 minutes and 8 hours"):
        plan(cycle, "progress", on=PROGRESS_PLANNED_ON, starts=PROGRESS_DAY, duration_minutes=minutes)


def test_a_kind_the_regulation_does_not_have_is_refused(cycle, plan):
    with pytest.raises(Refused, match="This regulation has no conversation of the kind coaching."):
        plan(cycle, "coaching", on=PROGRESS_PLANNED_ON, starts=PROGRESS_DAY)


def test_evaluation_and_next_planning_can_be_combined(cycle, plan):
    # 001: "Het plannings- en evaluatiegesprek kan ook in een gesprek worden gecombineerd"
    evaluation = plan(
        cycle, "evaluation", on=EVALUATION_PLANNED_ON, starts=EVALUATION_DAY, combined_with=["planning"]
    )
    planning = plan(cycle, "planning", on=BEFORE_TAKEOVER, starts=PLANNING_DAY, combined_with=["evaluation"])

    assert fresh(evaluation).combined_with == ["planning"]
    assert fresh(planning).combined_with == ["evaluation"]


def test_a_combination_the_regulation_does_not_allow_is_refused(cycle, plan):
    with pytest.raises(Refused) as refused:
        plan(cycle, "progress", on=PROGRESS_PLANNED_ON, starts=PROGRESS_DAY, combined_with=["evaluation"])

    assert str(refused.value) == (
        "Under this regulation the progress conversation cannot be combined with the evaluation conversation."
    )
    assert not Conversation.objects.exists()


@pytest.mark.parametrize("other", ["planning", "coaching"])
def test_combining_with_itself_or_an_unknown_kind_is_refused(cycle, plan, other):
    with pytest.raises(Refused, match=f"{other} cannot be combined with this conversation."):
        plan(cycle, "planning", on=BEFORE_TAKEOVER, starts=PLANNING_DAY, combined_with=[other])


# -- planning: who conducts it -------------------------------------------------------------


def test_the_manager_may_designate_someone_to_conduct_the_planning_conversation(
    cast, cycle, plan, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        conversation = plan(
            cycle, "planning", on=TAKEOVER_DAY, starts=PLANNING_DAY, by="manager", conductor=cast.colleague
        )

    assert conversation.conductor == cast.colleague
    # The designated person, not the manager, is invited.
    [message] = mailoutbox
    assert message.to == [cast.employee.email, cast.colleague.email]


def test_the_employee_cannot_designate_who_conducts(cast, cycle, plan):
    with pytest.raises(Refused) as refused:
        plan(cycle, "planning", on=BEFORE_TAKEOVER, starts=PLANNING_DAY, conductor=cast.colleague)

    assert str(refused.value) == "Only the manager can designate someone else to conduct the conversation."


def test_only_the_manager_conducts_a_kind_without_delegation(cast, cycle, plan):
    # Heemstede evaluation: conducted_by [manager]; the manager's initiative from 15 December.
    with pytest.raises(Refused) as refused:
        plan(
            cycle,
            "evaluation",
            on=datetime.date(2026, 12, 20),
            starts=datetime.date(2026, 12, 22),
            by="manager",
            conductor=cast.colleague,
        )

    assert (
        str(refused.value) == "Under this regulation only the manager conducts the evaluation conversation."
    )


def test_the_employee_cannot_conduct_their_own_conversation(cast, cycle, plan):
    with pytest.raises(Refused, match="The employee cannot conduct their own conversation."):
        plan(
            cycle,
            "progress",
            on=PROGRESS_PLANNED_ON,
            starts=PROGRESS_DAY,
            by="manager",
            conductor=cast.employee,
        )


def test_someone_of_another_organisation_cannot_conduct(cast, cycle, plan):
    with pytest.raises(Refused, match="conducted by someone of the same organisation"):
        plan(
            cycle,
            "progress",
            on=PROGRESS_PLANNED_ON,
            starts=PROGRESS_DAY,
            by="manager",
            conductor=cast.foreign_employee,
        )


# -- planning: the invitation --------------------------------------------------------------


def test_both_participants_get_one_invitation_with_a_calendar_request(
    cast, cycle, plan, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan(cycle, "planning", on=BEFORE_TAKEOVER, starts=PLANNING_DAY)

    [message] = mailoutbox
    assert message.to == [cast.employee.email, cast.manager.email]
    assert "Planningsgesprek" in message.subject
    assert cast.employee.full_name in message.subject
    assert cast.manager.full_name in message.subject
    assert "Raadhuis, kamer 2.14" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith(".ics")
    assert mimetype.split(";")[0] == "text/calendar"
    assert "method=REQUEST" in mimetype.replace(" ", "")
    assert "BEGIN:VCALENDAR" in content


def test_the_invitation_is_sent_only_when_the_plan_is_committed(
    cycle, plan, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        plan(cycle, "planning", on=BEFORE_TAKEOVER, starts=PLANNING_DAY)
        with pytest.raises(Refused):
            plan(cycle, "planning", on=BEFORE_TAKEOVER, starts=PLANNING_DAY, by="manager")

    # Nothing is mailed before the commit; the refused plan left nothing behind.
    assert mailoutbox == []
    assert Conversation.objects.count() == 1
    # At the commit exactly one invitation goes out.
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


def test_rescheduling_mails_the_change_and_cancelling_mails_the_cancellation_once(
    cast, planning, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        conversation_reschedule(
            planning,
            starts_at=at(PLANNING_DAY, 14),
            duration_minutes=90,
            location="Raadhuis, kamer 3.01",
            online_url="",
            acting_user=cast.user("manager"),
        )
        conversation_cancel(planning, reason="Ziek", acting_user=cast.user("employee"))
        conversation_cancel(planning, reason="Nog steeds ziek", acting_user=cast.user("manager"))

    # Mails go out in the organisation's language; the calendar method tells them apart.
    assert [message.attachments[0][2].split(";")[1].strip() for message in mailoutbox] == [
        "method=REQUEST",
        "method=CANCEL",
    ]
    assert all(message.to == [cast.employee.email, cast.manager.email] for message in mailoutbox)
    assert "kamer 3.01" in mailoutbox[0].body
    assert "Ziek" in mailoutbox[1].body
    conversation = fresh(planning)
    assert conversation.status == Status.CANCELLED
    assert conversation.cancel_reason == "Ziek"
    assert (conversation.starts_at, conversation.duration_minutes) == (at(PLANNING_DAY, 14), 90)


def test_an_outsider_cannot_move_or_cancel(cast, planning):
    for name in ("colleague", "director"):
        with pytest.raises(Refused, match="Only the employee and the person conducting"):
            conversation_reschedule(
                planning,
                starts_at=at(PLANNING_DAY, 14),
                duration_minutes=60,
                location="Elders",
                online_url="",
                acting_user=cast.user(name),
            )
        with pytest.raises(Refused, match="Only the employee and the person conducting"):
            conversation_cancel(planning, reason="", acting_user=cast.user(name))
    assert fresh(planning).status == Status.PLANNED


def test_a_held_conversation_can_be_neither_moved_nor_cancelled(cast, held_planning):
    with pytest.raises(Refused, match="Only a conversation that has not taken place yet can be moved."):
        conversation_reschedule(
            held_planning,
            starts_at=at(PLANNING_DAY, 14),
            duration_minutes=60,
            location="Elders",
            online_url="",
            acting_user=cast.user("manager"),
        )
    with pytest.raises(Refused, match="A conversation that has taken place cannot be cancelled."):
        conversation_cancel(held_planning, reason="", acting_user=cast.user("manager"))


def test_a_designated_person_may_move_the_conversation_but_the_manager_no_longer_can(cast, cycle, plan):
    conversation = plan(
        cycle, "planning", on=TAKEOVER_DAY, starts=PLANNING_DAY, by="manager", conductor=cast.colleague
    )

    conversation_reschedule(
        conversation,
        starts_at=at(PLANNING_DAY, 15),
        duration_minutes=60,
        location="Raadhuis",
        online_url="",
        acting_user=cast.user("colleague"),
    )
    assert fresh(conversation).starts_at == at(PLANNING_DAY, 15)


# -- preparation ---------------------------------------------------------------------------


def test_a_preparation_stays_private_until_it_is_shared(cast, planning):
    employee, manager = cast.user("employee"), cast.user("manager")
    preparation_save(
        planning,
        notes="Eigen aantekeningen",
        topics="Thuiswerken en de opleiding",
        self_reflection="Ik werk goed zelfstandig.",
        acting_user=employee,
    )
    preparation_save(planning, notes="Signalen uit het team", topics="Werkdruk", acting_user=manager)

    assert [(p.side, p.topics) for p in visible_preparations(planning, employee)] == [
        (Side.EMPLOYEE, "Thuiswerken en de opleiding")
    ]
    assert [(p.side, p.topics) for p in visible_preparations(planning, manager)] == [
        (Side.CONDUCTOR, "Werkdruk")
    ]
    assert fresh(planning).status == Status.PLANNED

    preparation_share(planning, acting_user=employee)

    assert fresh(planning).status == Status.PREPARED
    seen_by_manager = {p.side: p for p in visible_preparations(planning, manager)}
    assert set(seen_by_manager) == {Side.EMPLOYEE, Side.CONDUCTOR}
    assert seen_by_manager[Side.EMPLOYEE].self_reflection == "Ik werk goed zelfstandig."
    # The manager has not shared: the employee still sees only their own.
    assert [p.side for p in visible_preparations(planning, employee)] == [Side.EMPLOYEE]


def test_sharing_twice_is_harmless_and_the_second_side_keeps_the_status_prepared(cast, planning):
    first = preparation_share(planning, acting_user=cast.user("manager"))
    again = preparation_share(planning, acting_user=cast.user("manager"))
    preparation_share(planning, acting_user=cast.user("employee"))

    assert again.shared_at == first.shared_at
    assert fresh(planning).status == Status.PREPARED
    assert AuditEvent.objects.filter(action="preparation.shared").count() == 2


def test_the_managers_preparation_keeps_no_self_reflection(cast, planning):
    preparation = preparation_save(
        planning, notes="Notities", self_reflection="Dit hoort niet bij mij", acting_user=cast.user("manager")
    )

    assert preparation.side == Side.CONDUCTOR
    assert Preparation.objects.get(pk=preparation.pk).self_reflection == ""
    assert Preparation.objects.get(pk=preparation.pk).notes == "Notities"


def test_preparation_answers_keep_only_the_forms_items(cast, planning):
    preparation = preparation_save(
        planning,
        answers={"expected_results": "  Meer aanvragen binnen de termijn  ", "invented": "x", "remarks": " "},
        acting_user=cast.user("employee"),
    )

    assert preparation.answers == {"expected_results": "Meer aanvragen binnen de termijn"}


def test_only_participants_prepare(cast, planning):
    with pytest.raises(Refused, match="Only the employee and the person conducting"):
        preparation_save(planning, notes="Ik kijk mee", acting_user=cast.user("director"))
    assert not Preparation.objects.exists()
    # A non-participant sees nothing that was not shared.
    preparation_save(planning, notes="Prive", acting_user=cast.user("employee"))
    assert visible_preparations(planning, cast.user("colleague")) == []


def test_after_the_conversation_the_preparation_no_longer_changes(cast, planning, hold):
    preparation_save(planning, topics="Voor het gesprek", acting_user=cast.user("employee"))
    hold(planning)

    for name in ("employee", "manager"):
        with pytest.raises(Refused, match="the preparation can no longer change"):
            preparation_save(planning, topics="Achteraf", acting_user=cast.user(name))
    assert Preparation.objects.get(side=Side.EMPLOYEE).topics == "Voor het gesprek"


def test_preparing_a_cancelled_conversation_is_refused_without_claiming_it_took_place(cast, planning):
    conversation_cancel(planning, reason="Ziek", acting_user=cast.user("employee"))

    with pytest.raises(Refused) as refused:
        preparation_save(planning, topics="Toch nog", acting_user=cast.user("employee"))

    # BUG: the message says "The conversation has taken place" about a cancelled one.
    assert "taken place" not in str(refused.value)
    assert "cancelled" in str(refused.value)


# -- holding ---------------------------------------------------------------------------------


def test_marking_held_twice_is_harmless(cast, planning):
    conversation_mark_held(
        planning, held_on=PLANNING_DAY, acting_user=cast.user("manager"), today=PLANNING_DAY
    )
    again = conversation_mark_held(
        planning,
        held_on=PLANNING_DAY + datetime.timedelta(days=1),
        acting_user=cast.user("employee"),
        today=PLANNING_DAY + datetime.timedelta(days=2),
    )

    assert again.status == Status.HELD
    assert fresh(planning).held_on == PLANNING_DAY
    assert Report.objects.filter(conversation=planning).count() == 1
    assert AuditEvent.objects.filter(action="conversation.held").count() == 1


def test_a_conversation_cannot_be_recorded_as_held_on_a_day_still_to_come(cast, planning):
    with pytest.raises(Refused, match="cannot be recorded as held on a day still to come"):
        conversation_mark_held(
            planning,
            held_on=PLANNING_DAY + datetime.timedelta(days=1),
            acting_user=cast.user("manager"),
            today=PLANNING_DAY,
        )

    assert fresh(planning).status == Status.PLANNED
    assert not Report.objects.exists()


def test_without_a_date_today_is_the_local_day(cast, planning, time_machine):
    # 00:30 on 13 January in Amsterdam is still 12 January in UTC: the local day counts.
    next_day = PLANNING_DAY + datetime.timedelta(days=1)
    time_machine.move_to(at(next_day, 0, 30), tick=False)

    with pytest.raises(Refused, match="a day still to come"):
        conversation_mark_held(
            planning, held_on=next_day + datetime.timedelta(days=1), acting_user=cast.user("manager")
        )
    conversation_mark_held(planning, held_on=next_day, acting_user=cast.user("manager"))

    assert fresh(planning).held_on == next_day


def test_without_a_date_the_initiative_is_judged_on_the_local_day(cast, cycle, time_machine):
    # 23:30 on 14 December in Amsterdam: still the employee's initiative (the manager
    # takes over on 15 December, which it already is in UTC+ zones further east).
    time_machine.move_to(at(LAST_EMPLOYEE_DAY, 23, 30), tick=False)

    def plan_by(name):
        return conversation_plan(
            cycle=cycle,
            kind="planning",
            starts_at=at(PLANNING_DAY),
            location="Raadhuis",
            acting_user=cast.user(name),
        )

    with pytest.raises(Refused, match="the employee takes the initiative"):
        plan_by("manager")
    assert plan_by("employee").planned_by == cast.user("employee")

    time_machine.move_to(at(TAKEOVER_DAY, 0, 30), tick=False)
    assert plan_by("manager").planned_by == cast.user("manager")


def test_a_cancelled_conversation_cannot_be_held(cast, planning):
    conversation_cancel(planning, reason="", acting_user=cast.user("manager"))

    with pytest.raises(Refused, match="This conversation was cancelled."):
        conversation_mark_held(
            planning, held_on=PLANNING_DAY, acting_user=cast.user("manager"), today=PLANNING_DAY
        )


def test_a_held_date_before_the_employment_is_refused(cast, planning):
    with pytest.raises(Refused, match="before the employment started"):
        conversation_mark_held(
            planning,
            held_on=cast.employee.employment_start - datetime.timedelta(days=1),
            acting_user=cast.user("manager"),
            today=PLANNING_DAY,
        )


def test_an_outsider_cannot_record_the_conversation_as_held(cast, planning):
    with pytest.raises(Refused, match="Only the employee and the person conducting"):
        conversation_mark_held(
            planning, held_on=PLANNING_DAY, acting_user=cast.user("director"), today=PLANNING_DAY
        )


# -- the report ------------------------------------------------------------------------------


def test_the_report_is_written_by_the_side_the_regulation_names(cast, held_planning):
    # Heemstede planning: report_by employee.
    with pytest.raises(Refused) as refused:
        report_save(
            held_planning, text="Door de manager", expected_version=1, acting_user=cast.user("manager")
        )
    assert str(refused.value) == "Under this regulation the other side writes the report."

    report = report_save(
        held_planning, text="Wat we afspraken", expected_version=1, acting_user=cast.user("employee")
    )
    assert (report.text, report.version, report.updated_by) == ("Wat we afspraken", 2, cast.user("employee"))


def test_no_report_before_the_conversation_is_held(cast, planning):
    with pytest.raises(Refused, match="once the conversation is held"):
        report_save(planning, text="Te vroeg", expected_version=1, acting_user=cast.user("employee"))


def test_a_second_session_saving_an_old_version_is_told_who_saved_and_loses_nothing(cast, held_progress):
    # Heemstede progress: report_by either. Both open the report at version 1.
    opened_version = Report.objects.get(conversation=held_progress).version
    report_save(
        held_progress,
        text="Tekst van de manager",
        expected_version=opened_version,
        acting_user=cast.user("manager"),
    )

    with pytest.raises(StaleEdit) as stale:
        report_save(
            held_progress,
            text="Tekst van de medewerker",
            expected_version=opened_version,
            acting_user=cast.user("employee"),
        )

    assert cast.manager.full_name in str(stale.value)
    assert "was not saved" in str(stale.value)
    assert stale.value.current_version == opened_version + 1
    report = Report.objects.get(conversation=held_progress)
    assert report.text == "Tekst van de manager"
    assert report.updated_by == cast.user("manager")

    # After reloading (the new version) the employee's save goes through.
    report_save(
        held_progress,
        text="Tekst van de manager, aangevuld",
        expected_version=stale.value.current_version,
        acting_user=cast.user("employee"),
    )
    assert Report.objects.get(conversation=held_progress).version == opened_version + 2


def test_two_tabs_of_the_same_writer_are_guarded_too(cast, held_planning):
    report_save(held_planning, text="Tab een", expected_version=1, acting_user=cast.user("employee"))

    with pytest.raises(StaleEdit) as stale:
        report_save(held_planning, text="Tab twee", expected_version=1, acting_user=cast.user("employee"))

    assert cast.employee.full_name in str(stale.value)
    assert Report.objects.get(conversation=held_planning).text == "Tab een"


@hypothesis_settings(
    max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    saves=st.lists(
        st.tuples(
            st.sampled_from(["employee", "manager"]),
            st.integers(min_value=0, max_value=4),
            st.text(max_size=20),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_a_save_lands_only_on_the_version_it_started_from(cast, held_progress, saves):
    """Whatever order and versions the saves come in, a save is written exactly when it
    starts from the current version, and the stored text is the last written one."""
    with transaction.atomic():
        expected_text, current = "", Report.objects.get(conversation=held_progress).version
        for name, offset, text in saves:
            started_from = max(current - offset, 1) if offset else current
            try:
                report = report_save(
                    held_progress, text=text, expected_version=started_from, acting_user=cast.user(name)
                )
            except StaleEdit as stale:
                assert started_from != current
                assert stale.current_version == current
            else:
                assert started_from == current
                current, expected_text = report.version, without_nul(text)  # NUL is never stored
        stored = Report.objects.get(conversation=held_progress)
        assert (stored.text, stored.version) == (expected_text, current)
        transaction.set_rollback(True)


def test_an_empty_report_cannot_be_finished(cast, held_planning):
    report_save(held_planning, text="   \n ", expected_version=1, acting_user=cast.user("employee"))

    with pytest.raises(Refused) as refused:
        report_finish(held_planning, acting_user=cast.user("employee"))

    assert str(refused.value) == "The report is empty: write what was discussed before finishing it."
    assert fresh(held_planning).status == Status.HELD


def test_finishing_hands_the_report_to_the_reader(cast, held_planning):
    report_save(
        held_planning, text="Afspraken over 2026", expected_version=1, acting_user=cast.user("employee")
    )
    with pytest.raises(Refused, match="the other side writes the report"):
        report_finish(held_planning, acting_user=cast.user("manager"))

    report_finish(held_planning, acting_user=cast.user("employee"))
    report_finish(held_planning, acting_user=cast.user("employee"))  # a double click

    assert fresh(held_planning).status == Status.REPORT_WRITTEN
    assert Report.objects.get(conversation=held_planning).written_at is not None
    # A finished report is no longer edited.
    with pytest.raises(Refused):
        report_save(held_planning, text="Nog iets", expected_version=2, acting_user=cast.user("employee"))


@pytest.fixture
def finished_planning(cast, held_planning):
    report_save(
        held_planning, text="Afspraken over 2026", expected_version=1, acting_user=cast.user("employee")
    )
    return report_finish(held_planning, acting_user=cast.user("employee"))


def test_sending_back_needs_a_comment_and_returns_the_report_to_the_writer(cast, finished_planning):
    with pytest.raises(Refused) as refused:
        report_send_back(finished_planning, comment="  ", acting_user=cast.user("manager"))
    assert str(refused.value) == "Say what should change in the report."
    assert fresh(finished_planning).status == Status.REPORT_WRITTEN

    report_send_back(finished_planning, comment=" Noem ook de cursus. ", acting_user=cast.user("manager"))

    assert fresh(finished_planning).status == Status.HELD
    report = Report.objects.get(conversation=finished_planning)
    assert report.returned_comment == "Noem ook de cursus."
    assert report.written_at is None
    # The writer changes it and finishes again; the comment has done its work.
    report_save(
        finished_planning,
        text="Afspraken en de cursus",
        expected_version=2,
        acting_user=cast.user("employee"),
    )
    report_finish(finished_planning, acting_user=cast.user("employee"))
    assert Report.objects.get(conversation=finished_planning).returned_comment == ""


def test_the_writer_cannot_send_back_or_approve_their_own_report(cast, finished_planning):
    with pytest.raises(Refused, match="The other side reads the report and can send it back."):
        report_send_back(finished_planning, comment="Zelf terug", acting_user=cast.user("employee"))
    with pytest.raises(Refused, match="The other side reads the report and marks it ready for signing."):
        report_approve(finished_planning, acting_user=cast.user("employee"))
    assert fresh(finished_planning).status == Status.REPORT_WRITTEN


def test_the_reader_approves_once(cast, finished_planning):
    report_approve(finished_planning, acting_user=cast.user("manager"))
    report_approve(finished_planning, acting_user=cast.user("manager"))

    assert fresh(finished_planning).status == Status.READY_FOR_SIGNING
    assert AuditEvent.objects.filter(action="report.ready_for_signing").count() == 1
    with pytest.raises(Refused):
        report_send_back(finished_planning, comment="Te laat", acting_user=cast.user("manager"))


def test_an_unfinished_report_cannot_be_approved(cast, held_planning):
    with pytest.raises(Refused, match="The report is not finished yet."):
        report_approve(held_planning, acting_user=cast.user("manager"))


def test_when_either_side_writes_the_one_who_wrote_last_cannot_approve(cast, held_progress):
    report_save(held_progress, text="Stand van zaken", expected_version=1, acting_user=cast.user("manager"))
    report_finish(held_progress, acting_user=cast.user("manager"))

    with pytest.raises(Refused, match="marks it ready for signing"):
        report_approve(held_progress, acting_user=cast.user("manager"))
    report_approve(held_progress, acting_user=cast.user("employee"))

    assert fresh(held_progress).status == Status.READY_FOR_SIGNING


# -- what counts for the schedule ---------------------------------------------------------


def test_a_held_conversation_settles_its_schedule_item(cast, cycle, planning, hold):
    assert item(cycle, "planning", PLANNING_DAY).status == "due"

    hold(planning)

    planning_item = item(cycle, "planning", PLANNING_DAY)
    assert (planning_item.status, planning_item.held_on) == ("done", PLANNING_DAY)


def test_planned_and_cancelled_conversations_settle_nothing(cast, cycle, planning, plan):
    cancelled = plan(cycle, "progress", on=PROGRESS_PLANNED_ON, starts=PROGRESS_DAY)
    conversation_cancel(cancelled, reason="", acting_user=cast.user("employee"))

    assert held_for_cycles([cycle]) == {cycle.pk: []}
    assert item(cycle, "planning", PLANNING_DAY).status == "due"


def test_the_december_evaluation_combined_with_planning_is_next_years_planning(
    cast, cycle, cycle_2027, plan, hold
):
    combined = plan(
        cycle, "evaluation", on=EVALUATION_PLANNED_ON, starts=EVALUATION_DAY, combined_with=["planning"]
    )
    hold(combined)

    this_year = item(cycle, "evaluation", datetime.date(2027, 1, 5))
    next_planning = item(cycle_2027, "planning", datetime.date(2027, 1, 5))
    assert (this_year.status, this_year.held_on) == ("done", EVALUATION_DAY)
    assert (next_planning.status, next_planning.held_on) == ("done", EVALUATION_DAY)
    # It does not settle this year's planning, whose window closed long ago.
    assert item(cycle, "planning", datetime.date(2027, 1, 5)).status == "overdue"
    # And nothing more can be planned as next year's planning.
    with pytest.raises(Refused, match="has already taken place"):
        plan(
            cycle_2027,
            "planning",
            on=datetime.date(2027, 1, 5),
            starts=datetime.date(2027, 1, 20),
            by="manager",
        )


def test_an_evaluation_without_the_combination_leaves_next_years_planning_open(
    cast, cycle, cycle_2027, plan, hold
):
    hold(plan(cycle, "evaluation", on=EVALUATION_PLANNED_ON, starts=EVALUATION_DAY))

    assert item(cycle_2027, "planning", datetime.date(2027, 1, 5)).status == "due"


def test_a_planned_combination_does_not_count_before_it_is_held(cast, cycle, cycle_2027, plan):
    plan(cycle, "evaluation", on=EVALUATION_PLANNED_ON, starts=EVALUATION_DAY, combined_with=["planning"])

    assert item(cycle_2027, "planning", datetime.date(2027, 1, 5)).status == "due"


def test_the_january_planning_combined_with_the_evaluation_also_settles_last_years_evaluation(
    cast, cycle, cycle_2027, plan, hold
):
    """The same combination, planned from the new cycle: the planning of 2027 held on 14
    January 2027 together with the evaluation of 2026 (its window runs to 31 January)."""
    combined = plan(
        cycle_2027,
        "planning",
        on=datetime.date(2027, 1, 5),
        starts=datetime.date(2027, 1, 14),
        by="manager",
        combined_with=["evaluation"],
    )
    hold(combined)

    assert item(cycle_2027, "planning", datetime.date(2027, 2, 5)).status == "done"
    # BUG: held_for_cycles only carries a combination forward to the next cycle, never
    # back to the previous one, so 2026's evaluation stays overdue.
    assert item(cycle, "evaluation", datetime.date(2027, 2, 5)).status == "done"


# -- probation: improvement points open the way to the assessment ---------------------------


@pytest.fixture
def newcomer(cast, heemstede):
    """On probation: employed from 1 March 2026, probation until 1 March 2027. Heemstede's
    probation rules: progress due 1 June .. 1 July 2026; the assessment due 1 November ..
    1 December 2026, only when improvement points were recorded in the progress conversation."""
    employee = EmployeeFactory(unit=cast.team, on_probation=True)
    employees_refresh_managers(organisation=cast.organisation)
    cycles_open(organisation=cast.organisation, year=2026, today=datetime.date(2026, 3, 1))
    return Employee.objects.select_related("user", "unit").get(pk=employee.pk)


def held_probation_progress(newcomer, cast, *, improvement_points: bool):
    cycle = cycle_of(newcomer)
    progress = conversation_plan(
        cycle=cycle,
        kind="progress",
        starts_at=at(PROGRESS_DAY),
        location="Raadhuis",
        acting_user=newcomer.user,
        today=PROGRESS_PLANNED_ON,
    )
    conversation_mark_held(
        progress, held_on=PROGRESS_DAY, acting_user=cast.user("manager"), today=PROGRESS_DAY
    )
    report_save(
        progress,
        text="Stand van zaken na drie maanden",
        improvement_points=improvement_points,
        expected_version=1,
        acting_user=cast.user("manager"),
    )
    return cycle


ASSESSMENT_WINDOW_DAY = datetime.date(2026, 11, 2)


def test_improvement_points_in_the_progress_report_make_the_probation_assessment_due(cast, newcomer):
    cycle = held_probation_progress(newcomer, cast, improvement_points=True)

    assessment = item(cycle, "assessment", ASSESSMENT_WINDOW_DAY)
    assert (assessment.due_from, assessment.due_by) == (
        datetime.date(2026, 11, 1),
        datetime.date(2026, 12, 1),
    )
    assert assessment.status == "due"
    conversation = conversation_plan(
        cycle=cycle,
        kind="assessment",
        starts_at=at(datetime.date(2026, 11, 10)),
        location="Raadhuis",
        acting_user=cast.user("manager"),
        today=ASSESSMENT_WINDOW_DAY,
    )
    assert conversation.kind == "assessment"


def test_without_improvement_points_no_assessment_can_be_planned(cast, newcomer):
    cycle = held_probation_progress(newcomer, cast, improvement_points=False)

    assert [
        entry for entry in cycle_schedule(cycle, ASSESSMENT_WINDOW_DAY) if entry.kind == "assessment"
    ] == []
    with pytest.raises(Refused, match="No assessment conversation is due in this cycle."):
        conversation_plan(
            cycle=cycle,
            kind="assessment",
            starts_at=at(datetime.date(2026, 11, 10)),
            location="Raadhuis",
            acting_user=cast.user("manager"),
            today=ASSESSMENT_WINDOW_DAY,
        )


@pytest.fixture
def held_assessment(cast, newcomer):
    cycle = held_probation_progress(newcomer, cast, improvement_points=True)
    conversation = conversation_plan(
        cycle=cycle,
        kind="assessment",
        starts_at=at(datetime.date(2026, 11, 10)),
        location="Raadhuis",
        acting_user=cast.user("manager"),
        today=ASSESSMENT_WINDOW_DAY,
    )
    return conversation_mark_held(
        conversation,
        held_on=datetime.date(2026, 11, 10),
        acting_user=cast.user("manager"),
        today=datetime.date(2026, 11, 10),
    )


def test_the_assessment_report_is_the_managers_and_needs_the_required_form_items(
    cast, newcomer, held_assessment
):
    with pytest.raises(Refused, match="the other side writes the report"):
        report_save(held_assessment, text="Door mij", expected_version=1, acting_user=newcomer.user)
    report_save(
        held_assessment,
        text="Toelichting volgt",
        answers={"performance": "3"},
        expected_version=1,
        acting_user=cast.user("manager"),
    )

    with pytest.raises(Refused, match="Fill in before finishing") as refused:
        report_finish(held_assessment, acting_user=cast.user("manager"))
    assert fresh(held_assessment).status == Status.HELD

    report_save(
        held_assessment,
        text="",
        answers={"performance": "3", "competences": "4", "motivation": "Goed ingewerkt."},
        expected_version=2,
        acting_user=cast.user("manager"),
    )
    report_finish(held_assessment, acting_user=cast.user("manager"))
    assert fresh(held_assessment).status == Status.REPORT_WRITTEN
    # The missing items were named (checked below for the language).
    assert "Competen" in str(refused.value)


def test_the_missing_form_items_are_named_in_the_users_language(cast, newcomer, held_assessment):
    with pytest.raises(Refused) as refused:
        report_finish(held_assessment, acting_user=cast.user("manager"))

    # BUG: the labels follow settings.LANGUAGE_CODE, not the active language, so an
    # English user reads "Prestaties in het werk; Competenties; Toelichting".
    assert str(refused.value) == "Fill in before finishing: Performance in the work; Competences; Explanation"
