"""Driving an assessment through the services, for every preset: request it when the
regulation holds it on request, plan and hold it, rate every aspect, show it, let the
employee respond and send it to signing, and sign it.

The 2026 cycles are calendar years for every preset used here (Heemstede: per unit,
January unless the unit says otherwise). The assessment is planned on 1 December 2026 for
7 December, a day inside every preset's window:

* Kampen (002): 30 November 2026 .. 31 January 2027 (period end ± 1 month), the manager's.
* Zaanstad (000): 1 October 2026 .. 31 January 2027, the manager's, every year.
* Klassiek (003): 30 November 2026 .. 14 January 2027, the manager's, every year.
* Heemstede (001) and Wierden (004): on request, any time in the period.

Every service call gets an explicit day; the moment a signature completes the version
is the real clock unless the caller moves it (``time_machine``).
"""

from __future__ import annotations

import datetime
import zoneinfo

from gesprekscyclus.assessments.services import (
    assessment_of,
    assessment_respond,
    assessment_save,
    assessment_show,
)
from gesprekscyclus.conversations.models import Conversation, Status
from gesprekscyclus.conversations.services import conversation_mark_held, conversation_plan, report_approve
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import conversation_request, cycles_open
from gesprekscyclus.signatures.models import ReportVersion
from gesprekscyclus.signatures.services import signature_sign, version_for_signing
from tests.cycles.helpers import load

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
PASSWORD = "correct horse battery staple"  # every factory-made account (tests/factories.py)
YEAR = 2026
CYCLES_OPENED_ON = datetime.date(2025, 11, 20)
# The day each preset is put in force: the seed's own date where it names one.
IN_FORCE = {
    "heemstede": datetime.date(2013, 10, 1),  # 001: "met ingang van 1 oktober 2013"
    "kampen": datetime.date(2012, 7, 12),
    "zaanstad": datetime.date(2019, 1, 1),
    "wierden": datetime.date(2019, 1, 1),
    "klassiek": datetime.date(2019, 1, 1),
}
PLANNED_ON = datetime.date(2026, 12, 1)
ASSESSMENT_DAY = datetime.date(2026, 12, 7)
MOTIVATION = "Zaken worden zorgvuldig afgehandeld; de doorlooptijd moet omlaag."
RESPONSE = "Ik herken de doorlooptijd niet: de achterstand kwam door de systeemwissel."


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """``day`` at ``hour:minute`` in Amsterdam."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)


def put_in_force(cast, preset: str):
    return load(cast.organisation, preset, in_force_from=IN_FORCE[preset])


def open_cycle(cast, employee=None, *, year: int = YEAR, today: datetime.date = CYCLES_OPENED_ON) -> Cycle:
    cycles_open(organisation=cast.organisation, year=year, today=today)
    return Cycle.objects.select_related("employee", "regulation_version").get(
        employee=employee or cast.employee, year=year
    )


def regulation_of(cycle: Cycle):
    return cycle.regulation_version.regulation()


def request_if_needed(cast, cycle: Cycle, *, by: str = "manager") -> Cycle:
    """Ask for the assessment when the regulation holds it only on request."""
    rules = regulation_of(cycle).assessment
    if regulation_of(cycle).kind(rules.kind).conditions.on_request:
        return conversation_request(
            cycle=cycle,
            kind=rules.kind,
            reason="Ter onderbouwing van een rechtspositionele beslissing.",
            acting_user=cast.user(by),
        )
    return cycle


def planned_assessment(
    cast, cycle: Cycle, *, on: datetime.date = PLANNED_ON, day: datetime.date = ASSESSMENT_DAY
) -> Conversation:
    cycle = request_if_needed(cast, cycle)
    return conversation_plan(
        cycle=cycle,
        kind=regulation_of(cycle).assessment.kind,
        starts_at=at(day),
        location="Stadhuis, kamer 3.02",
        acting_user=cast.user("manager"),
        today=on,
    )


def held_assessment(cast, cycle: Cycle, **plan) -> Conversation:
    conversation = planned_assessment(cast, cycle, **plan)
    day = conversation.starts_at.astimezone(AMSTERDAM).date()
    return conversation_mark_held(conversation, held_on=day, acting_user=cast.user("manager"), today=day)


def full_ratings(conversation: Conversation, value: int = 3) -> dict[str, int]:
    rules = regulation_of(conversation.cycle).assessment
    return {aspect.id: value for aspect in rules.aspects}


def rate(
    cast,
    conversation: Conversation,
    *,
    ratings: dict | None = None,
    overall: int | None = 3,
    motivation: str = MOTIVATION,
    by: str = "manager",
):
    """The manager records the assessment (from the current version)."""
    assessment = assessment_of(conversation)
    return assessment_save(
        conversation,
        ratings=full_ratings(conversation) if ratings is None else ratings,
        overall=overall,
        motivation=motivation,
        expected_version=assessment.version,
        acting_user=cast.user(by),
    )


def shown_assessment(cast, cycle: Cycle, **plan) -> Conversation:
    conversation = held_assessment(cast, cycle, **plan)
    rate(cast, conversation)
    return assessment_show(conversation, acting_user=cast.user("manager"))


def ready_assessment(cast, cycle: Cycle, *, response: str = RESPONSE, **plan) -> Conversation:
    """Shown, responded to and sent to signing by the employee."""
    conversation = shown_assessment(cast, cycle, **plan)
    assessment_respond(conversation, response=response, acting_user=cast.user("employee"))
    conversation = report_approve(conversation, acting_user=cast.user("employee"))
    assert conversation.status == Status.READY_FOR_SIGNING
    return conversation


def sign(version: ReportVersion, user):
    return signature_sign(version, user=user, password=PASSWORD, expected_hash=version.content_hash)


def sign_by_both(cast, conversation: Conversation, *, manager: str = "manager") -> ReportVersion:
    """The employee signs (voor gezien), then the manager: the version completes."""
    version = version_for_signing(conversation)
    sign(version, cast.user("employee"))
    sign(version, cast.user(manager))
    version.refresh_from_db()
    return version


def completed_assessment(cast, cycle: Cycle, **plan) -> Conversation:
    conversation = ready_assessment(cast, cycle, **plan)
    sign_by_both(cast, conversation)
    conversation.refresh_from_db()
    assert conversation.status == Status.COMPLETED
    return conversation
