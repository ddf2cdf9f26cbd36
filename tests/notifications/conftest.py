"""Shared set-up for the notification tests: the cast under Wierden with the 2026 cycles
open, and ``send`` to run ``send_reminders`` for a fixed day.

Wierden, as read from ``presets/wierden.yaml``: the annual conversation is due from
1 October until 31 December 2026 (the last quarter of the calendar year); the employee
takes the initiative, the manager after 30 days (from 31 October); reminders when the
window opens, 30 and 7 days before the deadline and 7 days after it; the skip-level
manager after 30 days overdue.
"""

import datetime

import pytest

from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import cycles_open
from tests.cycles.helpers import load, run

PERIOD = 2026
WIERDEN_IN_FORCE = datetime.date(2019, 1, 1)
OPENED_ON = datetime.date(2026, 1, 5)
WINDOW_OPENS = datetime.date(2026, 10, 1)
BEFORE_TAKEOVER = datetime.date(2026, 10, 5)  # due; still the employee's initiative
AFTER_TAKEOVER = datetime.date(2026, 11, 5)  # 1 Oct + 30 days has passed: the manager's too


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def wierden(cast):
    """The cast under Wierden with every member's 2026 cycle open."""
    load(cast.organisation, "wierden", in_force_from=WIERDEN_IN_FORCE)
    cycles_open(organisation=cast.organisation, year=PERIOD, today=OPENED_ON)
    return cast


@pytest.fixture
def cycle(wierden) -> Cycle:
    return Cycle.objects.select_related("employee").get(employee=wierden.employee, year=PERIOD)


def send(day: datetime.date) -> str:
    """Run ``send_reminders --today day --no-progress``; its stdout."""
    out, _ = run("send_reminders", "--today", day.isoformat(), "--no-progress")
    return out
