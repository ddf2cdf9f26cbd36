"""A year under the classic cycle (klassiek.yaml, from seed 003 *Handleiding planningsgesprek*):
a planning conversation at the start of the year recorded on the guide's planning form, a
performance conversation halfway in which the agreements are followed and changed, and an
assessment at the end with the employee's written response. Five people each use their own
browser: the HR administrator, the manager, the employee, the HR adviser and the director.
There is no delegate: under klassiek only the manager conducts (``conducted_by: [manager]``
for every kind), so nobody is designated in this year.

1. **1 December 2025** - the HR administrator picks the preset *klassiek* on the regulation
   page, in force from 1 January 2026, checks the preview and activates it.
2. **5 January 2026** - the daily run opens the 2026 cycles (``open_cycles``) and sends the
   reminders (``send_reminders``): the manager, who holds the initiative for the planning
   conversation (seed 003: "Bepaal waar en wanneer het planningsgesprek gaat plaatsvinden"),
   is reminded in the app and by mail; the employee is not. The HR adviser's dashboard shows
   nobody's planning conversation signed yet. The manager plans it for 15 January from the
   employee's cycle page; the employee cannot plan it. Both get a calendar invitation whose
   DTSTART is 15 January 10:00; the conversation page offers the same ``.ics``.
3. **12 January** - both prepare along the guide's agenda (introduction, the coming period
   with the personal development plan and the wishes about hours, results and development
   goals, the follow-up) and share it; each reads the other's.
4. **15 January** - the conversation is held. The manager records it on the *planning form*
   (work agreements, development goals, goals with indicators and a time plan), every item
   filled in through the page, and records two agreements from it (a work result with its
   indicator and target, and a training). The employee reads the report and marks it ready;
   the employee signs with the keyboard alone, the manager with the password ('voor akkoord'
   both: "Het plan wordt besproken en daarna is het plan definitief"). The report is in the
   employee's personnel file; the director (not in ``visibility.report``) cannot read it.
   Still together, the manager plans the follow-up (the performance conversation, 16 June)
   from the conversation page (seed 003: "Zorg dat na afloop een vervolggesprek wordt
   ingepland"). The dashboard's 'in the personnel file' figure moves from 0 to 1.
5. **11 May** - the employee warns that the volume agreement is at risk; the manager gets a
   mail and sees it in the team overview.
6. **16 June** - the performance conversation: the manager changes the agreement's target
   and deadline in the conversation and sets it back on track (its history shows both, in
   that conversation), records the progress, and both sign 'voor gezien'.
7. **1 December** - the assessment comes due after the performance conversation
   (``assessment.when: yearly_after_evaluation``); the reminder goes to the manager, who
   plans it for 10 December.
8. **10 December** - in the assessment conversation the manager settles the agreements
   (achieved, partly achieved), rates the three aspects on the five-point scale with an
   overall rating and a motivation, and shows it; the employee writes a response and signs
   'voor gezien', the manager 'voor akkoord'. Klassiek has no formal objection
   (``objection.route: response_only``): the page offers no objection form and names the
   internal complaint procedure. The HR adviser reads the assessment
   (``visibility.assessment``), the director cannot. The personnel file holds the three
   signed documents.

Elements are found by form field names, form actions and URLs rather than by Dutch text;
after each browser step the database is checked as well as what the user sees. Every page
visited is checked by axe at 1280 and 375 pixels (tests/browser/year.py)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from gesprekscyclus.agreements.models import Agreement, AgreementStatus
from gesprekscyclus.assessments.models import Assessment, Objection
from gesprekscyclus.conversations.models import Conversation, Preparation, Report, Side, Status
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.notifications.models import Notification
from gesprekscyclus.regulations.models import RegulationVersion, VersionStatus

from .year import (
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
IN_FORCE = datetime.date(2026, 1, 1)
REGULATION_DAY = datetime.date(2025, 12, 1)
OPENING_DAY = datetime.date(2026, 1, 5)
PREPARATION_DAY = datetime.date(2026, 1, 12)
PLANNING_DAY = datetime.date(2026, 1, 15)
AT_RISK_DAY = datetime.date(2026, 5, 11)
PERFORMANCE_DAY = datetime.date(2026, 6, 16)
ASSESSMENT_DUE = datetime.date(2026, 12, 1)
ASSESSMENT_DAY = datetime.date(2026, 12, 10)

# The employee's preparation along the agenda (planning_agenda: the four steps of the guide).
EMPLOYEE_PREPARATION = {
    "topics": "Mijn wens om de opleiding Participatiewet te volgen.",
    "item_purpose": "Afspraken over mijn werk en ontwikkeling in 2026.",
    "item_work_and_development": "Meer complexe aanvragen en een opleiding.",
    "item_personal_development_plan": "Mijn POP noemt de opleiding Participatiewet.",
    "item_hours_and_times": "Vier dagen van negen uur.",
    "item_results": "Aanvragen binnen acht weken afhandelen.",
    "item_development": "De opleiding Participatiewet afronden.",
    "item_follow_up": "2026-06-16",
}
MANAGER_PREPARATION = {
    "notes": "De afdeling krijgt er in 2026 de schuldhulpverlening bij.",
    "item_purpose": "Het jaarplan van het team vertalen naar persoonlijke afspraken.",
    "item_results": "Een haalbare norm voor het aantal aanvragen.",
}

# The planning form (planning_form), every item, and the free remarks.
PLANNING_FORM = {
    "item_volume": "Zestig aanvragen bijzondere bijstand per maand.",
    "item_time_per_client": "Gemiddeld drie kwartier per klant aan de balie.",
    "item_special_accents": "Extra aandacht voor jongeren tot 27 jaar.",
    "item_quality": "Minder dan vijf procent van de besluiten in bezwaar herzien.",
    "item_study": "De opleiding Participatiewet, twee dagdelen per maand studietijd.",
    "item_orientation": "Twee dagen meelopen bij het team Schuldhulpverlening.",
    "item_career": "Doorgroeien naar senior consulent in twee jaar.",
    "item_projects": "Deelname aan het project Digitale aanvraag.",
    "item_training": "Training Motiverende gespreksvoering in het voorjaar.",
    "item_indicators": "Maandelijks overzicht van de afgehandelde aanvragen en de doorlooptijd.",
    "item_time_plan": "Opleiding gestart in februari, examen in november.",
    "text": "Het plan is besproken en definitief; de medewerker kreeg ruimte voor eigen wensen.",
}

VOLUME = {
    "kind": "work_result",
    "description": "Zestig aanvragen bijzondere bijstand per maand afhandelen.",
    "indicator": "Het maandoverzicht toont zestig of meer afgehandelde aanvragen.",
    "target": "60 per maand",
    "deadline": "2026-12-31",
}
TRAINING = {
    "kind": "development",
    "description": "De opleiding Participatiewet volgen en afronden.",
    "indicator": "De modules zijn volgens de tijdsplanning afgerond.",
    "target": "Diploma",
    "deadline": "2026-11-30",
}
AT_RISK = "Door de invoering van het nieuwe aanvraagsysteem haal ik de zestig per maand niet."
CHANGED_TARGET = "50 per maand"
CHANGED_DEADLINE = "2027-01-15"

PERFORMANCE_REPORT = {
    "item_progress": "De opleiding loopt op schema; de aanvragen bleven achter door het nieuwe systeem.",
    "item_cooperation": "Goede samenwerking; de medewerker meldde het risico op tijd.",
    "item_new_agreements": "De norm gaat naar vijftig per maand tot het systeem stabiel is.",
}

ROOM = "Kamer 2.14"
RATINGS = {"work_results": "3", "development_goals": "4", "competences": "3"}  # klassiek.yaml aspects
OVERALL = "3"
MOTIVATION = "De afspraken zijn grotendeels gehaald; de opleiding is met goed gevolg afgerond."
RESPONSE = "Ik herken mij in het oordeel; de achterstand kwam door het nieuwe aanvraagsysteem."


# -- small helpers ----------------------------------------------------------------------------


def stage_row(page, stage: str):
    """The cell 'n / m' of a stage in the dashboard's stage table (compliance.services.STAGES)."""
    index = ("planned", "held", "reported", "signed", "archived").index(stage)
    return page.locator("main section[aria-labelledby=stages] table tbody tr").nth(index).locator("td").first


