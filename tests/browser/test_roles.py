"""Each role of the demo municipality logs in through a real browser and sees the
overview its role allows, on pages with no WCAG 2.1 A/AA violations."""

import pytest
from playwright.sync_api import expect

from gesprekscyclus.demo.municipality import DEMO_PASSWORD, load_demo
from gesprekscyclus.organisations.models import Employee

from .conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    organisation, logins = load_demo(year=2026)
    return organisation, {login.role: login for login in logins}


def _employee(email: str) -> Employee:
    return Employee.objects.select_related("manager").get(email=email)


def test_employee_sees_own_details_and_manager_but_no_team(page, demo):
    _, logins = demo
    me = _employee(logins["employee"].email)
    log_in(page, me.email, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Mijn overzicht")).to_be_visible()
    expect(page.get_by_text(me.personnel_number)).to_be_visible()
    expect(page.get_by_text(me.manager.full_name)).to_be_visible()
    expect(page.get_by_role("heading", name="Mijn team")).to_have_count(0)
    expect(page.get_by_role("link", name="Beheer", exact=True)).to_have_count(0)
    assert_accessible(page)


def test_manager_sees_team_and_opens_a_team_member(page, demo):
    _, logins = demo
    manager = _employee(logins["manager"].email)
    report = (
        Employee.objects.filter(manager=manager, employment_end__isnull=True).order_by("last_name").first()
    )
    log_in(page, manager.email, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Mijn team")).to_be_visible()
    page.get_by_role("link", name=report.full_name).first.click()
    expect(page.get_by_role("heading", name=report.full_name, level=1)).to_be_visible()
    assert_accessible(page)


def test_director_sees_units_of_the_sector_only(page, demo):
    _, logins = demo
    log_in(page, logins["director"].email, DEMO_PASSWORD)
    units = page.get_by_role("region", name="Eenheden waar ik overzicht over heb")
    expect(units.get_by_role("link", name="Team Inkomen")).to_be_visible()
    expect(units.get_by_role("link", name="Team Groen")).to_have_count(0)
    units.get_by_role("link", name="Team Inkomen").click()
    expect(page.get_by_role("heading", name="Team Inkomen", level=1)).to_be_visible()
    assert_accessible(page)


def test_hr_adviser_searches_employees_in_their_units(page, demo):
    _, logins = demo
    log_in(page, logins["hr_adviser"].email, DEMO_PASSWORD)
    page.get_by_role("link", name="Medewerkers").click()
    assert_accessible(page)
    employee = _employee(logins["employee"].email)
    page.get_by_label("Zoek op naam, e-mailadres of personeelsnummer").fill(employee.personnel_number)
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("link", name=employee.full_name)).to_be_visible()
    expect(page.get_by_text("1 medewerker gevonden")).to_be_visible()


def test_hr_admin_reaches_import_page(page, demo):
    _, logins = demo
    log_in(page, logins["hr_admin"].email, DEMO_PASSWORD)
    page.get_by_role("link", name="Beheer", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Import starten").click()
    expect(page.get_by_role("heading", name="Organisatie importeren")).to_be_visible()
    assert_accessible(page)


def test_wrong_password_is_refused_with_a_clear_message(page, demo):
    _, logins = demo
    page.goto("/account/inloggen/")
    page.get_by_label("E-mailadres").fill(logins["employee"].email)
    page.get_by_label("Wachtwoord").fill("niet-het-goede-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)


def test_language_switch_to_english(page, demo):
    _, logins = demo
    log_in(page, logins["employee"].email, DEMO_PASSWORD)
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wissel").click()
    expect(page.get_by_role("heading", name="My overview")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)


def test_keyboard_only_login_and_skip_link(page, demo):
    _, logins = demo
    page.goto("/account/inloggen/")
    expect(page.get_by_label("E-mailadres")).to_be_focused()  # autofocus on arrival
    page.keyboard.type(logins["manager"].email)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/overzicht/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    expect(page.get_by_role("heading", name="Mijn team")).to_be_visible()
