"""The team overview and the HR compliance dashboard through a real browser: a director
finds their sector's figures, drills down with the keyboard, changes the period in place
and downloads the export; filters on the team overview stay in the address and survive
the back button and work without JavaScript; both pages have no WCAG 2.1 A/AA violations
and fit a phone. Faults found on the way are tested at the end.

The organisation is the one of ``tests.compliance.scenario`` (Kampen in force, calendar
years), committed to the database so that the live-server thread sees it, with a few
conversations held and the 2025 cycles opened too; the figures are computed with
``progress_refresh(today=TODAY)`` and the server's clock stands on TODAY, 10 August 2026
(time-machine patches the clock of the whole process, so also the live-server thread).
On that day the planning (due by 1 February) and progress conversation (due by 2 August)
of 2026 are both past, and every conversation of 2025 is. Sector Sociaal then has::

    SOC Sector Sociaal    Daan Dekker      planning held, progress overdue
    └── INK Team Inkomen  Mila Mulder      planning held, progress overdue
                          Emma Evers       both held: nothing overdue
                          Cas Claassen     both overdue
        └── NRD Team Noord  Tim Tromp, Puck Prins, Hugo Hendriks   both overdue

The pages are read in Dutch, the default language, by their roles and labels."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from gesprekscyclus.compliance.services import progress_refresh
from gesprekscyclus.cycles.services import cycles_open
from tests.compliance import scenario
from tests.compliance.scenario import PASSWORD, PLANNING, PROGRESS, TODAY, held

from .conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DASHBOARD = reverse("compliance:dashboard")
TEAM = reverse("cycles:team_schedule")
PHONE = {"width": 375, "height": 812}

# Longest overdue first (1 February, then 2 August), by last name within a day.
SECTOR_OVERDUE = ["Cas Claassen", "Hugo Hendriks", "Puck Prins", "Tim Tromp", "Daan Dekker", "Mila Mulder"]
# The team overview's default order: the most overdue conversations first, then by name.
SECTOR_OVERDUE_BY_URGENCY = SECTOR_OVERDUE
SECTOR_BY_URGENCY = [*SECTOR_OVERDUE, "Emma Evers"]
SECTOR_OVERDUE_BY_NAME = [
    "Cas Claassen",
    "Daan Dekker",
    "Hugo Hendriks",
    "Mila Mulder",
    "Puck Prins",
    "Tim Tromp",
]
CSV_HEADER = [
    "code",
    "eenheid",
    "niveau",
    "medewerkers",
    "met gesprekken aan de beurt",
    "gepland",
    "gepland %",
    "gevoerd",
    "gevoerd %",
    "verslag klaar",
    "verslag klaar %",
    "ondertekend",
    "ondertekend %",
    "in het personeelsdossier",
    "in het personeelsdossier %",
    "te laat",
]


@pytest.fixture
def world(cast, time_machine):
    """The scenario's organisation with its 2025 and 2026 cycles open; of 2026, Daan
    Dekker, Mila Mulder and Emma Evers held their planning conversation and Emma Evers her
    progress conversation too; nothing of 2025 was held. Figures refreshed on TODAY, and
    the clock on TODAY at ten."""
    world = scenario.base_world(cast)
    people = world.people
    for role in ("director", "manager", "employee"):
        held(people[role], PLANNING)
    held(people["employee"], PROGRESS)
    cycles_open(organisation=cast.organisation, year=2025, today=datetime.date(2024, 11, 20))
    assert progress_refresh(today=TODAY) == 28
    time_machine.move_to(scenario.at(TODAY), tick=True)
    return world


def tab_to(page, target, limit: int = 40) -> None:
    """Press Tab until ``target`` has the focus; fails when it is not reachable."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} not reached with Tab in {limit} steps")


def key_figure(page, label: str):
    """The number of the key figure with ``label``."""
    figures = page.get_by_role("list", name="Kerncijfers").get_by_role("listitem")
    return figures.filter(has_text=label).locator(".gc-kpi")


def row_headers(page, testid: str):
    return page.get_by_test_id(testid).locator("tbody th[scope=row]")


def team_names(page):
    return page.locator("#team tbody th[scope=row] a")


def mark_document(page) -> None:
    """Leave a mark on the window; it survives an htmx swap but not a page load."""
    page.evaluate("window.gcNotReloaded = true")


def not_reloaded(page) -> bool:
    return page.evaluate("window.gcNotReloaded === true")