def one_invitation(year: Year, conversation: Conversation, *people: str, download: str | None = None) -> None:
    """Each of ``people`` got one mail, the invitation; its DTSTART is the planned moment."""
    year.invitations(conversation, *people, download=download)
    for who in people:
        assert len(mails_to(year.user(who))) == 1, [m.subject for m in mails_to(year.user(who))]


# -- 1. the regulation --------------------------------------------------------------------------


def put_in_force(year: Year, cast) -> None:
    admin = year.page("hr_admin")
    url = f"/organisatie/beheer/regelingen/{cast.organisation.pk}/"
    year.visit("hr_admin", url, "regulations page (HR administrator)")
    upload = admin.locator("main form[method=post][enctype='multipart/form-data']")
    upload.locator("select[name=preset]").select_option("klassiek")
    upload.locator("input[name=in_force_from]").fill(IN_FORCE.isoformat())
    submit(admin, upload.locator("button[type=submit]"))
    expect(admin).to_have_url(re.compile(r"/regelingen/versie/\d+/$"))
    version = RegulationVersion.objects.get(organisation=cast.organisation)
    assert version.status == VersionStatus.DRAFT
    year.check(admin, "regulation preview (HR administrator)")
    # The preview lists the three conversations of the classic cycle.
    main = admin.locator("main")
    for label in ("Planningsgesprek", "Functioneringsgesprek", "Beoordelingsgesprek"):
        expect(main).to_contain_text(label)
    submit(
        admin, form(admin, f"/organisatie/beheer/regelingen/versie/{version.pk}/activeren/").locator("button")
    )
    expect(success(admin)).to_be_visible()
    version.refresh_from_db()
    assert version.status == VersionStatus.ACTIVE and version.in_force_from == IN_FORCE
    year.check(admin, "regulation activated (HR administrator)")
    year.shot(
        "hr_admin", "regulation", "The HR administrator put the classic cycle in force from 1 January 2026"
    )
    year.proves(
        "Seed 003 (Handleiding planningsgesprek) / preset `klassiek`: the classic cycle of planning, "
        "performance and assessment conversation, chosen on the regulation page",
        "step 1: the HR administrator picks the preset, sees its three conversations and activates it",
    )


