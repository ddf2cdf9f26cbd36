"""A year under Kampen ('Regeling Resultaatgerichte Afspraken c.q. POP-gesprek' and 'Regeling
Voortgangsgesprekken', 2012), through a real browser, with the server's clock moved through
2026 and five people each in a browser of their own: the employee, the manager, the director,
the HR adviser and the HR administrator.

Kampen (kampen.yaml, seed 002) has no delegate: both conversation kinds are conducted by the
manager (``conducted_by: [manager]``), so nobody is designated here.

1. 5 January: the HR administrator opens the 2026 cycles (``open_cycles``, as the daily
   schedule does); ``send_reminders`` reminds the manager, who holds the initiative (A8), of
   the result-oriented agreements conversation: in the mail and on /meldingen/. The HR
   dashboard shows nobody in the personnel file yet.
2. The manager plans the conversation for 12 January from the employee's cycle page; the
   employee has no 'plan' link. Both get the calendar invitation (``uitnodiging.ics``) whose
   DTSTART is the planned time; the conversation page offers the same ``.ics``.
3. The employee prepares and shares the preparation; the manager then reads it.
4. 12 January: held. The employee records (A6) the result-oriented agreements in the
   structured form - work, training, development (A2, A9) and the manager's coaching and
   facilities (A5) - and the two agreements made in it; the manager marks it ready; the
   employee signs with the keyboard alone, the manager with the mouse, both 'voor akkoord'
   with the declaration that the agreements can reasonably be met (A6).
5. The signed form is archived in the employee's personnel file (A7): the employee opens and
   downloads the sealed PDF; the manager reads it (Kampen's ``visibility.report``); the HR
   adviser and the director see the file without it and get 'not found' for its PDF (Kampen
   lets only the pair read reports); the employee sees who read the file. ``verify_dossiers``
   finds the chain and the seal intact. The HR dashboard's 'in the personnel file' moved.
6. 20 April: the employee puts an agreement at risk (A4: the employee is responsible for
   realising it) with an explanation; the manager is mailed and sees it on the team page.
7. June: ``send_reminders`` reminds the manager of the progress conversation; the manager
   plans it; in the conversation (B1, B2) the at-risk agreement is changed (new target and
   deadline) and the other marked on track; the employee records the conclusions (B3); the
   manager signs with the keyboard, the employee with the mouse; the second form is
   archived (B4) and ``verify_dossiers`` still finds nothing wrong.
8. December: the manager is reminded of the yearly assessment, plans and holds it; its page
   lists the year's agreements with their outcome and both conversations as input (A9, B5);
   the manager rates work, training and professional development; the employee responds
   and signs 'voor gezien' (no objection route: ``response_only``), the manager signs with
   the keyboard. The HR adviser (Kampen: ``visibility.assessment`` includes hr_adviser) sees
   and downloads only the assessment in the file; the employee sees that read; the chain of
   three entries verifies.

Elements are found by form field names, form actions and URLs rather than Dutch text; after
each browser step the database and what the user sees are both checked. Every page visited is
checked with axe at 1280 and 375 pixels (tests/browser/year.py)."""

import datetime
import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from gesprekscyclus.agreements.models import Agreement, AgreementChange, AgreementStatus
from gesprekscyclus.compliance.models import CycleProgress
from gesprekscyclus.conversations.models import Conversation, Preparation, Report, Side, Status
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.dossiers.models import DossierEntry, DossierRead
from gesprekscyclus.notifications.models import Notification
from gesprekscyclus.signatures.models import ReportVersion, Signature, VersionState
from tests.cycles.helpers import load

