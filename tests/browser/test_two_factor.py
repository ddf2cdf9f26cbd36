"""Two-step verification and the account page in a real browser, checked with axe-core
(WCAG 2.1 A/AA): an HR administrator sets up an app, keeps the recovery codes, and logs
in again with one of them."""

import base64
import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from gesprekscyclus.demo.municipality import DEMO_PASSWORD, load_demo

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hr_admin(settings):
    settings.TOTP_REQUIRED_FOR_HR_ADMINS = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _organisation, logins = load_demo(year=2026)
    return next(login for login in logins if login.role == "hr_admin")


def fill_login(page, email: str) -> None:
    page.goto("/account/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_an_hr_administrator_sets_up_an_app_and_logs_in_with_a_recovery_code(page, hr_admin):
    fill_login(page, hr_admin.email)
    page.wait_for_url("**/tweestapsverificatie/instellen/**")
    expect(page.get_by_role("heading", name="Tweestapsverificatie instellen")).to_be_visible()
    expect(page.get_by_role("img", name="QR-code om te scannen met uw authenticator-app")).to_be_visible()
    assert_accessible(page)

    secret = page.locator("figcaption code").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code uit de app").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Tweestapsverificatie aanzetten").click()
    expect(page.get_by_role("heading", name="Uw herstelcodes")).to_be_visible()
    assert_accessible(page)
    codes = [code.inner_text() for code in page.locator("main li code").all()]
    assert len(codes) == 10

    page.get_by_role("link", name="Ik heb de codes bewaard").click()
    expect(page.get_by_role("heading", name="Mijn account")).to_be_visible()
    expect(page.get_by_text("U hebt 10 ongebruikte herstelcodes.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Uitloggen").click()
    fill_login(page, hr_admin.email)
    page.wait_for_url("**/inloggen/code/")
    assert_accessible(page)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Doorgaan").click()
    page.wait_for_url("**/overzicht/")
    expect(page.get_by_text(re.compile("nog 9 over"))).to_be_visible()