# -- 2. the year opens ----------------------------------------------------------------------------


def year_opens(year: Year, cast) -> Cycle:
    year.clock(OPENING_DAY, 7, log_in=False)
    year.command(
        "open_cycles", "--organisation", cast.organisation.name, "--period", str(PERIOD),
        "--today", OPENING_DAY.isoformat(),
    )  # fmt: skip
    cycle = Cycle.objects.get(employee=cast.employee, year=PERIOD)
    assert cycle.regulation_version.regulation().id == "klassiek"
    plan_url = f"/gesprekken/plannen/{cycle.pk}/planning/"
    # In the app and by mail, to the manager, not the employee.
    reminder, _ = year.remind(
        "manager", OPENING_DAY, f"conversation:{cycle.pk}:planning:", not_to=["employee"], hour=9
    )
    assert str(cast.employee.pk) in reminder.url or plan_url in reminder.url, reminder.url
    assert not Notification.objects.filter(user=cast.employee.user, url__contains="planning").exists()
    year.log_in("employee", "hr_adviser")
    year.shot("manager", "reminder", "January: the manager is reminded to plan the planning conversation")
    year.proves(
        "Seed 003 'Bepaal waar en wanneer het planningsgesprek gaat plaatsvinden' / preset rule "
        "`conversation_kinds.planning.initiative.by: manager` and `reminders`",
        "step 2: on 5 January the reminder run reminds the manager (app and mail), not the employee",
    )

    # The HR adviser's dashboard: nobody's planning conversation is in the personnel file yet.
    adviser = year.visit("hr_adviser", "/organisatie/dashboard/", "HR dashboard (adviser), January")
    expect(stage_row(adviser, "archived")).to_have_text(re.compile(r"^0 / [1-9]"))

    # The employee cannot plan it: the manager holds the initiative.
    employee = year.visit("employee", "/gesprekken/", "my cycle (employee), January")
    expect(employee.locator(f'main a[href^="{plan_url}"]')).to_have_count(0)
    return cycle


def manager_plans(year: Year, cast, cycle: Cycle) -> Conversation:
    manager = year.page("manager")
    year.visit("manager", f"/gesprekken/medewerkers/{cast.employee.pk}/", "cycle page (manager), January")
    # Only the manager conducts: the form does not ask who.
    conversation = year.plan("manager", cycle, "planning", PLANNING_DAY, location=ROOM, asks_conductor=False)
    assert conversation.conductor_id == cast.manager.pk
    expect(status_badge(manager)).to_have_class(re.compile(r"gc-conversation--planned"))
    year.check(manager, "planning conversation planned (manager)")

    # Both receive the invitation; DTSTART is the planned moment. The conversation page offers
    # the same invitation.
    one_invitation(year, conversation, "employee", "manager", download="manager")
    year.proves(
        "Seed 003 'In het gesprek ligt de focus op de komende periode' / preset "
        "`planning.due: period_start, one month either side`",
        "step 2: on 5 January the planning conversation of the 2026 period is due and can be planned",
    )
    year.proves(
        "Seed 003 'Bepaal waar en wanneer het planningsgesprek gaat plaatsvinden'",
        "step 2: the manager plans the planning conversation with place and time; both receive a "
        "calendar invitation (DTSTART 15 January 10:00)",
    )
    return conversation


