"""Objecting against the final assessment.

Heemstede (001_6a145d970164611e.txt: "De medewerker kan bezwaar maken tegen de
beoordeling.") has a formal objection, 42 days counted from the day after the handover
(Awb 6:7/6:8, the preset's choice), handled by the HR adviser (``visibility.objection``:
employee, manager, hr_adviser). The handover is the day the last signature completed the
assessment, in Europe/Amsterdam; the term ends on the Amsterdam date too. Kampen, Zaanstad,
Wierden and Klassiek have ``route: response_only``: the written response is all there is.
"""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gesprekscyclus.assessments.models import Assessment, Decision, Objection, ObjectionStatus
from gesprekscyclus.assessments.services import (
    assessment_save,
    assessment_show,
    handover_date,
    objection_deadline,
    objection_decide,
    objection_file,
    objection_handlers,
    objection_hear,
)
from gesprekscyclus.audit.models import AuditEvent
from gesprekscyclus.conversations.models import Conversation, Status
from gesprekscyclus.conversations.services import Refused
from gesprekscyclus.dossiers.models import DossierEntry
from tests.assessments import flow
from tests.conversations.pages_helpers import PDF_BYTES, browser, html, messages_of, submit

date = datetime.date
UTC = datetime.UTC
GROUNDS = "De beoordeling van de doorlooptijd houdt geen rekening met de systeemwissel."


@pytest.fixture
def heemstede_ready(cast):
    flow.put_in_force(cast, "heemstede")
    return flow.ready_assessment(cast, flow.open_cycle(cast))


def complete_at(cast, conversation, moment: datetime.datetime, time_machine) -> Conversation:
    """Both sign at ``moment`` (the manager's signature completes the assessment)."""
    time_machine.move_to(moment, tick=False)
    flow.sign_by_both(cast, conversation)
    conversation.refresh_from_db()
    assert conversation.status == Status.COMPLETED
    return conversation


def page(conversation) -> str:
    return reverse("assessments:detail", args=[conversation.pk])


# -- the term ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "handover", "last_day"),
    [
        # 23:59 in Amsterdam is 22:59 UTC: the same day either way.
        (flow.at(date(2026, 12, 14), 23, 59), date(2026, 12, 14), date(2027, 1, 25)),
        # 00:30 in Amsterdam on the 15th is still the 14th in UTC: the handover is the 15th.
        (flow.at(date(2026, 12, 15), 0, 30), date(2026, 12, 15), date(2027, 1, 26)),
    ],
    ids=["just-before-midnight", "just-after-midnight-utc-still-the-day-before"],
)
def test_the_term_is_42_days_from_the_day_after_the_handover_in_amsterdam(
    cast, heemstede_ready, time_machine, moment, handover, last_day
):
    conversation = complete_at(cast, heemstede_ready, moment, time_machine)
    if moment.astimezone(UTC).date() != handover:
        assert moment.astimezone(UTC).date() == handover - datetime.timedelta(days=1)

    assert handover_date(conversation) == handover
    assert objection_deadline(conversation) == last_day == handover + datetime.timedelta(days=42)
    with pytest.raises(Refused) as late:
        objection_file(
            conversation,
            grounds=GROUNDS,
            acting_user=cast.user("employee"),
            today=last_day + datetime.timedelta(days=1),
        )
    assert str(late.value) == (
        f"The term for an objection ended on {last_day:%d-%m-%Y}; an objection can no longer be filed."
    )
    assert not Objection.objects.exists()

    objection = objection_file(
        conversation, grounds=GROUNDS, acting_user=cast.user("employee"), today=last_day
    )

    assert (objection.status, objection.grounds) == (ObjectionStatus.RECEIVED, GROUNDS)
    event = AuditEvent.objects.get(action="objection.filed")
    assert event.details == {"deadline": last_day.isoformat()}


