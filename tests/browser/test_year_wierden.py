"""A year under Wierden ('Het goede gesprek'), through a real browser, in three browser
sessions: the employee, a colleague and the manager.

Wierden (wierden.yaml) combines regular feedback with at least one annual conversation
that the employee organises, prepares and records: the employee takes the initiative
(the manager takes over 30 days after the window opened), the manager conducts, the
employee writes the report and both sign it 'voor akkoord'. The report form marks
well-being, vitality and the work-life balance personal: the employee decides whether
those answers go into the signed report.

1. In September the employee asks the colleague (by e-mail address) for feedback with
   their own questions; the colleague answers from the feedback page; the employee reads
   it. Nobody else, not even the manager, can open it.
2. The employee fills in the development scan with a reflection and sees the report with
   its chart.
3. On 5 October (the window opened on 1 October; the employee holds the initiative until
   the 30th) the employee plans the conversation from the cycle page, prepares it and
   brings the colleague's feedback into it. The manager sees that feedback on the
   conversation page, but not the unshared preparation; once shared, the manager does.
4. On 12 October the conversation is held; the employee writes the report, keeps the
   well-being answer out of the signed report, and finishes it; the manager makes it
   ready for signing; both sign with their passwords. The signed content has no
   well-being answer; the employee's personnel file lists the entry.

The server's clock is fixed with time-machine (it ticks, and it is patched for the whole
process, so also for the live-server thread). Elements are found by form field names,
form actions and URLs rather than by Dutch text. Every page visited is checked with axe
(WCAG 2.1 A/AA); violations and other faults are collected and asserted at the end, so
that one fault does not hide the rest of the year."""

import datetime
import json
import re
import zoneinfo

import pytest
from playwright.sync_api import expect

from gesprekscyclus.conversations.models import Conversation, Preparation, Report, Side, Status
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import cycles_open
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.feedback.models import (
    Feedback,
    FeedbackKind,
    FeedbackSelection,
    FeedbackStatus,
    ScanResponse,
)
from gesprekscyclus.feedback.services import DEFAULT_SCAN
from gesprekscyclus.signatures.models import ReportVersion, Signature, VersionState
from tests.cycles.helpers import OPENED_ON, PERIOD, load

from .conftest import AccessibilityViolations, assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory
WIERDEN_IN_FORCE = datetime.date(2019, 1, 1)  # the seed names no date (as tests/assessments/flow.py)
FEEDBACK_DAY = datetime.date(2026, 9, 14)
ANSWER_BY = datetime.date(2026, 9, 28)
# The annual conversation is due from 1 October to 31 December 2026; the employee holds the
# initiative for 30 days, so until 30 October; then the manager takes over.
PLANNING_DAY = datetime.date(2026, 10, 5)
CONVERSATION_DAY = datetime.date(2026, 10, 12)

QUESTIONS = [
    "Wat gaat goed in onze samenwerking?",
    "Wat zou ik anders kunnen doen?",
]
ANSWERS = [
    "Je houdt de ketenpartners goed op de hoogte van de voortgang.",
    "Deel je planning eerder met het team, dan kunnen we bijspringen.",
]
MESSAGE = "Voor mijn goede gesprek in oktober."

# The development scan (feedback.services.DEFAULT_SCAN: three sections of four statements).
SCAN = [[4, 5, 3, 4], [3, 4, 5, 2], [4, 4, 3, 5]]
SCAN_AVERAGES = ["4[.,]0", "3[.,]5", "4[.,]0"]
SCAN_REFLECTION = "Ik wil meer richting geven aan mijn eigen ontwikkeling."

# The preparation form: the fixed fields and the agenda's items (annual_preparation).
PREPARATION = {
    "topics": "De werkdruk in het najaar en mijn wens om de cursus Participatiewet te volgen.",
    "self_reflection": "De doorlooptijden zijn verbeterd; het overleg met de ketenpartners kan beter.",
    "item_topics": "Mijn ambities en de ondersteuning die ik daarbij nodig heb.",
    "item_feedback_received": "Een collega vraagt mij mijn planning eerder te delen.",
    "item_needs": "Een vaste ochtend per week zonder overleg.",
}

