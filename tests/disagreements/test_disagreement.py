"""Disagreement about a conversation, under Heemstede (001_6a145d970164611e.txt: "Mocht je
er toch niet met elkaar uitkomen, dan kan altijd de naast-hogere leidinggevende of een
onafhankelijk iemand als de P&O-adviseur worden ingeschakeld. Mocht er dan nog geen
oplossing zijn, dan kan er desgewenst worden teruggevallen op het houden van een
beoordelingsgesprek waarbij een formeel bezwaar mogelijk is.").

Daan (see ``conftest.sub_team``) works for the team lead (the cast's ``colleague``); the
skip-level manager is the cast's ``manager``."""

import pytest
from django.urls import reverse

from gesprekscyclus.audit.models import AuditEvent
from gesprekscyclus.conversations.services import Refused
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import cycle_schedule
from gesprekscyclus.disagreements.models import Disagreement
from gesprekscyclus.disagreements.services import (
    disagreement_add_note,
    disagreement_last_resort,
    disagreement_raise,
    disagreement_resolve,
)
from gesprekscyclus.organisations.models import Employee, Role
from tests.assessments import flow
from tests.conversations.pages_helpers import browser, html, messages_of, submit
from tests.disagreements.conftest import (
    PLANNED_ON,
    PLANNING_DAY,
    PROGRESS_DAY,
    PROGRESS_PLANNED_ON,
    hold,
    plan,
)
from tests.factories import RoleAssignmentFactory

STATEMENT = "We zijn het niet eens over de haalbaarheid van de afspraken."


@pytest.fixture
def conversations(sub_team):
    """Daan's planning conversation (held) and progress conversation (planned)."""
    cycle = Cycle.objects.get(employee=sub_team, year=2026)
    planning = hold(
        plan(cycle, "planning", by=sub_team.user, on=PLANNED_ON, day=PLANNING_DAY), by=sub_team.user
    )
    progress = plan(cycle, "progress", by=sub_team.user, on=PROGRESS_PLANNED_ON, day=PROGRESS_DAY)
    return planning, progress


def conversation_page(conversation) -> str:
    return reverse("conversations:detail", args=[conversation.pk])


def disagreement_page(disagreement) -> str:
    return reverse("disagreements:detail", args=[disagreement.pk])


def test_the_employee_records_it_and_the_skip_level_manager_sees_that_conversation_only(
    cast, sub_team, conversations
):
    planning, progress = conversations
    daan, mediator = browser(sub_team.user), browser(cast.user("manager"))
    assert mediator.get(conversation_page(planning)).status_code == 404  # not before

    response = submit(
        daan,
        conversation_page(planning),
        action=reverse("disagreements:raise", args=[planning.pk]),
        data={"statement": STATEMENT},
    )

    disagreement = Disagreement.objects.get(conversation=planning)
    assert messages_of(response) == [f"The disagreement is recorded; {cast.manager.full_name} is brought in."]
    assert (disagreement.mediator, disagreement.mediator_role) == (cast.manager, "skip_level_manager")
    assert (disagreement.raised_by, disagreement.statement) == (sub_team.user, STATEMENT)
    assert mediator.get(conversation_page(planning)).status_code == 200
    assert STATEMENT in html(mediator.get(disagreement_page(disagreement)))
    # ... and no other conversation of Daan's, nor the disagreement page for outsiders.
    assert mediator.get(conversation_page(progress)).status_code == 404
    assert browser(cast.user("other_manager")).get(disagreement_page(disagreement)).status_code == 404
    assert browser(cast.user("employee")).get(disagreement_page(disagreement)).status_code == 404
    event = AuditEvent.objects.get(action="disagreement.raised")
    assert event.details == {"mediator": cast.manager.pk, "role": "skip_level_manager"}


def test_the_person_conducting_it_can_record_it_too_but_nobody_else(cast, sub_team, conversations):
    planning, _progress = conversations
    with pytest.raises(Refused, match="Only the employee and the person conducting the conversation"):
        disagreement_raise(planning, statement=STATEMENT, acting_user=cast.user("manager"))
    assert (
        browser(cast.user("director"))
        .post(reverse("disagreements:raise", args=[planning.pk]), {"statement": STATEMENT})
        .status_code
        == 404
    )
    with pytest.raises(Refused, match="Describe what you disagree about"):
        disagreement_raise(planning, statement="  ", acting_user=cast.user("colleague"))

    disagreement = disagreement_raise(planning, statement=STATEMENT, acting_user=cast.user("colleague"))

    assert disagreement.mediator == cast.manager
    with pytest.raises(Refused, match="already open"):
        disagreement_raise(planning, statement="Nog een.", acting_user=sub_team.user)


