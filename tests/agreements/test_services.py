"""Agreements: made and changed in a conversation, every change recorded (who, when, in
which conversation, old -> new), "at risk" explained and mailed to the manager, outcomes
only in a conversation. Under Heemstede (a work plan) the content changes only in the
planning and progress conversations; under Zaanstad (no work plan) in any conversation."""

import datetime

import pytest

from gesprekscyclus.agreements.models import Agreement, AgreementChange, AgreementStatus
from gesprekscyclus.agreements.services import agreement_create, agreement_set_status, agreement_update
from gesprekscyclus.audit.models import AuditEvent
from gesprekscyclus.conversations.models import Conversation, Status
from gesprekscyclus.conversations.services import (
    Refused,
    StaleEdit,
    conversation_cancel,
    report_approve,
    report_finish,
    report_save,
)
from tests.agreements.conftest import agreement_values
from tests.conversations.conftest import (
    EVALUATION_DAY,
    EVALUATION_PLANNED_ON,
    PLANNING_DAY,
    PROGRESS_DAY,
    PROGRESS_PLANNED_ON,
    cycle_of,
)

pytestmark = pytest.mark.usefixtures("english")


def changes_of(agreement) -> list[dict]:
    return list(AgreementChange.objects.filter(agreement=agreement).values_list("changes", flat=True))


# -- making an agreement -------------------------------------------------------------------


def test_an_agreement_made_in_a_conversation_records_its_creation(cast, held_planning):
    agreement = agreement_create(
        conversation=held_planning, values=agreement_values(), acting_user=cast.user("employee")
    )

    agreement = Agreement.objects.get(pk=agreement.pk)
    assert agreement.employee == cast.employee
    assert agreement.cycle == held_planning.cycle
    assert agreement.made_in == held_planning
    assert agreement.status == AgreementStatus.OPEN
    assert agreement.version == 1
    [change] = AgreementChange.objects.filter(agreement=agreement)
    assert change.conversation == held_planning
    assert change.changed_by == cast.user("employee")
    assert change.changes == {
        "kind": [None, "work_result"],
        "description": [None, "Aanvragen bijzondere bijstand binnen acht weken afhandelen"],
        "indicator": [None, "Doorlooptijd in het zaaksysteem"],
        "target": [None, "90% binnen acht weken"],
        "deadline": [None, "2026-12-01"],
        "status": [None, "open"],
    }
    assert AuditEvent.objects.filter(action="agreement.created").count() == 1


def test_the_manager_makes_agreements_too_and_text_is_trimmed(cast, held_planning):
    agreement = agreement_create(
        conversation=held_planning,
        values=agreement_values(kind="development", description="  Cursus Wet op de jeugdzorg  ", target=" "),
        acting_user=cast.user("manager"),
    )

    assert (agreement.description, agreement.target) == ("Cursus Wet op de jeugdzorg", "")
    assert agreement.created_by == cast.user("manager")


@pytest.mark.parametrize("name", ["colleague", "director", "hr_adviser", "outsider"])
def test_only_the_two_in_the_conversation_make_agreements(cast, held_planning, name):
    with pytest.raises(Refused, match="Only the employee and the person conducting the conversation"):
        agreement_create(conversation=held_planning, values=agreement_values(), acting_user=cast.user(name))
    assert not Agreement.objects.exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"kind": "wish"}, "Choose the kind of agreement."),
        ({"description": "   "}, "Describe the agreement."),
        ({"deadline": None}, "Give a term or deadline."),
        (
            {"deadline": PLANNING_DAY - datetime.timedelta(days=1)},
            "The deadline lies before the conversation.",
        ),
        ({"deadline": PLANNING_DAY + datetime.timedelta(days=367)}, "Agree on a term of at most a year"),
    ],
)
def test_an_incomplete_agreement_is_refused(cast, held_planning, overrides, message):
    with pytest.raises(Refused, match=message):
        agreement_create(
            conversation=held_planning,
            values=agreement_values(**overrides),
            acting_user=cast.user("employee"),
        )
    assert not AgreementChange.objects.exists()


