"""A year under Zaanstad ('Spelregels gesprekscyclus', seed 000, preset zaanstad.yaml), through
real browsers: the HR administrator, the employee, the manager, the director, the HR adviser and
the colleague whom the manager designates during leave, each in a browser of their own, with the
server's clock moved between the steps.

Zaanstad leaves almost everything to the pair: they talk regularly at a frequency they agree
(four regular conversations a year unless they agree otherwise), the employee takes the
initiative (the manager steps in after 21 days), recording is free-form - a PowerPoint or an
infographic will do - and at least once a year a joint evaluation takes place, on which the
manager records the assessment.

1. 2 January 2026: the HR administrator puts the Zaanstad preset in force on the regulations
   page; the nightly ``open_cycles`` opens the 2026 cycles.
2. 5 January: ``send_reminders`` tells the employee (the initiative is theirs) that the first
   regular conversation is due; the reminder is mailed and listed on /meldingen/. The HR
   adviser's dashboard shows nobody has held a conversation yet.
3. 12 January: the employee plans the first regular conversation (the manager has no Plan link:
   it is the employee's initiative); both get the calendar invitation (DTSTART checked), and the
   conversation page offers the same agenda.ics. The employee prepares and shares the preparation.
4. 20 January: the manager records it as held; the employee records it in free form and adds
   an infographic (a PDF uploaded through the page); both download it, the director and the HR
   adviser cannot. The manager records an agreement in the conversation. Nobody signs a regular
   conversation: finishing and approving the report completes it, and it stays out of the
   personnel file. The dashboard figure for 'held' moves.
5. 20 April: the employee marks the agreement at risk (the manager is mailed). The employee
   did not plan the second regular conversation; on 23 April the initiative has passed to the
   manager, who is reminded and plans it; in that conversation the agreement is changed.
6. October: the manager is on leave and designates the colleague for a period; under Zaanstad
   only the manager conducts, so the designated colleague cannot plan. The manager plans the
   joint evaluation; the employee records it free-form with an attachment; the manager reads it
   and makes it ready; the employee signs 'voor gezien' with the keyboard alone, the manager
   with the mouse. The signed report, which names the attachment with its hash, is in the
   personnel file.
7. November: the assessment is now due; the manager plans it, records the ratings on the
   regulation's aspects and shows it; the employee responds in writing (no formal objection
   under Zaanstad) and both sign. The assessment is in the personnel file, which the HR adviser
   may read and the director may not. The dashboard moves again.

The server's clock is fixed with time-machine (it ticks, and it is patched for the whole process,
so also for the live-server thread). Elements are found by form field names, form actions and
URLs rather than by Dutch text. Every page visited is checked with axe (WCAG 2.1 A/AA) at 1280 and
375 pixels (tests/browser/year.py); faults are collected and asserted at the end."""

import datetime

import pytest
from playwright.sync_api import expect

from gesprekscyclus.agreements.models import Agreement, AgreementChange, AgreementStatus
from gesprekscyclus.assessments.models import Assessment
from gesprekscyclus.compliance.models import CycleProgress
from gesprekscyclus.conversations.models import Attachment, Conversation, Preparation, Report, Side, Status
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.disagreements.models import Delegation
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.notifications.models import Notification
from gesprekscyclus.regulations.models import RegulationVersion
from gesprekscyclus.signatures.models import ReportVersion, Signature, VersionState

