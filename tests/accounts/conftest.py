import pytest

PASSWORD = "correct horse battery staple"  # what UserFactory sets


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def password_login(client):
    """``password_login(user)`` logs in through the login form, as a person does."""

    def _login(user, password=PASSWORD, **extra):
        from django.urls import reverse

        return client.post(reverse("accounts:login"), {"username": user.email, "password": password}, **extra)

    return _login


@pytest.fixture(autouse=True)
def idle_timeout(settings):
    """The production default (conf/ci.py switches it off for the rest of the suite)."""
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