def test_a_term_of_exactly_a_year_is_fine(cast, held_planning):
    agreement = agreement_create(
        conversation=held_planning,
        values=agreement_values(deadline=PLANNING_DAY + datetime.timedelta(days=366)),
        acting_user=cast.user("employee"),
    )
    assert agreement.deadline == datetime.date(2027, 1, 13)


def test_no_agreements_in_a_cancelled_conversation(cast, planning):
    conversation_cancel(planning, reason="Ziek", acting_user=cast.user("employee"))

    with pytest.raises(Refused, match="whose report is not final yet"):
        agreement_create(conversation=planning, values=agreement_values(), acting_user=cast.user("employee"))


def test_no_new_agreements_once_the_report_is_ready_for_signing(cast, held_planning):
    report_save(held_planning, text="Verslag", expected_version=1, acting_user=cast.user("employee"))
    report_finish(held_planning, acting_user=cast.user("employee"))
    report_approve(held_planning, acting_user=cast.user("manager"))

    with pytest.raises(Refused, match="whose report is not final yet"):
        agreement_create(
            conversation=held_planning, values=agreement_values(), acting_user=cast.user("employee")
        )


# -- changing what was agreed --------------------------------------------------------------


def test_a_change_records_old_and_new_of_each_changed_field(cast, agreement, held_progress):
    changed = agreement_update(
        agreement,
        conversation=held_progress,
        values=agreement_values(target="80% binnen acht weken", deadline=datetime.date(2027, 1, 15)),
        expected_version=1,
        acting_user=cast.user("manager"),
    )

    assert changed.version == 2
    assert (changed.target, changed.deadline) == ("80% binnen acht weken", datetime.date(2027, 1, 15))
    last = AgreementChange.objects.filter(agreement=agreement).last()
    assert last.conversation == held_progress
    assert last.changed_by == cast.user("manager")
    assert last.changes == {
        "target": ["90% binnen acht weken", "80% binnen acht weken"],
        "deadline": ["2026-12-01", "2027-01-15"],
    }


def test_saving_without_a_change_records_nothing(cast, agreement, held_progress):
    same = agreement_update(
        agreement,
        conversation=held_progress,
        values=agreement_values(),
        expected_version=1,
        acting_user=cast.user("employee"),
    )

    assert same.version == 1
    assert len(changes_of(agreement)) == 1


def test_a_change_over_someone_elses_newer_change_is_refused_and_names_them(cast, agreement, held_progress):
    agreement_update(
        agreement,
        conversation=held_progress,
        values=agreement_values(target="85%"),
        expected_version=1,
        acting_user=cast.user("manager"),
    )

    with pytest.raises(StaleEdit) as stale:
        agreement_update(
            agreement,
            conversation=held_progress,
            values=agreement_values(target="95%"),
            expected_version=1,
            acting_user=cast.user("employee"),
        )

    assert cast.manager.full_name in str(stale.value)
    assert stale.value.current_version == 2
    assert Agreement.objects.get(pk=agreement.pk).target == "85%"
    assert len(changes_of(agreement)) == 2


def test_a_conversation_of_someone_else_does_not_change_this_agreement(cast, agreement, plan):
    colleague_progress = plan(
        cycle_of(cast.colleague), "progress", on=PROGRESS_PLANNED_ON, starts=PROGRESS_DAY, by="manager"
    )

    with pytest.raises(Refused, match="That conversation is not one of this employee."):
        agreement_update(
            agreement,
            conversation=colleague_progress,
            values=agreement_values(target="50%"),
            expected_version=1,
            acting_user=cast.user("manager"),
        )


def test_under_heemstede_the_content_does_not_change_in_an_evaluation(cast, agreement, cycle, plan):
    evaluation = plan(cycle, "evaluation", on=EVALUATION_PLANNED_ON, starts=EVALUATION_DAY)

    with pytest.raises(Refused, match="agreements change only in these conversations"):
        agreement_update(
            agreement,
            conversation=evaluation,
            values=agreement_values(target="Alles"),
            expected_version=1,
            acting_user=cast.user("employee"),
        )
    with pytest.raises(Refused, match="agreements change only in these conversations"):
        agreement_create(
            conversation=evaluation, values=agreement_values(), acting_user=cast.user("employee")
        )
    assert Agreement.objects.get(pk=agreement.pk).target == "90% binnen acht weken"


