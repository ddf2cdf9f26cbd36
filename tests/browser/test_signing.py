"""Signing and archiving under Kampen, through a real browser: a planning conversation
(resultaatgerichte afspraken / POP) in January and a progress conversation in June are
each planned by the manager, held, written up by the employee, approved by the manager,
and signed 'voor akkoord' by both, each in their own browser session with their password.
The signed reports land in the employee's personnel file as sealed PDFs, and the file
shows who else downloaded them.

The server's clock is fixed with time-machine (it ticks, and it is patched for the whole
process, so also for the live-server thread). Kampen's planning conversation is due from
1 December 2025 to 1 February 2026, the progress conversation from 1 June to 1 August
2026; the manager takes the initiative for both and the employee writes the report
(kampen.yaml). Elements are found by form field names, form actions and URLs rather than
by Dutch text. Every page visited is checked with axe (WCAG 2.1 A/AA); violations and
other faults are collected and asserted at the end, so that one fault does not hide the
rest of the flow."""

import datetime
import re
import zoneinfo

import pytest
from playwright.sync_api import expect

from gesprekscyclus.conversations.models import Conversation, Report, Status
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import cycles_open
from gesprekscyclus.dossiers.models import DossierEntry, DossierRead
from gesprekscyclus.dossiers.seal import check_seal
from gesprekscyclus.signatures.models import ReportVersion, Signature, VersionState
from tests.cycles.helpers import OPENED_ON, PERIOD, load

from .conftest import AccessibilityViolations, assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
KAMPEN_IN_FORCE = datetime.date(2012, 7, 12)  # kampen.yaml: source.effective_from
PLANNING_DAY = datetime.date(2026, 1, 19)  # planning is due 1 December 2025 - 1 February 2026
PROGRESS_DAY = datetime.date(2026, 6, 15)  # progress is due 1 June - 1 August 2026
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory
WRONG_PASSWORD = "correct horse battery stapler"

PLANNING_ANSWERS = {
    "results": "Alle aanvragen bijzondere bijstand binnen acht weken afgehandeld.",
    "courses": "Cursus Participatiewet, voorjaar 2026.",
    "behaviour": "Vaker zelf het overleg met de ketenpartners opzoeken.",
    "support": "Maandelijks coachingsgesprek met de teamleider.",
}
PROGRESS_ANSWERS = {
    "achieved": "De achterstand in de aanvragen is weggewerkt.",
    "to_achieve": "De doorlooptijd verder terugbrengen naar zes weken.",
    "adjustment": "Minder losse vragen tussendoor; een vast spreekuur.",
    "conclusions": "Op koers; de cursus Participatiewet is afgerond.",
    "agreements": "Spreekuur op dinsdag- en donderdagochtend.",
}


@pytest.fixture
def kampen(cast, time_machine):
    """The cast under Kampen with the 2026 cycles open, on 19 January 2026, 9:00."""
    load(cast.organisation, "kampen", in_force_from=KAMPEN_IN_FORCE)
    cycles_open(organisation=cast.organisation, year=PERIOD, today=OPENED_ON)
    time_machine.move_to(datetime.datetime.combine(PLANNING_DAY, datetime.time(9, 0), AMSTERDAM), tick=True)
    return cast


@pytest.fixture
def cycle(kampen) -> Cycle:
    return Cycle.objects.get(employee=kampen.employee, year=PERIOD)


@pytest.fixture
def second_page(browser, live_server):
    """A second browser with its own session, so two people can work side by side."""
    context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    other = context.new_page()
    other.set_default_timeout(10_000)
    yield other
    context.close()


class Flow:
    """The manager's and the employee's browsers, and the faults found on the way."""

    def __init__(self, manager, employee, kampen, cycle, time_machine):
        self.manager, self.employee = manager, employee
        self.cast, self.cycle, self.time_machine = kampen, cycle, time_machine
        self.problems: list[str] = []

    def clock(self, day: datetime.date, hour: int, minute: int = 0) -> None:
        self.time_machine.move_to(
            datetime.datetime.combine(day, datetime.time(hour, minute), AMSTERDAM), tick=True
        )

    def log_in_both(self) -> None:
        for page, person in ((self.manager, self.cast.manager), (self.employee, self.cast.employee)):
            page.context.clear_cookies()
            log_in(page, person.email, PASSWORD)

    def accessible(self, page, what: str = "") -> None:
        try:
            assert_accessible(page)
        except AccessibilityViolations as violations:
            self.problem(f"axe{f' ({what})' if what else ''}: {violations}")

    def problem(self, text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)

    def visit(self, page, url: str) -> None:
        page.goto(url)
        self.accessible(page)