# The report: free text and the optional format (annual_report).
WELLBEING = "Ik slaap slecht sinds de verhuizing; de huisarts is ingeschakeld."
VITALITY = "Ik fiets weer elke dag naar het werk."
REPORT = {
    "text": "Een goed gesprek over het afgelopen jaar en de plannen voor 2027.",
    "item_performance_development": "De achterstand in de aanvragen is weggewerkt.",
    "item_strengths_talents": "Overzicht houden en uitleggen aan inwoners.",
    "item_ambitions": "Over twee jaar senior consulent.",
    "item_wellbeing": WELLBEING,
    "item_vitality": VITALITY,
    "item_vakmanschap": "Houdt de vakkennis bij met de cursus Participatiewet.",
    "item_agreements": "Planning op maandag delen in het teamoverleg.",
    "item_support": "Maandelijks coachingsgesprek met de leidinggevende.",
}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def wierden(cast, time_machine):
    """The cast under Wierden with the 2026 cycles open, on 14 September 2026, 9:00."""
    load(cast.organisation, "wierden", in_force_from=WIERDEN_IN_FORCE)
    cycles_open(organisation=cast.organisation, year=PERIOD, today=OPENED_ON)
    time_machine.move_to(datetime.datetime.combine(FEEDBACK_DAY, datetime.time(9, 0), AMSTERDAM), tick=True)
    return cast


@pytest.fixture
def cycle(wierden) -> Cycle:
    return Cycle.objects.get(employee=wierden.employee, year=PERIOD)


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

    def __init__(self, employee, colleague, manager, cast, time_machine):
        self.employee, self.colleague, self.manager = employee, colleague, manager
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

    def log_in_all(self) -> None:
        for page, person in (
            (self.employee, self.cast.employee),
            (self.colleague, self.cast.colleague),
            (self.manager, self.cast.manager),
        ):
            self.log_in(page, person)

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


def submit(page, button) -> None:
    """Click a submit button and wait for the page the POST redirects to (often the same URL)."""
    with page.expect_navigation():
        button.click()


def conversation_url(conversation: Conversation) -> str:
    return f"/gesprekken/gesprek/{conversation.pk}/"


def signing_url(conversation: Conversation) -> str:
    return f"/gesprekken/gesprek/{conversation.pk}/ondertekenen/"


def form(page, action: str):
    return page.locator(f'main form[action="{action}"]')


def success(page):
    return page.locator(".gc-alert--success")


def error(page):
    return page.locator(".gc-alert--error")


def status_badge(page):
    return page.locator("#plan .gc-badge")


def check_labels(flow: Flow, page, where: str) -> None:
    """Every visible text field and select in main is named by its own label (unique ids)."""
    duplicates = page.evaluate(
        """() => [...document.querySelectorAll('[id]')].map(e => e.id)
                 .filter((id, i, all) => all.indexOf(id) !== i)"""
    )
    if duplicates:
        flow.problem(f"{where}: duplicate ids {sorted(set(duplicates))}")
    fields = page.locator(
        "main form textarea, main form select, "
        "main form input:not([type=hidden]):not([type=radio]):not([type=checkbox])"
    )
    for field in fields.all():
        if not field.is_visible():
            continue
        label = field.locator("xpath=ancestor::div[contains(@class, 'gc-form-field')][1]/label")
        if label.count() != 1:
            flow.problem(f"{where}: field {field.get_attribute('name')!r} has no label of its own")
            continue
        text = " ".join(label.inner_text().split())
        try:
            expect(field).to_have_accessible_name(text, timeout=1_000)
        except AssertionError:
            flow.problem(
                f"{where}: field {field.get_attribute('name')!r} is not named by its label {text!r}: "
                f"{field.aria_snapshot()}"
            )


# -- 1. feedback ------------------------------------------------------------------------------


