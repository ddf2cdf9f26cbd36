"""A conversation from plan to report, through a real browser: the manager plans it, the
employee prepares, the report is written with autosave and made ready for signing, and an
agreement made in the conversation shows on the employee's cycle page.

The server's 'today' is fixed at 15 June 2026 (time-machine patches the clock for the
whole process, so also the live-server thread): Heemstede's progress conversation
(initiative: either side) is then due, from 1 June to 1 August. Elements are found by
form field names, form actions and URLs rather than by Dutch text, which is still being
translated. Every page visited is checked with axe (WCAG 2.1 A/AA)."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gesprekscyclus.agreements.models import Agreement
from gesprekscyclus.conversations import services
from gesprekscyclus.conversations.models import Conversation, Preparation, Report, Status
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import cycles_open
from tests.cycles.helpers import OPENED_ON, PERIOD, load

from .conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
TODAY = datetime.date(2026, 6, 15)  # progress is due 1 June - 1 August 2026
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory
MY_CYCLE = "/gesprekken/"


@pytest.fixture
def opened(cast, time_machine):
    """The cast under Heemstede with the 2026 cycles open, on 15 June 2026 (clock ticking)."""
    load(cast.organisation)
    cycles_open(organisation=cast.organisation, year=PERIOD, today=OPENED_ON)
    time_machine.move_to(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=AMSTERDAM), tick=True)
    return cast


@pytest.fixture
def cycle(opened) -> Cycle:
    return Cycle.objects.get(employee=opened.employee, year=PERIOD)


@pytest.fixture
def second_page(browser, live_server):
    """A second browser with its own session, so two people can work side by side."""
    context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    other = context.new_page()
    other.set_default_timeout(10_000)
    yield other
    context.close()


@pytest.fixture
def as_manager(page, opened):
    log_in(page, opened.manager.email, PASSWORD)
    return page


@pytest.fixture
def as_employee(second_page, opened):
    log_in(second_page, opened.employee.email, PASSWORD)
    return second_page


def planned(cycle: Cycle, opened, *, at: datetime.datetime) -> Conversation:
    """A progress conversation planned by the manager (through the service, as set-up)."""
    return services.conversation_plan(
        cycle=cycle,
        kind="progress",
        starts_at=at,
        duration_minutes=60,
        location="Kamer 2.14",
        acting_user=opened.manager.user,
        today=TODAY,
    )


def visit(page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


def conversation_url(conversation: Conversation) -> str:
    return f"/gesprekken/gesprek/{conversation.pk}/"


def employee_cycle_url(opened) -> str:
    return f"/gesprekken/medewerkers/{opened.employee.pk}/"


def tab_to(page, target, limit: int = 20) -> None:
    """Press Tab until ``target`` has the focus; fails when it is not reachable."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} not reached with Tab in {limit} steps")


def status_badge(page):
    return page.locator("#plan .gc-badge")


# -- 1. planning ---------------------------------------------------------------------------


