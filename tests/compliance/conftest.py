"""Fixtures for the HR dashboard tests (see ``scenario`` for the organisation).

The dashboard reads the stored ``CycleProgress`` rows; the tests write them with
``progress_refresh(today=TODAY)`` and open the pages on ``TODAY`` (the views take the
period and the probation horizon from ``timezone.localdate()``). Signing seals a PDF with
a certificate valid from yesterday, so the clock is moved only after the organisation is
built. Pages are read in English (the language cookie) or on untranslated data."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from gesprekscyclus.compliance.services import progress_refresh
from tests.compliance import scenario


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every cast member gets a password and signing checks it again: a real but fast hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def no_refresh_left_pending():
    """The receivers collect the cycles to refresh on the connection until a commit; a
    test's transaction never commits, so what earlier tests saved would otherwise be
    refreshed along with this test's first commit (harmless in production, where the
    ids are real cycles; here they may be reused by this test's rows)."""
    from django.db import transaction

    from gesprekscyclus.compliance import receivers

    pending = getattr(transaction.get_connection(), receivers._PENDING_ATTRIBUTE, None)
    if pending is not None:
        pending.clear()


@pytest.fixture
def travel(time_machine):
    """``travel(day)``: make ``day`` at ten (Amsterdam) the current moment, standing still."""

    def _travel(day: datetime.date = scenario.TODAY) -> None:
        time_machine.move_to(scenario.at(day), tick=False)

    return _travel


@pytest.fixture
def world(cast):
    """The organisation of ``scenario`` with its 2026 cycles open, no conversation yet."""
    return scenario.base_world(cast)


@pytest.fixture
def refreshed(world):
    """``world`` with its figures refreshed on TODAY: nothing was held, so everyone with
    a 2026 cycle except the joiner is overdue."""
    assert progress_refresh(today=scenario.TODAY) == 14
    return world


@pytest.fixture
def full(cast):
    """The organisation of ``scenario`` with every conversation, figures refreshed on TODAY."""
    world = scenario.full_world(cast)
    assert progress_refresh(today=scenario.TODAY) == 14
    return world


@pytest.fixture
def viewer(client, travel):
    """``viewer(user)``: a client logged in as ``user`` on TODAY, reading English."""

    def _viewer(user, day: datetime.date = scenario.TODAY):
        travel(day)
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _viewer


def dashboard_url(**query) -> str:
    url = reverse("compliance:dashboard")
    if query:
        url += "?" + "&".join(f"{name}={value}" for name, value in query.items())
    return url


def export_url(file_format: str, **query) -> str:
    url = reverse("compliance:export", args=[file_format])
    if query:
        url += "?" + "&".join(f"{name}={value}" for name, value in query.items())
    return url