# -- 3. preparing ------------------------------------------------------------------------------------


def both_prepare(year: Year, conversation: Conversation) -> None:
    url = conversation_url(conversation)
    year.clock(PREPARATION_DAY, 9, log_in=False)
    year.log_in("employee", "manager")
    for who, answers, side in (
        ("employee", EMPLOYEE_PREPARATION, Side.EMPLOYEE),
        ("manager", MANAGER_PREPARATION, Side.CONDUCTOR),
    ):
        page = year.visit(who, url, f"planning conversation ({who}), the preparation form")
        preparation_form = form(page, f"{url}voorbereiding/")
        for name, value in answers.items():
            preparation_form.locator(f"[name={name}]").fill(value)
        submit(page, preparation_form.locator("button[name=share]"))
        expect(success(page)).to_be_visible()
        year.check(page, f"planning conversation ({who}), preparation shared")
        preparation = Preparation.objects.get(conversation=conversation, side=side)
        assert preparation.shared_at is not None
        stored = {k.removeprefix("item_"): v for k, v in answers.items() if k.startswith("item_")}
        assert preparation.answers == stored
    conversation.refresh_from_db()
    assert conversation.status == Status.PREPARED
    # Each reads the other's.
    manager = year.visit("manager", url, "planning conversation (manager), both prepared")
    section = manager.locator("#preparation-section")
    for name, value in EMPLOYEE_PREPARATION.items():
        if name != "item_follow_up":
            expect(section).to_contain_text(value)
    # The follow-up appointment (a date item) reads as a date, not as the stored 2026-06-16.
    expect(section).to_contain_text("16 juni 2026")
    expect(section).not_to_contain_text(EMPLOYEE_PREPARATION["item_follow_up"])
    employee = year.visit("employee", url, "planning conversation (employee), both prepared")
    expect(employee.locator("#preparation-section")).to_contain_text(MANAGER_PREPARATION["notes"])
    year.proves(
        "Seed 003 'Zorg ervoor dat de leidinggevende en de medewerker het gesprek voorbereiden' and the "
        "agenda '1. Introductie ... 4. Afronding' / preset `planning_agenda`",
        "step 3: both prepare along the four agenda steps (with the POP and the wishes about hours) "
        "and share it",
    )


# -- 4. the planning conversation ----------------------------------------------------------------------