def test_the_refusal_names_the_conversations_as_people_know_them(cast, cycle, plan):
    evaluation = plan(cycle, "evaluation", on=EVALUATION_PLANNED_ON, starts=EVALUATION_DAY)

    with pytest.raises(Refused) as refused:
        agreement_create(
            conversation=evaluation, values=agreement_values(), acting_user=cast.user("employee")
        )

    # BUG: the message lists the regulation's ids ("planning, progress"), not the names
    # of the conversations.
    assert str(refused.value) == (
        "Under this regulation agreements change only in these conversations: "
        "Planning conversation, Progress conversation."
    )


def test_the_evaluation_combined_with_the_next_planning_takes_agreements(cast, cycle, plan, hold):
    """Heemstede: "eerst terugkijken met elkaar en vervolgens dit vertalen in afspraken naar
    de toekomst" -- the combined conversation is where next year's agreements are made."""
    combined = hold(
        plan(cycle, "evaluation", on=EVALUATION_PLANNED_ON, starts=EVALUATION_DAY, combined_with=["planning"])
    )

    # BUG: _check_conversation looks only at conversation.kind ("evaluation") and ignores
    # combined_with, so this is refused with "agreements change only in ...".
    agreement = agreement_create(
        conversation=combined,
        values=agreement_values(deadline=datetime.date(2027, 12, 1)),
        acting_user=cast.user("employee"),
    )
    assert agreement.made_in == combined


def test_under_zaanstad_agreements_change_in_a_regular_conversation(cast, zaanstad_cycle, plan, hold):
    check_in = hold(
        plan(zaanstad_cycle, "check_in", on=datetime.date(2026, 1, 5), starts=datetime.date(2026, 1, 20))
    )

    agreement = agreement_create(
        conversation=check_in,
        values=agreement_values(deadline=datetime.date(2026, 6, 30)),
        acting_user=cast.user("employee"),
    )
    agreement_update(
        agreement,
        conversation=check_in,
        values=agreement_values(deadline=datetime.date(2026, 9, 30)),
        expected_version=1,
        acting_user=cast.user("manager"),
    )

    assert Agreement.objects.get(pk=agreement.pk).deadline == datetime.date(2026, 9, 30)
    assert [change["deadline"] for change in changes_of(agreement)] == [
        [None, "2026-06-30"],
        ["2026-06-30", "2026-09-30"],
    ]


# -- status ------------------------------------------------------------------------------------


def test_at_risk_needs_an_explanation(cast, agreement):
    with pytest.raises(Refused) as refused:
        agreement_set_status(
            agreement, status=AgreementStatus.AT_RISK, explanation="  ", acting_user=cast.user("employee")
        )

    assert (
        str(refused.value) == "Explain what puts the agreement at risk, so that it can be discussed in time."
    )
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.OPEN
    assert len(changes_of(agreement)) == 1