def ask_for_feedback(flow: Flow) -> Feedback:
    """The employee asks the colleague, by e-mail address, with two questions of their own."""
    employee, colleague = flow.employee, flow.cast.colleague
    flow.visit(employee, "/feedback/", "feedback overview (employee), nothing yet")
    employee.locator('main a[href="/feedback/vragen/"]').click()
    employee.wait_for_url("**/feedback/vragen/")
    flow.accessible(employee, "ask for feedback")
    check_labels(flow, employee, "ask for feedback (/feedback/vragen/)")
    request_form = employee.locator("main form[method=post]")
    request_form.locator("textarea[name=givers]").fill(colleague.email)
    request_form.locator("textarea[name=questions]").fill("\n".join(QUESTIONS))
    request_form.locator("textarea[name=message]").fill(MESSAGE)
    request_form.locator("input[name=answer_by]").fill(ANSWER_BY.isoformat())
    submit(employee, request_form.locator("button[type=submit]"))
    expect(employee).to_have_url(re.compile(r"/feedback/$"))
    expect(success(employee)).to_be_visible()
    flow.accessible(employee, "feedback overview (employee), request sent")
    feedback = Feedback.objects.get(receiver=flow.cast.employee)
    assert (feedback.giver_id, feedback.kind, feedback.status) == (
        colleague.pk,
        FeedbackKind.REQUESTED,
        FeedbackStatus.ASKED,
    )
    assert (feedback.questions, feedback.message, feedback.answer_by) == (QUESTIONS, MESSAGE, ANSWER_BY)
    # Still waiting for the colleague.
    expect(employee.locator("main section[aria-labelledby=received]")).to_contain_text(colleague.full_name)
    return feedback


def colleague_answers(flow: Flow, feedback: Feedback) -> None:
    colleague, url = flow.colleague, f"/feedback/{feedback.pk}/"
    flow.clock(FEEDBACK_DAY, 11, 0)
    flow.visit(colleague, "/feedback/", "feedback overview (colleague), a request to answer")
    link = colleague.locator(f'main section[aria-labelledby=to-answer] a[href="{url}"]')
    expect(link).to_contain_text(flow.cast.employee.full_name)
    link.click()
    colleague.wait_for_url(f"**{url}")
    flow.accessible(colleague, "feedback request, the colleague's answer form")
    check_labels(flow, colleague, "feedback request /feedback/<id>/ (colleague)")
    answer_form = form(colleague, f"{url}beantwoorden/")
    expect(colleague.locator("main")).to_contain_text(MESSAGE)
    for index, (question, answer) in enumerate(zip(QUESTIONS, ANSWERS, strict=True)):
        field = answer_form.locator(f"textarea[name=answer_{index}]")
        expect(field).to_have_accessible_name(question)
        field.fill(answer)
    submit(colleague, answer_form.locator("button[type=submit]:not([name])"))
    expect(colleague).to_have_url(re.compile(r"/feedback/$"))
    expect(success(colleague)).to_be_visible()
    flow.accessible(colleague, "feedback overview (colleague), feedback given")
    expect(colleague.locator(f'main section[aria-labelledby=given] a[href="{url}"]')).to_be_visible()
    feedback.refresh_from_db()
    assert (feedback.status, feedback.answers) == (FeedbackStatus.GIVEN, ANSWERS)

    # Feedback belongs to its receiver: the manager cannot open it, nor find it.
    assert flow.manager.request.get(url).status == 404
    flow.visit(flow.manager, "/feedback/", "feedback overview (manager)")
    expect(flow.manager.locator(f'main a[href="{url}"]')).to_have_count(0)


def employee_reads(flow: Flow, feedback: Feedback) -> None:
    employee, url = flow.employee, f"/feedback/{feedback.pk}/"
    flow.clock(FEEDBACK_DAY, 11, 30)
    flow.visit(employee, "/feedback/", "feedback overview (employee), feedback received")
    link = employee.locator(f'main section[aria-labelledby=received] a[href="{url}"]')
    expect(link).to_contain_text(flow.cast.colleague.full_name)
    link.click()
    employee.wait_for_url(f"**{url}")
    flow.accessible(employee, "feedback received (employee), no conversation yet")
    main = employee.locator("main")
    for question, answer in zip(QUESTIONS, ANSWERS, strict=True):
        expect(main.locator("dt", has_text=question).locator("xpath=following-sibling::dd[1]")).to_have_text(
            answer
        )
    expect(form(employee, f"{url}beantwoorden/")).to_have_count(0)  # the receiver does not answer
    # No conversation to bring it into yet.
    expect(form(employee, f"{url}gebruiken/")).to_have_count(0)


# -- 2. the development scan --------------------------------------------------------------------