def record_planning_form(year: Year, conversation: Conversation) -> None:
    url = conversation_url(conversation)
    year.clock(PLANNING_DAY, 11, 15, log_in=False)
    year.log_in("manager", "employee", "director", "hr_adviser")
    year.hold("manager", conversation, PLANNING_DAY)
    manager = year.page("manager")
    expect(manager).to_have_url(re.compile(rf"{re.escape(url)}#report$"))
    year.check(manager, "planning conversation (manager), held: the planning form")
    # The employee does not write it (report_by: manager).
    employee = year.visit("employee", url, "planning conversation (employee), held")
    expect(form(employee, f"{url}verslag/")).to_have_count(0)

    report_form = form(manager, f"{url}verslag/")
    legends = report_form.locator("fieldset legend")
    expect(legends).to_have_text(["Werkafspraken", "Ontwikkeldoelen", "Doelen en tijdsplanning"])
    # No probation rule under klassiek, so no 'improvement points' box on the form.
    expect(report_form.locator("[name=improvement_points]")).to_have_count(0)
    for name, value in PLANNING_FORM.items():
        report_form.locator(f"[name={name}]").fill(value)
    submit(manager, report_form.locator("button[type=submit]:not([name])"))
    expect(success(manager)).to_be_visible()
    expect(error(manager)).to_have_count(0)
    report = Report.objects.get(conversation=conversation)
    assert report.answers == {
        k.removeprefix("item_"): v for k, v in PLANNING_FORM.items() if k.startswith("item_")
    }
    assert report.text == PLANNING_FORM["text"]
    for name, value in PLANNING_FORM.items():  # the form shows what was stored
        expect(form(manager, f"{url}verslag/").locator(f"[name={name}]")).to_have_value(value)
    year.check(manager, "planning conversation (manager), planning form saved")
    year.shot("manager", "planning-form", "The planning conversation recorded on the guide's planning form")

    # The agreements that come out of it.
    for agreement in (VOLUME, TRAINING):
        add = form(manager, f"/gesprekken/gesprek/{conversation.pk}/afspraken/")
        add.locator("xpath=ancestor::details/summary").click()
        add.locator("select[name=kind]").select_option(agreement["kind"])
        for name in ("description", "indicator", "target", "deadline"):
            add.locator(f"[name={name}]").fill(agreement[name])
        submit(manager, add.locator("button[type=submit]"))
        expect(success(manager)).to_be_visible()
        expect(error(manager)).to_have_count(0)
    year.check(manager, "planning conversation (manager), two agreements recorded")
    made = list(Agreement.objects.filter(made_in=conversation).order_by("pk"))
    assert [(a.kind, a.description, a.target, a.status) for a in made] == [
        (VOLUME["kind"], VOLUME["description"], VOLUME["target"], AgreementStatus.OPEN),
        (TRAINING["kind"], TRAINING["description"], TRAINING["target"], AgreementStatus.OPEN),
    ]
    expect(manager.locator("#agreements-section table tbody tr")).to_have_count(2)

    submit(manager, form(manager, f"{url}verslag/").locator("button[name=finish]"))
    expect(success(manager)).to_be_visible()
    conversation.refresh_from_db()
    assert conversation.status == Status.REPORT_WRITTEN
    year.proves(
        "Seed 003 'Aan de hand van de itemlijst op het Planningsformulier ... kunnen heldere afspraken "
        "gemaakt worden' (werkafspraken: aantallen, tijd per klant, speciale accenten, kwaliteit; "
        "ontwikkeldoelen: studie, oriëntatie, loopbaan, projecten, opleiding) / preset `planning_form`",
        "step 4: the manager fills every item of the planning form through the page; it is stored and shown",
    )
    year.proves(
        "Seed 003 §4 'Leg doelen alsmede indicatoren voor het “op de goede weg zijn” vast en maak een "
        "tijdsplanning' / preset `report_by: manager`",
        "step 4: the indicators and the time plan on the form; two agreements with an 'on track when' "
        "indicator, a target and a deadline",
    )


def employee_reads_and_both_sign(year: Year, cast, conversation: Conversation) -> None:
    url = conversation_url(conversation)
    year.approve("employee", conversation, shows=PLANNING_FORM.values())

    year.sign_with_keyboard("employee", signing_url(conversation))
    assert signatures_of(conversation) == [("employee", "voor_akkoord")]
    year.sign("manager", conversation, from_conversation=True)
    assert signatures_of(conversation) == [("employee", "voor_akkoord"), ("manager", "voor_akkoord")]
    conversation.refresh_from_db()
    assert conversation.status == Status.COMPLETED
    year.proves(
        "Seed 003 §3 'Het plan wordt besproken en daarna is het plan definitief' / preset "
        "`planning.signatures: employee voor_akkoord, manager voor_akkoord`",
        "step 4: the employee signs with the keyboard alone, then the manager; the plan is final",
    )

    entry = DossierEntry.objects.get(conversation=conversation, document="report")
    assert PLANNING_FORM["item_volume"] in entry.content_json
    page = year.visit("employee", "/dossier/", "personnel file (employee), the planning conversation")
    expect(page.locator(f'main a[href="/dossier/stuk/{entry.pk}/"]')).to_be_visible()
    year.shot("employee", "personnel-file", "The signed planning form in the employee's personnel file")

    # The director over the sector is not among those who read reports under klassiek.
    response = year.page("director").request.get(url)
    assert response.status == 404 or PLANNING_FORM["item_volume"] not in response.text(), response.status
    year.proves(
        "Preset `visibility.report: [employee, manager]` and `archiving: report -> personnel_file`",
        "step 4: the signed report is in the personnel file; the director cannot read it",
    )


