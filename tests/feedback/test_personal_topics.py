"""Personal topics of Wierden's good conversation: well-being, vitality and the work-life
balance are the employee's own (``personal: true`` in ``presets/wierden.yaml``). The
employee decides which of these answers go into the signed report; the manager cannot;
once the report is ready for signing nothing changes any more.

Wierden in force since 1 January 2019 with calendar-year cycles; the good conversation
(``annual``) is due in the last quarter: the employee plans it on 5 October 2026 for
12 October, the manager records it held that day and the employee writes the report.
"""

import datetime
import re

import pytest

from gesprekscyclus.conversations.models import Report, Status
from gesprekscyclus.conversations.services import (
    Refused,
    conversation_mark_held,
    conversation_plan,
    report_approve,
    report_finish,
    report_save,
    report_withhold,
)
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import cycles_open
from gesprekscyclus.signatures.content import canonical, report_content
from gesprekscyclus.signatures.services import version_for_signing
from tests.conversations.conftest import at
from tests.conversations.pages_helpers import browser, find_form, html, messages_of, submit
from tests.cycles.helpers import load
from tests.feedback.conftest import conversation_page

PLANNED_ON = datetime.date(2026, 10, 5)
CONVERSATION_DAY = datetime.date(2026, 10, 12)
TEXT = "We bespraken de voortgang van de digitalisering van de bijstandsaanvragen."
ANSWERS = {
    "performance_development": "De doorlooptijden zijn dit jaar met een derde gedaald.",
    "ambitions": "Over twee jaar wil ik senior consulent zijn.",
    "wellbeing": "Ik slaap slecht sinds de verbouwing thuis en ben vaak moe.",
    "vitality": "Ik fiets weer drie keer per week naar het werk.",
    "work_life_balance": "De mantelzorg voor mijn moeder kost veel avonden.",
}


@pytest.fixture
def annual(named):
    """Wierden's good conversation, held, with the employee's report saved."""
    load(named.organisation, "wierden", in_force_from=datetime.date(2019, 1, 1))
    cycles_open(organisation=named.organisation, year=2026, today=datetime.date(2025, 11, 20))
    cycle = Cycle.objects.select_related("employee", "regulation_version").get(
        employee=named.employee, year=2026
    )
    conversation = conversation_plan(
        cycle=cycle,
        kind="annual",
        starts_at=at(CONVERSATION_DAY),
        location="Gemeentehuis Wierden, kamer 1.08",
        acting_user=named.user("employee"),
        today=PLANNED_ON,
    )
    conversation = conversation_mark_held(
        conversation, held_on=CONVERSATION_DAY, acting_user=named.user("manager"), today=CONVERSATION_DAY
    )
    report = Report.objects.get(conversation=conversation)
    report_save(
        conversation,
        text=TEXT,
        answers=ANSWERS,
        expected_version=report.version,
        acting_user=named.user("employee"),
    )
    return conversation


def signed_answers(conversation) -> dict[str, str]:
    return {row["item"]: row["answer"] for row in report_content(conversation)["report"]["answers"]}


def ready_for_signing(cast, conversation):
    report_finish(conversation, acting_user=cast.user("employee"))
    conversation = report_approve(conversation, acting_user=cast.user("manager"))
    assert conversation.status == Status.READY_FOR_SIGNING
    return conversation


def test_the_employee_keeps_wellbeing_out_of_the_signed_content(named, annual):
    employee = browser(named.user("employee"))
    page = html(employee.get(conversation_page(annual.pk)))
    form = find_form(page, having="withhold")
    assert form.action == f"/gesprekken/gesprek/{annual.pk}/verslag/persoonlijk/"
    offered = set(re.findall(r'name="withhold" value="(\w+)"', page))
    assert offered == {"wellbeing", "vitality", "work_life_balance"}

    response = submit(
        employee, conversation_page(annual.pk), having="withhold", data={"withhold": "wellbeing"}
    )

    assert messages_of(response) == ["Your choice is saved: what you ticked stays out of the signed report."]
    assert Report.objects.get(conversation=annual).withheld_items == ["wellbeing"]
    assert signed_answers(annual) == {key: value for key, value in ANSWERS.items() if key != "wellbeing"}
    content = report_content(annual)
    assert content["report"]["text"] == TEXT
    assert ANSWERS["wellbeing"] not in canonical(content)
    # It stays in the conversation's working report.
    assert Report.objects.get(conversation=annual).answers["wellbeing"] == ANSWERS["wellbeing"]
    # The page shows the choice ticked.
    ticked = find_form(html(employee.get(conversation_page(annual.pk))), having="withhold").data()
    assert ticked["withhold"] == "wellbeing"


