"""Fixtures for signing reports: Kampen in force for the cast's organisation, the 2026
cycles open, and the employee's planning conversation at each stage (see ``flow``)."""

import pytest
from django.utils import translation

from tests.signatures import flow


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every cast member gets a password; the default hasher makes that slow. Signing
    checks the password again, so it must be a real (if fast) hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english():
    """Service messages in English, so that assertions do not depend on the catalogue."""
    with translation.override("en"):
        yield


@pytest.fixture
def kampen(cast):
    return flow.load_kampen(cast.organisation)


@pytest.fixture
def cycle(cast, kampen):
    return flow.open_cycle(cast)


@pytest.fixture
def held_planning(cast, cycle):
    return flow.held(cast, cycle)


@pytest.fixture
def ready(cast, cycle):
    """The planning conversation, its report written by the employee and approved by the
    manager: it awaits both signatures."""
    return flow.ready_for_signing(cast, cycle)


@pytest.fixture
def version(ready):
    from gesprekscyclus.signatures.services import version_for_signing

    return version_for_signing(ready)


@pytest.fixture
def signed(cast, ready):
    """The planning report signed by both: completed and archived."""
    return flow.sign_by_both(cast, ready)