def development_scan(flow: Flow) -> ScanResponse:
    employee, url = flow.employee, "/feedback/ontwikkelscan/"
    flow.clock(FEEDBACK_DAY, 11, 45)
    flow.visit(employee, "/feedback/", "feedback overview (employee), before the scan")
    employee.locator(f'main a[href="{url}"]').click()
    employee.wait_for_url(f"**{url}")
    flow.accessible(employee, "development scan, empty")
    check_labels(flow, employee, "development scan")
    names = employee.evaluate(
        """() => [...new Set([...document.querySelectorAll('main input[type=radio]')].map(e => e.name))]"""
    )
    expected = [
        f"a_{s}.{n}" for s, section in enumerate(DEFAULT_SCAN) for n in range(len(section["statements"]))
    ]
    assert names == expected
    scan_form = employee.locator("main form[method=post]:not([action])")
    for s, values in enumerate(SCAN):
        for n, value in enumerate(values):
            scan_form.locator(f'input[type=radio][name="a_{s}.{n}"][value="{value}"]').check()
    scan_form.locator("textarea[name=reflection]").fill(SCAN_REFLECTION)
    submit(employee, scan_form.locator("button[name=finish]"))
    expect(success(employee)).to_be_visible()
    expect(error(employee)).to_have_count(0)
    scan = ScanResponse.objects.get(employee=flow.cast.employee)
    assert scan.completed_at is not None
    assert scan.answers == {f"{s}.{n}": v for s, values in enumerate(SCAN) for n, v in enumerate(values)}
    assert scan.reflection == SCAN_REFLECTION
    assert not scan.shared_with_manager and scan.conversation_id is None

    report = employee.locator(f"main section[aria-labelledby=report-{scan.pk}]")
    expect(report).to_be_visible()
    chart = report.locator("svg[role=img]")
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_name(re.compile(r"\S"))
    for section, average in zip(DEFAULT_SCAN, SCAN_AVERAGES, strict=True):
        expect(chart).to_contain_text(section["title"])
        header = report.locator("table th[scope=colgroup]", has_text=section["title"])
        expect(header).to_contain_text(re.compile(average))
    expect(report).to_contain_text(SCAN_REFLECTION)
    flow.accessible(employee, "development scan with the report and its chart")
    check_chart_legible(flow, chart)
    return scan


def check_chart_legible(flow: Flow, chart) -> None:
    """The chart is drawn at its own size: 13px labels stay about 13px on screen."""
    geometry = chart.evaluate(
        """svg => ({height: svg.getAttribute('height'), viewBox: svg.getAttribute('viewBox'),
                   box: svg.getBoundingClientRect().height,
                   text: svg.querySelector('text').getBoundingClientRect().height})"""
    )
    if geometry["text"] < 10:
        flow.problem(
            "development scan /feedback/ontwikkelscan/: the report's chart is drawn too small to read - "
            f'<svg height="{geometry["height"]}" viewBox="{geometry["viewBox"]}"> renders '
            f"{geometry['box']:.0f}px high, its 13px labels {geometry['text']:.1f}px high. "
            'feedback/templates/feedback/scan.html line 30: height="{{ bars|length|add:1 }}0" gives '
            '"40" for three sections while the viewBox is 130 high (10 + 40 per section); '
            "height and viewBox should agree (e.g. both 10 + 40 per section)"
        )


# -- 3. planning and preparing -------------------------------------------------------------------


