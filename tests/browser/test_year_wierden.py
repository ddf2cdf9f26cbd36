"""A year under Wierden ('Het goede gesprek', seed 004, preset wierden.yaml), through a real
browser, one browser per person: the employee, a colleague (who gives feedback and does not
start their own conversation), the manager, the director, the HR adviser and the HR
administrator. The stage (tests/browser/year.py) checks every page with axe at 1280 and at
375 pixels and collects faults, so that one fault does not hide the rest of the year.

Wierden combines regular feedback with at least one annual conversation that the employee
organises, prepares and records: the employee takes the initiative (the manager takes over 30
days after the window opened), the manager conducts, the employee writes the report and both
sign it 'voor akkoord'. The report form marks well-being, vitality and the work-life balance
personal: the employee decides whether those answers go into the signed report. Nobody but the
employee and the manager reads the report. Wierden has no delegate: only the manager conducts
(``conducted_by: [manager]``), so no one is designated in this year.

0. 5 January 2026: the HR administrator sees Wierden in force; the period opens
   (``open_cycles``); the employee's cycle shows the good conversation, not due yet, nothing to
   plan; the dashboard counts the team's three people with a cycle and nothing due.
1. 14 September: the employee asks the colleague (by e-mail address) for feedback with their
   own questions; the colleague answers; the employee reads it. Nobody else, not even the
   manager, can open it.
2. The employee fills in the development scan with a reflection and sees the report with its
   chart.
3. 1 October, the window opens: the daily reminder run reminds the employee and the colleague
   (each holds the initiative), not the manager; on /meldingen/ and by mail. The dashboard now
   counts three people with a conversation due, none planned.
4. 5 October: the manager has no Plan link (the employee's initiative until 30 October); the
   employee plans the conversation; both get the calendar invitation (uitnodiging.ics, DTSTART
   = the planned start) which the page also offers for download. The employee prepares it and
   brings the colleague's feedback into it; the manager sees that feedback, not the unshared
   preparation; once shared, the manager does.
5. 12 October: the conversation is held; the employee records an agreement in it, the manager
   changes its deadline and target in the same conversation (history kept); the employee
   writes the report, keeps the well-being answer out of the signed report and finishes it;
   the manager makes it ready for signing; the employee signs with the keyboard alone, the
   manager with the mouse. The signed content has no well-being answer; the personnel file
   lists the report; the director and the HR adviser cannot read it; the dashboard moves.
6. 31 October, 30 days after the window opened: the colleague never planned. The reminder run
   now reminds the manager (on /meldingen/, by mail, linked to the colleague's cycle page);
   the team page shows the colleague's conversation due with nothing planned; the manager now
   has the Plan link and plans it; the colleague no longer can and gets the invitation.
7. 16 November: the employee puts the agreement at risk; the manager is mailed and the team
   page counts it. 30 November: the manager puts it back on track with an explanation (the
   history keeps the risk); the HR adviser's and administrator's dashboard show the planned
   share moved.
8. December: a decision on the employee's legal position (an extra periodic increase) is due, the
   only reason Wierden holds an assessment. The manager asks for it on the cycle page (it is not
   offered before), plans it (invitation), holds it and rates the five aspects; the employee
   responds and signs 'voor gezien' with the keyboard alone, the manager signs; there is no
   objection form (the internal complaint procedure is named); the assessment is in the file.

Elements are found by form field names, form actions and URLs rather than by Dutch text; after
each step the database and what the user sees are both asserted. The clock is fixed with
time-machine (patched for the whole process, so also for the live-server thread)."""

import datetime
import json
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from gesprekscyclus.agreements.models import Agreement, AgreementStatus
from gesprekscyclus.assessments.models import Assessment, Objection
from gesprekscyclus.conversations.models import Conversation, Preparation, Report, Side, Status
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.feedback.models import (
    Feedback,
    FeedbackKind,
    FeedbackSelection,
    FeedbackStatus,
    ScanResponse,
)
from gesprekscyclus.feedback.services import DEFAULT_SCAN
from gesprekscyclus.notifications.models import Notification
from gesprekscyclus.signatures.models import ReportVersion, Signature, VersionState
from tests.cycles.helpers import load

