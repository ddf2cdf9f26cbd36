"""Driving a conversation to a report that awaits signatures, through the services, and
signing it; shared by the signature and the personnel-file tests.

Kampen (``presets/kampen.yaml``) is the regulation for most tests:

* planning ("Resultaatgerichte afspraken / POP-gesprek"): due 1 December 2025 ..
  1 February 2026 for the 2026 cycle (calendar years); the manager takes the initiative
  and conducts it; the employee writes the report on the ``result_agreements`` form
  (``results`` required); both sign "voor akkoord"; no attachments.
* progress: due 1 June .. 1 August 2026, otherwise the same (form ``progress``:
  ``achieved`` and ``conclusions`` required).
* visibility of a report: the employee and the manager; archiving: a report goes to the
  personnel file and is kept 2 years after the end of employment.

Heemstede is used where attachments are needed (its planning allows them; the employee
plans it before 15 December and writes the report, the form is optional).

Every service call gets an explicit day; the clock is not moved while a report is sealed
(the test certificate is valid from yesterday, so a seal made "in January" would be a
seal made before the certificate existed).
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from gesprekscyclus.conversations.models import Conversation, Status
from gesprekscyclus.conversations.services import (
    conversation_mark_held,
    conversation_plan,
    report_approve,
    report_finish,
    report_save,
)
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import cycles_open
from gesprekscyclus.signatures.models import ReportVersion
from gesprekscyclus.signatures.services import signature_sign, version_for_signing
from tests.cycles.helpers import load

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
PASSWORD = "correct horse battery staple"  # every factory-made account's password (tests/factories.py)
YEAR = 2026
KAMPEN_IN_FORCE = datetime.date(2012, 7, 12)
HEEMSTEDE_IN_FORCE = datetime.date(2013, 10, 1)
CYCLES_OPENED_ON = datetime.date(2025, 11, 20)
PLANNED_ON = datetime.date(2025, 12, 5)  # planning due since 1 December; Heemstede: still the employee's turn
PLANNING_DAY = datetime.date(2026, 1, 12)
PROGRESS_PLANNED_ON = datetime.date(2026, 6, 2)
PROGRESS_DAY = datetime.date(2026, 6, 15)

RESULTS = "Aanvragen bijzondere bijstand binnen acht weken afgehandeld."
COURSES = "Cursus Participatiewet."


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=AMSTERDAM)


def load_kampen(organisation):
    return load(organisation, "kampen", in_force_from=KAMPEN_IN_FORCE)


def load_heemstede(organisation):
    return load(organisation, "heemstede", in_force_from=HEEMSTEDE_IN_FORCE)


def open_cycle(cast, employee=None) -> Cycle:
    cycles_open(organisation=cast.organisation, year=YEAR, today=CYCLES_OPENED_ON)
    return Cycle.objects.select_related("employee", "regulation_version").get(
        employee=employee or cast.employee, year=YEAR
    )


@dataclass(frozen=True)
class Plan:
    kind: str
    planner: str
    planned_on: datetime.date
    day: datetime.date


KAMPEN_PLANNING = Plan("planning", "manager", PLANNED_ON, PLANNING_DAY)
KAMPEN_PROGRESS = Plan("progress", "manager", PROGRESS_PLANNED_ON, PROGRESS_DAY)
HEEMSTEDE_PLANNING = Plan("planning", "employee", PLANNED_ON, PLANNING_DAY)


def planned(cast, cycle: Cycle, plan: Plan = KAMPEN_PLANNING) -> Conversation:
    return conversation_plan(
        cycle=cycle,
        kind=plan.kind,
        starts_at=at(plan.day),
        location="Stadhuis, kamer 1.08",
        acting_user=cast.user(plan.planner),
        today=plan.planned_on,
    )


def hold(cast, conversation: Conversation) -> Conversation:
    day = conversation.starts_at.astimezone(AMSTERDAM).date()
    return conversation_mark_held(conversation, held_on=day, acting_user=cast.user("manager"), today=day)


def held(cast, cycle: Cycle, plan: Plan = KAMPEN_PLANNING) -> Conversation:
    """A conversation planned and held; its report can be written now."""
    return hold(cast, planned(cast, cycle, plan))


def kampen_answers(kind: str, suffix: str = "") -> dict:
    if kind == "planning":
        return {"results": RESULTS + suffix, "courses": COURSES}
    return {"achieved": "Op schema." + suffix, "conclusions": "Geen bijsturing nodig."}


def write_and_approve(
    cast, conversation: Conversation, *, answers: dict | None = None, text: str = ""
) -> Conversation:
    """The employee writes and finishes the report, the manager marks it ready for signing."""
    conversation.refresh_from_db()
    report = conversation.report
    report.refresh_from_db()
    report_save(
        conversation,
        text=text,
        answers=answers if answers is not None else kampen_answers(conversation.kind),
        expected_version=report.version,
        acting_user=cast.user("employee"),
    )
    report_finish(conversation, acting_user=cast.user("employee"))
    report_approve(conversation, acting_user=cast.user("manager"))
    conversation.refresh_from_db()
    assert conversation.status == Status.READY_FOR_SIGNING
    return conversation


def ready_for_signing(cast, cycle: Cycle, plan: Plan = KAMPEN_PLANNING, **report) -> Conversation:
    return write_and_approve(cast, held(cast, cycle, plan), **report)


def sign(version: ReportVersion, user, *, remark: str = ""):
    return signature_sign(
        version, user=user, password=PASSWORD, expected_hash=version.content_hash, remark=remark
    )


def sign_by_both(cast, conversation: Conversation) -> ReportVersion:
    """The employee, then the manager, sign the open version; the conversation completes."""
    version = version_for_signing(conversation)
    sign(version, cast.user("employee"))
    sign(version, cast.user("manager"))
    version.refresh_from_db()
    return version


def completed(cast, cycle: Cycle, plan: Plan = KAMPEN_PLANNING, **report) -> ReportVersion:
    return sign_by_both(cast, ready_for_signing(cast, cycle, plan, **report))