def conversation_url(conversation: Conversation) -> str:
    return f"/gesprekken/gesprek/{conversation.pk}/"


def signing_url(conversation: Conversation) -> str:
    return f"/gesprekken/gesprek/{conversation.pk}/ondertekenen/"


def status_badge(page):
    return page.locator("#plan .gc-badge")


def sign_form(page, conversation: Conversation):
    return page.locator(f'main form[action="{signing_url(conversation)}tekenen/"]')


def signatures_of(conversation: Conversation) -> list[tuple[str, str]]:
    return list(
        Signature.objects.filter(version__conversation=conversation)
        .order_by("signed_at", "id")
        .values_list("role", "statement")
    )


# -- one conversation, from plan to archive -----------------------------------------------


def plan_hold_and_report(flow: Flow, kind: str, day: datetime.date, answers: dict) -> Conversation:
    """The manager plans (Kampen: the manager's initiative) and records the conversation
    as held; the employee writes and finishes the report (Kampen: report_by employee);
    the manager reads it and makes it ready for signing."""
    manager, employee, cycle = flow.manager, flow.employee, flow.cycle

    flow.visit(manager, f"/gesprekken/medewerkers/{flow.cast.employee.pk}/")
    plan_link = manager.locator(f'a[href="/gesprekken/plannen/{cycle.pk}/{kind}/"]')
    expect(plan_link).to_be_visible()
    plan_link.click()
    manager.wait_for_url(f"**/gesprekken/plannen/{cycle.pk}/{kind}/")
    flow.accessible(manager, f"plan {kind}")
    form = manager.locator("main form[method=post]")
    form.locator("input[name=date]").fill(day.isoformat())
    form.locator("input[name=time]").fill("10:00")
    form.locator("input[name=duration_minutes]").fill("60")
    form.locator("input[name=location]").fill("Kamer 2.14")
    form.locator("button[type=submit]").click()
    manager.wait_for_url("**/gesprekken/gesprek/*/")
    conversation = Conversation.objects.get(cycle=cycle, kind=kind)
    url = conversation_url(conversation)
    assert conversation.starts_at == datetime.datetime.combine(day, datetime.time(10, 0), AMSTERDAM)
    assert conversation.conductor_id == flow.cast.manager.pk
    flow.accessible(manager, f"{kind} planned")
    expect(status_badge(manager)).to_have_class("gc-badge gc-conversation--planned")

    # After the conversation (10:00-11:00) the manager records it as held.
    flow.clock(day, 11, 15)
    manager.reload()
    held_form = manager.locator(f'form[action="{url}gehouden/"]')
    held_form.locator("input[name=held_on]").fill(day.isoformat())
    held_form.locator("button[type=submit]").click()
    manager.wait_for_url(f"**{url}#report")
    flow.accessible(manager, f"{kind} held")
    expect(status_badge(manager)).to_have_class("gc-badge gc-conversation--held")
    # The employee writes the report, so the manager has no report form.
    expect(manager.locator(f'form[action="{url}verslag/"]')).to_have_count(0)

    # The employee writes the report and finishes it.
    flow.visit(employee, url)
    report_form = employee.locator(f'form[action="{url}verslag/"]')
    for item, answer in answers.items():
        report_form.locator(f"textarea[name=item_{item}]").fill(answer)
    report_form.locator("button[name=finish]").click()
    employee.wait_for_url(f"**{url}#report")
    flow.accessible(employee, f"{kind} report finished")
    expect(status_badge(employee)).to_have_class("gc-badge gc-conversation--report_written")
    assert Report.objects.get(conversation=conversation).answers == answers

    # The manager reads it and agrees: ready for signing.
    flow.visit(manager, url)
    for answer in answers.values():
        expect(manager.locator("#report-section")).to_contain_text(answer)
    manager.locator(f'form[action="{url}verslag/akkoord/"] button[type=submit]').click()
    manager.wait_for_url(f"**{url}#report")
    flow.accessible(manager, f"{kind} ready for signing")
    expect(status_badge(manager)).to_have_class("gc-badge gc-conversation--ready_for_signing")
    conversation.refresh_from_db()
    assert conversation.status == Status.READY_FOR_SIGNING
    return conversation