from .year import (
    AMSTERDAM,
    PASSWORD,
    Year,
    assessment_url,
    conversation_url,
    error,
    form,
    mails_to,
    signatures_of,
    signing_url,
    status_badge,
    submit,
    success,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERIOD = 2026
WIERDEN_IN_FORCE = datetime.date(2019, 1, 1)  # the seed names no date (as tests/assessments/flow.py)
OPENING_DAY = datetime.date(2026, 1, 5)
FEEDBACK_DAY = datetime.date(2026, 9, 14)
ANSWER_BY = datetime.date(2026, 9, 28)
# The annual conversation is due from 1 October to 31 December 2026; the employee holds the
# initiative for 30 days, so until 30 October; from 31 October the manager takes over.
WINDOW_OPENS = datetime.date(2026, 10, 1)
PLANNING_DAY = datetime.date(2026, 10, 5)
CONVERSATION_DAY = datetime.date(2026, 10, 12)
TAKEOVER_DAY = datetime.date(2026, 10, 31)
COLLEAGUE_CONVERSATION = datetime.datetime(2026, 11, 10, 14, 0, tzinfo=AMSTERDAM)
AT_RISK_DAY = datetime.date(2026, 11, 16)
BACK_ON_TRACK_DAY = datetime.date(2026, 11, 30)
# An assessment only for a decision on the legal position: asked for on 1 December, held on 8.
REQUEST_DAY = datetime.date(2026, 12, 1)
ASSESSMENT_DAY = datetime.date(2026, 12, 8)
RESPONSE_DAY = datetime.date(2026, 12, 10)

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

# The agreement made in the conversation, then changed in it, then put at risk.
AGREEMENT = "De cursus Participatiewet volgen en de kennis delen in het teamoverleg."
AGREEMENT_TARGET = "Certificaat behaald"
AGREEMENT_DEADLINE = datetime.date(2027, 3, 31)
CHANGED_TARGET = "Certificaat behaald en een presentatie in het team"
CHANGED_DEADLINE = datetime.date(2027, 6, 30)
AT_RISK = "De cursus is vol tot het voorjaar; ik sta op de wachtlijst."
BACK_ON_TRACK = "Ingeschreven voor de cursus van mei; de presentatie volgt in september."

# The assessment (wierden.yaml: five aspects, the four V's and performance, on a five-point scale).
DECISION = "Besluit over een extra periodiek (rechtspositioneel)"
RATINGS = {
    "performance": "4",
    "vakmanschap": "4",
    "vertrouwen": "5",
    "verbinden": "4",
    "vernieuwingskracht": "3",
}
OVERALL = "4"
MOTIVATION = "Zeer goede prestaties in 2026; de extra periodiek is verdiend."
RESPONSE = "Ik herken mij in de beoordeling en dank voor de extra periodiek."

PEOPLE = ("employee", "colleague", "manager", "director", "hr_adviser", "hr_admin")


@pytest.fixture
def year(cast, browser, live_server, time_machine):
    """Wierden in force for the cast; the stage on 5 January 2026, 9:00, nobody logged in."""
    load(cast.organisation, "wierden", in_force_from=WIERDEN_IN_FORCE)
    stage = Year(
        "wierden",
        browser,
        live_server,
        time_machine,
        people={who: getattr(cast, who) for who in PEOPLE},
        title="Wierden — Het goede gesprek",
    )
    stage.cast = cast
    stage.clock(OPENING_DAY, 9, log_in=False)
    yield stage
    stage.close()


# -- 1. feedback ------------------------------------------------------------------------------


def ask_for_feedback(year: Year) -> Feedback:
    """The employee asks the colleague, by e-mail address, with two questions of their own."""
    employee, colleague = year.page("employee"), year.cast.colleague
    year.visit("employee", "/feedback/", "feedback overview (employee), nothing yet")
    employee.locator('main a[href="/feedback/vragen/"]').click()
    employee.wait_for_url("**/feedback/vragen/")
    year.check(employee, "ask for feedback")
    request_form = employee.locator("main form[method=post]")
    request_form.locator("textarea[name=givers]").fill(colleague.email)
    request_form.locator("textarea[name=questions]").fill("\n".join(QUESTIONS))
    request_form.locator("textarea[name=message]").fill(MESSAGE)
    request_form.locator("input[name=answer_by]").fill(ANSWER_BY.isoformat())
    submit(employee, request_form.locator("button[type=submit]"))
    expect(employee).to_have_url(re.compile(r"/feedback/$"))
    expect(success(employee)).to_be_visible()
    year.check(employee, "feedback overview (employee), request sent")
    feedback = Feedback.objects.get(receiver=year.cast.employee)
    assert (feedback.giver_id, feedback.kind, feedback.status) == (
        colleague.pk,
        FeedbackKind.REQUESTED,
        FeedbackStatus.ASKED,
    )
    assert (feedback.questions, feedback.message, feedback.answer_by) == (QUESTIONS, MESSAGE, ANSWER_BY)
    # Still waiting for the colleague.
    expect(employee.locator("main section[aria-labelledby=received]")).to_contain_text(colleague.full_name)
    return feedback


def colleague_answers(year: Year, feedback: Feedback) -> None:
    colleague, url = year.page("colleague"), f"/feedback/{feedback.pk}/"
    year.clock(FEEDBACK_DAY, 11, 0, log_in=False)
    year.visit("colleague", "/feedback/", "feedback overview (colleague), a request to answer")
    link = colleague.locator(f'main section[aria-labelledby=to-answer] a[href="{url}"]')
    expect(link).to_contain_text(year.cast.employee.full_name)
    link.click()
    colleague.wait_for_url(f"**{url}")
    year.check(colleague, "feedback request, the colleague's answer form")
    answer_form = form(colleague, f"{url}beantwoorden/")
    expect(colleague.locator("main")).to_contain_text(MESSAGE)
    for index, (question, answer) in enumerate(zip(QUESTIONS, ANSWERS, strict=True)):
        field = answer_form.locator(f"textarea[name=answer_{index}]")
        expect(field).to_have_accessible_name(question)
        field.fill(answer)
    submit(colleague, answer_form.locator("button[type=submit]:not([name])"))
    expect(colleague).to_have_url(re.compile(r"/feedback/$"))
    expect(success(colleague)).to_be_visible()
    year.check(colleague, "feedback overview (colleague), feedback given")
    expect(colleague.locator(f'main section[aria-labelledby=given] a[href="{url}"]')).to_be_visible()
    feedback.refresh_from_db()
    assert (feedback.status, feedback.answers) == (FeedbackStatus.GIVEN, ANSWERS)

    # Feedback belongs to its receiver: the manager cannot open it, nor find it.
    assert year.page("manager").request.get(url).status == 404
    year.visit("manager", "/feedback/", "feedback overview (manager)")
    expect(year.page("manager").locator(f'main a[href="{url}"]')).to_have_count(0)


def employee_reads(year: Year, feedback: Feedback) -> None:
    employee, url = year.page("employee"), f"/feedback/{feedback.pk}/"
    year.clock(FEEDBACK_DAY, 11, 30, log_in=False)
    year.visit("employee", "/feedback/", "feedback overview (employee), feedback received")
    link = employee.locator(f'main section[aria-labelledby=received] a[href="{url}"]')
    expect(link).to_contain_text(year.cast.colleague.full_name)
    link.click()
    employee.wait_for_url(f"**{url}")
    year.check(employee, "feedback received (employee), no conversation yet")
    main = employee.locator("main")
    for question, answer in zip(QUESTIONS, ANSWERS, strict=True):
        expect(main.locator("dt", has_text=question).locator("xpath=following-sibling::dd[1]")).to_have_text(
            answer
        )
    expect(form(employee, f"{url}beantwoorden/")).to_have_count(0)  # the receiver does not answer
    # No conversation to bring it into yet.
    expect(form(employee, f"{url}gebruiken/")).to_have_count(0)


# -- 2. the development scan --------------------------------------------------------------------


def development_scan(year: Year) -> ScanResponse:
    employee, url = year.page("employee"), "/feedback/ontwikkelscan/"
    year.clock(FEEDBACK_DAY, 11, 45, log_in=False)
    year.visit("employee", "/feedback/", "feedback overview (employee), before the scan")
    employee.locator(f'main a[href="{url}"]').click()
    employee.wait_for_url(f"**{url}")
    year.check(employee, "development scan, empty")
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
    scan = ScanResponse.objects.get(employee=year.cast.employee)
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
    year.check(employee, "development scan with the report and its chart")
    check_chart_legible(year, chart)
    return scan


def check_chart_legible(year: Year, chart) -> None:
    """The chart is drawn at its own size: 13px labels stay about 13px on screen."""
    geometry = chart.evaluate(
        """svg => ({height: svg.getAttribute('height'), viewBox: svg.getAttribute('viewBox'),
                   box: svg.getBoundingClientRect().height,
                   text: svg.querySelector('text').getBoundingClientRect().height})"""
    )
    if geometry["text"] < 10:
        year.problem(
            "development scan /feedback/ontwikkelscan/: the report's chart is drawn too small to read - "
            f'<svg height="{geometry["height"]}" viewBox="{geometry["viewBox"]}"> renders '
            f"{geometry['box']:.0f}px high, its 13px labels {geometry['text']:.1f}px high. "
            'feedback/templates/feedback/scan.html line 30: height="{{ bars|length|add:1 }}0" gives '
            '"40" for three sections while the viewBox is 130 high (10 + 40 per section); '
            "height and viewBox should agree (e.g. both 10 + 40 per section)"
        )


# -- 3. planning and preparing -------------------------------------------------------------------


def plan_annual(year: Year, cycle: Cycle) -> Conversation:
    """5 October: the window opened on 1 October; the employee plans from their cycle page."""
    employee, manager = year.page("employee"), year.page("manager")
    plan_url = f"/gesprekken/plannen/{cycle.pk}/annual/"
    year.clock(PLANNING_DAY, 9, 0, log_in=False)
    year.log_in("employee", "manager")

    # The manager has no Plan link yet: it is the employee's initiative until 30 October.
    year.visit("manager", f"/gesprekken/medewerkers/{year.cast.employee.pk}/", "cycle page (manager)")
    expect(manager.locator(f'main a[href="{plan_url}"]')).to_have_count(0)

    year.visit("employee", "/gesprekken/", "my cycle (employee), annual conversation due")
    # Only a manager designates: the form does not ask who conducts.
    conversation = year.plan(
        "employee", cycle, "annual", CONVERSATION_DAY, location="Kamer 1.08", asks_conductor=False
    )
    assert conversation.conductor_id == year.cast.manager.pk
    assert conversation.planned_by_id == year.cast.employee.user_id
    expect(status_badge(employee)).to_have_class("gc-badge gc-conversation--planned")
    # The calendar invitation: by mail to both, and to download from the page.
    invitation(year, conversation, "employee", "manager", download="employee")
    year.shot("employee", "conversation-planned", "5 October: the employee planned the good conversation")
    year.proves(
        "Seed 004: 'Medewerkers zorgen er zelf voor, dat jaarlijks het goede gesprek met hun "
        "leidinggevende wordt gevoerd' / preset `conversation_kinds.annual.initiative.by: employee`, "
        "`conducted_by: [manager]`",
        "step 4: the manager has no Plan link; the employee plans, the manager conducts; both get the .ics",
    )
    return conversation


def prepare(year: Year, conversation: Conversation) -> None:
    """The employee's preparation, saved but not shared."""
    employee, url = year.page("employee"), conversation_url(conversation)
    preparation_form = form(employee, f"{url}voorbereiding/")
    expect(preparation_form).to_be_visible()
    year.check(employee, "conversation page, the employee's preparation form")
    for name, text in PREPARATION.items():
        preparation_form.locator(f"textarea[name={name}]").fill(text)
    submit(employee, preparation_form.locator("button[type=submit]:not([name])"))
    expect(employee).to_have_url(re.compile(rf"{re.escape(url)}#preparation$"))
    expect(success(employee)).to_be_visible()
    year.check(employee, "conversation page, preparation saved (employee)")
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


def bring_feedback_in(year: Year, feedback: Feedback, conversation: Conversation) -> None:
    employee, url = year.page("employee"), f"/feedback/{feedback.pk}/"
    year.visit("employee", url, "feedback received (employee), with the conversation to bring it into")
    use_form = form(employee, f"{url}gebruiken/")
    use_form.locator("select[name=gesprek]").select_option(str(conversation.pk))
    submit(employee, use_form.locator("button[type=submit]"))
    expect(success(employee)).to_be_visible()
    expect(error(employee)).to_have_count(0)
    year.check(employee, "feedback received (employee), brought into the conversation")
    expect(
        employee.locator(f'main section[aria-labelledby=use] a[href="{conversation_url(conversation)}"]')
    ).to_be_visible()
    assert list(FeedbackSelection.objects.values_list("feedback_id", "conversation_id")) == [
        (feedback.pk, conversation.pk)
    ]


def manager_sees_feedback_not_preparation(year: Year, feedback: Feedback, conversation: Conversation) -> None:
    manager, url = year.page("manager"), conversation_url(conversation)
    year.visit("manager", url, "conversation page (manager), feedback brought in, preparation not shared")
    brought_in = manager.locator("main section[aria-labelledby=brought-in]")
    expect(brought_in).to_be_visible()
    expect(brought_in).to_contain_text(year.cast.colleague.full_name)
    for question, answer in zip(QUESTIONS, ANSWERS, strict=True):
        # Each answer under its own question.
        expect(brought_in.locator("p", has=manager.locator("em", has_text=question))).to_contain_text(answer)
    html = manager.content()
    private = [text for text in PREPARATION.values() if text in html]
    if private:
        year.problem(
            f"conversation page {url} (manager): the employee's unshared preparation shows: {private}"
        )
    if SCAN_REFLECTION in html:
        year.problem(
            f"conversation page {url} (manager): the employee's scan shows although it was not shared"
        )
    expect(manager.locator("#preparation-section h3")).to_have_count(0)  # no 'The employee's preparation'
    # The manager may now open the feedback itself, but not bring it anywhere.
    feedback_url = f"/feedback/{feedback.pk}/"
    year.visit("manager", feedback_url, "feedback brought in, opened by the manager")
    expect(manager.locator("main")).to_contain_text(ANSWERS[0])
    expect(form(manager, f"{feedback_url}gebruiken/")).to_have_count(0)
    expect(form(manager, f"{feedback_url}beantwoorden/")).to_have_count(0)


def employee_shares(year: Year, conversation: Conversation) -> None:
    employee, manager, url = year.page("employee"), year.page("manager"), conversation_url(conversation)
    year.visit("employee", url, "conversation page (employee), preparation saved")
    submit(employee, form(employee, f"{url}voorbereiding/").locator("button[name=share]"))
    expect(success(employee)).to_be_visible()
    year.check(employee, "conversation page (employee), preparation shared")
    preparation = Preparation.objects.get(conversation=conversation, side=Side.EMPLOYEE)
    assert preparation.shared_at is not None
    conversation.refresh_from_db()
    assert conversation.status == Status.PREPARED

    year.visit("manager", url, "conversation page (manager), preparation shared")
    section = manager.locator("#preparation-section")
    for text in PREPARATION.values():
        expect(section).to_contain_text(text)
    expect(manager.locator("main section[aria-labelledby=brought-in]")).to_contain_text(ANSWERS[1])


# -- 4. held, the report, signing and the personnel file -----------------------------------------


def hold_and_write(year: Year, conversation: Conversation) -> None:
    employee, url = year.page("employee"), conversation_url(conversation)
    year.clock(CONVERSATION_DAY, 11, 15, log_in=False)
    year.log_in("employee", "manager")

    year.hold("employee", conversation, CONVERSATION_DAY)
    expect(employee).to_have_url(re.compile(rf"{re.escape(url)}#report$"))
    expect(status_badge(employee)).to_have_class("gc-badge gc-conversation--held")
    # The employee writes the report, so the manager has no report form.
    year.visit("manager", url, "conversation page (manager), held")
    expect(form(year.page("manager"), f"{url}verslag/")).to_have_count(0)
    expect(form(year.page("manager"), f"{url}verslag/persoonlijk/")).to_have_count(0)  # the employee's choice

    agreement_made_and_changed(year, conversation)
    year.visit("employee", url, "conversation page (employee), the agreement made, the report to write")

    report_form = form(employee, f"{url}verslag/")
    for name, text in REPORT.items():
        report_form.locator(f"textarea[name={name}]").fill(text)
    submit(employee, report_form.locator("button[type=submit]:not([name])"))
    expect(success(employee)).to_be_visible()
    expect(error(employee)).to_have_count(0)
    year.check(employee, "conversation page (employee), report saved")
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
    year.check(employee, "conversation page (employee), well-being kept out")
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
    year.check(employee, "conversation page (employee), report finished")
    conversation.refresh_from_db()
    assert conversation.status == Status.REPORT_WRITTEN
    report.refresh_from_db()
    assert report.withheld_items == ["wellbeing"] and report.answers["wellbeing"] == WELLBEING


def manager_approves(year: Year, conversation: Conversation) -> None:
    shows = [
        REPORT[name]
        for name in ("text", "item_performance_development", "item_vakmanschap", "item_agreements")
    ]
    manager = year.approve("manager", conversation, shows=shows)
    expect(status_badge(manager)).to_have_class("gc-badge gc-conversation--ready_for_signing")


def signed_content_keeps_wellbeing_out(year: Year, page, conversation: Conversation, who: str) -> None:
    shown = page.locator("main section[aria-labelledby=content]")
    for name in ("text", "item_performance_development", "item_vitality", "item_support"):
        expect(shown).to_contain_text(REPORT[name])
    if WELLBEING in shown.inner_text():
        year.problem(
            f"signing page /gesprekken/gesprek/<id>/ondertekenen/ ({who}): the section 'What you sign' "
            "shows the well-being answer the employee kept out of the signed report"
        )


def sign(year: Year, page, conversation: Conversation, *, who: str, keyboard: bool = False) -> None:
    """Open the signing page from the conversation page and sign with the password (with the
    keyboard alone when ``keyboard``)."""
    signing = signing_url(conversation)
    year.visit(who, conversation_url(conversation), f"conversation page ({who}), awaiting signatures")
    page.locator(f'main a[href="{signing}"]').click()
    page.wait_for_url(f"**{signing}")
    year.check(page, f"signing page ({who})")
    for summary in page.locator("main details > summary").all():
        summary.click()
    year.check(page, f"signing page ({who}), all panels open")
    page.reload()
    signed_content_keeps_wellbeing_out(year, page, conversation, who)
    sign_form = form(page, f"{signing}tekenen/")
    version = ReportVersion.objects.get(conversation=conversation, state=VersionState.OPEN)
    expect(sign_form.locator("input[type=hidden][name=expected_hash]")).to_have_value(version.content_hash)
    if keyboard:
        year.sign_with_keyboard(who, signing)
    else:
        sign_form.locator("input[name=password]").fill(PASSWORD)
        submit(page, sign_form.locator("button[type=submit]"))
    expect(success(page)).to_be_visible()
    expect(error(page)).to_have_count(0)
    expect(form(page, f"{signing}tekenen/")).to_have_count(0)
    year.check(page, f"signing page ({who}), signed")


def both_sign(year: Year, conversation: Conversation) -> None:
    # Opening the page makes the version; the employee signs with the keyboard alone.
    sign(year, year.page("employee"), conversation, who="employee", keyboard=True)
    assert Signature.objects.filter(version__conversation=conversation, role="employee").count() == 1
    version = ReportVersion.objects.get(conversation=conversation)
    items = [answer["item"] for answer in version.content["report"]["answers"]]
    assert "wellbeing" not in items and "vitality" in items
    assert WELLBEING not in json.dumps(version.content, ensure_ascii=False)

    sign(year, year.page("manager"), conversation, who="manager")
    year.shot("manager", "signed", "The signed report: both signed 'voor akkoord', well-being kept out")
    assert signatures_of(conversation) == [("employee", "voor_akkoord"), ("manager", "voor_akkoord")]
    conversation.refresh_from_db()
    assert conversation.status == Status.COMPLETED
    assert ReportVersion.objects.get(conversation=conversation).state == VersionState.COMPLETE
    # The completed signing page still shows what was signed, without well-being.
    signed_content_keeps_wellbeing_out(year, year.page("manager"), conversation, "manager, completed")

    # The choice is final: no personal-topics form once the report is signed.
    url = conversation_url(conversation)
    year.visit("employee", url, "conversation page (employee), signed and archived")
    expect(status_badge(year.page("employee"))).to_have_class("gc-badge gc-conversation--completed")
    expect(form(year.page("employee"), f"{url}verslag/persoonlijk/")).to_have_count(0)


def in_the_personnel_file(year: Year, conversation: Conversation) -> None:
    employee = year.page("employee")
    entry = DossierEntry.objects.get(conversation=conversation, document="report")
    assert WELLBEING not in entry.content_json and VITALITY in entry.content_json
    year.visit("employee", "/dossier/", "the employee's personnel file")
    row = employee.locator(
        "main table tbody tr", has=employee.locator(f'a[href="/dossier/stuk/{entry.pk}/"]')
    )
    expect(row).to_have_count(1)
    expect(row.locator(f'a[href="{signing_url(conversation)}"]')).to_be_visible()
    year.shot("employee", "personnel-file", "The employee's personnel file with the signed report")
    year.proves(
        "Seed 004: 'Het verslag wordt door zowel de medewerker als de leidinggevende ... ondertekend "
        "en opgenomen in het personeelsdossier' / preset `signatures` (both voor_akkoord) and "
        "`archiving.report`",
        "step 5: both sign (the employee with the keyboard alone); the report is in the personnel file",
    )


def feedback_after_signing(year: Year, feedback: Feedback, conversation: Conversation) -> None:
    """The feedback stays part of the signed conversation: it can be taken out only until the
    report is final (feedback.services.feedback_withdraw_from refuses it afterwards)."""
    employee, url = year.page("employee"), f"/feedback/{feedback.pk}/"
    year.visit("employee", url, "feedback received (employee), its conversation signed")
    used_in = employee.locator("main section[aria-labelledby=use]")
    expect(used_in.locator(f'a[href="{conversation_url(conversation)}"]')).to_be_visible()
    withdraw = used_in.locator(
        f'form[action="{url}gebruiken/"]',
        has=employee.locator(f'input[name=gesprek][value="{conversation.pk}"]'),
    ).locator("button[name=withdraw]")
    if withdraw.count():
        year.problem(
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


# -- 0. the period opens ---------------------------------------------------------------------------


def units_row(page, unit_name: str) -> list[str]:
    """The cells of a unit's line on the dashboard: employees, due so far, planned, held, report
    finished, signed, in the personnel file, overdue."""
    row = page.locator("[data-testid=units] tbody tr", has=page.locator("th", has_text=unit_name))
    expect(row).to_have_count(1)
    return [" ".join(cell.split()) for cell in row.locator("td").all_inner_texts()]


def dashboard(year: Year, who: str, what: str) -> list[str]:
    """The dashboard of ``who`` (their own top unit) and the line of Team Inkomen."""
    page = year.visit(who, "/organisatie/dashboard/", f"HR dashboard ({who}), {what}")
    expect(page.locator("main h2#scope")).to_be_visible()
    return units_row(page, year.cast.team.name)


def period_opens(year: Year) -> None:
    cast = year.cast
    year.log_in("hr_admin", "employee", "director")
    regulations = f"/organisatie/beheer/regelingen/{cast.organisation.pk}/"
    page = year.visit("hr_admin", regulations, "regulations (HR administrator)")
    expect(page.locator("main")).to_contain_text("Wierden")
    year.shot("hr_admin", "regulation-in-force", "The HR administrator sees Wierden's regulation in force")

    assert not Cycle.objects.filter(year=PERIOD).exists()
    year.command(
        "open_cycles",
        "--organisation",
        cast.organisation.name,
        "--period",
        str(PERIOD),
        "--today",
        OPENING_DAY.isoformat(),
        "--no-progress",
    )
    for who in ("employee", "colleague", "manager"):
        cycle = Cycle.objects.get(employee=year.people[who], year=PERIOD)
        assert (cycle.period_start, cycle.period_end) == (
            datetime.date(2026, 1, 1),
            datetime.date(2026, 12, 31),
        )

    # The employee's cycle: the good conversation is listed, not due yet; the employee holds the
    # initiative (and may plan ahead).
    mine = Cycle.objects.get(employee=cast.employee, year=PERIOD)
    page = year.visit("employee", "/gesprekken/", "my cycle (employee), the period opened")
    row = page.locator("main tbody tr", has=page.locator(f'a[href="/gesprekken/plannen/{mine.pk}/annual/"]'))
    expect(row.locator(".gc-status--not_yet")).to_be_visible()
    expect(row.locator("td").nth(0)).to_contain_text("2026")
    year.proves(
        "Seed 004 ('jaarlijks het goede gesprek') / preset `period` (calendar year) and "
        "`conversation_kinds.annual.due` (our choice: the last quarter)",
        "step 0: the 2026 cycle opens on 5 January; the good conversation is not due yet; the employee "
        "holds the initiative",
    )
    # The director's dashboard counts the team's three people, nobody due yet.
    cells = dashboard(year, "director", "the period opened")
    assert cells[:2] == ["3", "0"], cells


# -- 3. the window opens: reminders to the one with the initiative -----------------------------------


def notifications(person, cycle: Cycle, party: str) -> list[Notification]:
    return list(
        Notification.objects.filter(
            user=person.user,
            reason_key__startswith=f"conversation:{cycle.pk}:annual:",
            reason_key__endswith=party,
        )
    )


def window_opens(year: Year) -> None:
    cast = year.cast
    year.clock(WINDOW_OPENS, 7, log_in=False)
    mail.outbox.clear()
    year.command("send_reminders", "--today", WINDOW_OPENS.isoformat(), "--no-progress")
    mine = Cycle.objects.get(employee=cast.employee, year=PERIOD)
    theirs = Cycle.objects.get(employee=cast.colleague, year=PERIOD)
    for person, cycle in ((cast.employee, mine), (cast.colleague, theirs)):
        reminders = notifications(person, cycle, ":employee")
        assert [n.url for n in reminders] == ["/gesprekken/"], reminders
        assert len(mails_to(person)) == 1
        assert mails_to(person)[0].subject == reminders[0].subject
    # Not the manager: it is the employee's initiative.
    for cycle in (mine, theirs):
        assert notifications(cast.manager, cycle, ":manager") == []

    year.clock(WINDOW_OPENS, 9, log_in=False)
    year.log_in("employee", "colleague", "hr_adviser")
    page = year.visit("colleague", "/meldingen/", "notifications (colleague), the window opened")
    expect(page.locator('main .gc-list a[href="/gesprekken/"]')).to_have_count(1)
    page = year.visit("employee", "/meldingen/", "notifications (employee), the window opened")
    link = page.locator('main .gc-list a[href="/gesprekken/"]')
    expect(link).to_have_count(1)
    link.click()
    page.wait_for_url("**/gesprekken/")
    year.check(page, "my cycle (employee), from the reminder")
    expect(page.locator(f'main a[href="/gesprekken/plannen/{mine.pk}/annual/"]')).to_be_visible()
    year.proves(
        "Seed 004: 'De medewerker neemt initiatief voor het goede gesprek' / preset "
        "`conversation_kinds.annual.initiative.by: employee` and `reminders`",
        "step 3: on 1 October the reminder run reminds the employee and the colleague, not the manager",
    )
    cells = dashboard(year, "hr_adviser", "the window opened")
    assert cells[:3] == ["3", "3", "0%"], cells


def invitation(year: Year, conversation: Conversation, *people: str, download: str | None = None) -> None:
    """The planning mail to each of ``people`` carries uitnodiging.ics with the conversation's
    start and its UID; with ``download``, that person's page offers it too."""
    for calendar in year.invitations(conversation, *people, download=download):
        (event,) = calendar.walk("VEVENT")
        assert str(event["UID"]) == f"{conversation.ics_uid}@gesprekscyclus"


# -- 5. agreements made and changed in the conversation ----------------------------------------------


def agreement_made_and_changed(year: Year, conversation: Conversation) -> Agreement:
    employee, manager, url = year.page("employee"), year.page("manager"), conversation_url(conversation)
    year.visit("employee", url, "conversation page (employee), held, before the agreement")
    create = form(employee, f"/gesprekken/gesprek/{conversation.pk}/afspraken/")
    create.locator("xpath=ancestor::details/summary").click()
    year.check(employee, "conversation page (employee), the agreement form open")
    create.locator("select[name=kind]").select_option("development")
    create.locator("textarea[name=description]").fill(AGREEMENT)
    create.locator("input[name=target]").fill(AGREEMENT_TARGET)
    create.locator("input[name=deadline]").fill(AGREEMENT_DEADLINE.isoformat())
    submit(employee, create.locator("button[type=submit]"))
    expect(error(employee)).to_have_count(0)
    agreement = Agreement.objects.get(made_in=conversation)
    assert (agreement.description, agreement.target, agreement.deadline, agreement.status) == (
        AGREEMENT,
        AGREEMENT_TARGET,
        AGREEMENT_DEADLINE,
        AgreementStatus.OPEN,
    )
    assert agreement.created_by == year.user("employee")
    detail = f"/gesprekken/afspraken/{agreement.pk}/"
    expect(
        employee.locator(f'#agreements-section a[href="{detail}?gesprek={conversation.pk}"]')
    ).to_have_text(AGREEMENT)
    year.check(employee, "conversation page (employee), agreement recorded")

    # The manager changes the target and the deadline, in the same conversation.
    year.visit("manager", url, "conversation page (manager), agreement recorded")
    manager.locator(f'#agreements-section a[href="{detail}?gesprek={conversation.pk}"]').click()
    manager.wait_for_url(f"**{detail}?gesprek={conversation.pk}")
    year.check(manager, "agreement page (manager), in the conversation")
    change = manager.locator("main section[aria-labelledby=change] form")
    change.locator("input[name=target]").fill(CHANGED_TARGET)
    change.locator("input[name=deadline]").fill(CHANGED_DEADLINE.isoformat())
    submit(manager, change.locator("button[type=submit]"))
    expect(success(manager)).to_be_visible()
    year.check(manager, "agreement page (manager), changed")
    agreement.refresh_from_db()
    assert (agreement.target, agreement.deadline) == (CHANGED_TARGET, CHANGED_DEADLINE)
    change = agreement.changes.order_by("pk").last()
    assert change.conversation_id == conversation.pk and change.changed_by == year.user("manager")
    assert set(change.changes) >= {"target", "deadline"}
    history = manager.locator("main section[aria-labelledby=history]")
    expect(history).to_contain_text(CHANGED_TARGET)
    expect(history.locator(f'a[href="{url}"]').first).to_be_visible()
    year.proves(
        "Seed 004: 'zijn verantwoordelijk voor het realiseren van gemaakte afspraken' / preset "
        "`annual_report` section `agreements` and `visibility.agreements: [employee, manager]`",
        "step 5: the employee records an agreement in the conversation, the manager changes it there; "
        "the history keeps both",
    )
    return agreement


def agreement_at_risk(year: Year, agreement: Agreement) -> None:
    """After the conversation: the employee tells the manager in time; the manager is mailed."""
    cast = year.cast
    year.clock(AT_RISK_DAY, 9, log_in=False)
    year.log_in("employee", "manager")
    mail.outbox.clear()
    detail = f"/gesprekken/afspraken/{agreement.pk}/"
    page = year.visit("employee", "/gesprekken/", "my cycle (employee), an open agreement")
    page.locator(f'main a[href="{detail}"]').click()
    page.wait_for_url(f"**{detail}")
    year.check(page, "agreement page (employee)")
    status = page.locator("main section[aria-labelledby=status] form")
    expect(status.locator("select[name=status] option")).to_have_count(2)  # on track, at risk
    status.locator("select[name=status]").select_option(AgreementStatus.AT_RISK)
    status.locator("textarea[name=explanation]").fill(AT_RISK)
    submit(page, status.locator("button[type=submit]"))
    expect(success(page)).to_be_visible()
    expect(page.locator("main .gc-agreement--at_risk")).to_be_visible()
    year.check(page, "agreement page (employee), at risk")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.AT_RISK
    messages = mails_to(cast.manager)
    assert len(messages) == 1 and AT_RISK in messages[0].body, [m.body for m in messages]

    page = year.visit("manager", "/gesprekken/team/", "team page (manager), an agreement at risk")
    row = page.locator(
        "main table tbody tr", has=page.locator(f'a[href="/gesprekken/medewerkers/{cast.employee.pk}/"]')
    )
    expect(row.locator(".gc-agreement--at_risk")).to_have_text("1")
    year.shot(
        "manager",
        "team-at-risk",
        "The manager's team page: an agreement at risk, the colleague's conversation planned",
    )
    year.proves(
        "Seed 004: 'Leidinggevenden coachen, stimuleren en faciliteren medewerkers' / "
        "docs/conversations.md (at risk mails the manager)",
        "step 7: the employee puts the agreement at risk with an explanation; the manager is mailed and the "
        "team page counts it",
    )


def agreement_back_on_track(year: Year, agreement: Agreement) -> None:
    """The manager and the employee talk it over: the manager puts the agreement back on track
    with an explanation (its terms change only in a conversation: the change form is not offered
    outside one); the history keeps the risk and the answer."""
    year.clock(BACK_ON_TRACK_DAY, 9, log_in=False)
    year.log_in("manager")
    detail = f"/gesprekken/afspraken/{agreement.pk}/"
    manager = year.visit("manager", detail, "agreement page (manager), at risk")
    expect(manager.locator("main .gc-agreement--at_risk")).to_be_visible()
    expect(manager.locator("main section[aria-labelledby=change] form")).to_have_count(0)
    status = manager.locator("main section[aria-labelledby=status] form")
    status.locator("select[name=status]").select_option(AgreementStatus.ON_TRACK)
    status.locator("textarea[name=explanation]").fill(BACK_ON_TRACK)
    submit(manager, status.locator("button[type=submit]"))
    expect(success(manager)).to_be_visible()
    expect(manager.locator("main .gc-agreement--on_track")).to_be_visible()
    year.check(manager, "agreement page (manager), changed after the risk")
    agreement.refresh_from_db()
    assert (agreement.status, agreement.deadline) == (AgreementStatus.ON_TRACK, CHANGED_DEADLINE)
    history = manager.locator("main section[aria-labelledby=history]")
    expect(history).to_contain_text(AT_RISK)
    expect(history).to_contain_text(BACK_ON_TRACK)
    assert agreement.changes.count() >= 3  # changed in the conversation, at risk, back on track
    year.proves(
        "Seed 004: 'Leidinggevenden coachen, stimuleren en faciliteren medewerkers' / "
        "docs/conversations.md (an agreement at risk is answered)",
        "step 7: after the risk the manager puts the agreement back on track with an explanation; "
        "the history keeps the risk and the answer",
    )


# -- 8. a decision on the legal position: the only assessment Wierden holds ------------------------


def assessment_for_a_decision(year: Year) -> None:
    """The manager asks for an assessment on the employee's cycle page (it is not listed until
    asked for), plans it, holds it and rates it; the employee responds and signs 'voor gezien'
    with the keyboard; there is no objection form; the assessment goes into the file."""
    cast = year.cast
    cycle = Cycle.objects.get(employee=cast.employee, year=PERIOD)
    cycle_page = f"/gesprekken/medewerkers/{cast.employee.pk}/"
    plan_url = f"/gesprekken/plannen/{cycle.pk}/assessment/"
    request_url = f"/gesprekken/aanvragen/{cycle.pk}/assessment/"

    year.clock(REQUEST_DAY, 9, log_in=False)
    year.log_in("employee", "manager")
    manager = year.visit("manager", cycle_page, "the employee's cycle (manager), December")
    expect(manager.locator(f'main a[href="{plan_url}"]')).to_have_count(0)  # not without a request
    request_form = form(manager, request_url)
    request_form.locator("xpath=ancestor::details/summary").click()
    year.check(manager, "the employee's cycle (manager), the request form open")
    request_form.locator("input[name=reason]").fill(DECISION)
    submit(manager, request_form.locator("button[type=submit]"))
    expect(success(manager)).to_be_visible()
    cycle.refresh_from_db()
    assert "assessment" in cycle.requested_kinds
    conversation = year.plan("manager", cycle, "assessment", ASSESSMENT_DAY, location="Kamer 1.08")
    invitation(year, conversation, "employee")
    year.proves(
        "Seed 004: 'Een beoordelingsgesprek voeren we alleen nog bij het nemen van een ... beslissing' / "
        "preset `assessment.when: [legal_position_only]`, `conditions.on_request`",
        "step 8: the assessment is not offered until the manager asks for it for a decision on the legal "
        "position; then it is planned and the employee invited",
    )

    page_url = assessment_url(conversation)
    year.clock(ASSESSMENT_DAY, 11, 15, log_in=False)
    year.log_in("manager")
    manager = year.hold("manager", conversation, ASSESSMENT_DAY)
    expect(manager).to_have_url(re.compile(rf"{re.escape(page_url)}$"))
    year.check(manager, "assessment page (manager), the rating form")
    year.show_assessment("manager", conversation, RATINGS, OVERALL, MOTIVATION)
    assessment = Assessment.objects.get(conversation=conversation)
    assert assessment.ratings == {aspect: int(value) for aspect, value in RATINGS.items()}
    assert (assessment.overall, assessment.motivation) == (int(OVERALL), MOTIVATION)
    year.shot("manager", "assessment", "December: an assessment for a decision on the legal position")

    year.clock(RESPONSE_DAY, 9, log_in=False)
    year.log_in("employee", "manager")
    employee = year.visit("employee", page_url, "assessment page (employee), to respond")
    expect(employee.locator("main")).to_contain_text(MOTIVATION)
    expect(form(employee, f"{page_url}bezwaar/")).to_have_count(0)  # response_only
    response_form = form(employee, f"{page_url}zienswijze/")
    response_form.locator("textarea[name=response]").fill(RESPONSE)
    submit(employee, response_form.locator("button[name=to_signing]"))
    expect(employee).to_have_url(re.compile(rf"{re.escape(signing_url(conversation))}$"))
    year.sign_with_keyboard("employee", signing_url(conversation))
    manager = year.visit("manager", signing_url(conversation), "signing page (manager), the assessment")
    sign_form = form(manager, f"{signing_url(conversation)}tekenen/")
    sign_form.locator("input[name=password]").fill(PASSWORD)
    submit(manager, sign_form.locator("button[type=submit]"))
    expect(success(manager)).to_be_visible()
    year.check(manager, "signing page (manager), the assessment signed")
    assert sorted(
        Signature.objects.filter(version__conversation=conversation).values_list("role", "statement")
    ) == [("employee", "voor_gezien"), ("manager", "voor_akkoord")]
    conversation.refresh_from_db()
    assert conversation.status == Status.COMPLETED
    employee = year.visit("employee", page_url, "assessment page (employee), signed")
    expect(employee.locator("main")).to_contain_text(RESPONSE)
    expect(form(employee, f"{page_url}bezwaar/")).to_have_count(0)
    expect(employee.locator("main")).to_contain_text("klachtenprocedure")
    assert not Objection.objects.exists()
    entry = DossierEntry.objects.get(conversation=conversation, document="assessment")
    year.visit("employee", "/dossier/", "the employee's personnel file, with the assessment")
    expect(employee.locator(f'main a[href="/dossier/stuk/{entry.pk}/"]')).to_be_visible()
    year.proves(
        "Preset `assessment` (our choice: five aspects, performance and the four V's, on a five-point "
        "scale; `objection.route: response_only`, `internal_complaint: true`; signatures manager "
        "`voor_akkoord`, employee `voor_gezien`)",
        "step 8: the manager rates the five aspects; the employee responds and signs with the keyboard; "
        "no objection form, the internal complaint procedure is named; the assessment is in the file",
    )


# -- 6. the colleague does not start: the manager takes over ----------------------------------------


def manager_takes_over(year: Year) -> Conversation:
    cast = year.cast
    theirs = Cycle.objects.get(employee=cast.colleague, year=PERIOD)
    plan_url = f"/gesprekken/plannen/{theirs.pk}/annual/"
    cycle_page = f"/gesprekken/medewerkers/{cast.colleague.pk}/"

    # 30 October, the last day of the colleague's initiative: still nothing for the manager.
    year.clock(TAKEOVER_DAY - datetime.timedelta(days=1), 7, log_in=False)
    mail.outbox.clear()
    year.command(
        "send_reminders", "--today", (TAKEOVER_DAY - datetime.timedelta(days=1)).isoformat(), "--no-progress"
    )
    assert notifications(cast.manager, theirs, ":manager") == []

    year.clock(TAKEOVER_DAY, 7, log_in=False)
    year.command("send_reminders", "--today", TAKEOVER_DAY.isoformat(), "--no-progress")
    reminders = notifications(cast.manager, theirs, ":manager")
    assert [n.url for n in reminders] == [cycle_page], reminders
    assert cast.colleague.full_name in reminders[0].subject
    messages = mails_to(cast.manager)
    assert len(messages) == 1 and messages[0].subject == reminders[0].subject, [m.subject for m in messages]
    assert cycle_page in messages[0].body
    # The employee who planned is not reminded again, nor is the manager about them.
    mine = Cycle.objects.get(employee=cast.employee, year=PERIOD)
    assert notifications(cast.manager, mine, ":manager") == []
    assert len(notifications(cast.colleague, theirs, ":employee")) == 1  # only the one of 1 October

    year.clock(TAKEOVER_DAY, 9, log_in=False)
    year.log_in("manager", "colleague")
    page = year.visit("manager", "/meldingen/", "notifications (manager), the initiative taken over")
    link = page.locator(f'main .gc-list a[href="{cycle_page}"]')
    expect(link).to_have_count(1)
    expect(link).to_contain_text(cast.colleague.full_name)
    year.shot(
        "manager",
        "reminder-takeover",
        "31 October: the manager is reminded to plan the colleague's good conversation",
    )

    page = year.visit("manager", "/gesprekken/team/", "team page (manager), the colleague's conversation due")
    row = page.locator("main table tbody tr", has=page.locator(f'a[href="{cycle_page}"]'))
    expect(row.locator(".gc-status--due")).to_be_visible()
    expect(row.locator('a[href^="/gesprekken/gesprek/"]')).to_have_count(0)  # nothing planned
    row.locator(f'a[href="{cycle_page}"]').click()
    page.wait_for_url(f"**{cycle_page}")
    year.check(page, "cycle page of the colleague (manager), the manager has the initiative")
    plan = page.locator(f'main a[href="{plan_url}"]')
    expect(plan).to_be_visible()

    # The colleague no longer holds the initiative.
    colleague = year.visit("colleague", "/gesprekken/", "my cycle (colleague), the manager took over")
    expect(colleague.locator(f'main a[href="{plan_url}"]')).to_have_count(0)

    # Wierden: only the manager conducts, so the form does not ask who.
    start = COLLEAGUE_CONVERSATION
    conversation = year.plan(
        "manager", theirs, "annual", start.date(), start.hour, minutes=45, location="Kamer 2.03",
        asks_conductor=False,
    )  # fmt: skip
    assert conversation.starts_at == start
    assert conversation.planned_by_id == year.user("manager").pk
    assert conversation.conductor_id == cast.manager.pk
    invitation(year, conversation, "colleague", "manager", download="manager")

    page = year.visit(
        "manager", "/gesprekken/team/", "team page (manager), the colleague's conversation planned"
    )
    row = page.locator("main table tbody tr", has=page.locator(f'a[href="{cycle_page}"]'))
    expect(row.locator(f'a[href="{conversation_url(conversation)}"]')).to_be_visible()
    year.proves(
        "Seed 004: 'Als dit niet gebeurt, dan neemt de leidinggevende het initiatief' / preset "
        "`conversation_kinds.annual.initiative.takeover: {by: manager, after_days: 30}`",
        "step 6: on 30 October nothing for the manager; on 31 October the manager is reminded (in the "
        "app and by mail), sees it on the team page and plans the colleague's conversation, which the "
        "colleague no longer can",
    )
    return conversation


def report_stays_between_the_two(year: Year, conversation: Conversation) -> None:
    """Wierden: only the employee and the manager read the report, not the director or HR."""
    year.log_in("director", "hr_adviser")
    for who in ("director", "hr_adviser"):
        page = year.page(who)
        for url in (conversation_url(conversation), signing_url(conversation)):
            status = page.request.get(url, max_redirects=0).status
            year.expect_ok(
                status in (403, 404), f"{who} opens {url} of the employee's signed report: HTTP {status}"
            )
    year.proves(
        "Seed 004: the report is signed by 'zowel de medewerker als de leidinggevende' / preset "
        "`visibility.report: [employee, manager]` (our choice: no one else reads it)",
        "step 5: the director and the HR adviser cannot open the conversation or the signed report",
    )


# -- the test -------------------------------------------------------------------------------------


def test_year_wierden(year):
    period_opens(year)

    year.clock(FEEDBACK_DAY, 9, log_in=False)
    year.log_in("employee", "colleague", "manager")
    feedback = ask_for_feedback(year)
    colleague_answers(year, feedback)
    employee_reads(year, feedback)
    scan = development_scan(year)

    window_opens(year)

    cycle = Cycle.objects.get(employee=year.cast.employee, year=PERIOD)
    conversation = plan_annual(year, cycle)
    prepare(year, conversation)
    bring_feedback_in(year, feedback, conversation)
    manager_sees_feedback_not_preparation(year, feedback, conversation)
    employee_shares(year, conversation)

    hold_and_write(year, conversation)
    manager_approves(year, conversation)
    both_sign(year, conversation)
    in_the_personnel_file(year, conversation)
    report_stays_between_the_two(year, conversation)
    feedback_after_signing(year, feedback, conversation)
    scan.refresh_from_db()
    assert not scan.shared_with_manager and scan.conversation_id is None

    cells = dashboard(year, "director", "the employee's report signed")
    assert cells[:4] == ["3", "3", "33%", "33%"], cells

    manager_takes_over(year)
    agreement = Agreement.objects.get(made_in=conversation)
    agreement_at_risk(year, agreement)
    agreement_back_on_track(year, agreement)

    year.log_in("hr_adviser", "hr_admin")
    cells = dashboard(year, "hr_adviser", "two conversations planned, one signed")
    assert cells[:3] == ["3", "3", "67%"], cells
    year.shot(
        "hr_adviser", "dashboard", "The HR adviser's dashboard in November: two of three planned, one signed"
    )
    page = year.visit(
        "hr_admin",
        f"/organisatie/dashboard/?unit={year.cast.team.pk}&period={PERIOD}",
        "HR dashboard (HR administrator), Team Inkomen",
    )
    expect(page.locator("main h2#scope")).to_contain_text(year.cast.team.name)
    year.proves(
        "docs/dashboard.md: the share of employees whose conversations due so far are planned, held, signed",
        "steps 0, 3, 5 and 7: the dashboard of the director and the HR adviser moves from nothing due, to "
        "three due and none planned, to one signed, to two of three planned",
    )
    assessment_for_a_decision(year)
    year.finish()
