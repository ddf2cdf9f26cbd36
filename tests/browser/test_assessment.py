"""An assessment under Heemstede, through a real browser, from the request to the decision
on an objection: three people, each in their own browser session.

Heemstede holds an assessment only on request (heemstede.yaml: conditions.on_request).
The manager asks for it on the employee's cycle page and plans it; after the conversation
the manager records it as held and fills in the assessment page (a rating per aspect, the
overall rating and the motivation) and shows it to the employee. The employee writes a
response (zienswijze) and sends it to signing; the employee signs 'voor gezien' and the
manager 'voor akkoord', and the signed assessment lands in the personnel file. A week
later the employee files an objection with an attachment; the HR adviser of the sector
(visibility.objection includes hr_adviser) hears the employee and decides 'partly
upheld', which replaces the assessment by a new one for the manager to revise.

The server's clock is fixed with time-machine (it ticks, and it is patched for the whole
process, so also for the live-server thread). Elements are found by form field names,
form actions and URLs rather than by Dutch text. Every page visited is checked with axe
(WCAG 2.1 A/AA), the assessment page in each of its states; violations and other faults
are collected and asserted at the end, so that one fault does not hide the rest."""

import datetime
import zoneinfo

import pytest
from playwright.sync_api import expect

from gesprekscyclus.assessments.models import Assessment, Decision, Objection, ObjectionStatus
from gesprekscyclus.conversations.models import Conversation, Status
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import cycles_open
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.signatures.models import ReportVersion, Signature, VersionState
from tests.cycles.helpers import OPENED_ON, PERIOD, load

from .conftest import AccessibilityViolations, assert_accessible, log_in
from .year import label_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory
ASSESSMENT_DAY = datetime.date(2026, 6, 15)  # on request: due all through the 2026 period
OBJECTION_DAY = datetime.date(2026, 6, 22)  # within the 42 days after the handover
DECISION_DAY = datetime.date(2026, 6, 29)

RATINGS = {"performance": "3", "competences": "2", "development": "3"}  # heemstede.yaml: aspects
OVERALL = "3"
REASON = "Ter onderbouwing van het gesprek over de verlenging van de aanstelling."
MOTIVATION = "De werkvoorraad is op orde; de samenwerking met de ketenpartners kan beter."
RESPONSE = "Ik herken mij niet in het oordeel over de samenwerking met de ketenpartners."
GROUNDS = "Het oordeel 'Matig' over de competenties is niet onderbouwd met voorbeelden."
HEARING_NOTES = "Medewerker gehoord op 29 juni; de leidinggevende gaf geen voorbeelden."
DECISION_MOTIVATION = "Het oordeel over de competenties wordt opnieuw vastgesteld."
ATTACHMENT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def heemstede(cast, time_machine):
    """The cast under Heemstede with the 2026 cycles open, on 15 June 2026, 9:00."""
    load(cast.organisation)
    cycles_open(organisation=cast.organisation, year=PERIOD, today=OPENED_ON)
    time_machine.move_to(datetime.datetime.combine(ASSESSMENT_DAY, datetime.time(9, 0), AMSTERDAM), tick=True)
    return cast


@pytest.fixture
def cycle(heemstede) -> Cycle:
    return Cycle.objects.get(employee=heemstede.employee, year=PERIOD)


def new_page(browser, live_server):
    context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.fixture