def plan_follow_up(year: Year, cycle: Cycle, conversation: Conversation) -> Conversation:
    manager, url = year.page("manager"), conversation_url(conversation)
    year.visit("manager", url, "planning conversation (manager), signed: the follow-up")
    plan_url = f"/gesprekken/plannen/{cycle.pk}/performance/?na={conversation.pk}"
    expect(manager.locator(f'main section[aria-labelledby=follow-up] a[href="{plan_url}"]')).to_be_visible()
    follow_up = year.plan(
        "manager", cycle, "performance", PERFORMANCE_DAY, location=ROOM, asks_conductor=False,
        query=f"?na={conversation.pk}",
    )  # fmt: skip
    assert follow_up.follow_up_of_id == conversation.pk
    one_invitation(year, follow_up, "employee")
    year.check(manager, "performance conversation planned as the follow-up (manager)")
    year.proves(
        "Seed 003 'Zorg dat na afloop een vervolggesprek wordt ingepland (dit kan ook het "
        "functioneringsgesprek zijn)' / preset `performance.initiative.by: either`",
        "step 4: from the signed planning conversation the manager plans the performance conversation "
        "of 16 June as its follow-up",
    )

    adviser = year.visit(
        "hr_adviser", "/organisatie/dashboard/", "HR dashboard (adviser), after the planning"
    )
    expect(stage_row(adviser, "archived")).to_have_text(re.compile(r"^1 / [1-9]"))
    year.shot("hr_adviser", "dashboard", "The HR dashboard: one planning conversation signed and archived")
    return follow_up


# -- 5. at risk ------------------------------------------------------------------------------------------


def employee_warns(year: Year, cast) -> Agreement:
    year.clock(AT_RISK_DAY, 9, log_in=False)
    year.log_in("employee", "manager")
    agreement = Agreement.objects.get(employee=cast.employee, kind=VOLUME["kind"])
    url = f"/gesprekken/afspraken/{agreement.pk}/"
    employee = year.put_at_risk("employee", agreement, AT_RISK)  # the manager is mailed
    expect(employee).to_have_url(re.compile(re.escape(url)))
    expect(employee.locator("main section[aria-labelledby=history]")).to_contain_text(AT_RISK)

    manager = year.visit("manager", "/gesprekken/team/", "team overview (manager), an agreement at risk")
    expect(manager.locator("main")).to_contain_text(cast.employee.full_name)
    expect(manager.locator("main .gc-agreement--at_risk, main [data-at-risk]").first).to_be_visible()
    year.proves(
        "Seed 003 'Bij de uitvoering mogen werknemer en werkgever elkaar op hun commitment aanspreken' / "
        "agreements: at risk with an explanation mails the manager",
        "step 5: the employee sets the volume agreement at risk; the manager gets a mail and sees it",
    )
    return agreement


# -- 6. the performance conversation ---------------------------------------------------------------


def performance(year: Year, cast, conversation: Conversation, agreement: Agreement) -> None:
    url = conversation_url(conversation)
    year.clock(PERFORMANCE_DAY, 11, 15, log_in=False)
    year.log_in("manager", "employee")
    year.hold("manager", conversation, PERFORMANCE_DAY)
    manager = year.page("manager")
    year.visit("manager", url, "performance conversation (manager), held")
    open_agreements = manager.locator("main section[aria-labelledby=open-agreements]")
    link = open_agreements.locator(
        f'a[href="/gesprekken/afspraken/{agreement.pk}/?gesprek={conversation.pk}"]'
    )
    expect(link).to_be_visible()
    link.click()
    manager.wait_for_url(f"**/gesprekken/afspraken/{agreement.pk}/?gesprek={conversation.pk}")
    year.check(manager, "agreement in the performance conversation (manager)")
    change = manager.locator("main section[aria-labelledby=change] form")
    change.locator("[name=target]").fill(CHANGED_TARGET)
    change.locator("[name=deadline]").fill(CHANGED_DEADLINE)
    submit(manager, change.locator("button[type=submit]"))
    expect(success(manager)).to_be_visible()
    status_form = manager.locator("main section[aria-labelledby=status] form")
    status_form.locator("select[name=status]").select_option(AgreementStatus.ON_TRACK.value)
    status_form.locator("[name=explanation]").fill("Haalbaar met de nieuwe norm.")
    submit(manager, status_form.locator("button[type=submit]"))
    expect(success(manager)).to_be_visible()
    agreement.refresh_from_db()
    assert (agreement.target, agreement.deadline.isoformat(), agreement.status) == (
        CHANGED_TARGET,
        CHANGED_DEADLINE,
        AgreementStatus.ON_TRACK,
    )
    changes = list(agreement.changes.order_by("changed_at", "id"))
    assert any(c.conversation_id == conversation.pk and "target" in c.changes for c in changes)
    history = manager.locator("main section[aria-labelledby=history]")
    expect(history).to_contain_text(CHANGED_TARGET)
    expect(history).to_contain_text(AT_RISK)
    year.check(manager, "agreement changed in the performance conversation (manager)")
    year.shot("manager", "agreement-changed", "June: the agreement changed in the performance conversation")

    year.visit("manager", url, "performance conversation (manager), the report form")
    report_form = form(manager, f"{url}verslag/")
    for name, value in PERFORMANCE_REPORT.items():
        report_form.locator(f"[name={name}]").fill(value)
    submit(manager, report_form.locator("button[name=finish]"))
    expect(success(manager)).to_be_visible()
    expect(error(manager)).to_have_count(0)
    expect(manager.locator("#agreements-section")).to_contain_text(VOLUME["description"])
    year.check(manager, "performance conversation (manager), report finished")

    year.approve("employee", conversation, shows=PERFORMANCE_REPORT.values())
    year.sign("employee", conversation, from_conversation=True)
    year.sign_with_keyboard("manager", signing_url(conversation))
    assert signatures_of(conversation) == [("employee", "voor_gezien"), ("manager", "voor_gezien")]
    conversation.refresh_from_db()
    assert conversation.status == Status.COMPLETED
    assert DossierEntry.objects.filter(conversation=conversation, document="report").exists()
    year.proves(
        "Seed 003 'het functioneringsgesprek kan hiertoe een goed moment zijn' / preset `performance` "
        "(report form: progress, cooperation, new or changed agreements; both sign voor_gezien)",
        "step 6: in the performance conversation the agreement at risk gets a new target and deadline "
        "(history: in that conversation), the progress is recorded and both sign 'voor gezien'",
    )