def plan_annual(flow: Flow, cycle: Cycle) -> Conversation:
    """5 October: the window opened on 1 October; the employee plans from their cycle page."""
    employee, manager = flow.employee, flow.manager
    plan_url = f"/gesprekken/plannen/{cycle.pk}/annual/"
    flow.clock(PLANNING_DAY, 9, 0)
    flow.log_in_all()

    # The manager has no Plan link yet: it is the employee's initiative until 30 October.
    flow.visit(manager, f"/gesprekken/medewerkers/{flow.cast.employee.pk}/", "cycle page (manager)")
    expect(manager.locator(f'main a[href="{plan_url}"]')).to_have_count(0)

    flow.visit(employee, "/gesprekken/", "my cycle (employee), annual conversation due")
    link = employee.locator(f'main a[href="{plan_url}"]')
    expect(link).to_be_visible()
    link.click()
    employee.wait_for_url(f"**{plan_url}")
    flow.accessible(employee, "plan the annual conversation (employee)")
    check_labels(flow, employee, "plan the annual conversation")
    plan_form = employee.locator("main form[method=post]")
    expect(plan_form.locator("[name=conductor]")).to_have_count(0)  # only a manager designates
    plan_form.locator("input[name=date]").fill(CONVERSATION_DAY.isoformat())
    plan_form.locator("input[name=time]").fill("10:00")
    plan_form.locator("input[name=duration_minutes]").fill("60")
    plan_form.locator("input[name=location]").fill("Kamer 1.08")
    plan_form.locator("button[type=submit]").click()
    employee.wait_for_url("**/gesprekken/gesprek/*/")
    expect(success(employee)).to_be_visible()
    conversation = Conversation.objects.get(cycle=cycle, kind="annual")
    assert conversation.starts_at == datetime.datetime.combine(
        CONVERSATION_DAY, datetime.time(10, 0), AMSTERDAM
    )
    assert conversation.conductor_id == flow.cast.manager.pk
    assert conversation.planned_by_id == flow.cast.employee.user_id
    assert conversation.status == Status.PLANNED
    flow.accessible(employee, "annual conversation planned (employee)")
    expect(status_badge(employee)).to_have_class("gc-badge gc-conversation--planned")
    return conversation


def prepare(flow: Flow, conversation: Conversation) -> None:
    """The employee's preparation, saved but not shared."""
    employee, url = flow.employee, conversation_url(conversation)
    preparation_form = form(employee, f"{url}voorbereiding/")
    expect(preparation_form).to_be_visible()
    check_labels(flow, employee, "conversation page, the employee's preparation form")
    for name, text in PREPARATION.items():
        preparation_form.locator(f"textarea[name={name}]").fill(text)
    submit(employee, preparation_form.locator("button[type=submit]:not([name])"))
    expect(employee).to_have_url(re.compile(rf"{re.escape(url)}#preparation$"))
    expect(success(employee)).to_be_visible()
    flow.accessible(employee, "conversation page, preparation saved (employee)")
    preparation = Preparation.objects.get(conversation=conversation, side=Side.EMPLOYEE)
    assert preparation.shared_at is None
    assert (preparation.topics, preparation.self_reflection) == (
        PREPARATION["topics"],
        PREPARATION["self_reflection"],
    )
    assert preparation.answers == {
        name.removeprefix("item_"): text for name, text in PREPARATION.items() if name.startswith("item_")
    }
    for name, text in PREPARATION.items():  # the form shows what was saved
        expect(form(employee, f"{url}voorbereiding/").locator(f"textarea[name={name}]")).to_have_value(text)


def bring_feedback_in(flow: Flow, feedback: Feedback, conversation: Conversation) -> None:
    employee, url = flow.employee, f"/feedback/{feedback.pk}/"
    flow.visit(employee, url, "feedback received (employee), with the conversation to bring it into")
    check_labels(flow, employee, "feedback received, the form to bring it into a conversation")
    use_form = form(employee, f"{url}gebruiken/")
    use_form.locator("select[name=gesprek]").select_option(str(conversation.pk))
    submit(employee, use_form.locator("button[type=submit]"))
    expect(success(employee)).to_be_visible()
    expect(error(employee)).to_have_count(0)
    flow.accessible(employee, "feedback received (employee), brought into the conversation")
    expect(
        employee.locator(f'main section[aria-labelledby=use] a[href="{conversation_url(conversation)}"]')
    ).to_be_visible()
    assert list(FeedbackSelection.objects.values_list("feedback_id", "conversation_id")) == [
        (feedback.pk, conversation.pk)
    ]