from .year import (
    AMSTERDAM,
    Year,
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

KAMPEN_IN_FORCE = datetime.date(2012, 7, 12)  # the decision's date (kampen.yaml source.effective_from)
PERIOD = 2026
OPENING_DAY = datetime.date(2026, 1, 5)
PLANNING_DAY = datetime.date(2026, 1, 12)  # the agreements conversation, 10:00
ROOM = "Stadhuis, kamer 2.10"
AT_RISK_DAY = datetime.date(2026, 4, 20)
PROGRESS_REMINDER_DAY = datetime.date(2026, 6, 2)  # the window opens: the midpoint (2 July) - 1 month
PROGRESS_DAY = datetime.date(2026, 6, 15)  # the progress conversation, 14:00

ASSESSMENT_REMINDER_DAY = datetime.date(2026, 12, 7)
ASSESSMENT_DAY = datetime.date(2026, 12, 14)  # the assessment conversation, 10:00
RATINGS = {"work": "4", "training": "3", "professional_development": "3"}  # kampen.yaml: aspects
OVERALL = "3"
MOTIVATION = "De cursus is afgerond en de achterstand is binnen de aangepaste termijn weggewerkt."
RESPONSE = "Ik herken mij in de beoordeling; de extra tijd in juni was nodig."

PREPARATION = {
    "topics": "De achterstand in de bezwaarschriften en mijn wens om de cursus Participatiewet te volgen.",
    "self_reflection": "Het afgelopen jaar liep het contact met inwoners goed; plannen kan beter.",
}
AGREEMENTS_FORM = {
    "item_results": "Voor 1 juli is de achterstand in de bezwaarschriften weggewerkt.",
    "item_courses": "Cursus Participatiewet (4 dagen) in het voorjaar.",
    "item_behaviour": "Eerder aan de bel trekken als de planning niet haalbaar is.",
    "item_support": "Maandelijks coachingsgesprek; twee uur per week vrij voor de cursus.",
}
WORK = {
    "kind": "work_result",
    "description": "Achterstand bezwaarschriften wegwerken",
    "indicator": "Elke maand minder dan 20 open dossiers",
    "target": "0 bezwaarschriften ouder dan 6 weken",
    "deadline": "2026-07-01",
}
COURSE = {
    "kind": "development",
    "description": "Cursus Participatiewet volgen en afronden",
    "indicator": "Ingeschreven voor 1 maart",
    "target": "Certificaat behaald",
    "deadline": "2026-06-30",
}
AT_RISK_REASON = "Door de nieuwe regeling komen er twee keer zoveel bezwaren binnen."
CHANGED_TARGET = "0 bezwaarschriften ouder dan 8 weken"
CHANGED_DEADLINE = "2026-10-01"
PROGRESS_FORM = {
    "item_achieved": "De cursus Participatiewet is afgerond; de achterstand is gehalveerd.",
    "item_to_achieve": "De rest van de achterstand in de bezwaarschriften.",
    "item_adjustment": "Meer tijd: de afspraak over de bezwaarschriften loopt tot 1 oktober.",
    "item_conclusions": "De afspraken blijven haalbaar met de aangepaste termijn.",
    "item_agreements": "Wekelijks tien bezwaarschriften afhandelen; hulp van het team in de zomer.",
}


@pytest.fixture
def kampen(cast, time_machine):
    """The cast under Kampen, on 5 January 2026, 8:00 (no cycle open yet)."""
    time_machine.move_to(datetime.datetime.combine(OPENING_DAY, datetime.time(8, 0), AMSTERDAM), tick=True)
    load(cast.organisation, "kampen", in_force_from=KAMPEN_IN_FORCE)
    return cast


# -- small helpers ----------------------------------------------------------------------------


def dashboard_archived(year: Year, who: str, unit_pk: int, what: str) -> str:
    """The 'in the personnel file' line of the stage table ('n / m') for the unit."""
    page = year.visit(who, f"/organisatie/dashboard/?unit={unit_pk}&period={PERIOD}", what)
    stages = page.locator("main section[aria-labelledby=stages] table tbody tr")
    expect(stages).to_have_count(5)
    return " ".join(stages.nth(4).locator("td").first.inner_text().split())


# -- 1. the period opens ------------------------------------------------------------------------


def period_opens(year: Year, cast) -> tuple[Cycle, Notification]:
    year.clock(OPENING_DAY, 8, log_in=False)
    output = year.command(
        "open_cycles", "--organisation", cast.organisation.name, "--period", str(PERIOD), "--no-progress"
    )
    assert output  # it says what it opened
    cycle = Cycle.objects.get(employee=cast.employee, year=PERIOD)
    assert cycle.regulation_version.regulation().id == "kampen"

    year.clock(OPENING_DAY, 9)  # everyone logs in
    reminder = remind(year, cast, cycle, "planning", OPENING_DAY)
    year.proves(
        "Kampen A8 / preset `conversation_kinds.planning.initiative.by: manager`: the manager is "
        "responsible for making the result-oriented agreements every year",
        "5 January: send_reminders reminds the manager (mail and /meldingen/), not the employee",
    )
    year.proves(
        "Kampen A1 / preset `period.start: calendar_year`, `count.min_per_period: 1`: yearly "
        "result-oriented agreements",
        "open_cycles opens the 2026 cycle; the agreements conversation is due around 1 January",
    )
    return cycle, reminder


def remind(year: Year, cast, cycle: Cycle, kind: str, today: datetime.date) -> Notification:
    """The daily run reminds the manager (the initiative is the manager's, A8), not the employee:
    in the mail and on /meldingen/, with a link to the employee's cycle page."""
    key = f"conversation:{cycle.pk}:{kind}:"
    reminder, page = year.remind("manager", today, key, not_to=["employee"])
    assert Notification.objects.filter(user=cast.manager.user, reason_key__startswith=key).count() == 1
    assert reminder.url == f"/gesprekken/medewerkers/{cast.employee.pk}/"
    mails = mails_to(cast.manager)
    assert any(reminder.subject in message.body and reminder.url in message.body for message in mails), [
        message.subject for message in mails
    ]
    expect(
        page.locator(f'main ul.gc-list a[href="{reminder.url}"]', has_text=reminder.subject)
    ).to_have_count(1)
    return reminder


# -- 2. planning ------------------------------------------------------------------------------------


def manager_plans(year: Year, cast, cycle: Cycle, reminder: Notification, day: datetime.date, hour: int):
    kind = reminder.reason_key.split(":")[2]
    plan_url = f"/gesprekken/plannen/{cycle.pk}/{kind}/"
    employee = year.visit("employee", "/gesprekken/", f"my cycle (employee), {kind} due")
    expect(employee.locator(f'main a[href="{plan_url}"]')).to_have_count(0)  # the manager's initiative

    manager = year.visit(
        "manager", f"/gesprekken/medewerkers/{cast.employee.pk}/", f"cycle page (manager), {kind}"
    )
    # Kampen: only the manager conducts, so the form does not ask who.
    conversation = year.plan("manager", cycle, kind, day, hour, location=ROOM, asks_conductor=False)
    assert conversation.conductor_id == cast.manager.pk
    expect(status_badge(manager)).to_have_class("gc-badge gc-conversation--planned")

    # The calendar invitation: in the mail of both, and on the employee's conversation page.
    year.invitations(conversation, "employee", "manager", download="employee")
    assert len(mails_to(cast.employee)) == 1, [message.subject for message in mails_to(cast.employee)]
    return conversation


def employee_prepares(year: Year, conversation: Conversation) -> None:
    url = conversation_url(conversation)
    employee = year.page("employee")
    preparation_form = form(employee, f"{url}voorbereiding/")
    for name, text in PREPARATION.items():
        preparation_form.locator(f"textarea[name={name}]").fill(text)
    submit(employee, preparation_form.locator("button[name=share]"))
    expect(success(employee)).to_be_visible()
    year.check(employee, "agreements conversation (employee), preparation shared")
    preparation = Preparation.objects.get(conversation=conversation, side=Side.EMPLOYEE)
    assert preparation.shared_at is not None and preparation.topics == PREPARATION["topics"]
    conversation.refresh_from_db()
    assert conversation.status == Status.PREPARED

    manager = year.visit("manager", url, "agreements conversation (manager), preparation shared")
    for text in PREPARATION.values():
        expect(manager.locator("#preparation-section")).to_contain_text(text)


# -- 3. held, recorded, agreements, signing ------------------------------------------------------


def hold(year: Year, conversation: Conversation, day: datetime.date) -> None:
    """The employee records that it took place; the page shows the report form."""
    employee = year.hold("employee", conversation, day)
    expect(status_badge(employee)).to_have_class("gc-badge gc-conversation--held")


def make_agreement(year: Year, who: str, conversation: Conversation, values: dict) -> Agreement:
    url = conversation_url(conversation)
    page = year.page(who)
    agreement_form = form(page, f"{url}afspraken/")
    agreement_form.locator("xpath=ancestor::details/summary").click()
    agreement_form.locator("select[name=kind]").select_option(values["kind"])
    for name in ("description", "indicator", "target", "deadline"):
        agreement_form.locator(f"[name={name}]").fill(values[name])
    year.check(page, f"conversation ({who}), the agreement form open")
    submit(page, agreement_form.locator("button[type=submit]"))
    expect(success(page)).to_be_visible()
    agreement = Agreement.objects.get(made_in=conversation, description=values["description"])
    assert (agreement.kind, agreement.target, agreement.deadline.isoformat(), agreement.status) == (
        values["kind"],
        values["target"],
        values["deadline"],
        AgreementStatus.OPEN,
    )
    expect(
        page.locator(f'#agreements-section a[href^="/gesprekken/afspraken/{agreement.pk}/"]')
    ).to_have_text(values["description"])
    return agreement


def write_report(year: Year, conversation: Conversation, answers: dict, what: str) -> None:
    """The employee records the form (A6, B3: 'digitaal vastgelegd door de medewerker')."""
    url = conversation_url(conversation)
    manager = year.visit("manager", url, f"{what} (manager), held")
    expect(form(manager, f"{url}verslag/")).to_have_count(0)  # the employee records it
    employee = year.visit("employee", url, f"{what} (employee), to record")
    report_form = form(employee, f"{url}verslag/")
    for name, text in answers.items():
        report_form.locator(f"textarea[name={name}]").fill(text)
    submit(employee, report_form.locator("button[type=submit]:not([name])"))
    expect(success(employee)).to_be_visible()
    expect(error(employee)).to_have_count(0)
    report = Report.objects.get(conversation=conversation)
    assert report.answers == {name.removeprefix("item_"): text for name, text in answers.items()}
    submit(employee, form(employee, f"{url}verslag/").locator("button[name=finish]"))
    expect(success(employee)).to_be_visible()
    expect(status_badge(employee)).to_have_class("gc-badge gc-conversation--report_written")
    year.check(employee, f"{what} (employee), recorded")

    manager = year.approve("manager", conversation, shows=answers.values())
    expect(status_badge(manager)).to_have_class("gc-badge gc-conversation--ready_for_signing")


def declarations_shown(year: Year, who: str, conversation: Conversation, declaration: str) -> None:
    """The signing page shows what each signer declares (A6, B3)."""
    page = year.visit(who, signing_url(conversation), f"signing page ({who}), before signing")
    expect(page.locator("main")).to_contain_text(declaration)


def both_signed(conversation: Conversation) -> None:
    assert sorted(signatures_of(conversation)) == [("employee", "voor_akkoord"), ("manager", "voor_akkoord")]
    conversation.refresh_from_db()
    assert conversation.status == Status.COMPLETED
    assert ReportVersion.objects.get(conversation=conversation).state == VersionState.COMPLETE


# -- 4. the personnel file ---------------------------------------------------------------------------


def archived(year: Year, cast, conversation: Conversation, sequence: int) -> DossierEntry:
    entry = DossierEntry.objects.get(conversation=conversation, document="report")
    assert entry.employee_id == cast.employee.pk and entry.sequence == sequence
    pdf_url = f"/dossier/stuk/{entry.pk}/"

    employee = year.visit("employee", "/dossier/", "my personnel file (employee)")
    rows = employee.locator("main table tbody tr")
    expect(rows).to_have_count(sequence)
    row = rows.filter(has=employee.locator(f'a[href="{pdf_url}"]'))
    expect(row).to_have_count(1)
    expect(row.locator(f'a[href="{signing_url(conversation)}"]')).to_be_visible()
    response = employee.request.get(pdf_url)
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert response.body() == bytes(entry.pdf)
    return entry


def others_read_the_file(year: Year, cast, entry: DossierEntry) -> None:
    """Kampen's visibility: the report is read by the employee and the manager only."""
    pdf_url = f"/dossier/stuk/{entry.pk}/"
    file_url = f"/dossier/medewerkers/{cast.employee.pk}/"
    manager = year.visit("manager", file_url, "the employee's personnel file (manager)")
    expect(manager.locator(f'main a[href="{pdf_url}"]')).to_be_visible()
    response = manager.request.get(pdf_url)
    assert response.ok and response.body().startswith(b"%PDF")
    assert DossierRead.objects.filter(entry=entry, reader=cast.manager.user).exists()

    for who in ("hr_adviser", "director"):
        page = year.visit(who, file_url, f"the employee's personnel file ({who})")
        expect(page.locator("main h1")).to_contain_text(cast.employee.full_name)
        expect(page.locator(f'main a[href="{pdf_url}"]')).to_have_count(0)
        assert page.request.get(pdf_url).status == 404
    assert not DossierRead.objects.filter(entry=entry, reader__in=[cast.hr_adviser.user, cast.director.user])

    employee = year.visit("employee", "/dossier/", "my personnel file (employee), read by the manager")
    expect(employee.locator("main section[aria-labelledby=reads] li")).to_contain_text(
        [cast.manager.full_name]
    )


def dossiers_verify(year: Year, cast) -> None:
    output = year.command("verify_dossiers", "--organisation", cast.organisation.name)
    assert "entry #" not in output, output


# -- the test -----------------------------------------------------------------------------------


def test_year_kampen(browser, live_server, time_machine, kampen):
    cast = kampen
    year = Year(
        "kampen",
        browser,
        live_server,
        time_machine,
        people={
            "employee": cast.employee,
            "manager": cast.manager,
            "director": cast.director,
            "hr_adviser": cast.hr_adviser,
            "hr_admin": cast.hr_admin,
        },
    )
    year.title = "Kampen — Regeling Resultaatgerichte Afspraken"
    try:
        run_the_year(year, cast)
        year.finish()
    finally:
        year.close()


def run_the_year(year: Year, cast) -> None:
    # 1. January: the period opens, the manager is reminded.
    cycle, reminder = period_opens(year, cast)
    archived_before = dashboard_archived(year, "hr_admin", cast.team.pk, "HR dashboard (HR admin), January")
    assert re.fullmatch(r"0 / [1-9]\d*", archived_before), archived_before
    year.shot(
        "hr_admin", "dashboard-january", "The HR dashboard on 5 January: nobody in the personnel file yet"
    )

    # 2. Planning with the calendar invitation, and the preparation.
    planning = manager_plans(year, cast, cycle, reminder, PLANNING_DAY, 10)
    year.proves(
        "Kampen A1, A8 / preset `conversation_kinds.planning` (`initiative.by: manager`): the "
        "manager plans the result-oriented agreements conversation",
        "the manager plans it from the cycle page; the employee has no 'plan' link; both get the .ics",
    )
    employee_prepares(year, planning)
    year.shot("manager", "planning-prepared", "The result-oriented agreements conversation, prepared")

    # 3. 12 January: held, recorded by the employee, the agreements made.
    year.clock(PLANNING_DAY, 11, 15)
    hold(year, planning, PLANNING_DAY)
    work = make_agreement(year, "employee", planning, WORK)
    course = make_agreement(year, "employee", planning, COURSE)
    write_report(year, planning, AGREEMENTS_FORM, "agreements conversation")
    year.proves(
        "Kampen A2, A3, A5, A9 / preset form `result_agreements`: agreements on work, training and "
        "development (behaviour), with the manager's coaching and facilities",
        "the employee fills in the four items of the structured form and records two agreements",
    )

    # Both sign: the employee with the keyboard alone, the manager with the mouse.
    declarations_shown(year, "employee", planning, "redelijkerwijs worden nagekomen")
    year.shot("employee", "signing-agreements", "Signing the result-oriented agreements: what is signed")
    year.sign_with_keyboard("employee", signing_url(planning))
    assert Signature.objects.filter(version__conversation=planning, role="employee").exists()
    planning.refresh_from_db()
    assert planning.status == Status.READY_FOR_SIGNING  # the manager has not signed yet
    assert not DossierEntry.objects.filter(conversation=planning).exists()
    year.sign("manager", planning, from_conversation=True)
    both_signed(planning)
    version = ReportVersion.objects.get(conversation=planning)
    assert {item["description"] for item in version.content["agreements"]} == {
        WORK["description"],
        COURSE["description"],
    }
    year.proves(
        "Kampen A6 / preset `signatures` (employee and manager, `voor_akkoord`): recorded by the "
        "employee, signed digitally by both, who declare the agreements can reasonably be met",
        "the employee signs with the keyboard alone, the manager with the password; only then it completes",
    )

    # 4. The personnel file.
    entry = archived(year, cast, planning, 1)
    year.shot("employee", "personnel-file", "The personnel file with the signed, sealed agreements")
    others_read_the_file(year, cast, entry)
    dossiers_verify(year, cast)
    year.proves(
        "Kampen A7 / preset `archiving` (document `agreements`/`report`, `personnel_file: true`): "
        "after completion and signing the form is archived in the personnel file",
        "the sealed PDF appears in /dossier/ and downloads; verify_dossiers finds no break",
    )
    archived_after = dashboard_archived(year, "hr_admin", cast.team.pk, "HR dashboard (HR admin), signed")
    assert archived_after == archived_before.replace("0 /", "1 /", 1), (archived_before, archived_after)
    assert CycleProgress.objects.get(cycle=cycle).archived == 1
    # The director of the sector sees the same figure for the team.
    assert (
        dashboard_archived(year, "director", cast.team.pk, "HR dashboard (director), signed")
        == archived_after
    )
    year.shot("hr_admin", "dashboard-archived", "The HR dashboard after signing: one in the personnel file")

    # 5. April: the employee puts an agreement at risk.
    at_risk(year, cast, work)

    # 6. June: the progress conversation.
    progress(year, cast, cycle, work, course)

    # 7. December: the assessment, with the year's agreements as input; the HR adviser reads it.
    assessment(year, cast, cycle, work, course)


def at_risk(year: Year, cast, work: Agreement) -> None:
    year.clock(AT_RISK_DAY, 10)
    employee = year.put_at_risk("employee", work, AT_RISK_REASON)
    expect(employee.locator("main .gc-agreement--at_risk")).to_be_visible()
    history = employee.locator("main section[aria-labelledby=history]")
    expect(history).to_contain_text(AT_RISK_REASON)
    with translation.override("nl"):  # the status by its name, not its code ('at_risk')
        expect(history).to_contain_text(
            f"Status: {AgreementStatus.OPEN.label} → {AgreementStatus.AT_RISK.label}"
        )
    expect(history).not_to_contain_text("at_risk")
    assert len(mails_to(cast.manager)) == 1
    assert AgreementChange.objects.filter(agreement=work, explanation=AT_RISK_REASON).exists()

    manager = year.visit("manager", "/gesprekken/team/", "my team (manager), an agreement at risk")
    row = manager.locator("#team tbody tr", has=manager.locator(f'a[href*="/{cast.employee.pk}/"]'))
    expect(row).to_contain_text("1")
    year.proves(
        "Kampen A4, A5: the employee is responsible for realising the agreements, the manager for coaching",
        "20 April: the employee puts an agreement at risk with a reason; the manager is mailed and "
        "sees it on the team page",
    )


def progress(year: Year, cast, cycle: Cycle, work: Agreement, course: Agreement) -> None:
    year.clock(PROGRESS_REMINDER_DAY, 9)
    reminder = remind(year, cast, cycle, "progress", PROGRESS_REMINDER_DAY)
    conversation = manager_plans(year, cast, cycle, reminder, PROGRESS_DAY, 14)
    year.clock(PROGRESS_DAY, 15, 15)
    hold(year, conversation, PROGRESS_DAY)

    # The agreements of January are open on the progress conversation's page (B1: against the
    # background of the result-oriented agreements); the manager changes the one at risk (B2).
    url = conversation_url(conversation)
    manager = year.visit("manager", url, "progress conversation (manager), held")
    open_rows = manager.locator("main section[aria-labelledby=open-agreements]")
    expect(
        open_rows.locator(f'a[href="/gesprekken/afspraken/{work.pk}/?gesprek={conversation.pk}"]')
    ).to_be_visible()
    expect(
        open_rows.locator(f'a[href="/gesprekken/afspraken/{course.pk}/?gesprek={conversation.pk}"]')
    ).to_be_visible()
    open_rows.locator(f'a[href="/gesprekken/afspraken/{work.pk}/?gesprek={conversation.pk}"]').click()
    manager.wait_for_url(f"**/gesprekken/afspraken/{work.pk}/?gesprek={conversation.pk}")
    year.check(manager, "agreement in the progress conversation (manager)")
    change = manager.locator("main section[aria-labelledby=change] form")
    change.locator("input[name=target]").fill(CHANGED_TARGET)
    change.locator("input[name=deadline]").fill(CHANGED_DEADLINE)
    submit(manager, change.locator("button[type=submit]"))
    expect(success(manager)).to_be_visible()
    work.refresh_from_db()
    assert (work.target, work.deadline.isoformat()) == (CHANGED_TARGET, CHANGED_DEADLINE)
    status_form = manager.locator("main section[aria-labelledby=status] form")
    status_form.locator("select[name=status]").select_option(AgreementStatus.ON_TRACK)
    submit(manager, status_form.locator("button[type=submit]"))
    expect(success(manager)).to_be_visible()
    work.refresh_from_db()
    assert work.status == AgreementStatus.ON_TRACK
    history = manager.locator("main section[aria-labelledby=history]")
    expect(history).to_contain_text(CHANGED_TARGET)
    expect(history.locator(f'a[href="{url}"]').first).to_be_visible()
    year.check(manager, "agreement in the progress conversation (manager), changed")
    year.shot(
        "manager", "agreement-changed", "An agreement changed in the progress conversation, with its history"
    )
    assert AgreementChange.objects.filter(agreement=work, conversation=conversation).count() == 2

    # The course is achieved: an outcome, decided in the conversation.
    manager.goto(f"/gesprekken/afspraken/{course.pk}/?gesprek={conversation.pk}")
    status_form = manager.locator("main section[aria-labelledby=status] form")
    status_form.locator("select[name=status]").select_option(AgreementStatus.ACHIEVED)
    submit(manager, status_form.locator("button[type=submit]"))
    expect(success(manager)).to_be_visible()
    course.refresh_from_db()
    assert course.status == AgreementStatus.ACHIEVED
    year.proves(
        "Kampen B1, B2: the progress conversation discusses results against the result-oriented "
        "agreements and how far adjustment is needed",
        "15 June: the agreement at risk gets a new target and deadline in the conversation; the "
        "course is achieved; the history names the conversation",
    )

    write_report(year, conversation, PROGRESS_FORM, "progress conversation")
    declarations_shown(year, "manager", conversation, "redelijkerwijs worden gehaald")
    year.sign_with_keyboard("manager", signing_url(conversation))
    year.sign("employee", conversation, from_conversation=True)
    both_signed(conversation)
    version = ReportVersion.objects.get(conversation=conversation)
    changed = {item["description"]: item for item in version.content["agreements"]}
    assert changed[WORK["description"]]["target"] == CHANGED_TARGET
    year.proves(
        "Kampen B3 / preset `conversation_kinds.progress.signatures`: the conclusions and agreements "
        "are recorded by the employee and signed by both",
        "the employee records the progress form; the manager signs with the keyboard alone, the employee "
        "with the password; the signed content has the changed agreement",
    )

    entry = archived(year, cast, conversation, 2)
    dossiers_verify(year, cast)
    assert entry.previous_hash == DossierEntry.objects.get(employee=cast.employee, sequence=1).entry_hash
    year.proves(
        "Kampen B4 / preset `archiving`: the progress form is archived in the personnel file after signing",
        "the second sealed entry is chained to the first; verify_dossiers finds no break",
    )


# -- 7. the assessment --------------------------------------------------------------------------


def assessment(year: Year, cast, cycle: Cycle, work: Agreement, course: Agreement) -> None:
    year.clock(ASSESSMENT_REMINDER_DAY, 9)
    reminder = remind(year, cast, cycle, "assessment", ASSESSMENT_REMINDER_DAY)
    conversation = manager_plans(year, cast, cycle, reminder, ASSESSMENT_DAY, 10)
    url = conversation_url(conversation)
    page_url = f"{url}beoordeling/"

    # After the conversation the manager records it as held and fills in the assessment.
    year.clock(ASSESSMENT_DAY, 11, 15)
    manager = year.hold("manager", conversation, ASSESSMENT_DAY)
    expect(manager).to_have_url(re.compile(rf"{re.escape(page_url)}$"))
    expect(manager.locator("main .gc-alert--warning")).to_have_count(0)  # the progress conversation was held
    # The year's agreements, as they stand, are the input (A9, B5).
    material = manager.locator("main section[aria-labelledby=material]")
    expect(
        material.locator("li", has_text=course.description).locator(".gc-agreement--achieved")
    ).to_be_visible()
    expect(
        material.locator("li", has_text=work.description).locator(".gc-agreement--on_track")
    ).to_be_visible()
    for held in Conversation.objects.filter(cycle=cycle, kind__in=["planning", "progress"]):
        expect(material.locator(f'a[href="{conversation_url(held)}"]')).to_be_visible()
    year.check(manager, "assessment page (manager), the rating form")
    year.show_assessment("manager", conversation, RATINGS, OVERALL, MOTIVATION)
    year.shot("manager", "assessment", "The assessment in December, with the year's agreements as input")
    conversation.refresh_from_db()
    assert conversation.status == Status.REPORT_WRITTEN
    year.proves(
        "Kampen A9, B5 / preset `assessment` (`when: yearly_after_evaluation`, `after_kind: progress`, "
        "aspects work, training, professional development): the agreements and the progress "
        "conversations are input for the yearly assessment",
        "14 December: the assessment page lists the agreements with their outcome and both conversations "
        "held; the manager rates the three aspects",
    )

    # The employee responds (no objection route under Kampen: response_only) and signs 'voor gezien'.
    employee = year.visit("employee", page_url, "assessment page (employee), to respond")
    expect(employee.locator("main")).to_contain_text(MOTIVATION)
    expect(form(employee, f"{page_url}bezwaar/")).to_have_count(0)
    response_form = form(employee, f"{page_url}zienswijze/")
    response_form.locator("textarea[name=response]").fill(RESPONSE)
    submit(employee, response_form.locator("button[name=to_signing]"))
    expect(employee).to_have_url(re.compile(rf"{re.escape(signing_url(conversation))}$"))
    year.check(employee, "signing page (employee), the assessment")
    year.sign("employee", conversation)
    year.sign_with_keyboard("manager", signing_url(conversation))
    assert sorted(signatures_of(conversation)) == [("employee", "voor_gezien"), ("manager", "voor_akkoord")]
    conversation.refresh_from_db()
    assert conversation.status == Status.COMPLETED
    employee = year.visit("employee", page_url, "assessment page (employee), signed")
    expect(form(employee, f"{page_url}bezwaar/")).to_have_count(0)  # response_only: no objection route
    year.proves(
        "Kampen (our choice, preset `assessment.objection.route: response_only`, `signatures` manager "
        "voor_akkoord, employee voor_gezien): the employee responds in writing and signs as seen",
        "the employee writes a response and signs 'voor gezien'; the manager signs with the keyboard; "
        "no objection form is offered",
    )

    # The HR adviser reads the assessment in the file, not the two reports.
    entry = DossierEntry.objects.get(conversation=conversation, document="assessment")
    assert entry.sequence == 3
    reports = DossierEntry.objects.filter(employee=cast.employee, document="report")
    adviser = year.visit(
        "hr_adviser",
        f"/dossier/medewerkers/{cast.employee.pk}/",
        "the employee's personnel file (HR adviser)",
    )
    rows = adviser.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    link = rows.locator(f'a[href="/dossier/stuk/{entry.pk}/"]')
    expect(link).to_be_visible()
    for report in reports:
        expect(adviser.locator(f'main a[href="/dossier/stuk/{report.pk}/"]')).to_have_count(0)
    response = adviser.request.get(f"/dossier/stuk/{entry.pk}/")
    assert response.ok and response.body() == bytes(entry.pdf)
    assert DossierRead.objects.filter(entry=entry, reader=cast.hr_adviser.user).exists()
    year.shot("hr_adviser", "personnel-file-hr", "The HR adviser's view of the file: the assessment only")
    employee = year.visit("employee", "/dossier/", "my personnel file (employee), December")
    expect(employee.locator("main table tbody tr")).to_have_count(3)
    expect(employee.locator("main section[aria-labelledby=reads]")).to_contain_text(cast.hr_adviser.full_name)
    dossiers_verify(year, cast)
    year.proves(
        "Kampen A7, B4 and the preset's `visibility` (our choice: reports for employee and manager, the "
        "assessment also for the HR adviser): the personnel file is read per document",
        "the HR adviser sees and downloads only the assessment, the read is logged and shown to the "
        "employee; verify_dossiers finds the chain of three entries intact",
    )