def test_what_is_signed_leaves_the_withheld_answer_out_and_keeps_the_others(named, annual):
    report_withhold(annual, items=["wellbeing", "vitality"], acting_user=named.user("employee"))
    conversation = ready_for_signing(named, annual)

    version = version_for_signing(conversation)

    assert ANSWERS["wellbeing"] not in version.canonical
    assert ANSWERS["vitality"] not in version.canonical
    for item in ("performance_development", "ambitions", "work_life_balance"):
        assert ANSWERS[item] in version.canonical, item
    assert TEXT in version.canonical


def test_only_items_the_regulation_marks_personal_can_be_withheld(named, annual):
    report = report_withhold(
        annual, items=["performance_development", "wellbeing", "nonsense"], acting_user=named.user("employee")
    )
    assert report.withheld_items == ["wellbeing"]
    assert "performance_development" in signed_answers(annual)


def test_the_manager_cannot_withhold(named, annual, english):
    with pytest.raises(Refused, match="Only the employee decides"):
        report_withhold(annual, items=["wellbeing"], acting_user=named.user("manager"))

    manager = browser(named.user("manager"))
    page = html(manager.get(conversation_page(annual.pk)))
    assert 'name="withhold"' not in page
    response = manager.post(
        f"/gesprekken/gesprek/{annual.pk}/verslag/persoonlijk/", {"withhold": "wellbeing"}, follow=True
    )
    assert messages_of(response) == [
        "Only the employee decides what of these topics goes into the signed report."
    ]
    assert Report.objects.get(conversation=annual).withheld_items == []
    assert "wellbeing" in signed_answers(annual)


def test_others_cannot_withhold_either(named, annual):
    for role in ("director", "hr_adviser", "colleague"):
        response = browser(named.user(role)).post(
            f"/gesprekken/gesprek/{annual.pk}/verslag/persoonlijk/", {"withhold": "wellbeing"}
        )
        assert response.status_code == 404, role
    assert Report.objects.get(conversation=annual).withheld_items == []


def test_once_ready_for_signing_the_choice_cannot_change(named, annual, english):
    report_withhold(annual, items=["wellbeing"], acting_user=named.user("employee"))
    conversation = ready_for_signing(named, annual)
    before = canonical(report_content(conversation))

    with pytest.raises(Refused, match="The report is final."):
        report_withhold(conversation, items=[], acting_user=named.user("employee"))
    employee = browser(named.user("employee"))
    page = html(employee.get(conversation_page(conversation.pk)))
    assert 'name="withhold"' not in page
    response = employee.post(
        f"/gesprekken/gesprek/{conversation.pk}/verslag/persoonlijk/", {"withhold": "vitality"}, follow=True
    )
    assert messages_of(response) == ["The report is final."]

    assert Report.objects.get(conversation=conversation).withheld_items == ["wellbeing"]
    assert canonical(report_content(conversation)) == before


def test_withholding_before_the_conversation_is_held_is_refused_with_a_message(named):
    """Before the conversation is held there is no report yet: the choice is refused with
    a message (not a server error)."""
    load(named.organisation, "wierden", in_force_from=datetime.date(2019, 1, 1))
    cycles_open(organisation=named.organisation, year=2026, today=datetime.date(2025, 11, 20))
    cycle = Cycle.objects.get(employee=named.employee, year=2026)
    planned = conversation_plan(
        cycle=cycle,
        kind="annual",
        starts_at=at(CONVERSATION_DAY),
        location="Gemeentehuis Wierden, kamer 1.08",
        acting_user=named.user("employee"),
        today=PLANNED_ON,
    )
    employee = browser(named.user("employee"))
    employee.raise_request_exception = False  # show the user's view: a 500 page

    response = employee.post(
        f"/gesprekken/gesprek/{planned.pk}/verslag/persoonlijk/", {"withhold": "wellbeing"}, follow=True
    )

    assert response.status_code == 200
    assert len(messages_of(response)) == 1
