"""The HR administrator issues an API token with the keyboard, copies the secret shown
once, and reads the interactive API documentation, which works under the strict CSP."""

import pytest
from playwright.sync_api import expect

from gesprekscyclus.api.models import ApiToken
from gesprekscyclus.demo.municipality import DEMO_PASSWORD, load_demo

from .conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hr_admin():
    organisation, logins = load_demo(year=2026)
    return organisation, next(login for login in logins if login.role == "hr_admin")


def test_issue_a_token_with_the_keyboard_and_use_it(page, hr_admin, live_server):
    organisation, login = hr_admin
    log_in(page, login.email, DEMO_PASSWORD)
    page.get_by_role("link", name="Beheer", exact=True).click()
    page.get_by_role("link", name=f"API-sleutels van {organisation.name}").click()
    expect(page.get_by_role("heading", name=f"API-sleutels van {organisation.name}")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Naam").focus()
    page.keyboard.type("Koppeling AFAS")
    page.keyboard.press("Tab")  # the first scope, "read", is ticked already
    page.get_by_label("Medewerkers en eenheden aanmaken en bijwerken").press("Space")
    page.get_by_role("button", name="Sleutel uitgeven").press("Enter")

    secret_field = page.get_by_label("Sleutel", exact=True)
    expect(secret_field).to_be_visible()
    secret = secret_field.input_value()
    token = ApiToken.objects.get(name="Koppeling AFAS")
    assert secret.startswith(f"gc_{token.prefix}_")
    assert sorted(token.scopes) == ["employees:write", "read"]
    expect(page.get_by_role("cell", name="Koppeling AFAS", exact=True)).to_be_visible()
    assert_accessible(page)

    response = page.request.get(
        f"{live_server.url}/api/v1/organisations/", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status == 200 and response.json()["results"][0]["name"] == organisation.name

    page.reload()
    expect(page.get_by_label("Sleutel", exact=True)).to_have_count(0)  # shown only once


def test_the_interactive_api_docs_work_under_the_csp(page, hr_admin):
    _, login = hr_admin
    violations = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and violations.append(message.text),
    )
    log_in(page, login.email, DEMO_PASSWORD)
    page.goto("/api/v1/docs/")
    expect(page.get_by_text("Gesprekscyclus API").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/employees/").first).to_be_visible()
    assert [v for v in violations if "script" in v] == []