def manager_sees_feedback_not_preparation(flow: Flow, feedback: Feedback, conversation: Conversation) -> None:
    manager, url = flow.manager, conversation_url(conversation)
    flow.visit(manager, url, "conversation page (manager), feedback brought in, preparation not shared")
    brought_in = manager.locator("main section[aria-labelledby=brought-in]")
    expect(brought_in).to_be_visible()
    expect(brought_in).to_contain_text(flow.cast.colleague.full_name)
    for question, answer in zip(QUESTIONS, ANSWERS, strict=True):
        # Each answer under its own question.
        expect(brought_in.locator("p", has=manager.locator("em", has_text=question))).to_contain_text(answer)
    html = manager.content()
    private = [text for text in PREPARATION.values() if text in html]
    if private:
        flow.problem(
            f"conversation page {url} (manager): the employee's unshared preparation shows: {private}"
        )
    if SCAN_REFLECTION in html:
        flow.problem(
            f"conversation page {url} (manager): the employee's scan shows although it was not shared"
        )
    expect(manager.locator("#preparation-section h3")).to_have_count(0)  # no 'The employee's preparation'
    # The manager may now open the feedback itself, but not bring it anywhere.
    feedback_url = f"/feedback/{feedback.pk}/"
    flow.visit(manager, feedback_url, "feedback brought in, opened by the manager")
    expect(manager.locator("main")).to_contain_text(ANSWERS[0])
    expect(form(manager, f"{feedback_url}gebruiken/")).to_have_count(0)
    expect(form(manager, f"{feedback_url}beantwoorden/")).to_have_count(0)


def employee_shares(flow: Flow, conversation: Conversation) -> None:
    employee, manager, url = flow.employee, flow.manager, conversation_url(conversation)
    flow.visit(employee, url, "conversation page (employee), preparation saved")
    submit(employee, form(employee, f"{url}voorbereiding/").locator("button[name=share]"))
    expect(success(employee)).to_be_visible()
    flow.accessible(employee, "conversation page (employee), preparation shared")
    preparation = Preparation.objects.get(conversation=conversation, side=Side.EMPLOYEE)
    assert preparation.shared_at is not None
    conversation.refresh_from_db()
    assert conversation.status == Status.PREPARED

    flow.visit(manager, url, "conversation page (manager), preparation shared")
    section = manager.locator("#preparation-section")
    for text in PREPARATION.values():
        expect(section).to_contain_text(text)
    expect(manager.locator("main section[aria-labelledby=brought-in]")).to_contain_text(ANSWERS[1])


# -- 4. held, the report, signing and the personnel file -----------------------------------------


def hold_and_write(flow: Flow, conversation: Conversation) -> None:
    employee, url = flow.employee, conversation_url(conversation)
    flow.clock(CONVERSATION_DAY, 11, 15)
    flow.log_in_all()

    flow.visit(employee, url, "conversation page (employee), the conversation is over")
    held_form = form(employee, f"{url}gehouden/")
    held_form.locator("input[name=held_on]").fill(CONVERSATION_DAY.isoformat())
    submit(employee, held_form.locator("button[type=submit]"))
    expect(employee).to_have_url(re.compile(rf"{re.escape(url)}#report$"))
    expect(status_badge(employee)).to_have_class("gc-badge gc-conversation--held")
    flow.accessible(employee, "conversation page (employee), held: the report form")
    check_labels(flow, employee, "conversation page, the employee's report form")
    # The employee writes the report, so the manager has no report form.
    flow.visit(flow.manager, url, "conversation page (manager), held")
    expect(form(flow.manager, f"{url}verslag/")).to_have_count(0)
    expect(form(flow.manager, f"{url}verslag/persoonlijk/")).to_have_count(0)  # the employee's choice

    report_form = form(employee, f"{url}verslag/")
    for name, text in REPORT.items():
        report_form.locator(f"textarea[name={name}]").fill(text)
    submit(employee, report_form.locator("button[type=submit]:not([name])"))
    expect(success(employee)).to_be_visible()
    expect(error(employee)).to_have_count(0)
    flow.accessible(employee, "conversation page (employee), report saved")
    report = Report.objects.get(conversation=conversation)
    assert report.text == REPORT["text"]
    assert report.answers == {
        name.removeprefix("item_"): text for name, text in REPORT.items() if name.startswith("item_")
    }

    # Keep well-being out of the signed report.
    personal = form(employee, f"{url}verslag/persoonlijk/")
    expect(personal.locator("input[type=checkbox][name=withhold]")).to_have_count(3)
    for item in ("wellbeing", "vitality", "work_life_balance"):
        expect(personal.locator(f"input[name=withhold][value={item}]")).not_to_be_checked()
    personal.locator("input[name=withhold][value=wellbeing]").check()
    submit(employee, personal.locator("button[type=submit]"))
    expect(success(employee)).to_be_visible()
    flow.accessible(employee, "conversation page (employee), well-being kept out")
    report.refresh_from_db()
    assert report.withheld_items == ["wellbeing"]
    personal = form(employee, f"{url}verslag/persoonlijk/")
    expect(personal.locator("input[name=withhold][value=wellbeing]")).to_be_checked()
    expect(personal.locator("input[name=withhold][value=vitality]")).not_to_be_checked()
    # The report itself is untouched.
    expect(form(employee, f"{url}verslag/").locator("textarea[name=item_wellbeing]")).to_have_value(WELLBEING)

    submit(employee, form(employee, f"{url}verslag/").locator("button[name=finish]"))
    expect(success(employee)).to_be_visible()
    expect(error(employee)).to_have_count(0)
    expect(status_badge(employee)).to_have_class("gc-badge gc-conversation--report_written")
    flow.accessible(employee, "conversation page (employee), report finished")
    conversation.refresh_from_db()
    assert conversation.status == Status.REPORT_WRITTEN
    report.refresh_from_db()
    assert report.withheld_items == ["wellbeing"] and report.answers["wellbeing"] == WELLBEING


