import pytest

from tests.cycles.helpers import load


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The cast sets a password for every account; the default hasher makes that slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def heemstede(cast):
    """Heemstede's regulation in force for the whole cast organisation since 1 October 2013."""
    return load(cast.organisation)