def test_on_the_page_the_amsterdam_clock_decides_the_last_day(cast, heemstede_ready, time_machine, media):
    """Handed over on 14 December 2026; the last day is 25 January 2027. At 00:30 on the 26th
    in Amsterdam (still the 25th in UTC) the page offers no objection and a posted one is
    refused naming the last day; at 23:30 on the 25th it is received, with its attachment."""
    conversation = complete_at(cast, heemstede_ready, flow.at(date(2026, 12, 14), 11), time_machine)

    time_machine.move_to(flow.at(date(2027, 1, 26), 0, 30), tick=False)
    employee = browser(cast.user("employee"))
    assert 'action="{}"'.format(reverse("assessments:object", args=[conversation.pk])) not in html(
        employee.get(page(conversation))
    )
    response = employee.post(
        reverse("assessments:object", args=[conversation.pk]), {"grounds": GROUNDS}, follow=True
    )
    assert messages_of(response) == [
        "The term for an objection ended on 25-01-2027; an objection can no longer be filed."
    ]
    assert not Objection.objects.exists()

    time_machine.move_to(flow.at(date(2027, 1, 25), 23, 30), tick=False)
    employee = browser(cast.user("employee"))
    shown = html(employee.get(page(conversation)))
    assert (
        "Handed over on 14 December 2026. An objection can be filed until and including 25 January 2027."
        in shown
    )
    response = submit(
        employee,
        page(conversation),
        action=reverse("assessments:object", args=[conversation.pk]),
        data={
            "grounds": GROUNDS,
            "attachment": SimpleUploadedFile("toelichting.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )
    assert messages_of(response) == ["Your objection has been received."]
    (objection,) = Objection.objects.all()
    assert [a.filename for a in objection.attachments.all()] == ["toelichting.pdf"]


def test_only_the_employee_objects_only_once_at_a_time_and_only_against_the_final_assessment(
    cast, heemstede_ready, time_machine
):
    with pytest.raises(Refused, match="against the final, signed assessment"):
        objection_file(
            heemstede_ready, grounds=GROUNDS, acting_user=cast.user("employee"), today=date(2026, 12, 8)
        )
    conversation = complete_at(cast, heemstede_ready, flow.at(date(2026, 12, 14), 11), time_machine)
    with pytest.raises(Refused, match="Only the employee files an objection"):
        objection_file(
            conversation, grounds=GROUNDS, acting_user=cast.user("manager"), today=date(2026, 12, 20)
        )
    with pytest.raises(Refused, match="Give the grounds"):
        objection_file(
            conversation, grounds="  ", acting_user=cast.user("employee"), today=date(2026, 12, 20)
        )
    objection_file(conversation, grounds=GROUNDS, acting_user=cast.user("employee"), today=date(2026, 12, 20))

    with pytest.raises(Refused, match="already being handled"):
        objection_file(
            conversation, grounds="Nog een.", acting_user=cast.user("employee"), today=date(2026, 12, 21)
        )


@pytest.mark.parametrize("preset", ["kampen", "zaanstad", "wierden", "klassiek"])
def test_a_regulation_with_only_a_written_response_refuses_a_formal_objection(cast, preset):
    """Kampen (002), Zaanstad (000), Wierden (004) and Klassiek (003) name no objection
    route; the presets choose ``response_only`` with the internal complaints procedure."""
    flow.put_in_force(cast, preset)
    conversation = flow.completed_assessment(cast, flow.open_cycle(cast))
    assert conversation.cycle.regulation_version.regulation().assessment.objection.route == "response_only"

    with pytest.raises(Refused) as refused:
        objection_file(
            conversation, grounds=GROUNDS, acting_user=cast.user("employee"), today=date(2026, 12, 8)
        )

    assert str(refused.value) == (
        "This regulation offers no formal objection; your written response is part of the assessment."
    )
    assert objection_deadline(conversation) is None
    shown = html(browser(cast.user("employee")).get(page(conversation)))
    assert "This regulation offers no formal objection." in shown
    assert reverse("assessments:object", args=[conversation.pk]) not in shown
    assert flow.RESPONSE in shown


# -- handling ----------------------------------------------------------------------------------


@pytest.fixture
def objection(cast, heemstede_ready, time_machine) -> Objection:
    """Handed over on 14 December 2026; the employee objects on 20 December."""
    conversation = complete_at(cast, heemstede_ready, flow.at(date(2026, 12, 14), 11), time_machine)
    return objection_file(
        conversation, grounds=GROUNDS, acting_user=cast.user("employee"), today=date(2026, 12, 20)
    )


def test_only_the_hr_adviser_hears_and_decides_and_not_before_hearing(cast, objection):
    conversation = objection.assessment.conversation
    assert objection_handlers(conversation) == ("hr_adviser",)
    for name in ("manager", "employee", "director", "hr_admin"):
        with pytest.raises(Refused, match="Objections are handled by"):
            objection_hear(objection, notes="Gehoord.", acting_user=cast.user(name))
        with pytest.raises(Refused, match="Objections are handled by"):
            objection_decide(objection, decision="rejected", motivation="Nee.", acting_user=cast.user(name))
    adviser = cast.user("hr_adviser")

    with pytest.raises(Refused) as early:
        objection_decide(objection, decision=Decision.REJECTED, motivation="Ongegrond.", acting_user=adviser)
    assert str(early.value) == "The employee is heard before the objection is decided."
    objection = objection_hear(objection, notes="Medewerker gehoord op 5 januari.", acting_user=adviser)
    assert objection.status == ObjectionStatus.HEARD
    with pytest.raises(Refused, match="Give the motivation"):
        objection_decide(objection, decision=Decision.REJECTED, motivation=" ", acting_user=adviser)
    objection = objection_decide(
        objection,
        decision=Decision.REJECTED,
        motivation="De doorlooptijd is juist beoordeeld.",
        acting_user=adviser,
    )

    assert (objection.status, objection.decision, objection.decided_by) == (
        ObjectionStatus.DECIDED,
        Decision.REJECTED,
        adviser,
    )
    assert not Assessment.objects.filter(replaces=objection.assessment).exists()
    assert Conversation.objects.filter(kind="assessment").count() == 1
    shown = html(browser(cast.user("employee")).get(page(conversation)))
    assert "This assessment was replaced after an objection." not in shown
    assert "De doorlooptijd is juist beoordeeld." in shown
    assert list(
        AuditEvent.objects.filter(object_type="assessments.objection")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["objection.filed", "objection.heard", "objection.decided"]


def test_an_upheld_objection_on_the_page_replaces_the_assessment(cast, objection):
    """The HR adviser records the hearing and the decision on the assessment page; upheld,
    a new assessment conversation replaces the old one (``replaces``), which links to it.
    The manager revises the new one like any assessment."""
    conversation = objection.assessment.conversation
    adviser = browser(cast.user("hr_adviser"))
    response = submit(
        adviser,
        page(conversation),
        action=reverse("assessments:hear", args=[conversation.pk, objection.pk]),
        data={"notes": "Medewerker gehoord op 5 januari."},
    )
    assert messages_of(response) == ["The hearing is recorded."]
    response = submit(
        adviser,
        page(conversation),
        action=reverse("assessments:decide", args=[conversation.pk, objection.pk]),
        data={"decision": "upheld", "motivation": "De systeemwissel is niet meegewogen."},
    )
    assert messages_of(response) == ["The decision is recorded."]

    old = Assessment.objects.get(conversation=conversation)
    new = Assessment.objects.select_related("conversation").get(replaces=old)
    assert (new.conversation.kind, new.conversation.status) == ("assessment", Status.HELD)
    assert (new.conversation.cycle_id, new.conversation.conductor_id) == (
        conversation.cycle_id,
        cast.manager.pk,
    )
    assert (new.ratings, new.overall, new.motivation) == (old.ratings, old.overall, old.motivation)
    new_page = reverse("assessments:detail", args=[new.conversation_id])
    shown = html(browser(cast.user("employee")).get(page(conversation)))
    assert "This assessment was replaced after an objection." in shown
    assert f'href="{new_page}"' in shown
    replacement = html(browser(cast.user("employee")).get(new_page))
    assert "This assessment replaces an earlier one after an objection was upheld." in replacement
    assert f'href="{page(conversation)}"' in replacement
    # The manager revises the replacement and shows it again.
    assessment_save(
        new.conversation,
        ratings={**old.ratings, "performance": 4},
        overall=4,
        motivation="Herzien na bezwaar.",
        expected_version=new.version,
        acting_user=cast.user("manager"),
    )
    assert assessment_show(new.conversation, acting_user=cast.user("manager")).status == Status.REPORT_WRITTEN


def test_a_partly_upheld_objection_also_replaces_the_assessment(cast, objection):
    adviser = cast.user("hr_adviser")
    objection_hear(objection, notes="Gehoord.", acting_user=adviser)

    objection_decide(objection, decision=Decision.PARTLY_UPHELD, motivation="Deels.", acting_user=adviser)

    assert Assessment.objects.filter(replaces=objection.assessment).count() == 1


def test_the_decided_objection_goes_into_the_personnel_file(cast, objection):
    """Heemstede's ``archiving`` keeps the objection in the personnel file (two years after
    the employment ends), with the grounds, the hearing and the decision."""
    adviser = cast.user("hr_adviser")
    objection_hear(objection, notes="Medewerker gehoord op 5 januari.", acting_user=adviser)
    assert not DossierEntry.objects.filter(document="objection").exists()  # not while open

    objection_decide(
        objection, decision=Decision.REJECTED, motivation="Juist beoordeeld.", acting_user=adviser
    )

    (entry,) = DossierEntry.objects.filter(document="objection")
    assert (entry.employee_id, entry.conversation_id) == (
        cast.employee.pk,
        objection.assessment.conversation_id,
    )
    assert (entry.retention_after, entry.retention_months) == ("employment_end", 24)
    content = json.loads(entry.content_json)
    assert (content["grounds"], content["hearing_notes"]) == (GROUNDS, "Medewerker gehoord op 5 januari.")
    assert (content["decision"], content["decision_motivation"]) == ("rejected", "Juist beoordeeld.")