def manager_approves(flow: Flow, conversation: Conversation) -> None:
    manager, url = flow.manager, conversation_url(conversation)
    flow.visit(manager, url, "conversation page (manager), report to read")
    section = manager.locator("#report-section")
    for name in ("text", "item_performance_development", "item_vakmanschap", "item_agreements"):
        expect(section).to_contain_text(REPORT[name])
    submit(manager, form(manager, f"{url}verslag/akkoord/").locator("button[type=submit]"))
    expect(success(manager)).to_be_visible()
    expect(status_badge(manager)).to_have_class("gc-badge gc-conversation--ready_for_signing")
    flow.accessible(manager, "conversation page (manager), ready for signing")
    conversation.refresh_from_db()
    assert conversation.status == Status.READY_FOR_SIGNING


def signed_content_keeps_wellbeing_out(flow: Flow, page, conversation: Conversation, who: str) -> None:
    shown = page.locator("main section[aria-labelledby=content]")
    for name in ("text", "item_performance_development", "item_vitality", "item_support"):
        expect(shown).to_contain_text(REPORT[name])
    if WELLBEING in shown.inner_text():
        flow.problem(
            f"signing page /gesprekken/gesprek/<id>/ondertekenen/ ({who}): the section 'What you sign' "
            "shows the well-being answer the employee kept out of the signed report"
        )


def sign(flow: Flow, page, conversation: Conversation, *, who: str) -> None:
    """Open the signing page from the conversation page and sign with the password."""
    signing = signing_url(conversation)
    flow.visit(page, conversation_url(conversation), f"conversation page ({who}), awaiting signatures")
    page.locator(f'main a[href="{signing}"]').click()
    page.wait_for_url(f"**{signing}")
    flow.accessible(page, f"signing page ({who})")
    for summary in page.locator("main details > summary").all():
        summary.click()
    flow.accessible(page, f"signing page ({who}), all panels open")
    check_labels(flow, page, f"signing page ({who})")
    page.reload()
    signed_content_keeps_wellbeing_out(flow, page, conversation, who)
    sign_form = form(page, f"{signing}tekenen/")
    version = ReportVersion.objects.get(conversation=conversation, state=VersionState.OPEN)
    expect(sign_form.locator("input[type=hidden][name=expected_hash]")).to_have_value(version.content_hash)
    sign_form.locator("input[name=password]").fill(PASSWORD)
    submit(page, sign_form.locator("button[type=submit]"))
    expect(success(page)).to_be_visible()
    expect(error(page)).to_have_count(0)
    expect(form(page, f"{signing}tekenen/")).to_have_count(0)
    flow.accessible(page, f"signing page ({who}), signed")


