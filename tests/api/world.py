"""A rich, deterministic world on top of the standard cast, for the access-matrix, the
document-selector and the schemathesis tests.

Everything is made through the services (planning, holding, writing, signing, archiving,
assessing, objecting, delegating, disagreeing, feedback), with explicit days; only the
moments of signing are the real clock (a seal is made with this process's certificate,
which is valid from yesterday).

Two regulations with a different ``visibility`` govern the cast's organisation, and a
third the other organisation::

    GEM (Kampen, organisation-wide: report/agreements read by employee + manager only)
    ├── SOC (Heemstede, scoped to the sector: report/agreements also read by the
    │   │    director and a delegate; assessment and objection by the HR adviser)
    │   └── INK   employee, colleague (manager: manager); manager (manager: director)
    ├── FYS (Kampen)
    │   └── VER   other_employee (manager: other_manager); other_manager (other_director)
    └── PO  (Kampen) hr_adviser, hr_admin (manager: secretary)
    Gemeente Elders (Wierden): foreign_employee, foreign_manager (head of X)

The conversations (``World.conversations``)::

    employee_planning      Heemstede  completed (both signed), archived: report + agreements
    employee_progress      Heemstede  planned, delegated to other_manager (conductor)
    employee_assessment    Heemstede  completed assessment, archived, with a filed objection
    colleague_planning     Heemstede  report ready for signing (employee, manager to sign)
    colleague_progress     Heemstede  planned, delegated to the director; a disagreement,
                                      mediated by the HR adviser
    manager_planning       Heemstede  planned, conducted by the director (manager's manager)
    other_employee_planning  Kampen   completed, archived: report + agreements
    other_employee_progress  Kampen   held
    other_manager_planning   Kampen   planned, conducted by other_director
    hr_adviser_planning      Kampen   planned, conducted by the secretary
    foreign_annual           Wierden  planned (Gemeente Elders)

plus a period delegation of other_employee's conversations to the HR adviser (the
``cycles.view_schedule`` route), personnel-file entries without a conversation (the
employee's and other_employee's own), feedback given, asked and brought into a
conversation, and notifications for several people.

Use ``build_world(cast)`` from a fixture of the test module (about a second per world).
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.utils import timezone

from gesprekscyclus.agreements.models import Agreement
from gesprekscyclus.agreements.services import agreement_create
from gesprekscyclus.assessments.models import Assessment, Objection
from gesprekscyclus.assessments.services import (
    assessment_of,
    assessment_respond,
    assessment_save,
    assessment_show,
    objection_file,
)
from gesprekscyclus.conversations.models import Conversation, Status
from gesprekscyclus.conversations.services import (
    conversation_mark_held,
    conversation_plan,
    report_approve,
    report_finish,
    report_save,
)
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import conversation_request, cycles_open
from gesprekscyclus.disagreements.models import Delegation, Disagreement
from gesprekscyclus.disagreements.services import delegation_grant, disagreement_raise
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.feedback.models import Feedback
from gesprekscyclus.feedback.services import (
    feedback_bring_into,
    feedback_give,
    feedback_offer,
    feedback_request,
)
from gesprekscyclus.notifications.models import Notification
from gesprekscyclus.organisations.models import Employee, OrgUnit
from gesprekscyclus.organisations.services import employees_refresh_managers
from gesprekscyclus.regulations.models import RegulationVersion
from gesprekscyclus.regulations.services import Scope
from gesprekscyclus.signatures.services import signature_sign, version_for_signing
from tests.cycles.helpers import load
from tests.factories import EmployeeFactory

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
PASSWORD = "correct horse battery staple"  # every factory-made account (tests/factories.py)
YEAR = 2026
CYCLES_OPENED_ON = datetime.date(2025, 11, 20)
PLANNED_ON = datetime.date(2025, 12, 5)  # planning due; Heemstede: still the employee's turn
PLANNING_DAY = datetime.date(2026, 1, 12)
PROGRESS_PLANNED_ON = datetime.date(2026, 6, 2)
PROGRESS_DAY = datetime.date(2026, 6, 15)
ASSESSMENT_PLANNED_ON = datetime.date(2026, 12, 1)
ASSESSMENT_DAY = datetime.date(2026, 12, 7)
WIERDEN_PLANNED_ON = datetime.date(2026, 10, 5)
WIERDEN_DAY = datetime.date(2026, 10, 20)
DEADLINE = datetime.date(2026, 12, 1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=AMSTERDAM)


@dataclass
class World:
    cast: object
    foreign_manager: Employee
    heemstede: RegulationVersion
    kampen: RegulationVersion
    wierden: RegulationVersion
    conversations: dict[str, Conversation] = field(default_factory=dict)
    agreements: dict[str, Agreement] = field(default_factory=dict)
    assessment: Assessment | None = None
    objection: Objection | None = None
    disagreement: Disagreement | None = None
    delegations: dict[str, Delegation] = field(default_factory=dict)
    feedback: dict[str, Feedback] = field(default_factory=dict)
    notifications: dict[str, Notification] = field(default_factory=dict)
    entries: dict[str, DossierEntry] = field(default_factory=dict)

    def user(self, name: str):
        if name == "foreign_manager":
            return self.foreign_manager.user
        return self.cast.user(name)

    def person(self, name: str) -> Employee:
        if name == "foreign_manager":
            return self.foreign_manager
        return getattr(self.cast, name)


# -- steps -----------------------------------------------------------------------------------


def _cycle(employee: Employee) -> Cycle:
    return Cycle.objects.select_related("employee", "regulation_version").get(employee=employee, year=YEAR)


def _plan(world: World, who: str, kind: str, *, by: str, on, day, conductor: str | None = None):
    return conversation_plan(
        cycle=_cycle(world.person(who)),
        kind=kind,
        starts_at=at(day),
        location="Stadhuis, kamer 1.08",
        conductor=world.person(conductor) if conductor else None,
        acting_user=world.user(by),
        today=on,
    )


def _hold(conversation: Conversation, *, by) -> Conversation:
    day = conversation.starts_at.astimezone(AMSTERDAM).date()
    return conversation_mark_held(conversation, held_on=day, acting_user=by, today=day)


def _write_and_approve(
    conversation: Conversation, *, writer, reader, answers: dict, text: str
) -> Conversation:
    conversation.refresh_from_db()
    report = conversation.report
    report.refresh_from_db()
    report_save(conversation, text=text, answers=answers, expected_version=report.version, acting_user=writer)
    report_finish(conversation, acting_user=writer)
    report_approve(conversation, acting_user=reader)
    conversation.refresh_from_db()
    assert conversation.status == Status.READY_FOR_SIGNING, conversation.status
    return conversation


def _sign_by(conversation: Conversation, *users) -> None:
    version = version_for_signing(conversation)
    for user in users:
        signature_sign(version, user=user, password=PASSWORD, expected_hash=version.content_hash)
    conversation.refresh_from_db()


def _agree(conversation: Conversation, by, description: str) -> Agreement:
    return agreement_create(
        conversation=conversation,
        values={
            "kind": "work_result",
            "description": description,
            "indicator": "Doorlooptijd in het zaaksysteem",
            "target": "90% binnen acht weken",
            "deadline": DEADLINE,
        },
        acting_user=by,
    )


def _fresh(employee: Employee) -> Employee:
    return Employee.objects.select_related("unit", "user", "manager").get(pk=employee.pk)


# -- the world ---------------------------------------------------------------------------------


def build_world(cast) -> World:
    organisation = cast.organisation
    kampen = load(organisation, "kampen", in_force_from=datetime.date(2012, 7, 12))
    heemstede = load(
        organisation, "heemstede", in_force_from=datetime.date(2013, 10, 1), scope=Scope(unit=cast.sector)
    )
    foreign_org = cast.foreign_employee.organisation
    foreign_unit = cast.foreign_employee.unit
    foreign_manager = EmployeeFactory(unit=foreign_unit, first_name="Fenna", last_name="Franeker")
    OrgUnit.objects.filter(pk=foreign_unit.pk).update(head=foreign_manager)
    employees_refresh_managers(organisation=foreign_org)
    wierden = load(foreign_org, "wierden", in_force_from=datetime.date(2019, 1, 1))
    cycles_open(organisation=organisation, year=YEAR, today=CYCLES_OPENED_ON)
    cycles_open(organisation=foreign_org, year=YEAR, today=CYCLES_OPENED_ON)

    world = World(
        cast=cast,
        foreign_manager=_fresh(foreign_manager),
        heemstede=heemstede,
        kampen=kampen,
        wierden=wierden,
    )
    c = world.conversations
    user = world.user

    # Heemstede (sector SOC) ---------------------------------------------------------------
    # The employee's planning: planned by the employee, held, agreements, signed, archived.
    planning = _plan(world, "employee", "planning", by="employee", on=PLANNED_ON, day=PLANNING_DAY)
    planning = _hold(planning, by=user("manager"))
    world.agreements["employee_results"] = _agree(planning, user("employee"), "Bijstand binnen acht weken")
    world.agreements["employee_course"] = _agree(planning, user("manager"), "Cursus Participatiewet")
    planning = _write_and_approve(
        planning, writer=user("employee"), reader=user("manager"), answers={}, text="Goed gesprek."
    )
    _sign_by(planning, user("employee"), user("manager"))
    c["employee_planning"] = planning

    # The colleague's planning: its report awaits both signatures.
    colleague_planning = _plan(
        world, "colleague", "planning", by="colleague", on=PLANNED_ON, day=PLANNING_DAY
    )
    colleague_planning = _hold(colleague_planning, by=user("manager"))
    world.agreements["colleague_results"] = _agree(colleague_planning, user("colleague"), "Klantcontact")
    c["colleague_planning"] = _write_and_approve(
        colleague_planning, writer=user("colleague"), reader=user("manager"), answers={}, text="Prima."
    )

    # The manager's own planning, conducted by their manager, the director.
    c["manager_planning"] = _plan(world, "manager", "planning", by="manager", on=PLANNED_ON, day=PLANNING_DAY)

    # The employee's progress conversation, delegated to the manager of another sector.
    c["employee_progress"] = _plan(
        world,
        "employee",
        "progress",
        by="manager",
        on=PROGRESS_PLANNED_ON,
        day=PROGRESS_DAY,
        conductor="other_manager",
    )
    # The colleague's progress conversation, delegated to the director: a disagreement
    # about it brings in the HR adviser (the skip-level manager, the director, conducts).
    c["colleague_progress"] = _plan(
        world,
        "colleague",
        "progress",
        by="manager",
        on=PROGRESS_PLANNED_ON,
        day=PROGRESS_DAY,
        conductor="director",
    )
    world.disagreement = disagreement_raise(
        c["colleague_progress"],
        statement="Wij zijn het niet eens over de planning.",
        acting_user=user("colleague"),
    )
    assert world.disagreement.mediator_id == cast.hr_adviser.pk, world.disagreement.mediator

    # The employee's assessment (on request), completed and archived, with an objection.
    cycle = conversation_request(
        cycle=_cycle(cast.employee),
        kind="assessment",
        reason="Ter onderbouwing van een rechtspositionele beslissing.",
        acting_user=user("manager"),
    )
    assessment = conversation_plan(
        cycle=cycle,
        kind="assessment",
        starts_at=at(ASSESSMENT_DAY),
        location="Stadhuis, kamer 3.02",
        acting_user=user("manager"),
        today=ASSESSMENT_PLANNED_ON,
    )
    assessment = _hold(assessment, by=user("manager"))
    rules = assessment.cycle.regulation_version.regulation().assessment
    assessment_save(
        assessment,
        ratings={aspect.id: 3 for aspect in rules.aspects},
        overall=3,
        motivation="Zorgvuldig; de doorlooptijd moet omlaag.",
        expected_version=assessment_of(assessment).version,
        acting_user=user("manager"),
    )
    assessment_show(assessment, acting_user=user("manager"))
    assessment_respond(assessment, response="Ik herken de doorlooptijd niet.", acting_user=user("employee"))
    assessment = report_approve(assessment, acting_user=user("employee"))
    _sign_by(assessment, user("employee"), user("manager"))
    assert assessment.status == Status.COMPLETED, assessment.status
    c["employee_assessment"] = assessment
    world.assessment = Assessment.objects.get(conversation=assessment)
    world.objection = objection_file(
        assessment, grounds="De systeemwissel is niet meegewogen.", acting_user=user("employee")
    )

    # Kampen (the rest of the organisation) --------------------------------------------------
    other_planning = _plan(
        world, "other_employee", "planning", by="other_manager", on=PLANNED_ON, day=PLANNING_DAY
    )
    other_planning = _hold(other_planning, by=user("other_manager"))
    world.agreements["other_employee_results"] = _agree(
        other_planning, user("other_manager"), "Vergunningen op tijd"
    )
    other_planning = _write_and_approve(
        other_planning,
        writer=user("other_employee"),
        reader=user("other_manager"),
        answers={"results": "Vergunningen binnen de wettelijke termijn.", "courses": "Omgevingswet."},
        text="",
    )
    _sign_by(other_planning, user("other_employee"), user("other_manager"))
    c["other_employee_planning"] = other_planning
    other_progress = _plan(
        world, "other_employee", "progress", by="other_manager", on=PROGRESS_PLANNED_ON, day=PROGRESS_DAY
    )
    c["other_employee_progress"] = _hold(other_progress, by=user("other_manager"))
    world.agreements["other_employee_progress"] = _agree(
        c["other_employee_progress"], user("other_employee"), "Leges herzien"
    )
    c["other_manager_planning"] = _plan(
        world, "other_manager", "planning", by="other_director", on=PLANNED_ON, day=PLANNING_DAY
    )
    c["hr_adviser_planning"] = _plan(
        world, "hr_adviser", "planning", by="secretary", on=PLANNED_ON, day=PLANNING_DAY
    )
    # All of other_employee's conversations may be conducted by the HR adviser this year
    # (and today, whatever day the test runs: cycles.view_schedule asks about today).
    today = timezone.localdate()
    world.delegations["other_employee_period"] = delegation_grant(
        employee=_fresh(cast.other_employee),
        delegate=cast.hr_adviser,
        acting_user=user("other_manager"),
        starts_on=min(today, datetime.date(2026, 1, 1)) - datetime.timedelta(days=1),
        ends_on=max(today, datetime.date(2026, 12, 31)) + datetime.timedelta(days=1),
        reason="Vervanging tijdens verlof.",
    )

    # Wierden (Gemeente Elders) ----------------------------------------------------------------
    c["foreign_annual"] = _plan(
        world, "foreign_employee", "annual", by="foreign_employee", on=WIERDEN_PLANNED_ON, day=WIERDEN_DAY
    )

    # Personnel-file entries without a conversation: only the employee reads them.
    from tests.dossiers.conftest import append

    world.entries["employee_loose"] = append(cast.employee, "Getuigschrift", datetime.date(2025, 3, 1))
    world.entries["other_employee_loose"] = append(
        cast.other_employee, "Afspraken 2025", datetime.date(2025, 3, 1), document_kind="agreements"
    )
    world.entries["foreign_loose"] = append(cast.foreign_employee, "Getuigschrift", datetime.date(2025, 3, 1))
    for entry in DossierEntry.objects.filter(conversation__isnull=False).select_related("conversation"):
        name = next(key for key, value in c.items() if value.pk == entry.conversation_id)
        world.entries[f"{name}:{entry.document}"] = entry

    # Feedback ------------------------------------------------------------------------------------
    f = world.feedback
    f["colleague_to_employee"] = feedback_offer(
        receiver=cast.employee,
        text="Fijn samengewerkt aan de bijstandsaanvragen.",
        acting_user=user("colleague"),
    )
    f["manager_to_employee"] = feedback_offer(
        receiver=cast.employee, text="Sterke rapportages.", compliment=True, acting_user=user("manager")
    )
    f["employee_to_colleague"] = feedback_offer(
        receiver=cast.colleague, text="Dank voor het inwerken.", acting_user=user("employee")
    )
    f["other_employee_to_manager"] = feedback_offer(
        receiver=cast.manager, text="Goede afstemming met Fysiek.", acting_user=user("other_employee")
    )
    asked, declined_later = feedback_request(
        givers=[cast.other_manager, cast.director],
        questions=["Wat kan ik beter doen?"],
        message="Voor mijn voortgangsgesprek.",
        answer_by=timezone.localdate() + datetime.timedelta(days=30),
        acting_user=user("employee"),
    )
    f["employee_asks_other_manager"] = feedback_give(
        asked, answers=["Eerder afstemmen."], acting_user=user("other_manager")
    )
    f["employee_asks_director"] = declined_later  # still asked
    f["foreign"] = feedback_offer(
        receiver=cast.foreign_employee, text="Dank je.", acting_user=world.foreign_manager.user
    )
    # The employee brings the colleague's feedback into the progress conversation, which
    # other_manager conducts: they see that feedback, and no other.
    feedback_bring_into(
        f["colleague_to_employee"], conversation=c["employee_progress"], acting_user=user("employee")
    )

    # Notifications --------------------------------------------------------------------------------
    for name, owner in (
        ("employee_1", "employee"),
        ("employee_2", "employee"),
        ("manager_1", "manager"),
        ("hr_admin_1", "hr_admin"),
        ("other_employee_1", "other_employee"),
        ("foreign_1", "foreign_employee"),
    ):
        world.notifications[name] = Notification.objects.create(
            user=user(owner),
            reason_key=f"world:{name}",
            subject=f"Herinnering {name}",
            reason="Er staat een gesprek voor je klaar.",
            url="/",
        )

    for name, conversation in list(c.items()):
        c[name] = Conversation.objects.get(pk=conversation.pk)
    return world