def test_notes_from_the_three_and_only_the_mediator_resolves(cast, sub_team, conversations):
    planning, _progress = conversations
    disagreement = disagreement_raise(planning, statement=STATEMENT, acting_user=sub_team.user)
    for user, text in (
        (sub_team.user, "Acht weken is niet haalbaar met de huidige bezetting."),
        (cast.user("colleague"), "Het team haalt het wel."),
        (cast.user("manager"), "Gesprek met beiden gepland op 20 januari."),
    ):
        disagreement_add_note(disagreement, text=text, acting_user=user)
    # The director reads Daan's conversations under Heemstede, but is not part of this.
    with pytest.raises(Refused, match="Only the two participants and the person brought in"):
        disagreement_add_note(disagreement, text="Ik kijk mee.", acting_user=cast.user("director"))

    for user in (cast.user("colleague"), sub_team.user):  # the two participants
        with pytest.raises(Refused, match="The person brought in records the outcome"):
            disagreement_resolve(disagreement, outcome="Opgelost.", acting_user=user)
    mediator = browser(cast.user("manager"))
    response = submit(
        mediator,
        disagreement_page(disagreement),
        action=reverse("disagreements:resolve", args=[disagreement.pk]),
        data={"outcome": "Termijn wordt tien weken."},
    )

    assert messages_of(response) == ["The outcome is recorded."]
    disagreement.refresh_from_db()
    assert (disagreement.is_open, disagreement.outcome) == (False, "Termijn wordt tien weken.")
    assert [note.author for note in disagreement.notes.all()] == [
        sub_team.user,
        cast.user("colleague"),
        cast.user("manager"),
    ]
    with pytest.raises(Refused, match="has been resolved"):
        disagreement_add_note(disagreement, text="Toch niet.", acting_user=sub_team.user)
    assert "Termijn wordt tien weken." in html(browser(sub_team.user).get(disagreement_page(disagreement)))
    assert AuditEvent.objects.filter(action="disagreement.resolved").count() == 1


def test_without_a_skip_level_manager_the_hr_adviser_over_the_unit_is_brought_in(cast, heemstede):
    """The HR administrator works in Team P&O under the secretary, who has nobody above
    them; an HR adviser for the whole organisation is brought in instead, for that one
    conversation only (Heemstede's reports are not the HR adviser's to read)."""
    RoleAssignmentFactory(
        user=cast.hr_adviser.user, organisation=cast.organisation, role=Role.HR_ADVISER, unit=cast.root
    )
    person = Employee.objects.select_related("manager").get(pk=cast.hr_admin.pk)
    assert person.manager == cast.secretary and person.manager.manager_id is None
    cycle = flow.open_cycle(cast, person)
    planning = hold(plan(cycle, "planning", by=person.user, on=PLANNED_ON, day=PLANNING_DAY), by=person.user)
    progress = plan(cycle, "progress", by=person.user, on=PROGRESS_PLANNED_ON, day=PROGRESS_DAY)

    disagreement = disagreement_raise(planning, statement=STATEMENT, acting_user=person.user)

    assert (disagreement.mediator, disagreement.mediator_role) == (cast.hr_adviser, "hr_adviser")
    adviser = browser(cast.user("hr_adviser"))
    assert adviser.get(conversation_page(planning)).status_code == 200
    assert adviser.get(conversation_page(progress)).status_code == 404


def test_the_managers_last_resort_asks_for_the_assessment_and_the_cycle_lists_it(
    cast, sub_team, conversations
):
    planning, _progress = conversations
    disagreement = disagreement_raise(planning, statement=STATEMENT, acting_user=sub_team.user)
    cycle = Cycle.objects.get(employee=sub_team, year=2026)
    as_of = PROGRESS_PLANNED_ON
    assert "assessment" not in [item.kind for item in cycle_schedule(cycle, as_of)]
    for user in (sub_team.user, cast.user("manager")):  # the employee, the mediator
        with pytest.raises(Refused, match="Only the manager starts the last resort"):
            disagreement_last_resort(disagreement, acting_user=user)

    team_lead = browser(cast.user("colleague"))
    assert "Start an assessment" in html(team_lead.get(disagreement_page(disagreement)))
    response = team_lead.post(reverse("disagreements:last_resort", args=[disagreement.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("conversations:plan", args=[cycle.pk, "assessment"])
    cycle.refresh_from_db()
    assert cycle.requested_kinds == ["assessment"]
    (assessment,) = [item for item in cycle_schedule(cycle, as_of) if item.kind == "assessment"]
    assert assessment.status == "due"
    assert team_lead.get(response["Location"]).status_code == 200
    event = AuditEvent.objects.get(action="conversation.requested")
    assert event.details["kind"] == "assessment"
    assert event.details["reason"].startswith("After the disagreement of ")
    conversation = plan(cycle, "assessment", by=cast.user("colleague"), on=as_of, day=PROGRESS_DAY)
    assert conversation.conductor == cast.colleague


def test_the_person_brought_in_is_never_the_one_who_conducted_the_conversation(cast, heemstede):
    """The manager had the director (the skip-level manager) conduct the employee's progress
    conversation, and the employee disagrees with the director. Bringing in the director
    would make one side the mediator; the next role the regulation names, the HR adviser
    over the unit ("een onafhankelijk iemand als de P&O-adviseur"), is brought in instead,
    as already happens when the HR adviser conducted it."""
    cycle = flow.open_cycle(cast)
    progress = hold(
        plan(
            cycle,
            "progress",
            by=cast.user("manager"),
            on=PROGRESS_PLANNED_ON,
            day=PROGRESS_DAY,
            conductor=cast.director,
        ),
        by=cast.user("director"),
    )
    assert cast.employee.manager.manager_id == cast.director.pk

    disagreement = disagreement_raise(progress, statement=STATEMENT, acting_user=cast.user("employee"))

    assert disagreement.mediator != cast.director
    assert (disagreement.mediator, disagreement.mediator_role) == (cast.hr_adviser, "hr_adviser")