# -- 1. the director's dashboard -------------------------------------------------------------


def test_director_reads_drills_down_changes_period_and_exports(page, world):
    cast = world.cast
    log_in(page, world.people["director"].email, PASSWORD)
    page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Dashboard").click()
    page.wait_for_url(f"**{DASHBOARD}")
    expect(page.get_by_role("heading", name="Dashboard gesprekscyclus", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Sector Sociaal, periode 2026", level=2)).to_be_visible()
    expect(key_figure(page, "medewerkers met een cyclus")).to_have_text("7")
    expect(key_figure(page, "met een gesprek te laat")).to_have_text("6")
    expect(row_headers(page, "overdue")).to_have_text(SECTOR_OVERDUE)
    expect(page.get_by_test_id("overdue").get_by_role("link", name="Emma Evers")).to_have_count(0)
    cas = (
        page.get_by_test_id("overdue")
        .get_by_role("row")
        .filter(has=page.get_by_role("link", name="Cas Claassen"))
    )
    expect(cas.locator("td")).to_have_text(
        ["Team Inkomen", "Mila Mulder", "Resultaatgerichte afspraken / POP-gesprek", "1 Feb 2026"]
    )
    expect(page.get_by_label("Eenheid", exact=True)).to_have_value(str(cast.sector.pk))
    # The sector itself and its one team.
    expect(row_headers(page, "units")).to_have_text(["Sector Sociaal zelf", "Team Inkomen"])
    assert_accessible(page)

    # Into Team Inkomen with the keyboard only.
    team_link = page.get_by_test_id("units").get_by_role("link", name="Team Inkomen")
    tab_to(page, team_link)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"\?unit={cast.team.pk}&period=2026$"))
    expect(page.get_by_role("heading", name="Team Inkomen, periode 2026", level=2)).to_be_visible()
    breadcrumb = page.get_by_role("navigation", name="Bovenliggende eenheden")
    expect(breadcrumb.get_by_role("link")).to_have_text(["Sector Sociaal"])  # not above their scope
    expect(breadcrumb.locator("[aria-current=page]")).to_have_text("Team Inkomen")
    expect(key_figure(page, "medewerkers met een cyclus")).to_have_text("6")
    expect(key_figure(page, "met een gesprek te laat")).to_have_text("5")
    expect(row_headers(page, "overdue")).to_have_text([n for n in SECTOR_OVERDUE if n != "Daan Dekker"])
    expect(row_headers(page, "units")).to_have_text(["Team Inkomen zelf", "Team Noord"])
    north = (
        page.get_by_test_id("units")
        .get_by_role("row")
        .filter(has=page.get_by_role("link", name="Team Noord"))
    )
    # employees, due so far, planned, held, report finished, signed, in the file, overdue
    expect(north.locator("td")).to_have_text(["3", "3", "0%", "0%", "0%", "0%", "0%", "3"])
    expect(page.get_by_label("Eenheid", exact=True)).to_have_value(str(cast.team.pk))
    assert_accessible(page)

    # Another period: the board changes in place, the address follows.
    mark_document(page)
    with page.expect_response(lambda response: "period=2025" in response.url) as answer:
        page.get_by_label("Periode", exact=True).select_option("2025")
    assert answer.value.request.headers.get("hx-request") == "true"
    page.wait_for_url(re.compile(rf"\?unit={cast.team.pk}&period=2025$"))
    expect(page.get_by_role("heading", name="Team Inkomen, periode 2025", level=2)).to_be_visible()
    assert not_reloaded(page), "choosing a period reloaded the whole page"
    expect(key_figure(page, "medewerkers met een cyclus")).to_have_text("6")
    expect(key_figure(page, "met een gesprek te laat")).to_have_text("6")  # nothing of 2025 held
    expect(page.get_by_test_id("overdue").get_by_role("link", name="Emma Evers")).to_be_visible()
    assert_accessible(page)

    # The exports of what is on the screen: Team Inkomen and Team Noord in 2025.
    xlsx = page.get_by_role("link", name="Eenheden en medewerkers met een gesprek te laat (Excel, XLSX)")
    expect(xlsx).to_have_attribute("href", re.compile(rf"export\.xlsx\?unit={cast.team.pk}&period=2025$"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Eenheden (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "dashboard-INK-2025.csv"
    with open(download.path(), encoding="utf-8", newline="") as file:
        rows = list(csv.reader(io.StringIO(file.read())))
    assert rows[0] == CSV_HEADER
    by_code = {row[0]: dict(zip(CSV_HEADER, row, strict=True)) for row in rows[1:]}
    assert set(by_code) == {"INK", "NRD"}
    assert (by_code["INK"]["eenheid"], by_code["INK"]["niveau"]) == ("Team Inkomen", "0")
    assert (by_code["INK"]["medewerkers"], by_code["INK"]["te laat"]) == ("6", "6")
    assert (by_code["NRD"]["eenheid"], by_code["NRD"]["niveau"]) == ("Team Noord", "1")
    assert (by_code["NRD"]["medewerkers"], by_code["NRD"]["te laat"]) == ("3", "3")
    assert float(by_code["INK"]["gevoerd %"]) == 0.0

    # Back up through the breadcrumb, staying in 2025.
    breadcrumb.get_by_role("link", name="Sector Sociaal").click()
    page.wait_for_url(re.compile(rf"\?unit={cast.sector.pk}&period=2025$"))
    expect(page.get_by_role("heading", name="Sector Sociaal, periode 2025", level=2)).to_be_visible()
    expect(key_figure(page, "medewerkers met een cyclus")).to_have_text("7")
    expect(page.get_by_label("Periode", exact=True)).to_have_value("2025")


# -- 2. the team overview --------------------------------------------------------------------


def test_director_filters_and_sorts_the_team_overview_and_goes_back(page, world):
    cast = world.cast
    log_in(page, world.people["director"].email, PASSWORD)
    page.goto(TEAM)
    expect(page.get_by_role("heading", name="Mijn team", level=1)).to_be_visible()
    expect(team_names(page)).to_have_text(["Mila Mulder"])  # the one direct report
    mark_document(page)

    page.get_by_label("Overzicht van").select_option(str(cast.sector.pk))
    page.wait_for_url(re.compile(rf"unit={cast.sector.pk}"))
    expect(page.get_by_text("7 personen")).to_be_visible()
    expect(team_names(page)).to_have_text(SECTOR_BY_URGENCY)

    page.get_by_label("Stand van de cyclus").select_option("overdue")
    page.wait_for_url(re.compile(r"status=overdue"))
    expect(page.get_by_text("6 personen")).to_be_visible()
    expect(team_names(page)).to_have_text(SECTOR_OVERDUE_BY_URGENCY)
    expect(page.locator("#team tbody .gc-status--overdue")).to_have_count(6)  # a "te laat" badge each
    assert_accessible(page)

    page.get_by_label("Sorteren op").select_option("name")
    page.wait_for_url(re.compile(r"status=overdue.*sort=name"))
    expect(team_names(page)).to_have_text(SECTOR_OVERDUE_BY_NAME)
    assert not_reloaded(page), "a filter reloaded the whole page"
    assert_accessible(page)

    # Back: the whole page again (heading, filter form, list), not a bare fragment.
    page.go_back()
    page.wait_for_url(re.compile(r"status=overdue.*sort=urgency"))
    expect(team_names(page)).to_have_text(SECTOR_OVERDUE_BY_URGENCY)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main form.gc-filters")).to_be_visible()
    expect(page.get_by_label("Stand van de cyclus")).to_be_visible()
    expect(page.get_by_role("button", name="Tonen")).to_be_visible()
    expect(page.get_by_role("navigation", name="Hoofdnavigatie")).to_be_visible()
    assert_accessible(page)

    # htmx keeps no snapshots of pages in the browser's storage (they would hold personnel
    # data after logging out): going forward loads the whole page from the server anew.
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is None
    with page.expect_response(lambda response: "sort=name" in response.url) as answer:
        page.go_forward()
    assert answer.value.request.headers.get("hx-request") is None
    expect(team_names(page)).to_have_text(SECTOR_OVERDUE_BY_NAME)
    expect(page.get_by_role("heading", name="Teamoverzicht: Sector Sociaal", level=1)).to_be_visible()
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("main form.gc-filters")).to_have_count(1)
    expect(page.get_by_label("Stand van de cyclus")).to_have_value("overdue")
    expect(page.get_by_label("Sorteren op")).to_have_value("name")
    assert_accessible(page)

    # Back step by step to where the director started. Each step waits until the page it
    # came to has loaded and htmx listens again (a person cannot press Back faster than a
    # page appears; a test can, before the deferred script has run).
    back_when_ready(page)
    page.wait_for_url(re.compile(r"status=overdue.*sort=urgency"))
    expect(team_names(page)).to_have_text(SECTOR_OVERDUE_BY_URGENCY)
    back_when_ready(page)
    page.wait_for_url(re.compile(r"status=&sort=urgency"))
    expect(team_names(page)).to_have_text(SECTOR_BY_URGENCY)
    back_when_ready(page)
    page.wait_for_url(re.compile(rf"{TEAM}$"))
    expect(page.get_by_role("heading", name="Mijn team", level=1)).to_be_visible()
    expect(team_names(page)).to_have_text(["Mila Mulder"])


def back_when_ready(page) -> None:
    """Press Back once the page has loaded and htmx has started."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined")
    page.go_back()


def test_team_overview_filters_without_javascript(browser, live_server, world):
    """The "Tonen" button submits the filters as an ordinary form: a whole page."""
    cast = world.cast
    context = browser.new_context(locale="nl-NL", base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto("/account/inloggen/")
        page.get_by_label("E-mailadres").fill(world.people["director"].email)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url("**/overzicht/")
        page.goto(TEAM)
        page.get_by_label("Overzicht van").select_option(str(cast.sector.pk))
        page.get_by_label("Stand van de cyclus").select_option("overdue")
        page.get_by_label("Sorteren op").select_option("name")
        page.get_by_role("button", name="Tonen").click()
        page.wait_for_url(re.compile(rf"unit={cast.sector.pk}.*status=overdue.*sort=name"))
        expect(page.get_by_role("heading", name="Teamoverzicht: Sector Sociaal", level=1)).to_be_visible()
        expect(team_names(page)).to_have_text(SECTOR_OVERDUE_BY_NAME)
        expect(page.get_by_label("Stand van de cyclus")).to_have_value("overdue")
    finally:
        context.close()


# -- 3. accessibility --------------------------------------------------------------------------


def test_dashboard_and_team_overview_have_no_wcag_violations(page, world):
    """As HR administrator: the whole organisation, a unit three levels down, and the team
    overview of the whole organisation with filters (also when nobody matches)."""
    cast = world.cast
    log_in(page, world.people["hr_admin"].email, PASSWORD)
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Gemeente Teststad, periode 2026", level=2)).to_be_visible()
    expect(row_headers(page, "units")).to_have_text(
        ["Gemeente Teststad zelf", "Sector Fysiek", "Sector Sociaal", "Team P&O"]
    )
    expect(key_figure(page, "medewerkers met een cyclus")).to_have_text("14")
    assert_accessible(page)

    # Down the tree with the chooser: it offers the top levels, then the chosen unit's children.
    chooser = page.get_by_label("Eenheid", exact=True)
    expect(chooser.locator(f'option[value="{world.north.pk}"]')).to_have_count(0)
    chooser.select_option(str(cast.team.pk))
    expect(page.get_by_role("heading", name="Team Inkomen, periode 2026", level=2)).to_be_visible()
    chooser.select_option(str(world.north.pk))
    expect(page.get_by_role("heading", name="Team Noord, periode 2026", level=2)).to_be_visible()
    expect(chooser).to_have_value(str(world.north.pk))
    # With the keyboard: one up is Team Inkomen again, and the focus stays on the chooser.
    chooser.focus()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("heading", name="Team Inkomen, periode 2026", level=2)).to_be_visible()
    expect(chooser).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("heading", name="Team Noord, periode 2026", level=2)).to_be_visible()
    breadcrumb = page.get_by_role("navigation", name="Bovenliggende eenheden")
    expect(breadcrumb.get_by_role("link")).to_have_text(
        ["Gemeente Teststad", "Sector Sociaal", "Team Inkomen"]
    )
    assert_accessible(page)

    page.goto(f"{TEAM}?unit={cast.root.pk}&status=overdue&sort=unit")
    expect(page.get_by_role("heading", name="Teamoverzicht: Gemeente Teststad", level=1)).to_be_visible()
    expect(page.get_by_text("12 personen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("alleen met afspraken in gevaar").check()
    expect(page.get_by_text("Niemand voldoet aan deze filters.")).to_be_visible()
    assert_accessible(page)


# -- 4. a phone ----------------------------------------------------------------------------------


def page_scrolls_sideways(page) -> dict:
    """How far the page itself can be scrolled sideways (tables scroll inside their wrap)."""
    return page.evaluate(
        """() => {
            window.scrollTo(10000, window.scrollY);
            const scrolled = window.scrollX;
            window.scrollTo(0, window.scrollY);
            const root = document.documentElement;
            return {scrolled, overflow: root.scrollWidth - root.clientWidth};
        }"""
    )


def outside_viewport(page, selector: str) -> list[str]:
    """The elements matching ``selector`` that stick out of the viewport on either side."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
            .map(element => [element, element.getBoundingClientRect()])
            .filter(([, box]) => box.left < 0 || box.right > document.documentElement.clientWidth + 0.5)
            .map(([element, box]) => `${element.id || element.className}: ${box.left}..${box.right}`)""",
        selector,
    )


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(locale="nl-NL", base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_dashboard_and_team_overview_fit_a_phone(phone, world):
    cast = world.cast
    log_in(phone, world.people["hr_admin"].email, PASSWORD)
    for url in (DASHBOARD, f"{DASHBOARD}?unit={world.north.pk}&period=2026"):
        phone.goto(url)
        expect(phone.locator("svg.gc-chart")).to_have_count(2)
        assert page_scrolls_sideways(phone) == {"scrolled": 0, "overflow": 0}, url
        assert outside_viewport(phone, "svg.gc-chart, .gc-table-wrap, .gc-card, form, h1, h2") == [], url
    # The unit table is wider than a phone: it scrolls inside its wrap, not the page.
    phone.goto(DASHBOARD)
    wrap = phone.get_by_test_id("units").locator("xpath=..")
    assert wrap.evaluate("element => element.scrollWidth > element.clientWidth")

    phone.goto(f"{TEAM}?unit={cast.root.pk}&status=overdue")
    expect(phone.get_by_text("12 personen")).to_be_visible()
    assert page_scrolls_sideways(phone) == {"scrolled": 0, "overflow": 0}
    assert outside_viewport(phone, ".gc-table-wrap, form, h1") == []
    assert_accessible(phone)


# -- faults found while writing these tests, now fixed ---------------------------------------------
# A wide table scrolls inside a region that takes the keyboard focus; an in-place filter keeps
# the title and heading in step; going back shows the filters that belong to the list.


def test_dashboard_on_a_phone_has_no_wcag_violations(phone, world):
    log_in(phone, world.people["hr_admin"].email, PASSWORD)
    phone.goto(DASHBOARD)
    expect(phone.get_by_role("heading", name="Gemeente Teststad, periode 2026", level=2)).to_be_visible()
    assert_accessible(phone)


def test_team_overview_heading_follows_the_chosen_unit(page, world):
    log_in(page, world.people["director"].email, PASSWORD)
    page.goto(TEAM)
    page.get_by_label("Overzicht van").select_option(str(world.cast.sector.pk))
    expect(page.get_by_text("7 personen")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teamoverzicht: Sector Sociaal", timeout=2_000)


def test_team_overview_back_shows_the_filters_of_the_list(page, world):
    log_in(page, world.people["director"].email, PASSWORD)
    page.goto(TEAM)
    page.get_by_label("Overzicht van").select_option(str(world.cast.sector.pk))
    expect(page.get_by_text("7 personen")).to_be_visible()
    page.get_by_label("Stand van de cyclus").select_option("overdue")
    expect(page.get_by_text("6 personen")).to_be_visible()
    page.get_by_label("Sorteren op").select_option("name")
    expect(team_names(page)).to_have_text(SECTOR_OVERDUE_BY_NAME)
    page.go_back()
    expect(team_names(page)).to_have_text(SECTOR_OVERDUE_BY_URGENCY)  # the list is right …
    expect(page.get_by_label("Overzicht van")).to_have_value(str(world.cast.sector.pk), timeout=2_000)
    expect(page.get_by_label("Stand van de cyclus")).to_have_value("overdue", timeout=2_000)


def test_dashboard_back_shows_the_period_of_the_figures(page, world):
    log_in(page, world.people["director"].email, PASSWORD)
    page.goto(f"{DASHBOARD}?unit={world.cast.team.pk}&period=2026")
    period = page.get_by_label("Periode", exact=True)
    period.select_option("2025")
    expect(page.get_by_role("heading", name="Team Inkomen, periode 2025", level=2)).to_be_visible()
    period.select_option("2024")
    expect(page.get_by_role("heading", name="Team Inkomen, periode 2024", level=2)).to_be_visible()
    page.go_back()
    expect(page.get_by_role("heading", name="Team Inkomen, periode 2025", level=2)).to_be_visible()
    expect(period).to_have_value("2025", timeout=2_000)
