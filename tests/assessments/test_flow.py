"""The assessment from the manager's ratings to the personnel file, under Heemstede (on
request; 001: "Bij een beoordelingsgesprek wordt het functioneren namelijk eenzijdig
vastgesteld en is er op grond daarvan een formele bezwaarmogelijkheid."): the manager
rates every aspect on the regulation's scale and shows it; the employee responds and sends
it to signing; the employee signs *voor gezien*, the manager *voor akkoord*; the signed
assessment is sealed into the personnel file as an ``assessment`` document."""

import datetime
import json

import pytest
from django.urls import reverse

from gesprekscyclus.assessments.models import Assessment
from gesprekscyclus.assessments.services import (
    assessment_of,
    assessment_respond,
    assessment_save,
    assessment_show,
)
from gesprekscyclus.audit.models import AuditEvent
from gesprekscyclus.conversations.models import Status
from gesprekscyclus.conversations.services import Refused, StaleEdit, conversation_plan, report_approve
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.signatures.models import Signature
from tests.assessments import flow
from tests.conversations.pages_helpers import browser, html, load_form, messages_of, post_form, submit


@pytest.fixture
def cycle(cast):
    flow.put_in_force(cast, "heemstede")
    return flow.open_cycle(cast)


@pytest.fixture
def held(cast, cycle):
    """The assessment, asked for by the manager, planned for 7 December 2026 and held."""
    return flow.held_assessment(cast, cycle)


def page(conversation) -> str:
    return reverse("assessments:detail", args=[conversation.pk])


# -- rating ------------------------------------------------------------------------------------


def test_only_the_manager_who_conducted_it_rates_and_only_on_the_scale(cast, held):
    assessment = assessment_of(held)

    with pytest.raises(Refused, match="recorded by the manager who conducted the conversation"):
        flow.rate(cast, held, by="employee")
    with pytest.raises(Refused, match="6 is not on the scale of this regulation"):
        flow.rate(cast, held, ratings={"performance": 6})
    with pytest.raises(Refused, match="0 is not on the scale of this regulation"):
        flow.rate(cast, held, overall=0)
    with pytest.raises(Refused, match="Unknown aspect punctuality"):
        flow.rate(cast, held, ratings={"punctuality": 3})

    assessment.refresh_from_db()
    assert (assessment.ratings, assessment.overall, assessment.version) == ({}, None, 1)


def test_a_save_over_a_newer_save_is_refused(cast, held):
    first = assessment_of(held).version
    flow.rate(cast, held, motivation="Eerste versie.")

    with pytest.raises(StaleEdit, match="changed the assessment meanwhile") as stale:
        assessment_save(
            held,
            ratings={"performance": 2},
            overall=2,
            motivation="Over de eerste heen.",
            expected_version=first,
            acting_user=cast.user("manager"),
        )

    assert stale.value.current_version == first + 1
    assert Assessment.objects.get(conversation=held).motivation == "Eerste versie."


def test_an_incomplete_assessment_is_not_shown_and_the_missing_parts_are_named(cast, held):
    flow.rate(cast, held, ratings={"performance": 4}, overall=None, motivation="  ")

    with pytest.raises(Refused) as refused:
        assessment_show(held, acting_user=cast.user("manager"))

    assert str(refused.value) == (
        "Complete before showing it: Competences, Personal development, overall rating, motivation."
    )
    held.refresh_from_db()
    assert held.status == Status.HELD


def test_once_shown_the_assessment_no_longer_changes_and_only_the_employee_responds(cast, held):
    with pytest.raises(Refused, match="after the assessment is shown"):
        assessment_respond(held, response="Te vroeg.", acting_user=cast.user("employee"))
    flow.rate(cast, held)
    assessment_show(held, acting_user=cast.user("manager"))

    with pytest.raises(Refused, match="can be changed until it is shown"):
        flow.rate(cast, held, overall=5)
    with pytest.raises(Refused, match="Only the employee writes a response"):
        assessment_respond(held, response="Namens de medewerker.", acting_user=cast.user("manager"))
    # The manager cannot send it to signing in the employee's place.
    with pytest.raises(Refused, match="The other side reads the report"):
        report_approve(held, acting_user=cast.user("manager"))
    assessment_respond(held, response=flow.RESPONSE, acting_user=cast.user("employee"))

    assessment = Assessment.objects.get(conversation=held)
    assert (assessment.overall, assessment.response) == (3, flow.RESPONSE)
    assert assessment.shown_at is not None and assessment.responded_at is not None
    assert set(AuditEvent.objects.filter(object_id=str(held.pk)).values_list("action", flat=True)) >= {
        "assessment.shown",
        "assessment.responded",
    }


# -- the whole way, on the pages ---------------------------------------------------------------