def test_at_risk_from_the_employee_mails_the_manager_after_the_change_is_saved(
    cast, agreement, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        agreement_set_status(
            agreement,
            status=AgreementStatus.AT_RISK,
            explanation="Twee collega's langdurig ziek",
            acting_user=cast.user("employee"),
        )
    assert mailoutbox == []  # nothing before the commit
    for callback in pending:  # the mail, and whatever else waits for the commit (the audit log's line)
        callback()

    [message] = mailoutbox
    assert message.to == [cast.manager.email]
    assert cast.employee.full_name in message.subject
    assert "Twee collega's langdurig ziek" in message.body
    assert agreement.description in message.body
    last = AgreementChange.objects.filter(agreement=agreement).last()
    assert (last.changes, last.explanation, last.conversation) == (
        {"status": ["open", "at_risk"]},
        "Twee collega's langdurig ziek",
        None,
    )


def test_at_risk_from_the_manager_mails_nobody(
    cast, agreement, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        agreement_set_status(
            agreement,
            status=AgreementStatus.AT_RISK,
            explanation="Budget is op",
            acting_user=cast.user("manager"),
        )

    assert mailoutbox == []
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.AT_RISK


def test_on_track_is_set_by_either_side_outside_a_conversation(cast, agreement):
    agreement_set_status(agreement, status=AgreementStatus.ON_TRACK, acting_user=cast.user("employee"))
    again = agreement_set_status(agreement, status=AgreementStatus.ON_TRACK, acting_user=cast.user("manager"))

    assert again.status == AgreementStatus.ON_TRACK
    assert len(changes_of(agreement)) == 2  # the second, identical status records nothing


@pytest.mark.parametrize("name", ["colleague", "director", "hr_admin", "outsider"])
def test_others_do_not_change_the_status(cast, agreement, name):
    with pytest.raises(Refused, match="Only the employee and their manager can change the status"):
        agreement_set_status(agreement, status=AgreementStatus.ON_TRACK, acting_user=cast.user(name))


@pytest.mark.parametrize(
    "status",
    [
        AgreementStatus.ACHIEVED,
        AgreementStatus.PARTLY_ACHIEVED,
        AgreementStatus.NOT_ACHIEVED,
        AgreementStatus.WITHDRAWN,
    ],
)
def test_an_outcome_is_decided_in_a_conversation_only(cast, agreement, cycle, plan, status):
    with pytest.raises(Refused, match="is decided in a conversation"):
        agreement_set_status(agreement, status=status, acting_user=cast.user("manager"))
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.OPEN

    # Any conversation will do for the outcome, also Heemstede's evaluation.
    evaluation = plan(cycle, "evaluation", on=EVALUATION_PLANNED_ON, starts=EVALUATION_DAY)
    decided = agreement_set_status(
        agreement, status=status, conversation=evaluation, acting_user=cast.user("manager")
    )

    assert decided.status == status
    assert AgreementChange.objects.filter(agreement=agreement).last().conversation == evaluation


def test_a_closed_agreement_no_longer_changes(cast, agreement, held_progress):
    agreement_set_status(
        agreement,
        status=AgreementStatus.ACHIEVED,
        conversation=held_progress,
        acting_user=cast.user("employee"),
    )

    with pytest.raises(Refused, match="This agreement is closed; its outcome no longer changes."):
        agreement_set_status(
            agreement,
            status=AgreementStatus.AT_RISK,
            explanation="Toch niet",
            acting_user=cast.user("employee"),
        )
    with pytest.raises(Refused, match="This agreement is closed; make a new one instead."):
        agreement_update(
            agreement,
            conversation=held_progress,
            values=agreement_values(target="Meer"),
            expected_version=None,
            acting_user=cast.user("employee"),
        )
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.ACHIEVED


def test_a_stale_status_change_is_refused(cast, agreement):
    agreement_set_status(
        agreement, status=AgreementStatus.ON_TRACK, expected_version=1, acting_user=cast.user("manager")
    )

    with pytest.raises(StaleEdit, match=cast.manager.first_name):
        agreement_set_status(
            agreement,
            status=AgreementStatus.AT_RISK,
            explanation="Te weinig tijd",
            expected_version=1,
            acting_user=cast.user("employee"),
        )
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.ON_TRACK


def test_status_in_a_final_conversation_is_refused(cast, agreement, held_progress):
    report_save(held_progress, text="Verslag", expected_version=1, acting_user=cast.user("employee"))
    report_finish(held_progress, acting_user=cast.user("employee"))
    report_approve(held_progress, acting_user=cast.user("manager"))
    final = Conversation.objects.get(pk=held_progress.pk)
    assert final.status == Status.READY_FOR_SIGNING

    with pytest.raises(Refused, match="whose report is not final yet"):
        agreement_set_status(
            agreement,
            status=AgreementStatus.ACHIEVED,
            conversation=final,
            acting_user=cast.user("manager"),
        )