from .year import (
    PASSWORD,
    Year,
    assessment_url,
    conversation_url,
    error,
    form,
    signatures_of,
    signing_url,
    status_badge,
    submit,
    success,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERIOD = 2026
IN_FORCE = datetime.date(2019, 1, 1)  # 000: "Dit besluit treedt in werking op 1 januari 2019."

PRESET_DAY = datetime.date(2026, 1, 2)
FIRST_REMINDER_DAY = datetime.date(2026, 1, 5)
PLANNING_DAY = datetime.date(2026, 1, 12)
CHECK_IN_DAY = datetime.date(2026, 1, 20)
AT_RISK_DAY = datetime.date(2026, 4, 20)
# The year is split in four slices of its days: the second window opens on 2 April, so the
# manager holds the initiative from 23 April (21 days later).
TAKEOVER_DAY = datetime.date(2026, 4, 23)
SECOND_CHECK_IN_DAY = datetime.date(2026, 5, 4)
LEAVE_FROM, LEAVE_UNTIL = datetime.date(2026, 10, 1), datetime.date(2026, 10, 9)
EVALUATION_PLANNING_DAY = datetime.date(2026, 10, 5)
EVALUATION_DAY = datetime.date(2026, 10, 15)
ASSESSMENT_PLANNING_DAY = datetime.date(2026, 11, 2)
ASSESSMENT_DAY = datetime.date(2026, 11, 9)

# A small PDF, the "infographic" of seed 000's free-form recording.
INFOGRAPHIC = b"%PDF-1.4\n1 0 obj<<>>endobj\n% infographic: doorlooptijden Q1\ntrailer<<>>\n%%EOF\n"
EVALUATION_SLIDES = b"%PDF-1.4\n1 0 obj<<>>endobj\n% jaaroverzicht 2026\ntrailer<<>>\n%%EOF\n"

TOPICS = "De werkvoorraad Participatiewet en mijn wens om mee te doen aan het project Schuldhulp."
CHECK_IN_NOTES = "Kort vastgelegd: de werkvoorraad is in januari weer op orde; de infographic laat het zien."
AGREEMENT = "Doorlooptijd van een aanvraag levensonderhoud terug naar acht weken."
INDICATOR = "Het maandoverzicht van het team."
AT_RISK_REASON = "Twee collega's zijn langdurig ziek; de achterstand loopt op."
CHANGED_AGREEMENT = "Doorlooptijd van een aanvraag levensonderhoud terug naar tien weken."
SECOND_NOTES = "De afspraak over de doorlooptijd is bijgesteld naar tien weken."
EVALUATION_TEXT = "Gezamenlijke evaluatie 2026: functioneren op orde, ambitie om senior consulent te worden."
RATINGS = {"tasks": "4", "quality": "3", "capacity": "3", "development": "4"}  # zaanstad.yaml: aspects
MOTIVATION = "Op basis van de evaluatie van 15 oktober: de werkvoorraad is goed opgepakt."
TOWN_HALL = "Stadhuis, kamer 3.12"
RESPONSE = "Ik herken mij in de beoordeling; de ontwikkeling naar senior wil ik in 2027 oppakken."


def stage_cells(page) -> dict[str, str]:
    """The dashboard's stage table: the row's position -> 'count / due' (planned, held, ...)."""
    rows = page.locator("main section[aria-labelledby=stages] table tbody tr")
    keys = ["planned", "held", "reported", "signed", "archived"]
    return {key: " ".join(rows.nth(i).locator("td").first.inner_text().split()) for i, key in enumerate(keys)}


class Zaanstad:
    def __init__(self, year: Year, cast):
        self.year, self.cast = year, cast
        self.cycle: Cycle | None = None

    # -- 1. the regulation and the cycles -----------------------------------------------------

    def put_in_force(self) -> None:
        year, admin = self.year, "hr_admin"
        self.year.at(PRESET_DAY, 9, "hr_admin")
        url = f"/organisatie/beheer/regelingen/{self.cast.organisation.pk}/"
        page = year.visit(admin, url, "regulations page (HR administrator)")
        upload = page.locator("main form[enctype='multipart/form-data']")
        upload.locator("select[name=preset]").select_option("zaanstad")
        upload.locator("input[name=in_force_from]").fill(IN_FORCE.isoformat())
        submit(page, upload.locator("button[type=submit]"))
        expect(error(page)).to_have_count(0)
        version = RegulationVersion.objects.get(organisation=self.cast.organisation)
        detail = f"/organisatie/beheer/regelingen/versie/{version.pk}/"
        if not page.url.endswith(detail):
            page.goto(detail)
        year.check(page, "regulation version, uploaded (HR administrator)")
        submit(page, form(page, f"{detail}activeren/").locator("button[type=submit]"))
        expect(success(page)).to_be_visible()
        year.check(page, "regulation version, in force (HR administrator)")
        version.refresh_from_db()
        assert version.regulation().id == "zaanstad"
        year.proves(
            "Seed 000, closing words / preset `source.effective_from`: the rules apply from 1 January 2019",
            "1. the HR administrator puts the preset in force from 2019-01-01 on the regulations page",
        )
        out = year.command(
            "open_cycles", "--organisation", self.cast.organisation.name, "--period", str(PERIOD),
            "--today", PRESET_DAY.isoformat(),
        )  # fmt: skip
        assert out
        self.cycle = Cycle.objects.get(employee=self.cast.employee, year=PERIOD)
        assert self.cycle.regulation_version_id == version.pk

    # -- 2. the first reminder ----------------------------------------------------------------

    def first_reminder(self) -> dict[str, str]:
        year, cast = self.year, self.cast
        year.clock(FIRST_REMINDER_DAY, 6, 15)
        prefix = f"conversation:{self.cycle.pk}:check_in:"
        # The initiative is the employee's: the manager is not reminded about it (yet).
        year.remind("employee", FIRST_REMINDER_DAY, f"{prefix}1:", not_to=["manager"], hour=9)
        assert not Notification.objects.filter(user=cast.manager.user, reason_key__startswith=prefix).exists()
        year.log_in("hr_adviser")
        year.shot("employee", "reminder", "The employee's reminder: the first regular conversation is due")
        year.proves(
            "Seed 000 'De medewerker neemt verantwoordelijkheid voor zijn voortgang en resultaten' / "
            "preset `check_in.initiative.by: employee`",
            "2. send_reminders reminds the employee, not the manager, when the first window opens",
        )
        page = year.visit(
            "hr_adviser", "/organisatie/dashboard/", "compliance dashboard (HR adviser), January"
        )
        return stage_cells(page)

    # -- 3. planning and preparing ------------------------------------------------------------

    def plan_first(self) -> Conversation:
        year, cast, cycle = self.year, self.cast, self.cycle
        plan_url = f"/gesprekken/plannen/{cycle.pk}/check_in/"
        self.year.at(PLANNING_DAY, 9, "employee", "manager")
        page = year.visit("manager", f"/gesprekken/medewerkers/{cast.employee.pk}/", "cycle page (manager)")
        expect(page.locator(f'main a[href="{plan_url}"]')).to_have_count(0)  # the employee's initiative
        page = year.visit("employee", "/gesprekken/", "my cycle (employee), a regular conversation due")
        year.shot(
            "employee", "my-cycle", "The employee's cycle: four regular conversations and the evaluation"
        )
        # Under Zaanstad only the manager conducts, so the form never asks who conducts.
        conversation = year.plan(
            "employee", cycle, "check_in", CHECK_IN_DAY, minutes=45, location=TOWN_HALL, asks_conductor=False
        )
        assert conversation.conductor_id == cast.manager.pk
        assert conversation.planned_by_id == cast.employee.user_id
        self.check_invitation(conversation, "employee")
        return conversation

    def check_invitation(self, conversation: Conversation, planner: str) -> None:
        """Both participants get one mail with the invitation (a request); its DTSTART is the
        appointment, and the planner's conversation page offers the same agenda.ics."""
        for calendar in self.year.invitations(conversation, "employee", "manager", download=planner):
            assert str(calendar["METHOD"]) == "REQUEST"

    def prepare(self, conversation: Conversation) -> None:
        year, url = self.year, conversation_url(conversation)
        page = year.page("employee")
        preparation = form(page, f"{url}voorbereiding/")
        preparation.locator("textarea[name=topics]").fill(TOPICS)
        submit(page, preparation.locator("button[name=share]"))
        expect(success(page)).to_be_visible()
        year.check(page, "regular conversation, preparation shared (employee)")
        assert Preparation.objects.get(conversation=conversation, side=Side.EMPLOYEE).shared_at is not None
        conversation.refresh_from_db()
        assert conversation.status == Status.PREPARED
        page = year.visit("manager", url, "regular conversation (manager), preparation shared")
        expect(page.locator("#preparation-section")).to_contain_text(TOPICS)

    # -- 4. held, free-form record, attachment, agreement ------------------------------------

    def attach(self, conversation: Conversation, who: str, name: str, data: bytes) -> Attachment:
        year, url = self.year, conversation_url(conversation)
        page = year.visit(who, url, f"conversation ({who}), the attachments")
        upload = form(page, f"{url}bijlagen/")
        upload.locator("input[type=file][name=file]").set_input_files(
            {"name": name, "mimeType": "application/pdf", "buffer": data}
        )
        submit(page, upload.locator("button[type=submit]"))
        expect(success(page)).to_be_visible()
        expect(error(page)).to_have_count(0)
        year.check(page, f"conversation ({who}), attachment added")
        attachment = Attachment.objects.get(conversation=conversation, filename=name)
        assert attachment.size == len(data)
        return attachment

    def download(self, who: str, conversation: Conversation, attachment: Attachment, data: bytes) -> None:
        """The attachment is listed on the conversation page and downloads with its bytes."""
        year, url = self.year, conversation_url(conversation)
        href = f"{url}bijlagen/{attachment.pk}/"
        page = year.visit(who, url, f"conversation ({who}), with an attachment")
        link = page.locator(f'main section#attachments-section a[href="{href}"]')
        expect(link).to_have_text(attachment.filename)
        with page.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename == attachment.filename
        with open(download.path(), "rb") as file:
            assert file.read() == data

    def not_for(self, who: str, conversation: Conversation, attachment: Attachment) -> None:
        href = f"{conversation_url(conversation)}bijlagen/{attachment.pk}/"
        status = self.year.page(who).request.get(href).status
        assert status in (403, 404), f"{who} downloads the attachment: HTTP {status}"

    def write_free_form(
        self, conversation: Conversation, who: str, text: str, *, finish: bool = True
    ) -> None:
        year, url = self.year, conversation_url(conversation)
        page = year.visit(who, url, f"conversation ({who}), the free-form report")
        report = form(page, f"{url}verslag/")
        # Free-form: one text, no fixed form (seed 000: "Vastlegging is ... vormvrij").
        expect(report.locator("textarea, select")).to_have_count(1)
        expect(report.locator("textarea[name=text]")).to_be_visible()
        report.locator("textarea[name=text]").fill(text)
        submit(page, report.locator("button[type=submit]:not([name])"))
        expect(success(page)).to_be_visible()
        assert Report.objects.get(conversation=conversation).text == text
        if finish:
            submit(page, form(page, f"{url}verslag/").locator("button[name=finish]"))
            expect(success(page)).to_be_visible()
            expect(error(page)).to_have_count(0)
            year.check(page, f"conversation ({who}), report finished")
            conversation.refresh_from_db()
            assert conversation.status == Status.REPORT_WRITTEN

    def make_agreement(self, conversation: Conversation) -> Agreement:
        year, url = self.year, conversation_url(conversation)
        page = year.visit("manager", url, "conversation (manager), agreements")
        details = page.locator("#agreements-section details")
        details.locator("summary").click()
        create = form(page, f"/gesprekken/gesprek/{conversation.pk}/afspraken/")
        create.locator("select[name=kind]").select_option("work_result")
        create.locator("textarea[name=description], input[name=description]").fill(AGREEMENT)
        create.locator("textarea[name=indicator], input[name=indicator]").fill(INDICATOR)
        create.locator("input[name=deadline]").fill("2026-12-31")
        submit(page, create.locator("button[type=submit]"))
        expect(success(page)).to_be_visible()
        expect(error(page)).to_have_count(0)
        year.check(page, "conversation (manager), agreement recorded")
        agreement = Agreement.objects.get(employee=self.cast.employee)
        assert (agreement.description, agreement.made_in_id) == (AGREEMENT, conversation.pk)
        expect(page.locator("#agreements-section")).to_contain_text(AGREEMENT)
        return agreement

    def first_conversation(self, conversation: Conversation) -> None:
        year = self.year
        self.year.at(CHECK_IN_DAY, 11, "employee", "manager", "director", "hr_adviser")
        year.hold("manager", conversation, CHECK_IN_DAY)
        # Either side may record (report_by: either); the employee does.
        self.write_free_form(conversation, "employee", CHECK_IN_NOTES, finish=False)
        infographic = self.attach(conversation, "employee", "infographic-doorlooptijden.pdf", INFOGRAPHIC)
        year.shot(
            "employee",
            "free-form-record",
            "A regular conversation recorded in free form, with an infographic",
        )
        self.download("employee", conversation, infographic, INFOGRAPHIC)
        self.download("manager", conversation, infographic, INFOGRAPHIC)
        for who in ("director", "hr_adviser"):
            self.not_for(who, conversation, infographic)
        year.proves(
            "Seed 000 'Vastlegging is, afgezien van de beoordeling, vormvrij, dit kan bijvoorbeeld in de "
            "vorm van een PowerPoint of infographic' / preset `check_in.recording: {mode: free_text, "
            "attachments: true}`, `visibility.attachment: [employee, manager]`",
            "4. the employee records the regular conversation in one free text and uploads an infographic; "
            "employee and manager download it, the director and the HR adviser get 'not found'",
        )
        self.make_agreement(conversation)
        year.proves(
            "Seed 000 'heldere afspraken ... over ondersteuning' and 'Het afdelings- of sectorplan is basis "
            "voor de te behalen resultaten' / agreements made in a conversation",
            "4. the manager records a work-result agreement in the first regular conversation",
        )
        self.write_free_form(conversation, "employee", CHECK_IN_NOTES)
        # No signatures asked: the approved record is final at once (it used to wait for
        # signatures nobody could place), and it stays out of the personnel file.
        year.approve("manager", conversation, then=Status.COMPLETED)
        assert not Signature.objects.filter(version__conversation=conversation).exists()
        page = year.page("employee")
        page.goto(conversation_url(conversation))
        expect(status_badge(page)).to_have_class("gc-badge gc-conversation--completed")
        expect(page.locator(f'main a[href="{signing_url(conversation)}"]')).to_have_count(0)
        expect(form(page, f"{conversation_url(conversation)}bijlagen/")).to_have_count(0)  # final
        assert not DossierEntry.objects.filter(conversation=conversation).exists()
        year.proves(
            "Seed 000 'Medewerker en leidinggevende spreken af in hoeverre ze de inhoud van de gesprekken "
            "vastleggen' / preset `check_in.signatures: []`, `archiving` (check_in: personnel_file false)",
            "4. the regular conversation's record needs no signatures and stays out of the personnel file",
        )

    # -- 5. at risk, the manager takes over, the agreement changed ---------------------------

    def at_risk(self, agreement: Agreement) -> None:
        self.year.at(AT_RISK_DAY, 9, "employee")
        # The manager is mailed (Year.put_at_risk asserts it).
        self.year.put_at_risk("employee", agreement, AT_RISK_REASON)

    def manager_takes_over(self) -> Conversation:
        year, cast, cycle = self.year, self.cast, self.cycle
        plan_url = f"/gesprekken/plannen/{cycle.pk}/check_in/"
        year.clock(TAKEOVER_DAY, 6, 15, log_in=False)
        year.remind("manager", TAKEOVER_DAY, f"conversation:{cycle.pk}:check_in:2:", hour=9)
        page = year.visit(
            "manager", f"/gesprekken/medewerkers/{cast.employee.pk}/", "cycle page (manager), April"
        )
        expect(page.locator(f'main a[href="{plan_url}"]').first).to_be_visible()
        conversation = year.plan(
            "manager",
            cycle,
            "check_in",
            SECOND_CHECK_IN_DAY,
            minutes=45,
            location=TOWN_HALL,
            asks_conductor=False,
        )
        assert conversation.planned_by_id == cast.manager.user_id
        self.check_invitation(conversation, "manager")
        year.proves(
            "Seed 000 'De leidinggevende houdt doorlopend de vinger aan de pols' / preset "
            "`check_in.initiative.takeover: {by: manager, after_days: 21}`, reminders",
            "5. on 23 April (window opened 2 April) send_reminders tells the manager, who plans the second "
            "regular conversation; the calendar invitation's DTSTART is 4 May 10:00",
        )
        return conversation

    def change_agreement(self, conversation: Conversation, agreement: Agreement) -> None:
        year = self.year
        self.year.at(SECOND_CHECK_IN_DAY, 11, "employee", "manager")
        year.hold("employee", conversation, SECOND_CHECK_IN_DAY)
        page = year.visit("manager", conversation_url(conversation), "second regular conversation (manager)")
        link = page.locator(f'main a[href="/gesprekken/afspraken/{agreement.pk}/?gesprek={conversation.pk}"]')
        expect(link.first).to_be_visible()
        link.first.click()
        page.wait_for_url(f"**/gesprekken/afspraken/{agreement.pk}/*")
        year.check(page, "agreement in a conversation (manager)")
        change = page.locator("main section[aria-labelledby=change] form")
        change.locator("textarea[name=description], input[name=description]").fill(CHANGED_AGREEMENT)
        submit(page, change.locator("button[type=submit]"))
        expect(success(page)).to_be_visible()
        expect(error(page)).to_have_count(0)
        status = page.locator("main section[aria-labelledby=status] form")
        status.locator("select[name=status]").select_option("on_track")
        submit(page, status.locator("button[type=submit]"))
        expect(success(page)).to_be_visible()
        year.check(page, "agreement (manager), changed in the conversation")
        expect(page.locator("main section[aria-labelledby=history]")).to_contain_text(CHANGED_AGREEMENT)
        year.shot("manager", "agreement-changed", "An agreement put at risk and changed in a conversation")
        agreement.refresh_from_db()
        assert (agreement.description, agreement.status) == (CHANGED_AGREEMENT, AgreementStatus.ON_TRACK)
        assert AgreementChange.objects.filter(agreement=agreement, conversation=conversation).exists()
        year.proves(
            "Seed 000 'De voortgang wordt regelmatig besproken' / agreements at risk and changed in a "
            "conversation",
            "5. the employee marks the agreement at risk (the manager is mailed); in the second regular "
            "conversation the manager changes it and sets it on track; the history shows both",
        )
        self.write_free_form(conversation, "manager", SECOND_NOTES)

    # -- 6. delegation refused, the joint evaluation -----------------------------------------

    def designate_during_leave(self) -> None:
        """The manager designates the colleague for a week of leave; under Zaanstad only the
        manager conducts, so the colleague may look at the cycle but is offered nothing to plan."""
        year, cast = self.year, self.cast
        self.year.at(datetime.date(2026, 9, 28), 9, "manager")
        url = f"/gesprekken/medewerkers/{cast.employee.pk}/aanwijzen/"
        page = year.visit("manager", url, "designate someone (manager)")
        designate = page.locator("main form[method=post]", has=page.locator("[name=delegate]"))
        designate.locator("select[name=delegate]").select_option(str(cast.colleague.pk))
        designate.locator("input[name=starts_on]").fill(LEAVE_FROM.isoformat())
        designate.locator("input[name=ends_on]").fill(LEAVE_UNTIL.isoformat())
        designate.locator("[name=reason]").fill("Verlof leidinggevende.")
        submit(page, designate.locator("button[type=submit]"))
        expect(success(page)).to_be_visible()
        year.check(page, "designate someone (manager), designated")
        assert Delegation.objects.filter(employee=cast.employee, delegate=cast.colleague).exists()

    def delegate_cannot_plan(self) -> None:
        year, cast = self.year, self.cast
        page = year.visit(
            "colleague", f"/gesprekken/medewerkers/{cast.employee.pk}/", "cycle page (designated)"
        )
        expect(page.locator("main h1")).to_contain_text(cast.employee.full_name)
        expect(page.locator('main a[href^="/gesprekken/plannen/"]')).to_have_count(0)
        year.proves(
            "Seed 000 'De leidinggevende legt ... de beoordeling vast' / preset `conducted_by: [manager]` "
            "for every kind",
            "6. the colleague designated during the manager's leave sees the cycle page but is offered no "
            "conversation to plan (the page used to offer Plan buttons that were then refused)",
        )

    def plan_evaluation(self) -> Conversation:
        year, cast, cycle = self.year, self.cast, self.cycle
        plan_url = f"/gesprekken/plannen/{cycle.pk}/evaluation/"
        self.year.at(EVALUATION_PLANNING_DAY, 9, "employee", "manager", "colleague")
        self.delegate_cannot_plan()
        # The initiative for the joint evaluation is either side's: both see a Plan link.
        page = year.visit("employee", "/gesprekken/", "my cycle (employee), the evaluation due")
        expect(page.locator(f'main a[href="{plan_url}"]')).to_be_visible()
        page = year.visit("manager", f"/gesprekken/medewerkers/{cast.employee.pk}/", "cycle page (manager)")
        conversation = year.plan(
            "manager", cycle, "evaluation", EVALUATION_DAY, location=TOWN_HALL, asks_conductor=False
        )
        assert conversation.conductor_id == cast.manager.pk
        self.check_invitation(conversation, "manager")
        year.proves(
            "Seed 000 'Ten minste één keer per jaar vindt er een gezamenlijke evaluatie plaats' / preset "
            "`evaluation.count.min_per_period: 1`, `initiative.by: either`",
            "6. in October both sides may plan the joint evaluation; the manager plans it",
        )
        return conversation

    def evaluation(self, conversation: Conversation) -> None:
        year, cast, url = self.year, self.cast, conversation_url(conversation)
        self.year.at(EVALUATION_DAY, 11, "employee", "manager")
        year.hold("manager", conversation, EVALUATION_DAY)
        self.write_free_form(conversation, "employee", EVALUATION_TEXT, finish=False)
        slides = self.attach(conversation, "employee", "jaaroverzicht-2026.pdf", EVALUATION_SLIDES)
        self.write_free_form(conversation, "employee", EVALUATION_TEXT)
        page = year.visit("manager", url, "joint evaluation (manager), the report to read")
        expect(page.locator("#report-section")).to_contain_text(EVALUATION_TEXT)
        self.download("manager", conversation, slides, EVALUATION_SLIDES)
        year.approve("manager", conversation)

        # The employee signs 'voor gezien' with the keyboard alone.
        year.sign_with_keyboard("employee", signing_url(conversation), password=PASSWORD)
        version = ReportVersion.objects.get(conversation=conversation)
        names = [item.get("filename") or item.get("name") for item in version.content.get("attachments", [])]
        assert names == ["jaaroverzicht-2026.pdf"], version.content.get("attachments")
        year.shot(
            "employee", "signing", "The employee signs the joint evaluation 'voor gezien', keyboard only"
        )

        # The manager signs with the mouse; the form carries the version's hash.
        year.sign("manager", conversation)
        assert signatures_of(conversation) == [("employee", "voor_gezien"), ("manager", "voor_gezien")]
        conversation.refresh_from_db()
        version.refresh_from_db()
        assert conversation.status == Status.COMPLETED and version.state == VersionState.COMPLETE
        year.proves(
            "Seed 000 (the evaluation as basis of the assessment) / preset `evaluation.signatures` "
            "(employee and manager `voor_gezien`, our choice)",
            "6. the employee signs with the keyboard alone, the manager with the mouse; the version is "
            "complete",
        )

        entry = DossierEntry.objects.get(conversation=conversation, document="report")
        assert "jaaroverzicht-2026.pdf" in entry.content_json and EVALUATION_TEXT in entry.content_json
        page = year.visit("employee", "/dossier/", "personnel file (employee)")
        row = page.locator("main table tbody tr", has=page.locator(f'a[href="/dossier/stuk/{entry.pk}/"]'))
        expect(row).to_have_count(1)
        year.shot("employee", "personnel-file", "The signed evaluation in the employee's personnel file")
        page = year.visit("manager", f"/dossier/medewerkers/{cast.employee.pk}/", "personnel file (manager)")
        expect(page.locator(f'main a[href="/dossier/stuk/{entry.pk}/"]')).to_be_visible()
        year.proves(
            "Preset `archiving` (report of the evaluation: personnel_file true) with the attachment named in "
            "the signed content",
            "6. the signed evaluation report, naming the attachment and its hash, is in the personnel file",
        )

    # -- 7. the assessment ---------------------------------------------------------------------

    def assessment(self) -> Conversation:
        year, cast, cycle = self.year, self.cast, self.cycle
        plan_url = f"/gesprekken/plannen/{cycle.pk}/assessment/"
        self.year.at(ASSESSMENT_PLANNING_DAY, 9, "employee", "manager")
        page = year.visit("employee", "/gesprekken/", "my cycle (employee), the assessment due")
        expect(page.locator(f'main a[href="{plan_url}"]')).to_have_count(0)  # the manager records it
        page = year.visit("manager", f"/gesprekken/medewerkers/{cast.employee.pk}/", "cycle page (manager)")
        conversation = year.plan(
            "manager", cycle, "assessment", ASSESSMENT_DAY, location=TOWN_HALL, asks_conductor=False
        )
        url = assessment_url(conversation)

        self.year.at(ASSESSMENT_DAY, 11, "employee", "manager", "hr_adviser", "director")
        page = year.hold("manager", conversation, ASSESSMENT_DAY)
        page.wait_for_url(f"**{url}")
        year.check(page, "assessment page, the manager's form")
        year.show_assessment("manager", conversation, RATINGS, "3", MOTIVATION, other_aspects="3")
        year.shot("manager", "assessment", "The manager records the assessment on the evaluation")
        assessment = Assessment.objects.get(conversation=conversation)
        assert {k: str(v) for k, v in assessment.ratings.items() if k in RATINGS} == RATINGS

        page = year.visit("employee", url, "assessment page (employee)")
        expect(page.locator("main")).to_contain_text(MOTIVATION)
        expect(form(page, f"{url}bezwaar/")).to_have_count(0)
        response = form(page, f"{url}zienswijze/")
        response.locator("textarea[name=response]").fill(RESPONSE)
        submit(page, response.locator("button[name=to_signing]"))
        expect(success(page)).to_be_visible()
        year.check(page, "signing page (employee), the assessment")
        year.sign("employee", conversation)
        year.sign_with_keyboard("manager", signing_url(conversation), password=PASSWORD)
        assert signatures_of(conversation) == [("employee", "voor_gezien"), ("manager", "voor_akkoord")]
        conversation.refresh_from_db()
        assert conversation.status == Status.COMPLETED
        page = year.visit("employee", url, "assessment page (employee), signed")
        expect(form(page, f"{url}bezwaar/")).to_have_count(0)  # response only, no formal objection
        year.proves(
            "Seed 000 'De leidinggevende legt op basis van de evaluatie de beoordeling vast' / preset "
            "`assessment.after_kind: evaluation`, `recorded_by: manager`, aspects from the seed",
            "7. after the evaluation only the manager may plan the assessment; the manager rates the "
            "aspects tasks, quality, capacity and development",
        )
        year.proves(
            "Preset `assessment.objection.route: response_only` (our choice under the Wnra)",
            "7. the employee responds in writing and signs 'voor gezien'; no objection form is offered",
        )
        return conversation

    def assessment_in_the_file(self, conversation: Conversation) -> None:
        year, cast = self.year, self.cast
        entry = DossierEntry.objects.filter(conversation=conversation).latest("sequence")
        assert MOTIVATION in entry.content_json and RESPONSE in entry.content_json
        page = year.visit(
            "hr_adviser", f"/dossier/medewerkers/{cast.employee.pk}/", "personnel file (HR adviser)"
        )
        expect(page.locator(f'main a[href="/dossier/stuk/{entry.pk}/"]')).to_be_visible()
        evaluation_entry = DossierEntry.objects.get(conversation__kind="evaluation")
        expect(page.locator(f'main a[href="/dossier/stuk/{evaluation_entry.pk}/"]')).to_have_count(0)
        assert page.request.get(f"/dossier/stuk/{entry.pk}/").status == 200
        director = year.page("director")
        assert director.request.get(f"/dossier/stuk/{entry.pk}/").status in (403, 404)
        year.proves(
            "Preset `visibility.assessment: [employee, manager, hr_adviser]` and `archiving` (assessment in "
            "the personnel file)",
            "7. the HR adviser reads the signed assessment in the employee's file, not the evaluation "
            "report; the director reads neither",
        )


def test_zaanstad_year_free_form_records_with_attachments(browser, live_server, time_machine, cast):
    year = Year(
        "zaanstad",
        browser,
        live_server,
        time_machine,
        people={
            "hr_admin": cast.hr_admin,
            "employee": cast.employee,
            "manager": cast.manager,
            "director": cast.director,
            "hr_adviser": cast.hr_adviser,
            "colleague": cast.colleague,
        },
        title="Zaanstad — Spelregels gesprekscyclus",
    )
    try:
        flow = Zaanstad(year, cast)
        flow.put_in_force()
        january = flow.first_reminder()

        conversation = flow.plan_first()
        flow.prepare(conversation)
        flow.first_conversation(conversation)
        year.clock(CHECK_IN_DAY, 18, log_in=False)
        year.command("send_reminders", "--today", CHECK_IN_DAY.isoformat(), "--no-progress")
        flow.year.at(CHECK_IN_DAY, 18, "hr_adviser")
        page = year.visit("hr_adviser", "/organisatie/dashboard/", "compliance dashboard (HR adviser), after")
        after = stage_cells(page)
        held = [cells["held"].split("/")[0].strip() for cells in (january, after)]
        assert held == ["0", "1"], (january, after)
        assert CycleProgress.objects.get(cycle=flow.cycle).held >= 1
        year.shot("hr_adviser", "dashboard", "The HR dashboard after the first regular conversation")
        year.proves(
            "Seed 000 (the cycle happens) / HR dashboard",
            f"4. the dashboard's 'held' moves from {january['held']} to {after['held']}",
        )

        agreement = Agreement.objects.get(employee=cast.employee)
        flow.at_risk(agreement)
        second = flow.manager_takes_over()
        flow.change_agreement(second, agreement)

        flow.designate_during_leave()
        evaluation = flow.plan_evaluation()
        flow.evaluation(evaluation)
        assessment = flow.assessment()
        flow.assessment_in_the_file(assessment)
        year.finish()
    finally:
        year.close()