def test_from_the_ratings_to_the_personnel_file(cast, held):
    """The manager rates on the page (an incomplete form is refused with what is missing),
    shows it; the employee responds and goes to signing; the employee signs for
    acknowledgement (voor gezien, as the regulation says), the manager for agreement; the
    assessment is completed and archived as an ``assessment`` with its ratings, motivation
    and the response."""
    manager, employee = browser(cast.user("manager")), browser(cast.user("employee"))
    signatures = {
        s.role: s.statement for s in held.cycle.regulation_version.regulation().kind("assessment").signatures
    }
    assert signatures == {"manager": "voor_akkoord", "employee": "voor_gezien"}

    # The manager: first without the development aspect and the overall rating.
    response = submit(
        manager,
        page(held),
        action=reverse("assessments:save", args=[held.pk]),
        button=("show", "1"),
        data={"aspect_performance": "4", "aspect_competences": "2", "motivation": flow.MOTIVATION},
    )
    assert messages_of(response) == ["Complete before showing it: Personal development, overall rating."]
    response = submit(
        manager,
        page(held),
        action=reverse("assessments:save", args=[held.pk]),
        button=("show", "1"),
        data={"aspect_development": "3", "overall": "3"},
    )
    assert messages_of(response) == ["The assessment is shown to the employee."]
    held.refresh_from_db()
    assert held.status == Status.REPORT_WRITTEN
    assert 'name="aspect_performance"' not in html(manager.get(page(held)))  # no longer editable

    # The employee reads it, responds and sends it to signing.
    shown = html(employee.get(page(held)))
    assert "Very good (4)" in shown and "Needs improvement (2)" in shown and flow.MOTIVATION in shown
    response = submit(
        employee,
        page(held),
        action=reverse("assessments:respond", args=[held.pk]),
        button=("to_signing", "1"),
        data={"response": flow.RESPONSE},
        follow=False,
    )
    assert response["Location"] == reverse("signatures:sign", args=[held.pk])
    held.refresh_from_db()
    assert held.status == Status.READY_FOR_SIGNING

    # The employee signs for acknowledgement; the manager for agreement.
    signing = reverse("signatures:sign", args=[held.pk])
    assert "for acknowledgement" in html(employee.get(signing))
    for person in (employee, manager):
        form = load_form(person, signing, action=reverse("signatures:sign_post", args=[held.pk]))
        response = post_form(person, form, data={"password": flow.PASSWORD})
        assert messages_of(response) == ["You have signed the report."]

    held.refresh_from_db()
    assert held.status == Status.COMPLETED
    assert dict(Signature.objects.filter(version__conversation=held).values_list("role", "statement")) == {
        "employee": "voor_gezien",
        "manager": "voor_akkoord",
    }
    (entry,) = DossierEntry.objects.filter(conversation=held)
    assert (entry.document, entry.employee_id) == ("assessment", cast.employee.pk)
    content = json.loads(entry.content_json)["assessment"]
    assert {rating["aspect"]: rating["value"] for rating in content["ratings"]} == {
        "performance": 4,
        "competences": 2,
        "development": 3,
    }
    assert content["overall"] == {"value": 3, "label": "Goed"}
    assert (content["motivation"], content["response"]) == (flow.MOTIVATION, flow.RESPONSE)
    assert content["replaces_conversation"] is None
    assert (entry.retention_after, entry.retention_months) == ("employment_end", 24)


def test_who_reads_the_assessment_is_the_regulations_assessment_visibility(cast, cycle, held):
    """Heemstede: reports are read by the employee, the manager, the designated person and
    the director (001: "De verslagen worden ook ingezien door de directeur waar jouw afdeling
    onder valt."); the assessment by the employee, the manager and the HR adviser only."""
    planning = conversation_plan(
        cycle=cycle,
        kind="planning",
        starts_at=flow.at(datetime.date(2026, 1, 12)),
        location="Raadhuis",
        acting_user=cast.user("employee"),
        today=datetime.date(2025, 12, 5),
    )
    director, adviser = browser(cast.user("director")), browser(cast.user("hr_adviser"))
    conversation_page = reverse("conversations:detail", args=[held.pk])

    assert adviser.get(page(held)).status_code == 200
    assert adviser.get(conversation_page).status_code == 200
    assert director.get(page(held)).status_code == 404
    assert director.get(conversation_page).status_code == 404
    assert director.get(reverse("conversations:detail", args=[planning.pk])).status_code == 200
    assert adviser.get(reverse("conversations:detail", args=[planning.pk])).status_code == 404
    for name in ("colleague", "other_manager", "other_director"):
        assert browser(cast.user(name)).get(page(held)).status_code == 404


def test_the_signing_page_shows_the_assessment_that_is_signed(cast, held):
    """The signing page says "You sign exactly the content below": for an assessment that is
    the ratings, the overall rating, the motivation and the employee's response (all in the
    signed content and in the archived PDF)."""
    flow.rate(cast, held, ratings={"performance": 4, "competences": 2, "development": 3})
    assessment_show(held, acting_user=cast.user("manager"))
    assessment_respond(held, response=flow.RESPONSE, acting_user=cast.user("employee"))
    report_approve(held, acting_user=cast.user("employee"))

    signing_page = html(browser(cast.user("employee")).get(reverse("signatures:sign", args=[held.pk])))

    what_you_sign = signing_page.split('id="content"')[1].split("</section>")[0]
    assert flow.MOTIVATION in what_you_sign
    assert flow.RESPONSE in what_you_sign
    assert "Zeer goed" in what_you_sign or "Very good" in what_you_sign  # performance: 4
