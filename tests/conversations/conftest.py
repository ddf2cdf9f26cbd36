"""Shared set-up for the conversation (and agreement) tests.

Heemstede's regulation is in force for the cast's organisation and the 2026 cycles are
open (12-month periods from 1 January). Every service call gets an explicit date
(``today=``) and an aware start time; nothing depends on the real clock.

Heemstede, as read from ``presets/heemstede.yaml``:

* planning: due 1 December 2025 .. 1 February 2026; the employee takes the initiative,
  the manager from 15 December 2025 (takeover after 14 days); conducted by the manager
  or a designated person; the employee writes the report; combinable with evaluation.
* progress: due 2 June .. 2 August 2026 (a month either side of the midpoint, 2 July);
  either side takes the initiative; either side writes the report.
* evaluation: due 30 November 2026 .. 31 January 2027; the employee, the manager from 14
  December; only the manager conducts it; the employee writes; combinable with planning.
* assessment: on request (or during probation after improvement points); the manager
  writes, on a required form.

Fixtures are plain so that page tests may reuse them: ``heemstede``, ``cycle``, ``cycle_2027``,
``plan``, ``hold``, ``planning``, ``held_planning``, ``progress``, ``held_progress``,
``zaanstad``, ``zaanstad_cycle``, ``english`` and ``media``.
"""

import datetime
import zoneinfo

import pytest
from django.utils import translation

from gesprekscyclus.conversations.services import conversation_mark_held, conversation_plan
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import cycles_open
from tests.cycles.helpers import load

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
PERIOD = 2026

# Days in the Heemstede 2026 cycle (see the module docstring).
BEFORE_TAKEOVER = datetime.date(2025, 12, 5)  # planning due; still the employee's initiative
LAST_EMPLOYEE_DAY = datetime.date(2025, 12, 14)  # planning window opened 1 Dec + 13 days
TAKEOVER_DAY = datetime.date(2025, 12, 15)  # 1 Dec + 14 days: the manager takes over
PLANNING_DAY = datetime.date(2026, 1, 12)
PROGRESS_PLANNED_ON = datetime.date(2026, 6, 2)
PROGRESS_DAY = datetime.date(2026, 6, 15)
EVALUATION_PLANNED_ON = datetime.date(2026, 12, 2)
EVALUATION_DAY = datetime.date(2026, 12, 10)


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """``day`` at ``hour:minute`` in Amsterdam, as the forms deliver it."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The cast sets a password for every account; the default hasher makes that slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english():
    """Messages in English: the Dutch catalogue does not cover these messages yet, and a
    fixed language keeps the assertions stable when it does."""
    with translation.override("en"):
        yield


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def heemstede(cast):
    """Heemstede's regulation in force for the cast's organisation since 1 October 2013."""
    return load(cast.organisation)


@pytest.fixture
def zaanstad(cast):
    """Zaanstad's regulation instead: calendar-year periods; a free-form ``check_in``
    (employee's initiative, the manager's after 21 days, either side writes, attachments
    allowed, no form, no work plan); the ``assessment`` is the manager's and takes no
    attachments."""
    return load(cast.organisation, "zaanstad", in_force_from=datetime.date(2019, 1, 1))


@pytest.fixture
def zaanstad_cycle(cast, zaanstad) -> Cycle:
    """The employee's 2026 cycle under Zaanstad."""
    cycles_open(organisation=cast.organisation, year=PERIOD, today=datetime.date(2025, 11, 20))
    return cycle_of(cast.employee)


def cycle_of(employee, year: int = PERIOD) -> Cycle:
    return Cycle.objects.select_related("employee", "regulation_version").get(employee=employee, year=year)


@pytest.fixture
def cycle(cast, heemstede) -> Cycle:
    """The employee's 2026 cycle (every cast member's cycle is open)."""
    cycles_open(organisation=cast.organisation, year=PERIOD, today=datetime.date(2025, 11, 20))
    return cycle_of(cast.employee)


@pytest.fixture
def cycle_2027(cast, cycle) -> Cycle:
    """The employee's 2027 cycle, opened next to the 2026 one."""
    cycles_open(organisation=cast.organisation, year=PERIOD + 1, today=datetime.date(2026, 11, 20))
    return cycle_of(cast.employee, PERIOD + 1)


@pytest.fixture
def plan(cast):
    """``plan(cycle, kind, on=day, by="employee", starts=day, ...)``: plan through the
    service, with a place unless told otherwise."""

    def _plan(
        cycle,
        kind,
        *,
        on: datetime.date,
        starts: datetime.date | datetime.datetime,
        by: str = "employee",
        location: str = "Raadhuis, kamer 2.14",
        **extra,
    ):
        starts_at = starts if isinstance(starts, datetime.datetime) else at(starts)
        return conversation_plan(
            cycle=cycle,
            kind=kind,
            starts_at=starts_at,
            location=location,
            acting_user=cast.user(by) if isinstance(by, str) else by,
            today=on,
            **extra,
        )

    return _plan


@pytest.fixture
def hold(cast):
    """``hold(conversation, by="manager")``: record it as held on the day it was planned."""

    def _hold(conversation, *, by: str = "manager", on: datetime.date | None = None):
        day = on or conversation.starts_at.astimezone(AMSTERDAM).date()
        return conversation_mark_held(conversation, held_on=day, acting_user=cast.user(by), today=day)

    return _hold


@pytest.fixture
def planning(cycle, plan):
    """The planning conversation, planned by the employee on 5 December 2025 for 12 January."""
    return plan(cycle, "planning", on=BEFORE_TAKEOVER, starts=PLANNING_DAY)


@pytest.fixture
def held_planning(planning, hold):
    return hold(planning)


@pytest.fixture
def progress(cycle, plan):
    """The progress conversation, planned by the employee on 2 June 2026 for 15 June."""
    return plan(cycle, "progress", on=PROGRESS_PLANNED_ON, starts=PROGRESS_DAY)


@pytest.fixture
def held_progress(progress, hold):
    return hold(progress)
