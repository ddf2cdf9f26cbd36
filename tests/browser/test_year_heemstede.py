"""A year under Heemstede ('Cyclus van jaargesprekken', 2013), through a real browser: seven
people, each in a browser of their own, the server's clock moved from November 2025 to November 2026.

Heemstede (heemstede.yaml, seed 001) runs three conversations a period around an individual
work plan: the planning conversation (the employee drafts the work plan, the manager adds
remarks, both establish it), at least one progress conversation halfway (changed agreements
are recorded), and the evaluation at the end. These conversations are not assessments; an
assessment is one-sided, open to formal objection, and held on request or to support a
negative decision - always at the end of a probation that does not lead to a permanent
appointment, three months before the probation ends, and only when improvement points were
raised in a progress conversation before.

The regular employee's year (Team Inkomen):

1. 24 November 2025: the HR administrator imports a joiner on probation (appointment
   'probation', from 1 February 2026 to 31 January 2027) and opens the 2026 cycles. On 1 December,
   when the planning window opens (a month before the period), the daily reminder run reminds
   the employee of the planning conversation (mail and /meldingen/); the HR adviser's dashboard
   counts the cycles.
2. 3 December: the employee plans the planning conversation (the invitation's .ics has the
   right DTSTART; the conversation page offers the same agenda.ics) and drafts the individual
   work plan.
3. 15 December: the conversation is held; the manager adds remarks to the work plan and makes
   an agreement; both establish the work plan; the employee writes the report, the manager
   marks it ready; the employee signs with the keyboard alone, the manager with the mouse.
   The report is in the personnel file; the director of the sector reads it; the dashboard's
   'signed' figure moves.
4. 14 April: the employee reports that the agreement is at risk; the manager is mailed.
5. 15-29 June: the manager designates a colleague to conduct the progress conversation; the
   designated person records it as held and changes the agreement in it; the employee writes
   the report, the designated person approves, both sign.

The joiner on probation:

6. February: the reminder (on /meldingen/), the planning conversation early in the first year, signed.
7. May: the progress conversation a few months after entry records improvement points;
   before that, the cycle page explains that an assessment needs them.
8. October (three months before the probation ends): the manager holds the assessment; the
   appointment is not made permanent. The employee writes a response (zienswijze), signs
   'voor gezien', the manager 'voor akkoord'. The director cannot open it; the HR adviser can.
9. 22 October the employee files an objection; 2 November the HR adviser hears the employee
   and rejects it.
10. 3 November the HR administrator records the end of the employment on 31 January 2027
    (the import); the dashboard lists the probation ending; the manager gets the reminder
    (mail and /meldingen/).
    The employee's personnel file holds the planning and progress reports, the signed
    assessment and the decided objection; the HR adviser reads it.

Not in this scenario: the evaluation conversation at the end of the period (December) and
the combined evaluation/planning conversation."""

import csv
import datetime
import io
import re

import pytest
from playwright.sync_api import expect

from gesprekscyclus.agreements.models import Agreement, AgreementStatus, WorkPlan, WorkPlanStatus
from gesprekscyclus.assessments.models import Assessment, Decision, Objection, ObjectionStatus
from gesprekscyclus.conversations.models import Conversation, Report, Status
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.organisations.importer import EMPLOYEE_COLUMNS
from gesprekscyclus.organisations.models import Employee
from tests.cycles.helpers import HEEMSTEDE_IN_FORCE, load