def sign(flow: Flow, page, conversation: Conversation, *, who: str, remark: str = "") -> None:
    """Open the signing page from the conversation page and sign with the password."""
    flow.visit(page, conversation_url(conversation))
    page.locator(f'main a[href="{signing_url(conversation)}"]').click()
    page.wait_for_url(f"**{signing_url(conversation)}")
    flow.accessible(page, "signing page")
    check_signing_page(flow, page, who)
    form = sign_form(page, conversation)
    version = ReportVersion.objects.get(conversation=conversation, state=VersionState.OPEN)
    expect(form.locator("input[type=hidden][name=expected_hash]")).to_have_value(version.content_hash)
    form.locator("textarea[name=remark]").fill(remark)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**{signing_url(conversation)}")
    expect(page.locator(".gc-alert--success")).to_be_visible()
    expect(page.locator(".gc-alert--error")).to_have_count(0)
    expect(sign_form(page, conversation)).to_have_count(0)  # signed: nothing left to sign
    flow.accessible(page, "signing page, signed")


def check_signing_page(flow: Flow, page, who: str) -> None:
    """axe with every panel open ('I do not sign', 'the employee refuses', 'needs a
    change'), and every field named by its own label: ids must be unique for that."""
    for summary in page.locator("main details > summary").all():
        summary.click()
    flow.accessible(page, f"signing page of the {who}, all panels open")
    duplicates = page.evaluate(
        """() => [...document.querySelectorAll('[id]')].map(e => e.id)
                 .filter((id, i, all) => all.indexOf(id) !== i)"""
    )
    if duplicates:
        flow.problem(
            f"signing page of the {who} (signatures/templates/signatures/sign.html): "
            f"duplicate ids {sorted(set(duplicates))}"
        )
    for field in page.locator("main form textarea, main form input:not([type=hidden])").all():
        label = field.locator("xpath=ancestor::div[contains(@class, 'gc-form-field')][1]/label").inner_text()
        form = field.locator("xpath=ancestor::form[1]").get_attribute("action")
        try:
            expect(field).to_have_accessible_name(label.strip(), timeout=1_000)
        except AssertionError:
            flow.problem(
                f"signing page of the {who}: field {field.get_attribute('name')!r} of the form posting to "
                f"{re.sub(r'/[0-9]+/', '/<id>/', form)} is not named by its label {label.strip()!r}: "
                f"{field.aria_snapshot()}"
            )
    page.reload()


