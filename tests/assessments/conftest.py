"""Fixtures for the assessment tests; the flow itself is in ``flow``."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every cast member gets a password and signing checks it again: a real but fast hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english():
    """Service messages in English, so that the assertions do not depend on the catalogue."""
    with translation.override("en"):
        yield


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