from .year import (
    AMSTERDAM,
    PASSWORD,
    Year,
    assessment_url,
    conversation_url,
    error,
    form,
    signatures_of,
    signing_url,
    submit,
    success,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERIOD = 2026
# The planning window opens a month before the period (1 December 2025); HR opens the cycles before it.
OPEN_DAY = datetime.date(2025, 11, 24)
REMIND_DAY = datetime.date(2025, 12, 1)
PLAN_DAY = datetime.date(2025, 12, 3)
PLANNING_DAY = datetime.date(2025, 12, 15)
AT_RISK_DAY = datetime.date(2026, 4, 14)
PROGRESS_PLAN_DAY = datetime.date(2026, 6, 15)
PROGRESS_DAY = datetime.date(2026, 6, 29)

JOINER_START = datetime.date(2026, 2, 1)
PROBATION_END = datetime.date(2027, 1, 31)
JOINER_PLANNING_DAY = datetime.date(2026, 2, 10)
JOINER_PROGRESS_DAY = datetime.date(2026, 5, 12)
ASSESSMENT_DAY = datetime.date(2026, 10, 15)  # due 30 September - 31 October (probation end - 4/3 months)
OBJECTION_DAY = datetime.date(2026, 10, 22)
DECISION_DAY = datetime.date(2026, 11, 2)
END_DAY = datetime.date(2026, 11, 3)

JOINER = {
    "personnel_number": "HEEM-2026-014",
    "first_name": "Noor",
    "last_name": "Proefmans",
    "email": "noor.proefmans@teststad.example",
}

WORK_PLAN = {
    "item_expected_results": "Twaalf bezwaarschriften per maand afhandelen binnen de wettelijke termijn.",
    "item_agreement_term": "Een kwartaal",
    "item_competences_to_develop": "Klantgerichtheid en schriftelijke uitdrukkingsvaardigheid.",
    "item_development_wishes": "De cursus Participatiewet volgen.",
    "item_support_needed": "Een maandelijks werkoverleg met de leidinggevende.",
}
REMARKS = "Akkoord; de cursus past in het opleidingsbudget van het afdelingsplan."
AGREEMENT = "Achterstand bezwaarschriften Participatiewet wegwerken"
AT_RISK = "Door de invoering van het nieuwe zaaksysteem loopt de afhandeling vertraging op."
CHANGED = "Achterstand bezwaarschriften Participatiewet wegwerken vóór 1 oktober"
PROGRESS_REPORT = "De achterstand is gehalveerd; het zaaksysteem werkt inmiddels."
IMPROVEMENT_POINTS = "De dossiers zijn onvolledig en termijnen worden gemist; dit moet beter."
MOTIVATION = (
    "Ondanks de verbeterpunten uit het voortgangsgesprek van mei zijn termijnen blijven verlopen; "
    "de aanstelling wordt niet omgezet in een vaste aanstelling."
)
RESPONSE = "Ik heb onvoldoende inwerktijd gekregen in de drukke zomerperiode."
GROUNDS = "De inwerkperiode is niet meegewogen in de beoordeling."
HEARING = "Medewerker gehoord op 2 november; de inwerkperiode is besproken."
TOWN_HALL = "Raadhuis, kamer 2.14"
DECISION = "De beoordeling is zorgvuldig tot stand gekomen; het bezwaar is ongegrond."


# -- small helpers -----------------------------------------------------------------------------


def csv_bytes(columns: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode()


# -- the steps ---------------------------------------------------------------------------------


def import_joiner(year: Year, cast, *, employment_end: str = "") -> None:
    """The HR administrator uploads the joiner's row (units file: only the header) and confirms."""
    page = year.visit("hr_admin", "/organisatie/beheer/import/", "import the organisation (HR admin)")
    upload = page.locator("main form[method=post]")
    upload.locator("input[name=organisation]").fill(cast.organisation.name)
    upload.locator("input[name=units_file]").set_input_files(
        {
            "name": "eenheden.csv",
            "mimeType": "text/csv",
            "buffer": b"code,name,parent_code,head_personnel_number\n",
        }
    )
    row = {
        **JOINER,
        "unit_code": cast.team.code,
        "job_title": "",
        "manager_personnel_number": "",
        "hours_per_week": "36",
        "employment_start": JOINER_START.isoformat(),
        "employment_end": employment_end,
        "appointment": "proeftijd",
        "probation_end": PROBATION_END.isoformat(),
    }
    upload.locator("input[name=employees_file]").set_input_files(
        {"name": "medewerkers.csv", "mimeType": "text/csv", "buffer": csv_bytes(EMPLOYEE_COLUMNS, [row])}
    )
    submit(page, upload.locator("button[type=submit]"))
    expect(page).to_have_url(re.compile(r"/organisatie/beheer/import/\d+/$"))
    year.check(page, "import preview (HR admin)")
    expect(page.locator("main")).to_contain_text(JOINER["last_name"])
    confirm = page.locator('main form[action$="/bevestigen/"]')
    submit(page, confirm.locator("button[type=submit]"))
    expect(success(page)).to_be_visible()
    year.check(page, "import applied (HR admin)")


def write_report(
    year: Year, who: str, conversation: Conversation, answers: dict, *, improvement=False
) -> None:
    url = conversation_url(conversation)
    page = year.visit(who, url, f"{conversation.kind} conversation, the report form ({who})")
    report_form = form(page, f"{url}verslag/")
    for name, text in answers.items():
        report_form.locator(f"[name={name}]").fill(text)
    if improvement:
        report_form.locator("input[name=improvement_points]").check()
    submit(page, report_form.locator("button[name=finish]"))
    expect(error(page)).to_have_count(0)
    expect(success(page)).to_be_visible()
    conversation.refresh_from_db()
    assert conversation.status == Status.REPORT_WRITTEN, conversation.status
    year.check(page, f"{conversation.kind} conversation, report finished ({who})")


def stage_counts(year: Year, who: str, what: str) -> list[int]:
    """The dashboard's stage table: how many people each stage counts (planned, held,
    reported, signed, archived), read from the cells 'n / m'."""
    page = year.visit(who, f"/organisatie/dashboard/?period={PERIOD}", what)
    rows = page.locator("main section[aria-labelledby=stages] table tbody tr")
    return [int(row.locator("td").first.inner_text().split("/")[0]) for row in rows.all()]


# -- the test ----------------------------------------------------------------------------------


def test_heemstede_year_with_a_probation_not_made_permanent(browser, live_server, time_machine, cast):
    load(cast.organisation, "heemstede", in_force_from=HEEMSTEDE_IN_FORCE)
    time_machine.move_to(datetime.datetime.combine(OPEN_DAY, datetime.time(8, 0), AMSTERDAM), tick=True)
    year = Year(
        "heemstede",
        browser,
        live_server,
        time_machine,
        people={
            "employee": cast.employee,
            "manager": cast.manager,
            "delegate": cast.colleague,
            "director": cast.director,
            "hr_adviser": cast.hr_adviser,
            "hr_admin": cast.hr_admin,
        },
        title="Heemstede — Cyclus van jaargesprekken",
    )
    try:
        run_the_year(year, cast)
    finally:
        year.close()
    year.finish()


def run_the_year(year: Year, cast) -> None:

    # -- 1. November/December: the joiner, the cycles, the reminders, the dashboard ------------------
    year.at(OPEN_DAY, 9, "hr_admin")
    import_joiner(year, cast)
    joiner = Employee.objects.select_related("user").get(personnel_number=JOINER["personnel_number"])
    assert (joiner.appointment, joiner.probation_end, joiner.manager_id) == (
        "probation",
        PROBATION_END,
        cast.manager.pk,
    )
    # The joiner sets a password through the account e-mail; here directly.
    joiner.user.set_password(PASSWORD)
    joiner.user.save()
    year.people["joiner"] = joiner
    year.log_in("joiner")

    out = year.command(
        "open_cycles",
        "--organisation",
        cast.organisation.name,
        "--period",
        str(PERIOD),
        "--today",
        OPEN_DAY.isoformat(),
        "--no-progress",
    )
    assert "opened" in out, out
    cycle = Cycle.objects.get(employee=cast.employee, year=PERIOD)
    joiner_cycle = Cycle.objects.get(employee=joiner, year=PERIOD)
    assert (cycle.period_start, cycle.period_end) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    # A probation period starts on the employment start (seed II.4; probation.period_start).
    assert (joiner_cycle.period_start, joiner_cycle.period_end) == (JOINER_START, PROBATION_END)
    year.proves(
        "Seed II.1 / preset `period.length_months: 12`, `period.start_month: 1`: a period of twelve months "
        "from January",
        "step 1: open_cycles opens the employee's cycle 1 January - 31 December 2026",
    )
    year.proves(
        "Seed II.4 'het planningsgesprek vroeg in het eerste jaar' / preset `probation.period_start: "
        "employment_start`",
        "step 1: the joiner imported on probation gets a period from 1 February 2026 to 31 January 2027",
    )

    year.at(REMIND_DAY, 9, "employee", "hr_adviser")
    # By mail and on /meldingen/, to the employee only.
    year.remind("employee", REMIND_DAY, f"conversation:{cycle.pk}:planning:", not_to=["manager"])
    year.shot(
        "employee", "reminder", "The employee's notifications on 1 December: plan the planning conversation"
    )
    year.proves(
        "Seed II.3.A 'Ter voorbereiding op het planningsgesprek maakt de medewerker ... een individueel "
        "werkplan' / preset `planning.initiative.by: employee`",
        "step 1: send_reminders reminds the employee (not the manager) by mail and on /meldingen/",
    )

    before = stage_counts(year, "hr_adviser", "HR dashboard (HR adviser), 1 December")
    assert before == [0, 0, 0, 0, 0], before

    # -- 2. 3 December: planning, the invitation, the work plan ---------------------------
    year.at(PLAN_DAY, 9, "employee")
    year.visit("employee", "/gesprekken/", "my cycle (employee), planning due")
    planning = year.plan("employee", cycle, "planning", PLANNING_DAY, location=TOWN_HALL)
    assert planning.conductor_id == cast.manager.pk
    year.invitations(planning, "employee", "manager", download="employee")
    year.proves(
        "Seed II.3.A 'Het planningsgesprek vindt plaats met de directe leidinggevende' / preset "
        "`planning.conducted_by: [manager, delegate]`",
        "step 2: the employee plans it with the manager; both get an invitation whose .ics starts at 10:00",
    )

    work_plan_url = f"/gesprekken/werkplan/{cycle.pk}/"
    page = year.visit("employee", work_plan_url, "individual work plan (employee), empty")
    plan_form = page.locator("main form[method=post]").first
    for name, text in WORK_PLAN.items():
        plan_form.locator(f"[name={name}]").fill(text)
    expect(plan_form.locator("[name=item_remarks]")).to_have_count(0)  # the manager's section
    submit(page, plan_form.locator("button[name=action][value=save]"))
    expect(success(page)).to_be_visible()
    year.check(page, "individual work plan (employee), draft saved")
    work_plan = WorkPlan.objects.get(cycle=cycle)
    assert work_plan.content["expected_results"] == WORK_PLAN["item_expected_results"]
    assert work_plan.status == WorkPlanStatus.DRAFT
    year.proves(
        "Seed II.3.A: the work plan names expected results, competences, development wishes and support "
        "/ preset `work_plan.form: individual_work_plan`",
        "step 2: the employee drafts the individual work plan before the planning conversation",
    )

    # -- 3. 15 December: held, remarks, agreement, established, report, signed -------------
    year.at(PLANNING_DAY, 11, "manager", "employee", "hr_adviser", minute=15)
    year.hold("manager", planning, PLANNING_DAY)
    page = year.visit("manager", work_plan_url, "individual work plan (manager), the remarks")
    expect(page.locator("main")).to_contain_text(WORK_PLAN["item_expected_results"])
    remarks_form = page.locator("main form[method=post]").first
    remarks_form.locator("[name=item_remarks]").fill(REMARKS)
    submit(page, remarks_form.locator("button[name=action][value=save]"))
    expect(success(page)).to_be_visible()
    for who in ("manager", "employee"):
        page = year.visit(who, work_plan_url, f"individual work plan ({who}), to agree")
        submit(page, page.locator("main button[name=action][value=agree]"))
        expect(success(page)).to_be_visible()
    work_plan.refresh_from_db()
    assert work_plan.status == WorkPlanStatus.ESTABLISHED
    assert work_plan.content["remarks"] == REMARKS
    year.check(page, "individual work plan (employee), established")
    year.shot(
        "employee",
        "work-plan",
        "The individual work plan, established by both after the planning conversation",
    )
    year.proves(
        "Seed II.3.A 'eventueel aangevuld met opmerkingen van de leidinggevende. Daarna wordt het "
        "individueel "
        "werkplan met elkaar vastgesteld' / preset `work_plan.manager_sections`, `established_in: planning`",
        "step 3: the manager adds remarks, both agree, the plan is established",
    )

    url = conversation_url(planning)
    page = year.visit("manager", url, "planning conversation (manager), make an agreement")
    agreement_form = form(page, f"{url}afspraken/")
    agreement_form.locator("xpath=ancestor::details/summary").click()
    agreement_form.locator("select[name=kind]").select_option("work_result")
    agreement_form.locator("textarea[name=description]").fill(AGREEMENT)
    agreement_form.locator("input[name=target]").fill("Nul bezwaarschriften over de termijn")
    agreement_form.locator("input[name=deadline]").fill("2026-12-01")
    submit(page, agreement_form.locator("button[type=submit]"))
    expect(page.locator("#agreements-section")).to_contain_text(AGREEMENT)
    year.check(page, "planning conversation (manager), agreement made")
    agreement = Agreement.objects.get(employee=cast.employee)
    assert agreement.status == AgreementStatus.OPEN

    write_report(year, "employee", planning, {"item_expected_results": WORK_PLAN["item_expected_results"]})
    year.visit("manager", url, "planning conversation (manager), no report form")
    expect(form(year.page("manager"), f"{url}verslag/")).to_have_count(0)  # the employee writes it
    year.approve("manager", planning, shows=WORK_PLAN["item_expected_results"])
    year.sign_with_keyboard("employee", signing_url(planning))
    assert signatures_of(planning) == [("employee", "voor_akkoord")]
    year.sign("manager", planning)
    planning.refresh_from_db()
    assert planning.status == Status.COMPLETED
    assert signatures_of(planning) == [("employee", "voor_akkoord"), ("manager", "voor_akkoord")]
    year.proves(
        "Preset `planning.signatures`: employee and manager both sign `voor_akkoord` (our choice for "
        "'met elkaar vastgesteld')",
        "step 3: the employee signs with the keyboard alone, the manager with the password",
    )

    entry = DossierEntry.objects.get(conversation=planning, document="report")
    page = year.visit("employee", "/dossier/", "personnel file (employee), planning report")
    expect(page.locator(f'main a[href="/dossier/stuk/{entry.pk}/"]')).to_be_visible()
    year.shot("employee", "personnel-file", "The employee's personnel file with the signed planning report")
    year.log_in("director")
    page = year.visit("director", url, "planning conversation (director), reads the report")
    expect(page.locator("#report-section")).to_contain_text(WORK_PLAN["item_expected_results"])
    year.proves(
        "Seed III.4 question 5 'Deze worden opgenomen in het persoonsdossier. De verslagen worden ook "
        "ingezien door de directeur' / preset `archiving`, `visibility.report: [..., director]`",
        "step 3: the signed report is in the personnel file and the sector's director reads it",
    )
    year.command("send_reminders", "--today", PLANNING_DAY.isoformat(), "--no-progress")
    after = stage_counts(year, "hr_adviser", "HR dashboard (HR adviser), 15 December")
    assert after == [1, 1, 1, 1, 1], f"one signed and archived planning conversation, not {after}"
    year.shot(
        "hr_adviser", "dashboard", "The HR adviser's dashboard after the first signed planning conversation"
    )

    # -- 6. February: the joiner's planning conversation -----------------------------------
    joiner_planning_conversation(year, cast, joiner, joiner_cycle)

    # -- 4. 14 April: the agreement at risk ------------------------------------------------
    agreement_at_risk(year, cast, agreement)

    # -- 7. May: the joiner's progress conversation with improvement points ----------------
    joiner_progress = joiner_progress_conversation(year, cast, joiner, joiner_cycle)

    # -- 5. June: the progress conversation conducted by the designated colleague ----------
    progress_with_delegate(year, cast, cycle, agreement)

    # -- 8.-10. the assessment, objection and the end of the appointment -------------------
    joiner_assessment(year, cast, joiner, joiner_cycle, joiner_progress)

    year.at(END_DAY, 9, "hr_admin", "hr_adviser", "joiner")
    import_joiner(year, cast, employment_end=PROBATION_END.isoformat())
    joiner.refresh_from_db()
    assert joiner.employment_end == PROBATION_END
    year.log_in("manager")
    year.remind("manager", END_DAY, f"probation:{joiner.pk}:")
    page = year.visit(
        "hr_adviser", f"/organisatie/dashboard/?period={PERIOD}", "HR dashboard (HR adviser), November"
    )
    expect(page.locator("main section[aria-labelledby=probation]")).to_contain_text(joiner.full_name)
    year.proves(
        "Seed II.4 'Soms kan het voorkomen dat een vaste aanstelling niet wordt verleend' / preset "
        "`assessment.when: end_of_probation`",
        "step 10: after the rejected objection HR records the employment end on 31 January 2027; the "
        "dashboard lists the probation ending and the manager is reminded",
    )

    entries = list(DossierEntry.objects.filter(employee=joiner).order_by("sequence"))
    assert [entry.document for entry in entries] == ["report", "report", "assessment", "objection"], entries
    page = year.visit("joiner", "/dossier/", "personnel file (joiner)")
    expect(page.locator("main table tbody tr")).to_have_count(4)
    year.shot(
        "joiner",
        "joiner-file",
        "The personnel file of the joiner: two reports, the assessment, the objection",
    )
    # What each sees of the joiner's file (visibility): the manager everything; the HR adviser the
    # assessment and the objection, not the reports; the director the reports, not the assessment.
    seen = {
        "manager": entries,
        "hr_adviser": [entry for entry in entries if entry.document in ("assessment", "objection")],
        "director": [entry for entry in entries if entry.document == "report"],
    }
    year.log_in("manager", "director")
    for who, expected in seen.items():
        page = year.visit(who, f"/dossier/medewerkers/{joiner.pk}/", f"personnel file of the joiner ({who})")
        expect(page.locator("main table tbody tr")).to_have_count(len(expected))
        for entry in expected:
            expect(page.locator(f'main a[href="/dossier/stuk/{entry.pk}/"]')).to_be_visible()
    year.proves(
        "Seed III.4 question 5 (reports read by the director) and preset `visibility.assessment`, "
        "`visibility.objection: [employee, manager, hr_adviser]`",
        "step 10: of the joiner's personnel file the manager sees all four documents, the HR adviser the "
        "assessment and the objection, the director the two reports",
    )


def agreement_at_risk(year: Year, cast, agreement) -> None:
    year.at(AT_RISK_DAY, 9, "employee", "manager")
    year.put_at_risk("employee", agreement, AT_RISK)  # the manager is mailed
    agreement_url = f"/gesprekken/afspraken/{agreement.pk}/"
    page = year.visit("manager", agreement_url, "agreement at risk (manager)")
    expect(page.locator("main")).to_contain_text(AT_RISK)
    year.proves(
        "Seed II.2 'Medewerkers hebben de plicht om hun leidinggevende ... tijdig te informeren over "
        "omstandigheden waardoor afgesproken prestaties (mogelijk) in het geding kunnen komen'",
        "step 4: the employee marks the agreement at risk with the reason; the manager gets a mail "
        "and reads it",
    )


def joiner_planning_conversation(year: Year, cast, joiner, joiner_cycle) -> None:
    day = datetime.date(2026, 2, 2)
    year.at(day, 9, "joiner")
    year.remind("joiner", day, f"conversation:{joiner_cycle.pk}:planning:", not_to=["manager"])
    page = year.visit("joiner", "/overzicht/", "overview (joiner), on probation")
    expect(page.locator("main")).to_contain_text(str(PROBATION_END.year))
    year.visit("joiner", "/gesprekken/", "my cycle (joiner), planning due")
    conversation = year.plan("joiner", joiner_cycle, "planning", JOINER_PLANNING_DAY, location=TOWN_HALL)
    year.at(JOINER_PLANNING_DAY, 11, "manager", "joiner", minute=15)
    year.hold("manager", conversation, JOINER_PLANNING_DAY)
    write_report(year, "joiner", conversation, {"item_expected_results": "Inwerken in de bezwaarprocedure."})
    year.approve("manager", conversation, shows="Inwerken in de bezwaarprocedure.")
    year.sign("joiner", conversation)
    year.sign("manager", conversation)
    conversation.refresh_from_db()
    assert conversation.status == Status.COMPLETED
    year.proves(
        "Seed II.4 'het planningsgesprek vroeg in het eerste jaar' / preset `probation.kinds[planning]` "
        "(within the first month)",
        "step 6: the joiner plans and holds the planning conversation on 10 February",
    )


def joiner_progress_conversation(year: Year, cast, joiner, joiner_cycle) -> Conversation:
    day = datetime.date(2026, 5, 4)
    year.at(day, 9, "manager")
    cycle_page = f"/gesprekken/medewerkers/{joiner.pk}/"
    page = year.visit("manager", cycle_page, "cycle page of the joiner (manager), May")
    # The assessment needs improvement points from a progress conversation first.
    expect(page.locator(f'main a[href="/gesprekken/plannen/{joiner_cycle.pk}/assessment/"]')).to_have_count(0)
    conversation = year.plan("manager", joiner_cycle, "progress", JOINER_PROGRESS_DAY, location=TOWN_HALL)
    year.at(JOINER_PROGRESS_DAY, 11, "manager", "joiner", minute=15)
    year.hold("manager", conversation, JOINER_PROGRESS_DAY)
    write_report(
        year,
        "manager",
        conversation,
        {
            "item_how_it_goes": "Het inwerken verloopt moeizaam.",
            "item_improvement_points": IMPROVEMENT_POINTS,
        },
        improvement=True,
    )
    assert Report.objects.get(conversation=conversation).improvement_points
    year.approve("joiner", conversation, shows=IMPROVEMENT_POINTS)
    year.sign("joiner", conversation)
    year.sign("manager", conversation)
    conversation.refresh_from_db()
    assert conversation.status == Status.COMPLETED
    year.proves(
        "Seed II.4 'Om een beoordelingsgesprek te kunnen voeren moeten verbeterpunten voor de medewerker "
        "duidelijk in het voortgangsgesprek aan de orde zijn geweest' / preset `probation.kinds[assessment]."
        "requires: improvement_points_recorded`",
        "step 7: before the progress conversation the manager has no way to plan the assessment; the "
        "progress report records the improvement points",
    )
    return conversation


def progress_with_delegate(year: Year, cast, cycle, agreement) -> None:
    year.at(PROGRESS_PLAN_DAY, 9, "manager", "delegate")
    page = year.visit("manager", f"/gesprekken/medewerkers/{cast.employee.pk}/", "cycle page (manager), June")
    conversation = year.plan(
        "manager", cycle, "progress", PROGRESS_DAY, location=TOWN_HALL, conductor=cast.colleague
    )
    assert conversation.conductor_id == cast.colleague.pk
    page = year.visit("delegate", conversation_url(conversation), "progress conversation (designated person)")
    expect(page.locator("main")).to_contain_text(cast.employee.full_name)
    year.proves(
        "Seed II.3.B 'gevoerd door de direct leidinggevende of met een door hem/haar aangewezen persoon' / "
        "preset `progress.conducted_by: [manager, delegate]`",
        "step 5: the manager designates a colleague when planning; the colleague opens the conversation",
    )

    year.at(PROGRESS_DAY, 11, "delegate", "employee", "manager", minute=15)
    year.hold("delegate", conversation, PROGRESS_DAY)
    url = f"/gesprekken/afspraken/{agreement.pk}/?gesprek={conversation.pk}"
    page = year.visit("delegate", url, "agreement in the progress conversation (designated person)")
    change = page.locator("main section[aria-labelledby=change] form")
    change.locator("textarea[name=description]").fill(CHANGED)
    change.locator("input[name=deadline]").fill("2026-10-01")
    submit(page, change.locator("button[type=submit]"))
    expect(success(page)).to_be_visible()
    year.check(page, "agreement changed in the progress conversation (designated person)")
    agreement.refresh_from_db()
    assert agreement.description == CHANGED and agreement.deadline == datetime.date(2026, 10, 1)
    assert agreement.changes.filter(conversation=conversation).exists()

    write_report(
        year,
        "employee",
        conversation,
        {"item_how_it_goes": PROGRESS_REPORT, "item_changed_agreements": CHANGED},
    )
    year.approve("delegate", conversation, shows=PROGRESS_REPORT)
    year.sign("employee", conversation)
    year.sign("manager", conversation)
    conversation.refresh_from_db()
    assert conversation.status == Status.COMPLETED
    year.proves(
        "Seed II.3.B 'De gewijzigde afspraken worden vastgelegd in het formulier Voortgangsgesprek' / "
        "preset `progress.recording.form: progress`",
        "step 5: the agreement is changed in the progress conversation (its history names the conversation) "
        "and the report records the changed agreements",
    )


def joiner_assessment(year: Year, cast, joiner, joiner_cycle, progress: Conversation) -> None:
    day = datetime.date(2026, 10, 1)
    year.at(day, 9, "manager")
    year.command("send_reminders", "--today", day.isoformat(), "--no-progress")
    page = year.visit(
        "manager", f"/gesprekken/medewerkers/{joiner.pk}/", "cycle page of the joiner (manager), October"
    )
    year.shot("manager", "probation-cycle", "The joiner's cycle page in October: the assessment is due")
    conversation = year.plan("manager", joiner_cycle, "assessment", ASSESSMENT_DAY, location=TOWN_HALL)
    year.proves(
        "Seed II.4 '3 maanden voor de beëindiging van tijdelijke aanstelling bij wijze van proef wordt het "
        "beoordelingsgesprek gevoerd' / preset `probation.kinds[assessment].due`",
        "step 8: on 1 October the assessment is due and the manager plans it for 15 October",
    )

    year.at(ASSESSMENT_DAY, 11, "manager", "joiner", "hr_adviser", minute=15)
    year.hold("manager", conversation, ASSESSMENT_DAY)
    url = assessment_url(conversation)
    year.visit("manager", url, "assessment page (manager), the rating form")
    year.show_assessment(
        "manager", conversation, {"performance": "1", "competences": "2", "development": "2"}, "1", MOTIVATION
    )
    assessment = Assessment.objects.get(conversation=conversation)
    assert assessment.overall == 1 and assessment.shown_at is not None

    page = year.visit("joiner", url, "assessment page (joiner), the response form")
    expect(page.locator("main")).to_contain_text(MOTIVATION)
    response_form = form(page, f"{url}zienswijze/")
    response_form.locator("textarea[name=response]").fill(RESPONSE)
    submit(page, response_form.locator("button[name=to_signing]"))
    expect(page).to_have_url(re.compile(re.escape(signing_url(conversation)) + "$"))
    year.sign("joiner", conversation)
    year.sign("manager", conversation)
    assert signatures_of(conversation) == [("employee", "voor_gezien"), ("manager", "voor_akkoord")]
    year.proves(
        "Seed II.2 'Bij een beoordelingsgesprek wordt het functioneren namelijk eenzijdig vastgesteld' / "
        "preset `assessment.signatures`: the manager `voor_akkoord`, the employee `voor_gezien`",
        "step 8: the manager rates and shows; the employee responds and signs that it was seen",
    )

    # Who sees the assessment: the HR adviser yes, the director no (visibility.assessment).
    year.log_in("director")
    assert year.page("director").request.get(url).status == 404
    page = year.visit("hr_adviser", url, "assessment page (HR adviser)")
    expect(page.locator("main")).to_contain_text(RESPONSE)

    year.at(OBJECTION_DAY, 9, "joiner")
    page = year.visit("joiner", url, "assessment page (joiner), the objection form")
    objection_form = form(page, f"{url}bezwaar/")
    objection_form.locator("textarea[name=grounds]").fill(GROUNDS)
    submit(page, objection_form.locator("button[type=submit]"))
    expect(success(page)).to_be_visible()
    year.check(page, "assessment page (joiner), objection filed")
    objection = Objection.objects.get(assessment=assessment)
    assert objection.status == ObjectionStatus.RECEIVED
    year.shot("joiner", "objection", "The joiner's objection against the assessment")

    year.at(DECISION_DAY, 14, "hr_adviser", "manager")
    hear_url, decide_url = f"{url}bezwaar/{objection.pk}/horen/", f"{url}bezwaar/{objection.pk}/besluit/"
    page = year.visit("hr_adviser", url, "assessment page (HR adviser), the hearing")
    form(page, hear_url).locator("textarea[name=notes]").fill(HEARING)
    submit(page, form(page, hear_url).locator("button[type=submit]"))
    expect(success(page)).to_be_visible()
    decision_form = form(page, decide_url)
    decision_form.locator("select[name=decision]").select_option(Decision.REJECTED.value)
    decision_form.locator("textarea[name=motivation]").fill(DECISION)
    submit(page, decision_form.locator("button[type=submit]"))
    expect(success(page)).to_be_visible()
    year.check(page, "assessment page (HR adviser), objection rejected")
    year.shot("hr_adviser", "objection-decided", "The HR adviser's decision: the objection is rejected")
    objection.refresh_from_db()
    assert (objection.status, objection.decision) == (ObjectionStatus.DECIDED, Decision.REJECTED)
    assert not Assessment.objects.filter(replaces=assessment).exists()
    page = year.visit("manager", url, "assessment page (manager), objection decided")
    expect(page.locator("main section[aria-labelledby=objection]")).to_contain_text(DECISION)
    year.proves(
        "Seed II.4 'De medewerker kan bezwaar maken tegen de beoordeling' / preset "
        "`assessment.objection.route: formal_objection`, `visibility.objection: [..., hr_adviser]`",
        "step 9: the joiner objects a week later; the HR adviser hears and rejects it; the manager reads it",
    )
