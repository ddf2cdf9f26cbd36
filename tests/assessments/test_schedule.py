"""When a cycle lists the assessment, per preset, and what the regulation still requires
before it can take place. Every test cites the seed in
``src/gesprekscyclus/regulations/seeds/`` whose rule it checks; the cycles are real (opened
through ``cycles_open``) and every date is explicit."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse

from gesprekscyclus.assessments.services import assessment_preconditions
from gesprekscyclus.conversations.models import Conversation
from gesprekscyclus.conversations.services import (
    Refused,
    conversation_mark_held,
    conversation_plan,
    report_save,
)
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import conversation_request, cycle_schedule
from gesprekscyclus.organisations.services import employees_refresh_managers
from gesprekscyclus.regulations.reasons import render_reason
from tests.assessments.flow import at, open_cycle, put_in_force
from tests.conversations.pages_helpers import browser, messages_of
from tests.factories import EmployeeFactory

date = datetime.date


def items_of(cycle: Cycle, kind: str, as_of: date):
    return [item for item in cycle_schedule(cycle, as_of) if item.kind == kind]


def plan(cast, cycle, kind, *, on: date, day: date, by: str = "manager") -> Conversation:
    return conversation_plan(
        cycle=cycle,
        kind=kind,
        starts_at=at(day),
        location="Stadhuis, kamer 3.02",
        acting_user=cast.user(by),
        today=on,
    )


def held(cast, cycle, kind, *, on: date, day: date, by: str = "manager") -> Conversation:
    conversation = plan(cast, cycle, kind, on=on, day=day, by=by)
    return conversation_mark_held(conversation, held_on=day, acting_user=cast.user("manager"), today=day)


# -- every year, after the conversation the assessment builds on ----------------------------


def test_zaanstad_lists_the_assessment_every_year_after_the_evaluation(cast):
    """000_9d859c861268658d.txt: "De leidinggevende legt op basis van de evaluatie de
    beoordeling vast in de module Performance Management in Mijn P&O." Nobody has to ask
    for it: every cycle lists it, the manager's to start, from the evaluation's window
    (the last quarter) until a month after the year."""
    put_in_force(cast, "zaanstad")
    cycle = open_cycle(cast)

    (spring,) = items_of(cycle, "assessment", date(2026, 3, 2))
    assert spring.status == "not_yet"
    (evaluation,) = items_of(cycle, "evaluation", date(2026, 11, 2))
    (assessment,) = items_of(cycle, "assessment", date(2026, 11, 2))
    assert (assessment.due_from, assessment.due_by) == (date(2026, 10, 1), date(2027, 1, 31))
    assert (assessment.status, assessment.initiative) == ("due", "manager")
    assert evaluation.due_from == assessment.due_from
    assert evaluation.due_by < assessment.due_by
    assert "Requested." not in render_reason(assessment, "en")
    assert cycle.regulation_version.regulation().assessment.after_kind == "evaluation"
    # The next year lists it again.
    next_year = open_cycle(cast, year=2027, today=date(2026, 11, 20))
    (again,) = items_of(next_year, "assessment", date(2027, 11, 2))
    assert (again.due_from, again.due_by) == (date(2027, 10, 1), date(2028, 1, 31))


def test_kampen_lists_the_yearly_assessment_after_the_progress_conversation(cast):
    """002_311acb97e56667f2.txt: "De gemaakte afspraken in het voortgangsgesprek worden mede
    betrokken bij het opstellen van de jaarlijks op te maken personeelsbeoordeling." Every
    cycle lists it around the end of the year, well after the progress conversation."""
    put_in_force(cast, "kampen")
    cycle = open_cycle(cast)

    (progress,) = items_of(cycle, "progress", date(2026, 12, 2))
    (assessment,) = items_of(cycle, "assessment", date(2026, 12, 2))
    assert (assessment.due_from, assessment.due_by) == (date(2026, 11, 30), date(2027, 1, 31))
    assert (assessment.status, assessment.initiative) == ("due", "manager")
    assert progress.due_by < assessment.due_from
    assert cycle.regulation_version.regulation().assessment.after_kind == "progress"
    # The employee cannot plan it; the manager does.
    with pytest.raises(Refused, match="the manager takes the initiative"):
        plan(cast, cycle, "assessment", on=date(2026, 12, 2), day=date(2026, 12, 9), by="employee")
    assert plan(cast, cycle, "assessment", on=date(2026, 12, 2), day=date(2026, 12, 9)).kind == "assessment"


def test_klassiek_lists_the_assessment_at_the_end_of_every_year_after_the_performance_conversation(cast):
    """003_fa5a3079443deb5b.txt: "Maak duidelijk hoe dit gesprek zich verhoudt tot het
    functionering- en beoordelingsgesprek." The classic cycle closes each year with the
    assessment, after the performance conversation (the preset's ``after_kind``)."""
    put_in_force(cast, "klassiek")
    cycle = open_cycle(cast)

    (performance,) = items_of(cycle, "performance", date(2026, 12, 2))
    (assessment,) = items_of(cycle, "assessment", date(2026, 12, 2))
    assert (assessment.due_from, assessment.due_by) == (date(2026, 11, 30), date(2027, 1, 14))
    assert (assessment.status, assessment.initiative) == ("due", "manager")
    assert performance.due_by < assessment.due_from
    assert cycle.regulation_version.regulation().assessment.after_kind == "performance"


# -- only on request --------------------------------------------------------------------------


def test_heemstede_lists_the_assessment_only_once_someone_asks_for_it(cast):
    """001_6a145d970164611e.txt: "Maar dit gesprek wordt alleen gehouden als je
    leidinggevende en / of jij dat wilt." The employee asks on their cycle page (with a
    reason); from then on the cycle lists it for the whole period, either side to start."""
    put_in_force(cast, "heemstede")
    cycle = open_cycle(cast)
    assert items_of(cycle, "assessment", date(2026, 3, 2)) == []
    with pytest.raises(Refused, match="No assessment conversation is due"):
        plan(cast, cycle, "assessment", on=date(2026, 3, 2), day=date(2026, 3, 9))
    url = reverse("assessments:request", args=[cycle.pk, "assessment"])

    # A colleague cannot ask for it; without a reason nothing is asked.
    assert browser(cast.user("colleague")).post(url, {"reason": "Graag."}).status_code == 404
    client = browser(cast.user("employee"))
    assert messages_of(client.post(url, {"reason": "  "}, follow=True)) == ["Say why you ask for it."]
    cycle.refresh_from_db()
    assert cycle.requested_kinds == []

    response = client.post(url, {"reason": "Ik wil een formeel oordeel over mijn functioneren."})

    assert response.status_code == 302
    assert response["Location"] == reverse("cycles:my_schedule")
    cycle.refresh_from_db()
    assert cycle.requested_kinds == ["assessment"]
    (assessment,) = items_of(cycle, "assessment", date(2026, 3, 2))
    assert (assessment.due_from, assessment.due_by) == (date(2026, 1, 1), date(2026, 12, 31))
    assert (assessment.status, assessment.initiative) == ("due", "either")
    assert "Requested." in render_reason(assessment, "en")
    assert plan(cast, cycle, "assessment", on=date(2026, 3, 2), day=date(2026, 3, 9)).kind == "assessment"


def test_wierden_lists_the_assessment_only_for_a_decision_on_the_legal_position(cast):
    """004_bc48fda3c8585b24.txt: "Een beoordelingsgesprek voeren we alleen nog bij het nemen
    van een ‘rechtspositionele’ beslissing." Not listed by itself; once the manager asks for
    it on the employee's cycle page (the decision is the reason), it is listed, and the
    manager plans it."""
    put_in_force(cast, "wierden")
    cycle = open_cycle(cast)
    assert items_of(cycle, "assessment", date(2026, 5, 4)) == []

    response = browser(cast.user("manager")).post(
        reverse("assessments:request", args=[cycle.pk, "assessment"]),
        {"reason": "Voorgenomen besluit: geen periodieke verhoging."},
    )

    assert response["Location"] == reverse("cycles:employee_schedule", args=[cast.employee.pk])
    cycle.refresh_from_db()
    assert cycle.requested_kinds == ["assessment"]

    (assessment,) = items_of(cycle, "assessment", date(2026, 5, 4))
    assert (assessment.due_from, assessment.due_by) == (date(2026, 1, 1), date(2026, 12, 31))
    assert (assessment.status, assessment.initiative) == ("due", "manager")
    with pytest.raises(Refused, match="the manager takes the initiative"):
        plan(cast, cycle, "assessment", on=date(2026, 5, 4), day=date(2026, 5, 11), by="employee")
    assert plan(cast, cycle, "assessment", on=date(2026, 5, 4), day=date(2026, 5, 11)).kind == "assessment"


def test_a_yearly_assessment_cannot_be_asked_for(cast):
    """Only a kind held on request can be asked for (Kampen's assessment is yearly)."""
    put_in_force(cast, "kampen")
    cycle = open_cycle(cast)

    with pytest.raises(Refused, match="not held on request"):
        conversation_request(
            cycle=cycle, kind="assessment", reason="Graag.", acting_user=cast.user("manager")
        )


# -- Heemstede: the end of probation --------------------------------------------------------

PROBATION_START = date(2026, 3, 1)
PROBATION_END = date(2027, 3, 1)


@pytest.fixture
def newcomer(cast):
    """Heemstede in force; a newcomer on probation from 1 March 2026 to 1 March 2027 in the
    manager's team; the first period runs from the employment start (001: "vroeg in het
    eerste jaar")."""
    put_in_force(cast, "heemstede")
    person = EmployeeFactory(unit=cast.team, on_probation=True, first_name="Noor", last_name="Smit")
    employees_refresh_managers(organisation=cast.organisation)
    cycle = open_cycle(cast, person, today=date(2026, 3, 2))
    assert (cycle.period_start, cycle.period_end) == (PROBATION_START, date(2027, 2, 28))
    return cycle


def held_progress(cast, cycle, *, improvement_points: bool) -> Conversation:
    """The progress conversation in the fourth month (probation rule), its report written by
    the manager, with or without improvement points."""
    conversation = conversation_plan(
        cycle=cycle,
        kind="progress",
        starts_at=at(date(2026, 6, 15)),
        location="Raadhuis",
        acting_user=cast.user("manager"),
        today=date(2026, 6, 2),
    )
    conversation = conversation_mark_held(
        conversation, held_on=date(2026, 6, 15), acting_user=cast.user("manager"), today=date(2026, 6, 15)
    )
    report_save(
        conversation,
        text="",
        answers={
            "how_it_goes": "Wisselend.",
            "improvement_points": "Afspraken beter nakomen." if improvement_points else "",
        },
        improvement_points=improvement_points,
        expected_version=conversation.report.version,
        acting_user=cast.user("manager"),
    )
    return conversation


def test_heemstede_probation_assessment_needs_improvement_points(cast, newcomer, time_machine):
    """001_6a145d970164611e.txt: "Om een beoordelingsgesprek te kunnen voeren moeten
    verbeterpunten voor de medewerker duidelijk in het voortgangsgesprek aan de orde zijn
    geweest." Without them the preconditions say what is missing, the cycle lists no
    assessment and planning one is refused."""
    day = date(2026, 11, 2)
    assert assessment_preconditions(newcomer, day) == [
        "A progress conversation must have taken place first; none has."
    ]
    held_progress(cast, newcomer, improvement_points=False)

    assert assessment_preconditions(newcomer, day) == [
        "Improvement points must have been recorded in a progress conversation first; "
        "no progress conversation recorded them."
    ]
    assert items_of(newcomer, "assessment", day) == []
    with pytest.raises(Refused, match="No assessment conversation is due in this cycle"):
        plan(cast, newcomer, "assessment", on=day, day=date(2026, 11, 9))
    assert not Conversation.objects.filter(cycle=newcomer, kind="assessment").exists()
    # The manager sees it on the newcomer's cycle page.
    time_machine.move_to(at(day, 9), tick=False)
    manager = browser(cast.user("manager"))
    page = manager.get(reverse("cycles:employee_schedule", args=[newcomer.employee_id])).content.decode()
    assert "Before the assessment can take place, the regulation requires:" in page
    assert "no progress conversation recorded them" in page


def test_heemstede_probation_assessment_is_due_three_months_before_the_probation_ends(cast, newcomer):
    """001_6a145d970164611e.txt: "3 maanden voor de beëindiging van tijdelijke aanstelling bij
    wijze van proef wordt het beoordelingsgesprek gevoerd." Once the progress report records
    improvement points, the assessment is listed from four to exactly three months before the
    probation end, nothing is missing any more, and the manager plans it."""
    held_progress(cast, newcomer, improvement_points=True)

    (before,) = items_of(newcomer, "assessment", date(2026, 10, 15))
    (assessment,) = items_of(newcomer, "assessment", date(2026, 11, 2))

    assert before.status == "not_yet"
    assert assessment.due_from == PROBATION_END - relativedelta(months=4) == date(2026, 11, 1)
    assert assessment.due_by == PROBATION_END - relativedelta(months=3) == date(2026, 12, 1)
    assert assessment.status == "due"
    assert "Improvement points were recorded in the progress conversation of 2026-06-15." in render_reason(
        assessment, "en"
    )
    assert assessment_preconditions(newcomer, date(2026, 11, 2)) == []
    conversation = plan(cast, newcomer, "assessment", on=date(2026, 11, 2), day=date(2026, 11, 16))
    assert (conversation.kind, conversation.conductor) == ("assessment", cast.manager)