def refused_with_a_wrong_password(flow: Flow, page, conversation: Conversation) -> None:
    """A wrong password shows an error and places no signature; the form stays."""
    flow.visit(page, signing_url(conversation))
    form = sign_form(page, conversation)
    form.locator("input[name=password]").fill(WRONG_PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**{signing_url(conversation)}")
    expect(page.locator(".gc-alert--error")).to_be_visible()
    expect(page.locator(".gc-alert--success")).to_have_count(0)
    expect(sign_form(page, conversation)).to_have_count(1)
    expect(sign_form(page, conversation).locator("input[name=password]")).to_have_value("")
    assert signatures_of(conversation) == []
    conversation.refresh_from_db()
    assert conversation.status == Status.READY_FOR_SIGNING
    flow.accessible(page, "signing page, wrong password")


def both_sign(flow: Flow, conversation: Conversation) -> None:
    employee, manager = flow.employee, flow.manager
    refused_with_a_wrong_password(flow, employee, conversation)
    sign(flow, employee, conversation, who="employee", remark="Akkoord.")
    assert signatures_of(conversation) == [("employee", "voor_akkoord")]
    conversation.refresh_from_db()
    assert conversation.status == Status.READY_FOR_SIGNING
    assert not DossierEntry.objects.filter(conversation=conversation).exists()

    sign(flow, manager, conversation, who="manager")
    assert signatures_of(conversation) == [("employee", "voor_akkoord"), ("manager", "voor_akkoord")]
    conversation.refresh_from_db()
    assert conversation.status == Status.COMPLETED
    assert ReportVersion.objects.get(conversation=conversation).state == VersionState.COMPLETE
    assert DossierEntry.objects.filter(conversation=conversation, document="report").count() == 1
    # The signing page now says it is complete, with both signatures.
    expect(manager.locator("main .gc-alert[role=status]").first).to_be_visible()
    expect(manager.locator("main table .gc-badge.gc-agreement--achieved")).to_have_count(2)

    # On the conversation page, for both: signed and archived, with a link to the signatures.
    for page in (employee, manager):
        flow.visit(page, conversation_url(conversation))
        expect(status_badge(page)).to_have_class("gc-badge gc-conversation--completed")
        url = conversation_url(conversation)
        signed_link = f'main .gc-alert[role=status] a[href="{signing_url(conversation)}"]'
        expect(page.locator(signed_link)).to_be_visible()
        expect(page.locator(f'form[action="{url}verslag/"]')).to_have_count(0)
        expect(page.locator(f'form[action="{url}verslag/akkoord/"]')).to_have_count(0)


# -- the personnel file --------------------------------------------------------------------


def download_pdf(flow: Flow, page, entry: DossierEntry) -> bytes:
    href = f"/dossier/stuk/{entry.pk}/"
    link = page.locator(f'main a[href="{href}"]')
    expect(link).to_be_visible()
    with (
        page.expect_response(lambda response: response.url.endswith(href)) as response_info,
        page.expect_download() as info,
    ):
        link.click()
    response = response_info.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    with open(info.value.path(), "rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF")
    seal = check_seal(pdf)
    if not seal.ok:
        flow.problem(f"{href}: the seal does not verify: {seal.problem}")
    # ... and the check means something: one changed byte inside the sealed range breaks it.
    tampered = pdf.replace(b"/Producer", b"/Producex", 1)
    assert tampered != pdf and not check_seal(tampered).ok
    return pdf


def reads_list(page):
    return page.locator("main section[aria-labelledby=reads] li")


# -- the test -------------------------------------------------------------------------------


def test_kampen_reports_are_signed_by_both_and_archived_sealed_in_the_personnel_file(
    page, second_page, kampen, cycle, time_machine
):
    flow = Flow(page, second_page, kampen, cycle, time_machine)
    flow.log_in_both()

    planning = plan_hold_and_report(flow, "planning", PLANNING_DAY, PLANNING_ANSWERS)
    both_sign(flow, planning)

    # Five months later (the sessions of January have long expired).
    flow.clock(PROGRESS_DAY, 9, 0)
    flow.log_in_both()
    progress = plan_hold_and_report(flow, "progress", PROGRESS_DAY, PROGRESS_ANSWERS)
    both_sign(flow, progress)

    # The employee's own file: two sealed reports, newest first; own downloads are not listed
    # under 'who read my file'.
    employee, manager = flow.employee, flow.manager
    entries = list(DossierEntry.objects.filter(employee=kampen.employee).order_by("-sequence"))
    assert [entry.conversation_id for entry in entries] == [progress.pk, planning.pk]
    flow.visit(employee, "/dossier/")
    expect(employee.locator("main table tbody tr")).to_have_count(2)
    for entry in entries:
        expect(employee.locator(f'main a[href="/dossier/stuk/{entry.pk}/"]')).to_be_visible()
    download_pdf(flow, employee, entries[0])
    employee.reload()
    flow.accessible(employee, "own file after own download")
    expect(reads_list(employee)).to_have_count(0)
    assert DossierRead.objects.filter(employee=kampen.employee, reader=kampen.employee.user).count() == 1

    # Kampen's visibility lets the manager read reports: the manager sees the file and
    # downloads one; the employee then sees that read.
    flow.visit(manager, f"/dossier/medewerkers/{kampen.employee.pk}/")
    expect(manager.locator("main table tbody tr")).to_have_count(2)
    download_pdf(flow, manager, entries[1])
    employee.reload()
    flow.accessible(employee, "own file after the manager's download")
    expect(reads_list(employee)).to_have_count(1)
    expect(reads_list(employee).first).to_contain_text(kampen.manager.user.get_full_name())
    expect(reads_list(employee).first).to_contain_text(entries[1].title)

    assert not flow.problems, "\n\n".join(flow.problems)
