"""Strong passwords: at least 12 characters and not known from breaches."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from gesprekscyclus.accounts.validators import BreachedPasswordValidator

PASSWORD = "correct horse battery staple"  # what UserFactory sets


@pytest.mark.parametrize(
    "password",
    [
        "international",  # in the list as it is
        "qwerty123456",
        "Wachtwoord123!",  # a Dutch word with a number and a mark
        "Welkom2024!!",
        "W3lk0m2024!",  # digits for letters
        "ZomerZomer",
        "Gemeente2026",
        "sunshine2019?",
    ],
)
def test_a_password_from_a_breach_or_a_simple_variation_is_refused(password):
    with pytest.raises(ValidationError) as error:
        BreachedPasswordValidator().validate(password)
    assert error.value.error_list[0].code == "password_breached"


@pytest.mark.parametrize(
    "password", [PASSWORD, "de kat krabt de krullen van de trap", "Vlinder-Kachel-Dijk-87"]
)
def test_a_sentence_or_an_unusual_combination_passes(password):
    BreachedPasswordValidator().validate(password)


def test_the_settings_demand_twelve_characters_and_refuse_breached_passwords():
    with pytest.raises(ValidationError) as short:
        validate_password("Kort-maar-1")
    assert "password_too_short" in {e.code for e in short.value.error_list}
    with pytest.raises(ValidationError) as breached:
        validate_password("Wachtwoord2024!")
    assert "password_breached" in {e.code for e in breached.value.error_list}
    validate_password("de kat krabt de krullen van de trap")


def test_changing_to_a_breached_password_shows_a_dutch_explanation(cast, login):
    user = cast.user("employee")
    client = login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Welkom2024!!", "new_password2": "Welkom2024!!"},
    )
    assert response.status_code == 200
    assert "datalekken" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