def both_sign(flow: Flow, conversation: Conversation) -> None:
    sign(flow, flow.employee, conversation, who="employee")  # opening the page makes the version
    version = ReportVersion.objects.get(conversation=conversation)
    items = [answer["item"] for answer in version.content["report"]["answers"]]
    assert "wellbeing" not in items and "vitality" in items
    assert WELLBEING not in json.dumps(version.content, ensure_ascii=False)

    sign(flow, flow.manager, conversation, who="manager")
    assert list(
        Signature.objects.filter(version__conversation=conversation)
        .order_by("signed_at", "id")
        .values_list("role", "statement")
    ) == [("employee", "voor_akkoord"), ("manager", "voor_akkoord")]
    conversation.refresh_from_db()
    assert conversation.status == Status.COMPLETED
    assert ReportVersion.objects.get(conversation=conversation).state == VersionState.COMPLETE
    # The completed signing page still shows what was signed, without well-being.
    signed_content_keeps_wellbeing_out(flow, flow.manager, conversation, "manager, completed")

    # The choice is final: no personal-topics form once the report is signed.
    url = conversation_url(conversation)
    flow.visit(flow.employee, url, "conversation page (employee), signed and archived")
    expect(status_badge(flow.employee)).to_have_class("gc-badge gc-conversation--completed")
    expect(form(flow.employee, f"{url}verslag/persoonlijk/")).to_have_count(0)


def in_the_personnel_file(flow: Flow, conversation: Conversation) -> None:
    employee = flow.employee
    entry = DossierEntry.objects.get(conversation=conversation, document="report")
    assert WELLBEING not in entry.content_json and VITALITY in entry.content_json
    flow.visit(employee, "/dossier/", "the employee's personnel file")
    row = employee.locator(
        "main table tbody tr", has=employee.locator(f'a[href="/dossier/stuk/{entry.pk}/"]')
    )
    expect(row).to_have_count(1)
    expect(row.locator(f'a[href="{signing_url(conversation)}"]')).to_be_visible()
    expect(employee.locator("main table tbody tr")).to_have_count(1)


def feedback_after_signing(flow: Flow, feedback: Feedback, conversation: Conversation) -> None:
    """The feedback stays part of the signed conversation: it can be taken out only until the
    report is final (feedback.services.feedback_withdraw_from refuses it afterwards)."""
    employee, url = flow.employee, f"/feedback/{feedback.pk}/"
    flow.visit(employee, url, "feedback received (employee), its conversation signed")
    used_in = employee.locator("main section[aria-labelledby=use]")
    expect(used_in.locator(f'a[href="{conversation_url(conversation)}"]')).to_be_visible()
    withdraw = used_in.locator(
        f'form[action="{url}gebruiken/"]',
        has=employee.locator(f'input[name=gesprek][value="{conversation.pk}"]'),
    ).locator("button[name=withdraw]")
    if withdraw.count():
        flow.problem(
            "feedback page /feedback/<id>/ (employee): after the conversation's report was signed, the "
            "button 'Take it out again' (name=withdraw) is still offered for that conversation, and "
            "clicking it only gives the error 'The report of that conversation is final.' - "
            "feedback/templates/feedback/detail.html lines 30-36 show it for every selection and "
            "feedback/views.py detail() (lines 197-198) passes every selection, not only those of "
            "conversations outside LOCKED_STATUSES"
        )
        submit(employee, withdraw)
        expect(error(employee)).to_be_visible()
    assert FeedbackSelection.objects.filter(feedback=feedback, conversation=conversation).exists()


# -- the test -------------------------------------------------------------------------------------


def test_wierden_year_feedback_scan_annual_conversation_with_a_personal_topic_kept_out(
    page, second_page, third_page, wierden, cycle, time_machine
):
    flow = Flow(page, second_page, third_page, wierden, time_machine)
    flow.log_in_all()

    feedback = ask_for_feedback(flow)
    colleague_answers(flow, feedback)
    employee_reads(flow, feedback)
    scan = development_scan(flow)

    conversation = plan_annual(flow, cycle)
    prepare(flow, conversation)
    bring_feedback_in(flow, feedback, conversation)
    manager_sees_feedback_not_preparation(flow, feedback, conversation)
    employee_shares(flow, conversation)

    hold_and_write(flow, conversation)
    manager_approves(flow, conversation)
    both_sign(flow, conversation)
    in_the_personnel_file(flow, conversation)

    feedback_after_signing(flow, feedback, conversation)

    scan.refresh_from_db()
    assert not scan.shared_with_manager and scan.conversation_id is None

    assert not flow.problems, "\n\n".join(flow.problems)