def test_manager_plans_with_the_keyboard_and_both_see_the_conversation(
    as_manager, as_employee, opened, cycle
):
    page = as_manager
    visit(page, employee_cycle_url(opened))
    plan_link = page.locator(f'a[href="/gesprekken/plannen/{cycle.pk}/progress/"]')
    expect(plan_link).to_be_visible()
    plan_link.click()
    page.wait_for_url(f"**/gesprekken/plannen/{cycle.pk}/progress/")
    assert_accessible(page)

    # Date and time through Playwright (the segments of Chromium's date and time controls
    # follow the browser's own locale); the rest with the keyboard only. The start time
    # is forgotten at first.
    form = page.locator("main form[method=post]")
    submit = form.locator("button[type=submit]")
    form.locator("input[name=date]").fill("2026-06-22")
    form.locator("input[name=duration_minutes]").focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("45")
    tab_to(page, form.locator("input[name=location]"))
    page.keyboard.type("Kamer 2.14")
    tab_to(page, submit)
    page.keyboard.press("Enter")

    # Refused: the error summary links to the field, and the field points at its error.
    expect(page.get_by_role("alert").locator('a[href="#id_time"]')).to_be_visible()
    assert_accessible(page)
    time_field = form.locator("input[name=time]")
    expect(time_field).to_have_attribute("aria-invalid", "true")
    problems = []
    described_by = (time_field.get_attribute("aria-describedby") or "").split()
    missing = [ref for ref in described_by if page.locator(f"#{ref}").count() == 0]
    if not described_by or missing:
        problems.append(f"aria-describedby of the start time refers to missing ids {missing or described_by}")
    expect(form.locator("input[name=location]")).to_have_value("Kamer 2.14")  # kept

    time_field.fill("10:30")
    time_field.focus()
    tab_to(page, submit)
    page.keyboard.press("Enter")

    page.wait_for_url("**/gesprekken/gesprek/*/")
    conversation = Conversation.objects.get(cycle=cycle, kind="progress")
    assert conversation.starts_at == datetime.datetime(2026, 6, 22, 10, 30, tzinfo=AMSTERDAM)
    assert (conversation.duration_minutes, conversation.location) == (45, "Kamer 2.14")
    assert conversation.conductor_id == opened.manager.pk
    assert_accessible(page)
    expect(status_badge(page)).to_have_class("gc-badge gc-conversation--planned")
    ics = page.locator(f'a[href="/gesprekken/gesprek/{conversation.pk}/agenda.ics"]')
    expect(ics).to_be_visible()
    response = page.request.get(ics.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in response.text()
    # 'Move the conversation' starts from the planned date and time (checked at the end,
    # so that the rest of the flow is still exercised).
    moved_date = page.locator("input[name=move-date]").input_value()
    moved_time = page.locator("input[name=move-time]").input_value()
    if moved_date != "2026-06-22" or moved_time not in ("10:30", "10:30:00"):
        problems.append(
            f"move form shows date {moved_date!r} and time {moved_time!r}, not 2026-06-22 10:30 "
            f"(rendered value={page.locator('input[name=move-date]').get_attribute('value')!r})"
        )

    # The manager's view of the cycle: listed as planned, no second 'Plan' for it.
    visit(page, employee_cycle_url(opened))
    expect(page.locator(f'a[href="{conversation_url(conversation)}"]')).to_be_visible()
    expect(plan_link).to_have_count(0)

    # The employee's own cycle page.
    visit(as_employee, MY_CYCLE)
    expect(as_employee.locator(f'a[href="{conversation_url(conversation)}"]')).to_be_visible()
    expect(as_employee.locator('a[href^="/gesprekken/plannen/"][href$="/progress/"]')).to_have_count(0)

    assert not problems, problems


# -- 2. preparation ------------------------------------------------------------------------


def test_employee_prepares_privately_then_shares_with_the_manager(as_manager, as_employee, opened, cycle):
    conversation = planned(cycle, opened, at=datetime.datetime(2026, 6, 22, 10, 0, tzinfo=AMSTERDAM))
    url = conversation_url(conversation)
    topics = "Werkdruk in de zomer en de cursus Wmo-recht"
    preparation_form = f'form[action="{url}voorbereiding/"]'

    employee = as_employee
    visit(employee, url)
    employee.locator(f"{preparation_form} textarea[name=topics]").fill(topics)
    employee.locator(f"{preparation_form} button[type=submit]:not([name])").click()
    employee.wait_for_url(f"**{url}#preparation")
    assert_accessible(employee)
    expect(employee.locator("textarea[name=topics]")).to_have_value(topics)
    saved = Preparation.objects.get(conversation=conversation, side="employee")
    assert saved.topics == topics and saved.shared_at is None

    manager = as_manager
    visit(manager, url)
    expect(manager.locator("main")).not_to_contain_text(topics)

    employee.locator(f"{preparation_form} button[name=share]").click()
    employee.wait_for_url(f"**{url}#preparation")
    assert_accessible(employee)
    expect(status_badge(employee)).to_have_class("gc-badge gc-conversation--prepared")

    manager.reload()
    expect(manager.locator("#preparation-section")).to_contain_text(topics)
    assert_accessible(manager)


# -- 3. held, report, ready for signing ----------------------------------------------------


def test_report_autosaves_is_finished_and_made_ready_for_signing(as_manager, as_employee, opened, cycle):
    conversation = planned(cycle, opened, at=datetime.datetime(2026, 6, 15, 8, 0, tzinfo=AMSTERDAM))
    url = conversation_url(conversation)

    employee = as_employee
    visit(employee, url)
    held_form = employee.locator(f'form[action="{url}gehouden/"]')
    held_form.locator("input[name=held_on]").fill(TODAY.isoformat())  # see test 1: not prefilled in nl
    held_form.locator("button[type=submit]").click()
    employee.wait_for_url(f"**{url}#report")
    assert_accessible(employee)
    expect(status_badge(employee)).to_have_class("gc-badge gc-conversation--held")

    # Autosave: typing posts the form with htmx after a pause; only the status changes.
    status = employee.locator("#report-save-status")
    before = status.inner_text()
    employee.evaluate("window.stillTheSamePage = true")
    start_version = Report.objects.get(conversation=conversation).version
    answer = "Het gaat goed; de achterstand is weggewerkt."
    employee.locator("textarea[name=item_how_it_goes]").press_sequentially(answer)
    expect(status.get_by_role("status")).to_be_visible()
    expect(status).not_to_have_text(before)
    assert employee.evaluate("window.stillTheSamePage === true"), "the page reloaded"
    report = Report.objects.get(conversation=conversation)
    assert report.answers == {"how_it_goes": answer}
    assert report.version == start_version + 1  # one save, after the pause
    expect(status).to_contain_text(timezone.localtime(report.updated_at).strftime("%H:%M"))
    expect(employee.locator("input[name=version]")).to_have_value(str(report.version))  # swapped in
    assert_accessible(employee)

    employee.locator("button[name=finish]").click()
    employee.wait_for_url(f"**{url}#report")
    assert_accessible(employee)
    expect(status_badge(employee)).to_have_class("gc-badge gc-conversation--report_written")
    expect(employee.locator("button[name=finish]")).to_have_count(0)

    manager = as_manager
    visit(manager, url)
    expect(manager.locator("#report-section")).to_contain_text(answer)
    manager.locator(f'form[action="{url}verslag/akkoord/"] button[type=submit]').click()
    manager.wait_for_url(f"**{url}#report")
    assert_accessible(manager)
    expect(status_badge(manager)).to_have_class("gc-badge gc-conversation--ready_for_signing")
    conversation.refresh_from_db()
    assert conversation.status == Status.READY_FOR_SIGNING


# -- 4. agreements -------------------------------------------------------------------------


def test_agreement_made_in_the_conversation_shows_on_the_employee_cycle_page(
    as_manager, as_employee, opened, cycle
):
    conversation = planned(cycle, opened, at=datetime.datetime(2026, 6, 22, 10, 0, tzinfo=AMSTERDAM))
    url = conversation_url(conversation)
    description = "Cursus Wmo-recht afronden"

    manager = as_manager
    visit(manager, url)
    form = manager.locator(f'form[action="/gesprekken/gesprek/{conversation.pk}/afspraken/"]')
    form.locator("xpath=ancestor::details/summary").click()
    form.locator("select[name=kind]").select_option("development")
    form.locator("textarea[name=description]").fill(description)
    form.locator("input[name=target]").fill("Certificaat behaald")
    form.locator("input[name=deadline]").fill("2026-12-01")
    assert_accessible(manager)  # with the form open
    form.locator("button[type=submit]").click()
    manager.wait_for_url(f"**{url}#agreements")
    assert_accessible(manager)
    agreement = Agreement.objects.get(made_in=conversation)
    expect(manager.locator("#agreements-section")).to_contain_text(description)

    employee = as_employee
    visit(employee, MY_CYCLE)
    link = employee.locator(f'a[href="/gesprekken/afspraken/{agreement.pk}/"]')
    expect(link).to_have_text(description)
    expect(employee.get_by_role("region").filter(has=link)).to_have_count(1)