# -- 7 and 8. the assessment -------------------------------------------------------------------------------


def assessment_due(year: Year, cast, cycle: Cycle) -> Conversation:
    year.clock(ASSESSMENT_DUE, 7, log_in=False)
    year.remind("manager", ASSESSMENT_DUE, f"conversation:{cycle.pk}:assessment:", hour=9)
    year.visit("manager", f"/gesprekken/medewerkers/{cast.employee.pk}/", "cycle page (manager), December")
    conversation = year.plan(
        "manager", cycle, "assessment", ASSESSMENT_DAY, location=ROOM, asks_conductor=False
    )
    one_invitation(year, conversation, "employee")
    year.proves(
        "Preset `assessment.when: yearly_after_evaluation, after_kind: performance` and `due: period_end`",
        "step 7: on 1 December the assessment is due; the manager is reminded and plans it",
    )
    return conversation


def assess(year: Year, cast, conversation: Conversation) -> None:
    page_url = assessment_url(conversation)
    year.clock(ASSESSMENT_DAY, 11, 15, log_in=False)
    year.log_in("manager", "employee", "hr_adviser", "director")
    manager = year.page("manager")
    # The outcome of the agreements is decided in this conversation.
    for agreement, outcome in (
        (
            Agreement.objects.get(made_in__kind="planning", kind=VOLUME["kind"]),
            AgreementStatus.PARTLY_ACHIEVED,
        ),
        (Agreement.objects.get(made_in__kind="planning", kind=TRAINING["kind"]), AgreementStatus.ACHIEVED),
    ):
        year.visit(
            "manager",
            f"/gesprekken/afspraken/{agreement.pk}/?gesprek={conversation.pk}",
            "agreement in the assessment conversation (manager)",
        )
        status_form = manager.locator("main section[aria-labelledby=status] form")
        status_form.locator("select[name=status]").select_option(outcome.value)
        submit(manager, status_form.locator("button[type=submit]"))
        expect(success(manager)).to_be_visible()
        agreement.refresh_from_db()
        assert agreement.status == outcome

    year.hold("manager", conversation, ASSESSMENT_DAY)
    expect(manager).to_have_url(re.compile(rf"{re.escape(page_url)}$"))
    year.check(manager, "assessment page (manager), the rating form")
    material = manager.locator("main section[aria-labelledby=material]")
    expect(material).to_contain_text(VOLUME["description"])
    expect(material).to_contain_text(TRAINING["description"])
    year.show_assessment("manager", conversation, RATINGS, OVERALL, MOTIVATION)
    assessment = Assessment.objects.get(conversation=conversation)
    assert assessment.ratings == {aspect: int(value) for aspect, value in RATINGS.items()}
    assert (assessment.overall, assessment.motivation) == (int(OVERALL), MOTIVATION)
    year.shot("manager", "assessment", "December: the manager's assessment on the five-point scale")

    employee = year.visit("employee", page_url, "assessment page (employee), the response form")
    expect(employee.locator("main")).to_contain_text(MOTIVATION)
    # response_only: no objection form; the internal complaint route is named.
    expect(employee.locator(f'main form[action="{page_url}bezwaar/"]')).to_have_count(0)
    expect(employee.locator("main section[aria-labelledby=objection]")).to_have_count(0)
    response_form = form(employee, f"{page_url}zienswijze/")
    response_form.locator("textarea[name=response]").fill(RESPONSE)
    submit(employee, response_form.locator("button[name=to_signing]"))
    expect(employee).to_have_url(re.compile(rf"{re.escape(signing_url(conversation))}$"))
    assessment.refresh_from_db()
    assert assessment.response == RESPONSE
    year.sign_with_keyboard("employee", signing_url(conversation))
    year.sign("manager", conversation, from_conversation=True)
    assert signatures_of(conversation) == [("employee", "voor_gezien"), ("manager", "voor_akkoord")]
    conversation.refresh_from_db()
    assert conversation.status == Status.COMPLETED
    assert DossierEntry.objects.filter(conversation=conversation, document="assessment").exists()

    employee = year.visit("employee", page_url, "assessment page (employee), signed")
    expect(employee.locator("main")).to_contain_text(RESPONSE)
    expect(employee.locator(f'main form[action="{page_url}bezwaar/"]')).to_have_count(0)
    expect(employee.locator("main")).to_contain_text("klachtenprocedure")
    assert not Objection.objects.exists()
    year.shot(
        "employee",
        "assessment-signed",
        "The signed assessment with the employee's response; no objection route",
    )
    year.proves(
        "Preset `assessment.objection.route: response_only, internal_complaint: true` (no Awb objection "
        "for municipal employees since the Wnra)",
        "step 8: the employee writes a response that is part of the signed assessment; no objection form, "
        "the internal complaint procedure is named",
    )
    year.proves(
        "Preset `assessment.scale` (five points) and `aspects` work_results, development_goals, competences "
        "(seed 003: 'afspraken te maken rond werkprestaties en ontwikkeling', 'competentieontwikkeling'); "
        "signatures manager voor_akkoord, employee voor_gezien",
        "step 8: the manager rates the three aspects; the employee signs 'voor gezien', the manager "
        "'voor akkoord'",
    )

    adviser = year.visit("hr_adviser", page_url, "assessment page (HR adviser)")
    expect(adviser.locator("main")).to_contain_text(MOTIVATION)
    response = year.page("director").request.get(page_url)
    assert response.status == 404 or MOTIVATION not in response.text(), response.status
    year.proves(
        "Preset `visibility.assessment: [employee, manager, hr_adviser]`",
        "step 8: the HR adviser reads the assessment, the director cannot",
    )

    entries = list(DossierEntry.objects.filter(employee=cast.employee).values_list("document", flat=True))
    assert entries.count("report") == 2 and entries.count("assessment") == 1, entries
    page = year.visit("employee", "/dossier/", "personnel file (employee), end of the year")
    expect(page.locator("main table tbody tr")).to_have_count(len(entries))
    adviser = year.visit("hr_adviser", "/organisatie/dashboard/", "HR dashboard (adviser), December")
    expect(stage_row(adviser, "archived")).to_have_text(re.compile(r"^1 / [1-9]"))
    # The director over the sector follows the cycle on the dashboard, not in the reports.
    director = year.visit("director", "/organisatie/dashboard/", "HR dashboard (director), December")
    expect(stage_row(director, "archived")).to_have_text(re.compile(r"^1 / [1-9]"))


# -- the test -------------------------------------------------------------------------------------------


def test_klassiek_year_planning_form_agreements_followed_and_assessment_with_response(
    browser, live_server, time_machine, cast
):
    year = Year(
        "klassiek",
        browser,
        live_server,
        time_machine,
        people={
            "hr_admin": cast.hr_admin,
            "manager": cast.manager,
            "employee": cast.employee,
            "hr_adviser": cast.hr_adviser,
            "director": cast.director,
        },
        title="Klassiek — Handleiding planningsgesprek (planning, functionering, beoordeling)",
    )
    try:
        year.clock(REGULATION_DAY, 10, log_in=False)
        year.log_in("hr_admin")
        put_in_force(year, cast)

        cycle = year_opens(year, cast)
        conversation = manager_plans(year, cast, cycle)
        both_prepare(year, conversation)
        record_planning_form(year, conversation)
        employee_reads_and_both_sign(year, cast, conversation)
        performance_conversation = plan_follow_up(year, cycle, conversation)

        agreement = employee_warns(year, cast)
        performance(year, cast, performance_conversation, agreement)

        assessment = assessment_due(year, cast, cycle)
        assess(year, cast, assessment)
    finally:
        year.close()
    year.finish()