def second_page(browser, live_server):
    """A second browser with its own session."""
    context, page = new_page(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def third_page(browser, live_server):
    """A third browser with its own session."""
    context, page = new_page(browser, live_server)
    yield page
    context.close()


class Flow:
    """The three browsers, and the faults found on the way."""

    def __init__(self, manager, employee, adviser, cast, time_machine):
        self.manager, self.employee, self.adviser = manager, employee, adviser
        self.cast, self.time_machine = cast, time_machine
        self.problems: list[str] = []

    def clock(self, day: datetime.date, hour: int, minute: int = 0) -> None:
        self.time_machine.move_to(
            datetime.datetime.combine(day, datetime.time(hour, minute), AMSTERDAM), tick=True
        )

    def log_in(self, page, person) -> None:
        """A fresh session (a session lasts eight hours of the server's clock)."""
        page.context.clear_cookies()
        log_in(page, person.email, PASSWORD)

    def accessible(self, page, what: str) -> None:
        try:
            assert_accessible(page)
        except AccessibilityViolations as violations:
            self.problem(f"axe ({what}): {violations}")

    def problem(self, text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)

    def visit(self, page, url: str, what: str) -> None:
        page.goto(url)
        self.accessible(page, what)


def conversation_url(conversation: Conversation) -> str:
    return f"/gesprekken/gesprek/{conversation.pk}/"


def assessment_url(conversation: Conversation) -> str:
    return f"/gesprekken/gesprek/{conversation.pk}/beoordeling/"


def signing_url(conversation: Conversation) -> str:
    return f"/gesprekken/gesprek/{conversation.pk}/ondertekenen/"


def form(page, action: str):
    return page.locator(f'main form[action="{action}"]')


def success(page):
    return page.locator(".gc-alert--success")


def error(page):
    return page.locator(".gc-alert--error")


def signatures_of(conversation: Conversation) -> list[tuple[str, str]]:
    return list(
        Signature.objects.filter(version__conversation=conversation)
        .order_by("signed_at", "id")
        .values_list("role", "statement")
    )


# -- the steps ------------------------------------------------------------------------------


def request_and_plan(flow: Flow, cycle: Cycle) -> Conversation:
    """The manager asks for the assessment on the cycle page, then plans it at 10:00."""
    manager = flow.manager
    cycle_page = f"/gesprekken/medewerkers/{flow.cast.employee.pk}/"
    plan_url = f"/gesprekken/plannen/{cycle.pk}/assessment/"
    request_url = f"/gesprekken/aanvragen/{cycle.pk}/assessment/"

    flow.visit(manager, cycle_page, "cycle page, before the request")
    expect(manager.locator(f'a[href="{plan_url}"]')).to_have_count(0)  # on request only
    request_form = form(manager, request_url)
    request_form.locator("xpath=ancestor::details/summary").click()
    flow.accessible(manager, "cycle page, request form open")
    request_form.locator("input[name=reason]").fill(REASON)
    request_form.locator("button[type=submit]").click()
    manager.wait_for_url(f"**{cycle_page}")
    expect(success(manager)).to_be_visible()
    flow.accessible(manager, "cycle page, assessment requested")
    cycle.refresh_from_db()
    assert "assessment" in cycle.requested_kinds
    expect(form(manager, request_url)).to_have_count(0)  # asked once

    plan_link = manager.locator(f'a[href="{plan_url}"]')
    expect(plan_link).to_be_visible()
    plan_link.click()
    manager.wait_for_url(f"**{plan_url}")
    flow.accessible(manager, "plan the assessment")
    plan_form = manager.locator("main form[method=post]")
    plan_form.locator("input[name=date]").fill(ASSESSMENT_DAY.isoformat())
    plan_form.locator("input[name=time]").fill("10:00")
    plan_form.locator("input[name=duration_minutes]").fill("60")
    plan_form.locator("input[name=location]").fill("Kamer 2.14")
    plan_form.locator("button[type=submit]").click()
    manager.wait_for_url("**/gesprekken/gesprek/*/")
    conversation = Conversation.objects.get(cycle=cycle, kind="assessment")
    assert conversation.conductor_id == flow.cast.manager.pk
    assert conversation.starts_at == datetime.datetime.combine(
        ASSESSMENT_DAY, datetime.time(10, 0), AMSTERDAM
    )
    flow.accessible(manager, "assessment planned")
    return conversation


def hold(flow: Flow, conversation: Conversation) -> None:
    """After the conversation (10:00-11:00) the manager records it as held."""
    manager, url = flow.manager, conversation_url(conversation)
    flow.clock(ASSESSMENT_DAY, 11, 15)
    flow.visit(manager, url, "assessment conversation, before held")
    held_form = form(manager, f"{url}gehouden/")
    held_form.locator("input[name=held_on]").fill(ASSESSMENT_DAY.isoformat())
    held_form.locator("button[type=submit]").click()
    # Recording an assessment as held leads straight on to the assessment page.
    manager.wait_for_url(f"**{assessment_url(conversation)}")
    conversation.refresh_from_db()
    assert conversation.status == Status.HELD
    # No report form on an assessment: the conversation page links to the assessment page instead.
    flow.visit(manager, url, "assessment conversation, held")
    expect(form(manager, f"{url}verslag/")).to_have_count(0)
    expect(manager.locator(f'main a[href="{assessment_url(conversation)}"]')).to_be_visible()


def manager_assesses(flow: Flow, conversation: Conversation) -> None:
    manager, url = flow.manager, assessment_url(conversation)
    manager.locator(f'main a[href="{url}"]').click()
    manager.wait_for_url(f"**{url}")
    expect(manager.locator("main .gc-alert--warning")).to_have_count(0)  # no preconditions
    rating_form = form(manager, f"{url}opslaan/")
    expect(rating_form).to_be_visible()
    flow.accessible(manager, "assessment page, the manager's rating form")
    check_labels(flow, manager, "assessment page, the manager's rating form")

    # Showing it incomplete is refused; what was filled in is saved.
    rating_form.locator("select[name=aspect_performance]").select_option(RATINGS["performance"])
    rating_form.locator("button[name=show]").click()
    manager.wait_for_url(f"**{url}")
    expect(error(manager)).to_be_visible()
    flow.accessible(manager, "assessment page, showing refused (incomplete)")
    conversation.refresh_from_db()
    assert conversation.status == Status.HELD
    rating_form = form(manager, f"{url}opslaan/")
    expect(rating_form.locator("select[name=aspect_performance]")).to_have_value(RATINGS["performance"])

    for aspect, value in RATINGS.items():
        rating_form.locator(f"select[name=aspect_{aspect}]").select_option(value)
    rating_form.locator("select[name=overall]").select_option(OVERALL)
    rating_form.locator("textarea[name=motivation]").fill(MOTIVATION)
    rating_form.locator("button[name=show]").click()
    manager.wait_for_url(f"**{url}")
    expect(success(manager)).to_be_visible()
    expect(form(manager, f"{url}opslaan/")).to_have_count(0)  # shown: it no longer changes
    expect(manager.locator("main")).to_contain_text(MOTIVATION)
    flow.accessible(manager, "assessment page, shown to the employee (manager)")
    conversation.refresh_from_db()
    assert conversation.status == Status.REPORT_WRITTEN
    assessment = Assessment.objects.get(conversation=conversation)
    assert assessment.ratings == {aspect: int(value) for aspect, value in RATINGS.items()}
    assert (assessment.overall, assessment.motivation) == (int(OVERALL), MOTIVATION)
    assert assessment.shown_at is not None


def employee_responds(flow: Flow, conversation: Conversation) -> None:
    employee, url = flow.employee, assessment_url(conversation)
    flow.visit(employee, conversation_url(conversation), "assessment conversation (employee)")
    employee.locator(f'main a[href="{url}"]').click()
    employee.wait_for_url(f"**{url}")
    expect(employee.locator("main")).to_contain_text(MOTIVATION)
    expect(form(employee, f"{url}opslaan/")).to_have_count(0)
    response_form = form(employee, f"{url}zienswijze/")
    expect(response_form).to_be_visible()
    flow.accessible(employee, "assessment page, the employee's response form")
    check_labels(flow, employee, "assessment page, the employee's response form")
    expect(form(employee, f"{url}bezwaar/")).to_have_count(0)  # not before it is signed

    response_form.locator("textarea[name=response]").fill(RESPONSE)
    response_form.locator("button[name=to_signing]").click()
    employee.wait_for_url(f"**{signing_url(conversation)}")
    expect(success(employee)).to_be_visible()
    conversation.refresh_from_db()
    assert conversation.status == Status.READY_FOR_SIGNING
    assert Assessment.objects.get(conversation=conversation).response == RESPONSE


def sign(flow: Flow, page, conversation: Conversation, *, who: str) -> None:
    """Sign on the signing page (the page is open) with the password."""
    signing = signing_url(conversation)
    flow.accessible(page, f"signing page ({who})")
    for summary in page.locator("main details > summary").all():
        summary.click()
    flow.accessible(page, f"signing page ({who}), all panels open")
    check_labels(flow, page, f"signing page ({who})")
    page.reload()
    # What is signed is the assessment: the page shows the ratings, the motivation and the
    # response ("You sign exactly the content below").
    shown = page.locator("main section[aria-labelledby=content]").inner_text()
    missing = [text for text in (MOTIVATION, RESPONSE) if text not in shown]
    if missing:
        flow.problem(
            f"signing page /gesprekken/gesprek/<id>/ondertekenen/ ({who}): the section 'What you sign' "
            "(signatures/templates/signatures/sign.html, lines 9-30) does not show the assessment - "
            f"missing {missing} - although version.content['assessment'] holds the ratings, the "
            "overall rating, the motivation and the response that are signed (the PDF shows them)"
        )
    sign_form = form(page, f"{signing}tekenen/")
    version = ReportVersion.objects.get(conversation=conversation, state=VersionState.OPEN)
    assert version.content["assessment"]["motivation"] == MOTIVATION
    assert version.content["assessment"]["response"] == RESPONSE
    expect(sign_form.locator("input[type=hidden][name=expected_hash]")).to_have_value(version.content_hash)
    sign_form.locator("input[name=password]").fill(PASSWORD)
    sign_form.locator("button[type=submit]").click()
    page.wait_for_url(f"**{signing}")
    expect(success(page)).to_be_visible()
    expect(error(page)).to_have_count(0)
    expect(form(page, f"{signing}tekenen/")).to_have_count(0)
    flow.accessible(page, f"signing page ({who}), signed")


def both_sign(flow: Flow, conversation: Conversation) -> None:
    employee, manager = flow.employee, flow.manager
    sign(flow, employee, conversation, who="employee")  # landed here from the response form
    assert signatures_of(conversation) == [("employee", "voor_gezien")]
    conversation.refresh_from_db()
    assert conversation.status == Status.READY_FOR_SIGNING

    flow.visit(manager, assessment_url(conversation), "assessment page, awaiting signatures (manager)")
    expect(manager.locator("main")).to_contain_text(RESPONSE)
    manager.locator(f'main a[href="{signing_url(conversation)}"]').click()
    manager.wait_for_url(f"**{signing_url(conversation)}")
    sign(flow, manager, conversation, who="manager")
    assert signatures_of(conversation) == [("employee", "voor_gezien"), ("manager", "voor_akkoord")]
    conversation.refresh_from_db()
    assert conversation.status == Status.COMPLETED
    assert ReportVersion.objects.get(conversation=conversation).state == VersionState.COMPLETE
    expect(manager.locator("main table .gc-badge.gc-agreement--achieved")).to_have_count(2)


def employee_objects(flow: Flow, conversation: Conversation) -> Objection:
    """A week later: the objection, with a PDF attached."""
    employee, url = flow.employee, assessment_url(conversation)
    flow.clock(OBJECTION_DAY, 9, 0)
    flow.log_in(employee, flow.cast.employee)
    flow.visit(employee, url, "assessment page after signing, with the objection form")
    expect(employee.locator(f'main a[href="{signing_url(conversation)}"]')).to_be_visible()
    expect(form(employee, f"{url}zienswijze/")).to_have_count(0)
    objection_form = form(employee, f"{url}bezwaar/")
    expect(objection_form).to_be_visible()
    check_labels(flow, employee, "assessment page, the objection form")

    # Without grounds it is refused.
    objection_form.locator("button[type=submit]").click()
    employee.wait_for_url(f"**{url}")
    expect(error(employee)).to_be_visible()
    assert not Objection.objects.exists()
    flow.accessible(employee, "assessment page, objection refused without grounds")

    objection_form = form(employee, f"{url}bezwaar/")
    objection_form.locator("textarea[name=grounds]").fill(GROUNDS)
    objection_form.locator("input[type=file][name=attachment]").set_input_files(
        {"name": "voorbeelden.pdf", "mimeType": "application/pdf", "buffer": ATTACHMENT}
    )
    objection_form.locator("button[type=submit]").click()
    employee.wait_for_url(f"**{url}")
    expect(success(employee)).to_be_visible()
    expect(form(employee, f"{url}bezwaar/")).to_have_count(0)  # one objection at a time
    section = employee.locator("main section[aria-labelledby=objection]")
    expect(section).to_contain_text(GROUNDS)
    expect(section).to_contain_text("voorbeelden.pdf")
    flow.accessible(employee, "assessment page, objection filed")
    objection = Objection.objects.get(assessment__conversation=conversation)
    assert objection.status == ObjectionStatus.RECEIVED
    assert [a.filename for a in objection.attachments.all()] == ["voorbeelden.pdf"]
    # The manager reads the objection but does not handle it.
    flow.log_in(flow.manager, flow.cast.manager)
    flow.visit(flow.manager, url, "assessment page with an objection (manager)")
    expect(flow.manager.locator("main section[aria-labelledby=objection]")).to_contain_text(GROUNDS)
    expect(flow.manager.locator('main form[action*="/bezwaar/"]')).to_have_count(0)
    return objection


def adviser_decides(flow: Flow, conversation: Conversation, objection: Objection) -> None:
    adviser, url = flow.adviser, assessment_url(conversation)
    hear_url, decide_url = f"{url}bezwaar/{objection.pk}/horen/", f"{url}bezwaar/{objection.pk}/besluit/"
    flow.clock(DECISION_DAY, 14, 0)
    flow.log_in(adviser, flow.cast.hr_adviser)
    flow.visit(adviser, url, "assessment page, the adviser's hearing form")
    section = adviser.locator("main section[aria-labelledby=objection]")
    expect(section).to_contain_text(GROUNDS)
    expect(form(adviser, hear_url)).to_be_visible()
    expect(form(adviser, decide_url)).to_have_count(0)  # heard first
    expect(form(adviser, f"{url}opslaan/")).to_have_count(0)
    expect(form(adviser, f"{url}bezwaar/")).to_have_count(0)
    check_labels(flow, adviser, "assessment page, the adviser's hearing form")

    form(adviser, hear_url).locator("textarea[name=notes]").fill(HEARING_NOTES)
    form(adviser, hear_url).locator("button[type=submit]").click()
    adviser.wait_for_url(f"**{url}")
    expect(success(adviser)).to_be_visible()
    expect(section).to_contain_text(HEARING_NOTES)
    decision_form = form(adviser, decide_url)
    expect(decision_form).to_be_visible()
    flow.accessible(adviser, "assessment page, the adviser's decision form")
    check_labels(flow, adviser, "assessment page, the adviser's decision form")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.HEARD

    decision_form.locator("select[name=decision]").select_option(Decision.PARTLY_UPHELD.value)
    decision_form.locator("textarea[name=motivation]").fill(DECISION_MOTIVATION)
    decision_form.locator("button[type=submit]").click()
    adviser.wait_for_url(f"**{url}")
    expect(success(adviser)).to_be_visible()
    expect(form(adviser, decide_url)).to_have_count(0)
    expect(form(adviser, hear_url)).to_have_count(0)
    expect(section).to_contain_text(DECISION_MOTIVATION)
    flow.accessible(adviser, "assessment page, objection decided (adviser)")
    objection.refresh_from_db()
    assert (objection.status, objection.decision) == (ObjectionStatus.DECIDED, Decision.PARTLY_UPHELD)
    assert objection.decided_by_id == flow.cast.hr_adviser.user_id


def replaced(flow: Flow, conversation: Conversation) -> Conversation:
    """The old assessment page links to the new assessment, and back; the manager revises
    the new one, starting from the old ratings."""
    old = Assessment.objects.get(conversation=conversation)
    new = Assessment.objects.select_related("conversation").get(replaces=old)
    replacement = new.conversation
    assert replacement.pk != conversation.pk
    assert (replacement.kind, replacement.status) == ("assessment", Status.HELD)
    assert replacement.conductor_id == flow.cast.manager.pk
    new_url, old_url = assessment_url(replacement), assessment_url(conversation)

    for page, who in ((flow.adviser, "adviser"), (flow.employee, "employee"), (flow.manager, "manager")):
        if who != "adviser":
            flow.log_in(page, getattr(flow.cast, who))
        flow.visit(page, old_url, f"old assessment page, replaced ({who})")
        link = page.locator(f'main a[href="{new_url}"]')
        expect(link).to_be_visible()
        expect(page.locator("main section[aria-labelledby=objection]")).to_contain_text(DECISION_MOTIVATION)
        # A replaced assessment is no longer the final one: nothing to object to any more
        # (an objection goes against the new assessment once that is signed).
        if page.locator(f'main form[action="{old_url}bezwaar/"]').count():
            flow.problem(
                f"old assessment page {old_url.replace(str(conversation.pk), '<id>')} ({who}): after the "
                "objection was decided 'partly_upheld' and the assessment replaced, the objection form "
                "(posting to .../beoordeling/bezwaar/) is offered again - assessments/views.py, detail(), "
                "lines 156-164 check only open_objection is None and the term, not replaced_by; "
                "services.objection_file (line 272) does not refuse a replaced assessment either"
            )

    manager = flow.manager
    manager.locator(f'main a[href="{new_url}"]').click()
    manager.wait_for_url(f"**{new_url}")
    expect(manager.locator(f'main a[href="{old_url}"]')).to_be_visible()
    rating_form = form(manager, f"{new_url}opslaan/")
    expect(rating_form).to_be_visible()
    for aspect, value in RATINGS.items():
        expect(rating_form.locator(f"select[name=aspect_{aspect}]")).to_have_value(value)
    expect(rating_form.locator("textarea[name=motivation]")).to_have_value(MOTIVATION)
    flow.accessible(manager, "new assessment page, the manager's rating form")
    return replacement


def signed_assessment_in_the_file(flow: Flow, conversation: Conversation) -> None:
    employee = flow.employee
    entries = list(DossierEntry.objects.filter(employee=flow.cast.employee).order_by("sequence"))
    # The signed assessment, then the decided objection (Heemstede archives both).
    assert [(entry.conversation_id, entry.document) for entry in entries] == [
        (conversation.pk, "assessment"),
        (conversation.pk, "objection"),
    ]
    entry = entries[0]
    flow.visit(employee, "/dossier/", "the employee's personnel file")
    rows = employee.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    row = employee.locator(
        "main table tbody tr", has=employee.locator(f'a[href="/dossier/stuk/{entry.pk}/"]')
    )
    expect(row.locator(f'a[href="{signing_url(conversation)}"]')).to_be_visible()
    response = employee.request.get(f"/dossier/stuk/{entry.pk}/")
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def check_labels(flow: Flow, page, where: str) -> None:
    """Every visible field in main, radios and checkboxes too, is named by its own label
    (unique ids)."""
    for text in label_problems(
        page, "main form textarea, main form select, main form input:not([type=hidden])"
    ):
        flow.problem(f"{where}: {text}")


# -- the test -------------------------------------------------------------------------------


def test_heemstede_assessment_on_request_signed_objected_and_partly_upheld(
    page, second_page, third_page, heemstede, cycle, time_machine
):
    flow = Flow(page, second_page, third_page, heemstede, time_machine)
    flow.log_in(flow.manager, heemstede.manager)
    flow.log_in(flow.employee, heemstede.employee)

    conversation = request_and_plan(flow, cycle)
    hold(flow, conversation)
    manager_assesses(flow, conversation)
    employee_responds(flow, conversation)
    both_sign(flow, conversation)

    objection = employee_objects(flow, conversation)
    adviser_decides(flow, conversation, objection)
    replaced(flow, conversation)
    signed_assessment_in_the_file(flow, conversation)

    assert not flow.problems, "\n\n".join(flow.problems)
