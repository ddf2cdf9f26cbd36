"""Fixtures for disagreement, delegation and change-of-manager tests.

Heemstede is the regulation with a ``disagreement`` section (001_6a145d970164611e.txt:
"Mocht je er toch niet met elkaar uitkomen, dan kan altijd de naast-hogere leidinggevende
of een onafhankelijk iemand als de P&O-adviseur worden ingeschakeld."), with
``escalate_to: [skip_level_manager, hr_adviser]`` and ``last_resort: assessment``; its
planning and progress conversations may be conducted by "een door hem/haar aangewezen
persoon" (``conducted_by: [manager, delegate]``).
"""

import datetime

import pytest
from django.utils import translation

from gesprekscyclus.conversations.services import conversation_mark_held, conversation_plan
from gesprekscyclus.organisations.models import Employee, OrgUnit
from gesprekscyclus.organisations.services import employees_refresh_managers
from tests.assessments import flow
from tests.factories import EmployeeFactory, OrgUnitFactory

date = datetime.date
# Heemstede 2026 (calendar year for the cast's units): planning due 1 December 2025 ..
# 1 February 2026, the employee's turn until 14 December; progress due 2 June .. 2 August.
PLANNED_ON = date(2025, 12, 5)
PLANNING_DAY = date(2026, 1, 12)
PROGRESS_PLANNED_ON = date(2026, 6, 2)
PROGRESS_DAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english():
    """Service messages in English, so that the assertions do not depend on the catalogue."""
    with translation.override("en"):
        yield


def plan(cycle, kind, *, by, on: date, day: date, **extra):
    return conversation_plan(
        cycle=cycle,
        kind=kind,
        starts_at=flow.at(day),
        location="Raadhuis, kamer 2.14",
        acting_user=by,
        today=on,
        **extra,
    )


def hold(conversation, *, by):
    day = conversation.starts_at.astimezone(flow.AMSTERDAM).date()
    return conversation_mark_held(conversation, held_on=day, acting_user=by, today=day)


@pytest.fixture
def heemstede(cast):
    return flow.put_in_force(cast, "heemstede")


@pytest.fixture
def sub_team(cast, heemstede):
    """A sub-team below Team Inkomen led by the cast's ``colleague`` (a team lead), with
    one member, Daan. Daan's manager is the team lead; the skip-level manager is the
    cast's ``manager``, who holds no role that lets them read Daan's conversations.
    Returns Daan, with the 2026 cycles open."""
    unit = OrgUnitFactory(
        organisation=cast.organisation, code="INK-A", name="Cluster Bijstand", parent=cast.team
    )
    OrgUnit.objects.filter(pk=unit.pk).update(head=cast.colleague)
    daan = EmployeeFactory(unit=unit, first_name="Daan", last_name="de Wit")
    employees_refresh_managers(organisation=cast.organisation)
    flow.open_cycle(cast, daan)
    daan = Employee.objects.select_related("manager", "unit", "user").get(pk=daan.pk)
    assert daan.manager == cast.colleague
    assert daan.manager.manager == cast.manager
    return daan
