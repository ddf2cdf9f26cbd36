"""The access matrix of the pages: every protected page (URL name) x every person of the
standard cast (plus the manager of the other organisation) x their own and other people's
objects of a rich world: each combination answers exactly what the permission model says.
The API has the same matrix in ``tests/api/test_access_matrix.py``.

How the matrix is generated
---------------------------

* The world is ``tests/api/world.py`` on top of the cast (fixed, distinct names), plus what
  the pages need and the API does not: a department plan with an attachment for every unit,
  attachments to conversations, jobs, competences, uploads of an import, API tokens, role
  assignments, development scans and login sessions, in both organisations. It is built, and
  everybody logged in, once per module inside a transaction that is rolled back afterwards;
  every test runs in its own savepoint (``db``), so what a request changes is gone after it.
* ``PAGES`` has one entry per URL name: which objects of the world the page is asked about,
  how the URL is made from one, and the expected answer as a chain of permission checks taken
  from the permission model (``rules.has_perm`` and the predicates of
  ``gesprekscyclus.access.predicates``, asked in the order the page asks them), e.g.
  "``organisations.view_departmentplan`` on the unit, else 404;
  ``organisations.change_departmentplan``, else 403; then 200". Nothing here lists who may:
  a page that disagrees with the model fails, whichever of the two is wrong.
* Per page and person, ``chosen`` takes the objects that tell most from all of the page's
  objects: some the person may open (their own, and the one reached by the most unusual
  route) and some they may not (the nearest misses, and one of another organisation).
* Pages that take no object and need no role, about the person themselves (my account, my
  file, my inbox), are the explicit exception list ``OWN_PAGES``, each with its reason; the
  matrix still opens them for every person: 200 (404 for someone without an employee record
  where the page is about one's employee record) and only the person's own data on it.
* ``test_every_protected_page_is_in_the_matrix`` compares ``PAGES`` and ``OWN_PAGES`` with the
  URL resolver: a new page without an entry fails it.

What is checked per page, person and object:

* A GET answers the expected status: 200 (or the page's documented success: the signing page
  of a report that is not up for signing redirects to the conversation), 404 for an object
  the person may not see (its existence is not revealed), 403 for a role-level page.
* POST-only endpoints: a refused person's POST (with a body that would work for an allowed
  person) answers 403/404 and changes nothing (no audit event of a change, and the rows such
  a POST could touch are as they were). An allowed person's POST is made too, inside a
  savepoint that is rolled back, and must not be refused (the service may still decline
  with a message; that is not access).
* ASVS 8.2.2 on every page that answers with HTML: every link to a person's page, a
  conversation, an agreement, a personnel-file entry, feedback or a disagreement leads to
  something the person may open; no agreement is shown to someone who may not read it; on the
  pages that list people, no personnel number of anyone the person may not view appears, and
  no name either (except the manager of someone they may view, shown beside that person).
* Findings that are not fixed yet are listed in ``KNOWN_PROBLEMS``: those pages xfail (and
  fail again on any other mismatch, or once the finding is gone).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

import pytest
import rules
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.utils import timezone

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.access.predicates import (
    is_director_over,
    is_hr_admin,
    is_hr_adviser_for,
    is_manager_of,
    is_self,
    regulation_roles,
)
from gesprekscyclus.accounts.models import User, UserSession
from gesprekscyclus.agreements.models import Agreement
from gesprekscyclus.api.models import ApiToken, Scope
from gesprekscyclus.api.services import api_token_issue
from gesprekscyclus.assessments.models import Decision, Objection
from gesprekscyclus.assessments.services import is_assessment, objection_handlers
from gesprekscyclus.audit.models import AuditEvent, Category
from gesprekscyclus.conversations.models import Attachment, Conversation, Preparation, Report, Status
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.disagreements.models import Delegation, Disagreement, DisagreementNote
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.feedback.models import Feedback, FeedbackSelection, ScanResponse
from gesprekscyclus.notifications.models import Notification
from gesprekscyclus.organisations.models import (
    Competence,
    DepartmentPlan,
    Employee,
    ImportStatus,
    Job,
    Organisation,
    OrganisationImport,
    OrgUnit,
    Role,
    RoleAssignment,
)
from gesprekscyclus.regulations.models import RegulationVersion
from gesprekscyclus.signatures.models import ReportVersion, Signature, VersionState
from tests.access.test_predicates import FAST_HASHERS
from tests.access.test_selectors import CAST_USERS
from tests.api.test_access_matrix import CONVERSATIONS, EMPLOYEES, feedback_allowed
from tests.api.world import PASSWORD, World, build_world
from tests.conftest import cast as build_cast
from tests.core.test_pages import NAMES, OUTSIDER_NAME, PUBLIC_URL_NAMES, _url_names
from tests.factories import CompetenceFactory, DepartmentPlanFactory, JobFactory, RoleAssignmentFactory

PEOPLE = (*CAST_USERS, "foreign_manager")
PLAN_YEAR = 2026
SESSION_PREFIX = "matrix-session-"


# -- the world -----------------------------------------------------------------------------------


def _name_the_cast(cast) -> None:
    """Fixed, distinct names (as ``tests/core/test_pages.py``), so that "X is not on the page"
    cannot pass or fail by a collision of generated names."""
    for role, (given, family) in NAMES.items():
        person = getattr(cast, role)
        Employee.objects.filter(pk=person.pk).update(first_name=given, last_name=family)
        User.objects.filter(pk=person.user_id).update(first_name=given, last_name=family)
        person.first_name, person.last_name = given, family
    User.objects.filter(pk=cast.outsider.pk).update(first_name=OUTSIDER_NAME[0], last_name=OUTSIDER_NAME[1])


def _add_what_the_pages_need(world: World) -> None:
    cast = world.cast
    own, foreign = cast.organisation, cast.foreign_employee.organisation
    for unit in OrgUnit.objects.all():
        DepartmentPlanFactory(
            unit=unit, year=PLAN_YEAR, attachment=ContentFile(b"%PDF-1.4 plan", name=f"plan-{unit.code}.pdf")
        )
    for name in ("employee_planning", "colleague_progress", "other_employee_progress", "foreign_annual"):
        conversation = world.conversations[name]
        Attachment.objects.create(
            conversation=conversation,
            file=ContentFile(b"%PDF-1.4 bijlage", name="bijlage.pdf"),
            filename=f"bijlage-{name}.pdf",
            content_type="application/pdf",
            size=16,
            uploaded_by=conversation.employee.user,
        )
    for organisation in (own, foreign):
        JobFactory(organisation=organisation)
        CompetenceFactory(organisation=organisation)
        OrganisationImport.objects.create(
            organisation_name=organisation.name,
            uploaded_by=None,
            units_filename="units.csv",
            units_content=b"",
            employees_filename="employees.csv",
            employees_content=b"",
            status=ImportStatus.APPLIED,
        )
    api_token_issue(organisation=own, name="Matrix", scopes=[Scope.READ], acting_user=cast.user("hr_admin"))
    ApiToken.objects.create(
        organisation=foreign,
        name="Elders",
        prefix="elders01",
        secret_hash="not-a-real-hash",
        scopes=[Scope.READ],
        created_by=world.foreign_manager.user,
    )
    # A role in the other organisation too (its unit head directs it), so that its
    # administration pages have something to refuse.
    RoleAssignmentFactory(
        user=world.foreign_manager.user,
        organisation=foreign,
        role=Role.DIRECTOR,
        unit=cast.foreign_employee.unit,
    )
    for role in ("employee", "other_employee", "foreign_employee"):
        ScanResponse.objects.create(
            employee=world.person(role),
            sections=[{"title": "Samenwerken", "statements": ["Ik vraag om hulp."]}],
            answers={"0.0": 4},
            completed_at=timezone.now(),
        )
    for person in PEOPLE:
        user = world.user(person)
        UserSession.objects.create(user=user, session_key=f"{SESSION_PREFIX}{user.pk}")


@dataclass
class Matrix:
    world: World
    clients: dict[str, Client]  # one logged-in browser per person, for the whole module
    session_keys: dict[str, str]

    def client(self, person: str) -> Client:
        """The person's browser with only the session cookie (no messages from an earlier test)."""
        client = self.clients[person]
        client.cookies = SimpleCookie({settings.SESSION_COOKIE_NAME: self.session_keys[person]})
        return client


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, seal_certificate, tmp_path_factory) -> Matrix:
    """The world and everybody's logged-in browser, built once for the module inside a
    transaction that is rolled back afterwards (every test runs in its own savepoint)."""
    media = tmp_path_factory.mktemp("page-matrix-media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=str(media)),
        transaction.atomic(),
    ):
        cast = build_cast.__wrapped__(db=None)
        _name_the_cast(cast)
        world = build_world(cast)
        _add_what_the_pages_need(world)
        clients, keys = {}, {}
        for person in PEOPLE:
            clients[person] = Client()
            clients[person].force_login(world.user(person))
            keys[person] = clients[person].session.session_key
        yield Matrix(world, clients, keys)
        transaction.set_rollback(True)


# -- the objects a page is asked about -----------------------------------------------------------


def nothing() -> list:
    return [None]


def conversations() -> list[Conversation]:
    return list(CONVERSATIONS.order_by("pk"))


def employees() -> list[Employee]:
    return list(EMPLOYEES.order_by("pk"))


def units() -> list[OrgUnit]:
    return list(OrgUnit.objects.select_related("organisation").order_by("pk"))


def nothing_and_units() -> list:
    return [None, *units()]


def organisations() -> list[Organisation]:
    return list(Organisation.objects.order_by("pk"))


def cycles() -> list[Cycle]:
    return list(
        Cycle.objects.select_related("employee__unit", "employee__manager", "regulation_version").order_by(
            "pk"
        )
    )


def versions() -> list[RegulationVersion]:
    return list(RegulationVersion.objects.order_by("pk"))


def entries() -> list[DossierEntry]:
    return list(
        DossierEntry.objects.select_related(
            "employee__unit", "employee__manager", "conversation__cycle__regulation_version"
        )
        .defer("pdf", "content_json")
        .order_by("pk")
    )


def agreements_alone_and_in_conversations() -> list[tuple]:
    """Every agreement on its own, and opened from each conversation about the same person
    (``?gesprek=``: how a person designated to conduct that conversation reads it)."""
    pairs: list[tuple] = []
    everything = conversations()
    for agreement in Agreement.objects.select_related(
        "employee__unit", "employee__manager", "cycle__regulation_version"
    ).order_by("pk"):
        pairs.append((agreement, None))
        pairs += [(agreement, c) for c in everything if c.employee_id == agreement.employee_id]
    return pairs


def objections() -> list[tuple]:
    """Each objection under its own conversation, and once under another one (always 404)."""
    pairs = []
    for objection in Objection.objects.select_related("assessment__conversation").order_by("pk"):
        own = CONVERSATIONS.get(pk=objection.assessment.conversation_id)
        other = CONVERSATIONS.exclude(pk=own.pk).filter(employee_id=own.employee_id).order_by("pk").first()
        pairs += [(own, objection), (other, objection)]
    return pairs


def attachments() -> list[tuple]:
    """Each attachment under its own conversation, and the first one under another one."""
    listed = list(Attachment.objects.order_by("pk"))
    pairs = [(CONVERSATIONS.get(pk=a.conversation_id), a) for a in listed]
    return [*pairs, (pairs[1][0], listed[0])]


def disagreements() -> list[Disagreement]:
    return list(
        Disagreement.objects.select_related(
            "conversation__cycle__regulation_version", "conversation__employee__manager"
        ).order_by("pk")
    )


def delegations() -> list[Delegation]:
    return list(Delegation.objects.select_related("employee").order_by("pk"))


def plans() -> list[DepartmentPlan]:
    return list(DepartmentPlan.objects.select_related("unit").order_by("pk"))


def feedback() -> list[Feedback]:
    return list(Feedback.objects.order_by("pk"))


def role_assignments() -> list[tuple]:
    """Each role under its own organisation, and a role of the other organisation under ours."""
    pairs = [
        (ra.organisation, ra) for ra in RoleAssignment.objects.select_related("organisation").order_by("pk")
    ]
    foreign = next(ra for org, ra in pairs if org.name == "Gemeente Elders")
    own = next(org for org, _ra in pairs if org.name != "Gemeente Elders")
    return [*pairs, (own, foreign)]


def tokens() -> list[tuple]:
    pairs = [(t.organisation, t) for t in ApiToken.objects.select_related("organisation").order_by("pk")]
    return [*pairs, (pairs[0][0], pairs[-1][1])]


def uploads() -> list[OrganisationImport]:
    return list(OrganisationImport.objects.order_by("pk"))


def jobs() -> list[Job]:
    return list(Job.objects.select_related("organisation").order_by("pk"))


def competences() -> list[Competence]:
    return list(Competence.objects.select_related("organisation").order_by("pk"))


def scans() -> list[ScanResponse]:
    return list(ScanResponse.objects.order_by("pk"))


def sessions() -> list[UserSession]:
    return list(UserSession.objects.filter(session_key__startswith=SESSION_PREFIX).order_by("pk"))


# -- what the permission model says ----------------------------------------------------------------

Check = Callable[[User, object], bool]


def may(permission: str, of: Callable = lambda obj: obj) -> Check:
    """``rules.has_perm(permission, user, of(obj))``."""

    def check(user, obj) -> bool:
        return rules.has_perm(permission, user, of(obj))

    check.__name__ = permission
    return check


def may_at_all(permission: str) -> Check:
    """A role-level permission, asked without an object."""

    def check(user, obj) -> bool:
        return rules.has_perm(permission, user)

    check.__name__ = f"{permission} (any)"
    return check


def holds(predicate, of: Callable = lambda obj: obj) -> Check:
    """A predicate of ``access.predicates`` that is not registered as a permission."""

    def check(user, obj) -> bool:
        return bool(predicate.test(user, of(obj)))

    check.__name__ = predicate.name
    return check


def either(*checks: Check) -> Check:
    def check(user, obj) -> bool:
        return any(c(user, obj) for c in checks)

    check.__name__ = " | ".join(c.__name__ for c in checks)
    return check


def both(*checks: Check) -> Check:
    def check(user, obj) -> bool:
        return all(c(user, obj) for c in checks)

    check.__name__ = " & ".join(c.__name__ for c in checks)
    return check


def at(check: Check, of: Callable) -> Check:
    """``check`` asked about ``of(obj)`` (one object of a pair)."""

    def checked(user, obj) -> bool:
        return check(user, of(obj))

    checked.__name__ = check.__name__
    return checked


def fact(test: Callable[[object], bool], name: str) -> Check:
    """Not a permission but a property of the object the page needs (a kind it has, ...)."""

    def check(user, obj) -> bool:
        return test(obj)

    check.__name__ = name
    return check


def first(pair: tuple):
    """The first object of a pair (the organisation of a role, the conversation of an attachment)."""
    return pair[0]


oversees = either(holds(is_director_over), holds(is_hr_adviser_for), holds(is_hr_admin))


def oversees_or_any(user, unit) -> bool:
    """The unit (or, without one, any unit) is the user's to oversee: directed, advised or
    administered (the compliance dashboard and the team overview by unit)."""
    if unit is None:
        return any(oversees(user, u) for u in OrgUnit.objects.all())
    return oversees(user, unit)


oversees_or_any.__name__ = "oversees the unit"


def oversees_the_unit_asked(user, unit) -> bool:
    """The team overview: one's own direct reports for everybody; by unit, a unit one oversees."""
    return unit is None or oversees(user, unit)


def reads_assessment(user, conversation) -> bool:
    """The assessment pages: who reads the report, and the regulation's objection handlers."""
    handles = regulation_roles(user, conversation.employee) & set(objection_handlers(conversation))
    return rules.has_perm("conversations.read_report", user, conversation) or bool(handles)


def is_own(of: Callable) -> Check:
    """The object belongs to the user's own employee record (or account)."""

    def check(user, obj) -> bool:
        owner = of(obj)
        if isinstance(owner, User):
            return owner.pk == user.pk
        return bool(is_self.test(user, owner))

    check.__name__ = "own"
    return check


def administers_organisation_named(user, upload: OrganisationImport) -> bool:
    organisation = Organisation.objects.filter(name=upload.organisation_name).first()
    return rules.has_perm("organisations.import_organisation", user, organisation)


def agreement_readable(user, pair) -> bool:
    """``agreements:detail``: the agreement, or the agreements of the conversation it is
    opened from (``?gesprek=``, a conversation about the same person)."""
    agreement, conversation = pair
    if rules.has_perm("agreements.view_agreement", user, agreement):
        return True
    return conversation is not None and rules.has_perm("agreements.view_agreement", user, conversation)


def readable_entry(user, entry) -> bool:
    return rules.has_perm("dossiers.read_entry", user, entry) and not entry.is_purged


def hidden(check: Check) -> tuple[Check, int]:
    return (check, 404)


def forbidden(check: Check) -> tuple[Check, int]:
    return (check, 403)


@dataclass(frozen=True)
class Page:
    """One URL name: the objects it is asked about, how the URL is made from one, and the
    expected answer: the first check that fails gives its status, else ``ok``."""

    objects: Callable[[], list]
    steps: tuple[tuple[Check, int], ...]
    args: Callable[[object], list] = lambda obj: [obj.pk]
    query: Callable[[object], str] = lambda obj: ""
    ok: int | Callable[[object], int] = 200
    method: str = "get"
    body: Callable[[object], dict] = lambda obj: {}
    lists_people: bool = False  # ASVS 8.2.2: no name or personnel number of anyone else
    posted_when: Callable[[object], bool] = lambda obj: True  # where the page offers the form

    def expected(self, user, obj) -> int:
        for check, refused in self.steps:
            if not check(user, obj):
                return refused
        return self.ok(obj) if callable(self.ok) else self.ok

    def url(self, url_name: str, obj) -> str:
        return reverse(url_name, args=self.args(obj)) + self.query(obj)


def post(objects, steps, *, args=lambda obj: [obj.pk], body=lambda obj: {}, when=lambda obj: True) -> Page:
    """A POST-only endpoint: an allowed person is sent on (302). ``when``: the objects for
    which the page offers the form (an allowed person's POST is only made for those)."""
    return Page(objects, tuple(steps), args=args, ok=302, method="post", body=body, posted_when=when)


def up_for_signing(conversation) -> bool:
    # The signing POSTs of a report that is not up for signing answer 500 (an uncaught
    # ``Refused`` from ``version_for_signing``), not an access question: not made here.
    return conversation.status in (Status.READY_FOR_SIGNING, Status.COMPLETED)


def sign_status(conversation) -> int:
    """The signing page of a report that is not up for signing sends the reader to the conversation."""
    return 200 if conversation.status in (Status.READY_FOR_SIGNING, Status.COMPLETED) else 302


def version_hash(conversation) -> str:
    version = (
        ReportVersion.objects.filter(conversation=conversation)
        .exclude(state=VersionState.VOID)
        .order_by("-number")
        .first()
    )
    return version.content_hash if version else "0" * 64


def first_kind(cycle) -> str:
    return cycle.regulation_version.regulation().conversation_kinds[0].id


def on_request_kind(cycle) -> str:
    regulation = cycle.regulation_version.regulation()
    return regulation.assessment.kind if regulation.assessment else first_kind(cycle)


view_conversation = may("conversations.view_conversation")
take_part = may("conversations.take_part")
read_report = may("conversations.read_report")
view_employee = may("organisations.view_employee")
view_schedule = may("cycles.view_schedule")
hr_admin_of = may("organisations.import_organisation")
any_hr_admin = may_at_all("organisations.import_organisation")
assessment = both(reads_assessment, fact(is_assessment, "an assessment"))
attachment_of = fact(lambda pair: pair[1].conversation_id == pair[0].pk, "attachment of the conversation")
objection_of = fact(
    lambda pair: pair[1].assessment.conversation_id == pair[0].pk, "objection of the conversation"
)

AGREEMENT_VALUES = {
    "kind": "work_result",
    "description": "Afspraak uit de matrix",
    "indicator": "Doorlooptijd",
    "target": "90%",
    "deadline": "2026-12-01",
}

PAGES: dict[str, Page] = {
    # -- people and units --------------------------------------------------------------------------
    "organisations:employee_list": Page(
        nothing,
        (forbidden(may_at_all("organisations.search_employees")),),
        args=lambda _: [],
        lists_people=True,
    ),
    "organisations:employee_detail": Page(employees, (hidden(view_employee),)),
    "cycles:employee_schedule": Page(employees, (hidden(view_schedule),)),
    "dossiers:employee": Page(employees, (hidden(view_employee),)),
    "disagreements:delegations": Page(employees, (hidden(view_employee), hidden(holds(is_manager_of)))),
    "privacy:employee_export": Page(employees, (hidden(either(holds(is_self), hr_admin_of)),)),
    "privacy:pseudonymise": Page(employees, (hidden(hr_admin_of),)),
    "accounts:employee_sessions_end": Page(
        employees, (hidden(view_employee), forbidden(may("organisations.assign_roles")))
    ),
    "organisations:unit_detail": Page(units, (hidden(may("organisations.view_orgunit")),), lists_people=True),
    "organisations:department_plan_add": Page(
        units,
        (
            hidden(may("organisations.view_departmentplan")),
            forbidden(may("organisations.change_departmentplan")),
        ),
    ),
    "organisations:department_plan_edit": Page(
        units,
        (
            hidden(may("organisations.view_departmentplan")),
            forbidden(may("organisations.change_departmentplan")),
        ),
        args=lambda unit: [unit.pk, PLAN_YEAR],
    ),
    "organisations:department_plan_download": Page(
        plans, (hidden(may("organisations.view_departmentplan")),)
    ),
    "cycles:team_schedule": Page(
        nothing_and_units,
        (hidden(oversees_the_unit_asked),),
        args=lambda _: [],
        query=lambda unit: f"?unit={unit.pk}" if unit else "",
        lists_people=True,
    ),
    "compliance:dashboard": Page(
        nothing_and_units,
        (hidden(oversees_or_any),),
        args=lambda _: [],
        query=lambda unit: f"?unit={unit.pk}" if unit else "",
        lists_people=True,
    ),
    "compliance:export": Page(
        nothing_and_units,
        (hidden(oversees_or_any),),
        args=lambda _: ["csv"],
        query=lambda unit: f"?table=overdue&unit={unit.pk}" if unit else "?table=overdue",
        lists_people=True,
    ),
    # -- administration: per organisation -----------------------------------------------------------
    "regulations:list": Page(organisations, (forbidden(may("regulations.manage_regulations")),)),
    "organisations:roles": Page(organisations, (forbidden(may("organisations.assign_roles")),)),
    "organisations:export_download": Page(
        organisations,
        (forbidden(may("organisations.export_organisation")),),
        args=lambda org: [org.pk, "csv"],
    ),
    "api_tokens:list": Page(organisations, (forbidden(hr_admin_of),)),
    "organisations:role_revoke": post(
        role_assignments,
        [forbidden(may("organisations.assign_roles", first))],
        args=lambda pair: [pair[0].pk, pair[1].pk],
    ),
    "api_tokens:revoke": post(
        tokens,
        [
            forbidden(may("organisations.import_organisation", first)),
            hidden(fact(lambda pair: pair[1].organisation_id == pair[0].pk, "token of the organisation")),
        ],
        args=lambda pair: [pair[0].pk, pair[1].pk],
    ),
    "regulations:version_detail": Page(versions, (hidden(may("regulations.manage_regulations")),)),
    "regulations:version_activate": post(versions, [hidden(may("regulations.manage_regulations"))]),
    "regulations:version_discard": post(versions, [hidden(may("regulations.manage_regulations"))]),
    # -- administration: the HR administrator's own organisation(s) ----------------------------------
    "organisations:admin_home": Page(nothing, (forbidden(any_hr_admin),), args=lambda _: []),
    "organisations:jobs_list": Page(nothing, (forbidden(any_hr_admin),), args=lambda _: []),
    "organisations:import_upload": Page(nothing, (forbidden(any_hr_admin),), args=lambda _: []),
    "organisations:competences": Page(nothing, (forbidden(any_hr_admin),), args=lambda _: []),
    "privacy:admin": Page(nothing, (forbidden(any_hr_admin),), args=lambda _: [], lists_people=True),
    "feedback:question_sets": Page(nothing, (forbidden(any_hr_admin),), args=lambda _: []),
    "feedback:scan_settings": Page(nothing, (forbidden(any_hr_admin),), args=lambda _: []),
    "audit:search": Page(
        nothing, (forbidden(may_at_all("audit.view_auditlog")),), args=lambda _: [], lists_people=True
    ),
    "audit:export": Page(
        nothing, (forbidden(may_at_all("audit.view_auditlog")),), args=lambda _: [], lists_people=True
    ),
    "organisations:job_profile": Page(
        jobs,
        (forbidden(any_hr_admin), hidden(may("organisations.import_organisation", lambda j: j.organisation))),
    ),
    "organisations:competence_edit": Page(
        competences,
        (forbidden(any_hr_admin), hidden(may("organisations.import_organisation", lambda c: c.organisation))),
    ),
    "organisations:import_preview": Page(
        uploads, (forbidden(any_hr_admin), hidden(administers_organisation_named))
    ),
    "organisations:import_confirm": post(
        uploads, [forbidden(any_hr_admin), hidden(administers_organisation_named)]
    ),
    "organisations:import_discard": post(
        uploads, [forbidden(any_hr_admin), hidden(administers_organisation_named)]
    ),
    # -- cycles ------------------------------------------------------------------------------------
    "conversations:plan": Page(
        cycles,
        (hidden(may("cycles.view_schedule", lambda c: c.employee)),),
        args=lambda c: [c.pk, first_kind(c)],
    ),
    "agreements:work_plan": Page(
        cycles,
        (
            hidden(may("cycles.view_schedule", lambda c: c.employee)),
            hidden(fact(lambda c: c.regulation_version.regulation().work_plan is not None, "a work plan")),
        ),
    ),
    "assessments:request": post(
        cycles,
        [hidden(may("cycles.view_schedule", lambda c: c.employee))],
        args=lambda c: [c.pk, on_request_kind(c)],
        body=lambda c: {"reason": "Ter onderbouwing van een besluit."},
    ),
    # -- conversations -------------------------------------------------------------------------------
    "conversations:detail": Page(conversations, (hidden(view_conversation),)),
    "conversations:calendar": Page(conversations, (hidden(take_part),)),
    "signatures:sign": Page(conversations, (hidden(read_report),), ok=sign_status),
    "assessments:detail": Page(conversations, (hidden(assessment),)),
    "conversations:reschedule": post(conversations, [hidden(take_part)]),
    "conversations:cancel": post(
        conversations, [hidden(take_part)], body=lambda c: {"cancel-reason": "Ziek."}
    ),
    "conversations:preparation": post(
        conversations, [hidden(take_part)], body=lambda c: {"notes": "Matrix", "topics": "Matrix"}
    ),
    "conversations:held": post(conversations, [hidden(take_part)], body=lambda c: {"held_on": "2026-06-15"}),
    "conversations:report": post(
        conversations, [hidden(take_part)], body=lambda c: {"text": "Matrix", "version": 1}
    ),
    "conversations:report_send_back": post(
        conversations, [hidden(take_part)], body=lambda c: {"comment": "Nee."}
    ),
    "conversations:report_withhold": post(conversations, [hidden(take_part)]),
    "conversations:report_approve": post(conversations, [hidden(take_part)]),
    "conversations:attachment_add": post(conversations, [hidden(take_part)]),
    "conversations:attachment": Page(
        attachments,
        (hidden(may("conversations.read_attachment", first)), hidden(attachment_of)),
        args=lambda pair: [pair[0].pk, pair[1].pk],
    ),
    "conversations:attachment_remove": post(
        attachments,
        [
            hidden(may("conversations.read_attachment", first)),
            hidden(attachment_of),
            hidden(may("conversations.take_part", first)),
        ],
        args=lambda pair: [pair[0].pk, pair[1].pk],
    ),
    "agreements:create": post(conversations, [hidden(take_part)], body=lambda c: AGREEMENT_VALUES),
    "agreements:detail": Page(
        agreements_alone_and_in_conversations,
        (hidden(agreement_readable),),
        args=lambda pair: [pair[0].pk],
        query=lambda pair: f"?gesprek={pair[1].pk}" if pair[1] else "",
    ),
    "signatures:sign_post": post(
        conversations,
        [hidden(read_report)],
        body=lambda c: {"expected_hash": version_hash(c), "password": PASSWORD},
        when=up_for_signing,
    ),
    "signatures:refuse": post(
        conversations,
        [hidden(read_report)],
        body=lambda c: {"expected_hash": version_hash(c), "password": PASSWORD, "reason": "Niet mee eens."},
        when=up_for_signing,
    ),
    "signatures:record_refusal": post(
        conversations, [hidden(read_report)], body=lambda c: {"reason": "Weigert."}, when=up_for_signing
    ),
    "signatures:reopen": post(conversations, [hidden(read_report)], body=lambda c: {"reason": "Klopt niet."}),
    "assessments:save": post(conversations, [hidden(assessment)]),
    "assessments:respond": post(
        conversations, [hidden(assessment)], body=lambda c: {"response": "Zienswijze."}
    ),
    "assessments:object": post(conversations, [hidden(assessment)], body=lambda c: {"grounds": "Onjuist."}),
    "assessments:hear": post(
        objections,
        [hidden(at(assessment, first)), hidden(objection_of)],
        args=lambda pair: [pair[0].pk, pair[1].pk],
        body=lambda pair: {"notes": "Gehoord."},
    ),
    "assessments:decide": post(
        objections,
        [hidden(at(assessment, first)), hidden(objection_of)],
        args=lambda pair: [pair[0].pk, pair[1].pk],
        body=lambda pair: {"decision": Decision.values[0], "motivation": "Besloten."},
    ),
    # -- disagreements and designations ------------------------------------------------------------
    "disagreements:raise": post(conversations, [hidden(take_part)], body=lambda c: {"statement": "Oneens."}),
    "disagreements:detail": Page(
        disagreements, (hidden(may("conversations.view_conversation", lambda d: d.conversation)),)
    ),
    "disagreements:note": post(
        disagreements,
        [hidden(may("conversations.view_conversation", lambda d: d.conversation))],
        body=lambda d: {"text": "Notitie."},
    ),
    "disagreements:resolve": post(
        disagreements,
        [hidden(may("conversations.view_conversation", lambda d: d.conversation))],
        body=lambda d: {"outcome": "Opgelost."},
    ),
    "disagreements:last_resort": post(
        disagreements, [hidden(may("conversations.view_conversation", lambda d: d.conversation))]
    ),
    "disagreements:revoke": post(delegations, [hidden(holds(is_manager_of, lambda d: d.employee))]),
    # -- personnel file ------------------------------------------------------------------------------
    "dossiers:entry_pdf": Page(entries, (hidden(readable_entry),)),
    "dossiers:entry_json": Page(entries, (hidden(readable_entry),)),
    # -- feedback ----------------------------------------------------------------------------------
    "feedback:detail": Page(feedback, (hidden(feedback_allowed),)),
    "feedback:answer": post(feedback, [hidden(feedback_allowed)], body=lambda f: {"decline": "1"}),
    "feedback:bring_into": post(
        feedback,
        [hidden(feedback_allowed)],
        body=lambda f: {
            "gesprek": Conversation.objects.filter(employee_id=f.receiver_id).order_by("-pk")[0].pk
        },
    ),
    "feedback:scan_share": post(
        scans, [hidden(is_own(lambda scan: scan.employee))], body=lambda s: {"manager": "1"}
    ),
    # -- my account --------------------------------------------------------------------------------
    "accounts:session_end": post(sessions, [hidden(is_own(lambda session: session.user))]),
}


# -- the exception list: pages about oneself ---------------------------------------------------------


@dataclass(frozen=True)
class Own:
    """A page without an object and without a role: about the person asking. ``employee``:
    about one's employee record, so 404 for an account without one."""

    reason: str
    employee: bool = False
    method: str = "get"
    ok: int = 200
    body: dict = field(default_factory=dict)

    def expected(self, user) -> int:
        if self.employee and actor_for(user).employee_id is None:
            return 404
        return self.ok


# Every logged-in person opens these, each about themselves; there is no other person's
# object to ask for, so the matrix opens them for everybody and checks that the page shows
# their own data and nobody else's (see ``own_data_problems``).
OWN_PAGES: dict[str, Own] = {
    "core:overview": Own("my details, my manager, my team, my units (lists people: checked)"),
    "core:reference": Own("the load benchmark's yardstick: my personnel number only"),
    "cycles:my_schedule": Own("my own cycle", employee=True),
    "dossiers:mine": Own("my own personnel file", employee=True),
    "dossiers:export": Own("my own personnel file as a zip", employee=True),
    "feedback:overview": Own("feedback I gave, received or was asked for", employee=True),
    "feedback:ask": Own("the form to ask for feedback", employee=True),
    "feedback:give": Own("the form to give feedback", employee=True),
    "feedback:scan": Own("my own development scan", employee=True),
    "notifications:inbox": Own("my own reminders"),
    "notifications:mark_read": Own("marks my own reminders read", method="post", ok=302),
    "notifications:preference": Own(
        "my own delivery preference", method="post", ok=302, body={"delivery": "digest"}
    ),
    "audit:mine": Own("who did what with my data"),
    "privacy:mine": Own("my own data (AVG)", employee=True),
    "privacy:my_export": Own("my own data as a zip (AVG)", employee=True),
    "accounts:account": Own("my account: password, two-step verification, my sessions"),
    "accounts:password_change": Own("my own password"),
    "accounts:password_change_done": Own("the confirmation of my own new password"),
    "accounts:two_factor_setup": Own("my own authenticator app"),
    "accounts:recovery_codes_renew": Own("my own recovery codes", method="post", ok=302),
    "accounts:two_factor_disable": Own("my own two-step verification", method="post", ok=302),
    "accounts:sessions_end_others": Own("my own other sessions", method="post", ok=302),
}


# -- the guard ----------------------------------------------------------------------------------------


def protected_url_names() -> set[str]:
    """Every page of the resolver but the public ones, Django's admin and the API (whose every
    operation ``tests/api/test_access_matrix.py`` checks)."""
    names = {n for n in _url_names(get_resolver()) if n.split(":")[0] not in ("admin", "api")}
    return names - PUBLIC_URL_NAMES


def test_every_protected_page_is_in_the_matrix():
    pages = protected_url_names()
    assert not set(PAGES) & set(OWN_PAGES), "a page is both in the matrix and an exception"
    missing = sorted(pages - set(PAGES) - set(OWN_PAGES))
    stale = sorted((set(PAGES) | set(OWN_PAGES)) - pages)
    assert not missing, f"pages without an entry in PAGES (or, about oneself only, OWN_PAGES): {missing}"
    assert not stale, f"entries for pages that are gone: {stale}"


# -- what may appear on a page (ASVS 8.2.2) ----------------------------------------------------------


def _linked_object(url_name: str, kwargs: dict, query: dict):
    """The object a link points at, as the matrix entry of its page takes it (None: not found)."""
    pk = kwargs.get("pk")
    if url_name in ("organisations:employee_detail", "cycles:employee_schedule"):
        return EMPLOYEES.filter(pk=pk).first()
    if url_name == "dossiers:employee":
        return EMPLOYEES.filter(pk=kwargs["employee_pk"]).first()
    if url_name == "organisations:unit_detail":
        return OrgUnit.objects.filter(pk=pk).first()
    if url_name in ("conversations:detail", "signatures:sign", "assessments:detail"):
        return CONVERSATIONS.filter(pk=pk).first()
    if url_name in ("dossiers:entry_pdf", "dossiers:entry_json"):
        return next((e for e in entries() if e.pk == pk), None)
    if url_name == "feedback:detail":
        return Feedback.objects.filter(pk=pk).first()
    if url_name == "disagreements:detail":
        return next((d for d in disagreements() if d.pk == pk), None)
    if url_name == "agreements:detail":
        agreement = (
            Agreement.objects.select_related("employee__manager", "cycle__regulation_version")
            .filter(pk=pk)
            .first()
        )
        if agreement is None:
            return None
        conversation = query.get("gesprek", [None])[0]
        conversation = CONVERSATIONS.filter(pk=conversation, employee_id=agreement.employee_id).first()
        return (agreement, conversation)
    return None


# The pages about one object of somebody's: a link to one is a listing of that object.
LINKED_PAGES = {
    "organisations:employee_detail": "the page of employee",
    "cycles:employee_schedule": "the cycle of employee",
    "dossiers:employee": "the personnel file of employee",
    "organisations:unit_detail": "unit",
    "conversations:detail": "conversation",
    "signatures:sign": "the signing page of conversation",
    "assessments:detail": "the assessment of conversation",
    "dossiers:entry_pdf": "personnel-file entry",
    "dossiers:entry_json": "personnel-file entry",
    "feedback:detail": "feedback",
    "disagreements:detail": "disagreement",
    "agreements:detail": "agreement",
}


def link_problems(user, html: str) -> list[str]:
    """Every link to a person's data on the page leads to something the user may open."""
    problems = []
    for href in sorted(set(re.findall(r'href="(/[^"#]*)', html))):
        parts = urlsplit(href.replace("&amp;", "&"))
        try:
            match = resolve(parts.path)
        except Resolver404:
            continue
        if match.view_name not in LINKED_PAGES:
            continue
        obj = _linked_object(match.view_name, match.kwargs, parse_qs(parts.query))
        if obj is None or PAGES[match.view_name].expected(user, obj) not in (200, 302):
            problems.append(f"links to {LINKED_PAGES[match.view_name]} {href}, which the person may not open")
    return problems


def agreement_problems(user, content: str) -> list[str]:
    """No agreement the person may not read is shown (its description). Readable: by
    ``agreements.view_agreement`` on the agreement, or on a conversation about the same
    person (how a delegate reads them, ``agreements:detail?gesprek=``)."""
    problems = []
    everything = conversations()
    for agreement in Agreement.objects.select_related(
        "employee__unit", "employee__manager", "cycle__regulation_version"
    ).order_by("pk"):
        if agreement.description not in content:
            continue
        readable = agreement_readable(user, (agreement, None)) or any(
            agreement_readable(user, (agreement, c))
            for c in everything
            if c.employee_id == agreement.employee_id
        )
        if not readable:
            problems.append(
                f"shows agreement {agreement.pk} ({agreement.description!r}), which the person may not read"
            )
    return problems


def people_problems(user, content: str) -> list[str]:
    """No personnel number of anyone the user may not view; no name either, but for the
    manager of someone they may view (shown beside that person)."""
    everybody = employees()
    viewable = {e.pk for e in everybody if rules.has_perm("organisations.view_employee", user, e)}
    context = {e.manager_id for e in everybody if e.pk in viewable}
    problems = []
    for person in everybody:
        if person.pk in viewable:
            continue
        if re.search(rf"(?<!\d){person.personnel_number}(?!\d)", content):
            problems.append(f"shows the personnel number of {person.full_name}")
        if person.pk not in context and person.full_name in content:
            problems.append(f"shows the name of {person.full_name}")
    return problems


def own_data_problems(url_name: str, user, response) -> list[str]:
    """The pages about oneself show one's own data only."""
    me = Employee.objects.filter(user=user).first()
    content = response.content.decode(errors="replace") if not response.streaming else ""
    problems = []
    if url_name == "notifications:inbox":
        for notification in Notification.objects.all():
            shown = notification.subject in content
            if shown != (notification.user_id == user.pk):
                problems.append(f"notification {notification.subject!r} shown={shown}")
    if url_name == "dossiers:mine":
        for entry in DossierEntry.objects.all():
            linked = reverse("dossiers:entry_pdf", args=[entry.pk]) in content
            if linked != (entry.employee_id == me.pk):
                problems.append(f"personnel-file entry {entry.pk} of {entry.employee_id} linked={linked}")
    if url_name == "feedback:overview":
        for item in Feedback.objects.all():
            if not feedback_allowed(user, item) and item.text and item.text in content:
                problems.append(f"shows feedback {item.pk} ({item.text!r})")
    exports = url_name in ("dossiers:export", "privacy:my_export")
    if exports and me.personnel_number not in response["Content-Disposition"]:
        problems.append(f"exports somebody else: {response['Content-Disposition']}")
    if url_name == "core:overview":
        problems += people_problems(user, content)
    if url_name == "audit:mine":
        # Who read my data is shown by name (that is the point); their numbers are not.
        problems += [p for p in people_problems(user, content) if "personnel number" in p]
    return problems


# -- the rows a refused POST could touch -------------------------------------------------------------


def footprint() -> tuple:
    return (
        AuditEvent.objects.filter(category=Category.WRITE).count(),
        list(Conversation.objects.order_by("pk").values_list("pk", "status", "starts_at", "conductor_id")),
        list(
            Report.objects.order_by("pk").values_list("pk", "version", "withheld_items", "returned_comment")
        ),
        Preparation.objects.count(),
        Attachment.objects.count(),
        Agreement.objects.count(),
        list(ReportVersion.objects.order_by("pk").values_list("pk", "state")),
        Signature.objects.count(),
        list(Objection.objects.order_by("pk").values_list("pk", "status")),
        DisagreementNote.objects.count(),
        list(Disagreement.objects.order_by("pk").values_list("pk", "outcome")),
        list(Delegation.objects.order_by("pk").values_list("pk", "revoked_at")),
        list(Cycle.objects.order_by("pk").values_list("pk", "requested_kinds")),
        list(Feedback.objects.order_by("pk").values_list("pk", "status")),
        FeedbackSelection.objects.count(),
        list(ScanResponse.objects.order_by("pk").values_list("pk", "shared_with_manager", "conversation_id")),
        list(RegulationVersion.objects.order_by("pk").values_list("pk", "status")),
        RoleAssignment.objects.count(),
        list(OrganisationImport.objects.order_by("pk").values_list("pk", "status")),
        list(ApiToken.objects.order_by("pk").values_list("pk", "revoked_at")),
        UserSession.objects.filter(session_key__startswith=SESSION_PREFIX).count(),
        Notification.objects.filter(read_at__isnull=True).count(),
    )


# -- which objects each person is asked about ---------------------------------------------------------

# Every object of the world for every person would be some 7,000 requests (about four times
# the time). Per page and person the matrix takes the objects that tell most, ranked by how
# close the person is to them (``closeness``: the relations they have with it short of the
# page's permission):
#
# * of the objects they may open: the least close one (reached by the most unusual route: a
#   delegate, a mediator, a designation), the closest (their own) and some in between;
# * of those they may not open: the closest ones (a colleague's, a conversation they see but
#   do not take part in, something of their own organisation) and the farthest (another
#   organisation's), so that neither a near miss nor a leak between organisations goes unseen;
# * POST-only endpoints: the closest and the farthest refused object, and one allowed object
#   where the page offers the form (POSTed inside a savepoint that is rolled back).
ALLOWED_PER_PERSON = 4
REFUSED_PER_PERSON = 4
REFUSED_POSTS_PER_PERSON = 2
ALLOWED_POSTS_PER_PERSON = 1


def spread(items: list, limit: int) -> list:
    """``limit`` items evenly spread over ``items``, the first and the last included."""
    if len(items) <= limit:
        return list(items)
    return [items[round(index * (len(items) - 1) / (limit - 1))] for index in range(limit)]


def nearest_and_farthest(items: list, limit: int) -> list:
    """The first ``limit - 1`` items and the last one."""
    if len(items) <= limit:
        return list(items)
    return [*items[: limit - 1], items[-1]]


def _parts(obj) -> list:
    return [part for part in (obj if isinstance(obj, tuple) else (obj,)) if part is not None]


def _about(part) -> tuple:
    """(organisation id, person, conversation, unit) an object is about, where it has them."""
    conversation = part if isinstance(part, Conversation) else getattr(part, "conversation", None)
    if isinstance(part, Objection):
        conversation = part.assessment.conversation
    if isinstance(part, Employee):
        person = part
    elif isinstance(part, Feedback):
        person = part.receiver
    else:
        person = getattr(part, "employee", None) or (conversation.employee if conversation else None)
    unit = part if isinstance(part, OrgUnit) else getattr(part, "unit", None)
    if isinstance(part, Organisation):
        organisation_id = part.pk
    else:
        organisation_id = getattr(part, "organisation_id", None) or (
            person.organisation_id if person else None
        )
    return organisation_id, person, conversation, unit


def closeness(user, obj) -> int:
    """How many relations the user has with the object (permissions short of the page's)."""
    actor = actor_for(user)
    score = 0
    for part in _parts(obj):
        if isinstance(part, User | UserSession):
            owner = part if isinstance(part, User) else part.user
            score += owner.pk == user.pk
            continue
        organisation_id, person, conversation, unit = _about(part)
        score += organisation_id in actor.organisation_ids
        if person is not None:
            score += is_self.test(user, person)
            score += rules.has_perm("organisations.view_employee", user, person)
            score += rules.has_perm("cycles.view_schedule", user, person)
        if conversation is not None:
            for permission in ("view_conversation", "read_report", "take_part"):
                score += rules.has_perm(f"conversations.{permission}", user, conversation)
        if unit is not None:
            score += rules.has_perm("organisations.view_orgunit", user, unit)
            score += rules.has_perm("organisations.view_departmentplan", user, unit)
    return score


def chosen(page: Page, user, objects: list) -> list[tuple[object, int]]:
    """``(object, expected status)`` for the objects this person is asked about."""
    rated = [(obj, page.expected(user, obj)) for obj in objects]
    allowed = [item for item in rated if item[1] not in (403, 404)]
    refused = [item for item in rated if item[1] in (403, 404)]
    allowed.sort(key=lambda item: closeness(user, item[0]))  # least close first (stable: by pk)
    refused.sort(key=lambda item: -closeness(user, item[0]))  # closest first
    if page.method == "get":
        return spread(allowed, ALLOWED_PER_PERSON) + nearest_and_farthest(refused, REFUSED_PER_PERSON)
    offered = [item for item in allowed if page.posted_when(item[0])]
    return offered[:ALLOWED_POSTS_PER_PERSON] + nearest_and_farthest(refused, REFUSED_POSTS_PER_PERSON)


# -- labels for the report -----------------------------------------------------------------------------


def labeller(world: World) -> Callable[[object], str]:
    conversation_names = {c.pk: name for name, c in world.conversations.items()}
    people = {world.person(p).pk: p for p in PEOPLE if p != "outsider"}

    def label(obj) -> str:
        if obj is None:
            return "-"
        if isinstance(obj, tuple):
            return " / ".join(label(part) for part in obj)
        if isinstance(obj, Conversation):
            return f"conversation {conversation_names.get(obj.pk, obj.pk)}"
        if isinstance(obj, Employee):
            return f"employee {people.get(obj.pk, obj.pk)}"
        if isinstance(obj, OrgUnit):
            return f"unit {obj.code}"
        if isinstance(obj, Organisation):
            return obj.name
        if isinstance(obj, Cycle):
            return f"cycle of {people.get(obj.employee_id, obj.employee_id)}"
        return f"{type(obj).__name__} {obj.pk}"

    return label


# -- findings not fixed yet ---------------------------------------------------------------------------

# What this matrix found that is not fixed yet, per page: (pattern of the mismatch, what it
# is). A page whose only mismatches are listed here is reported as xfail; a listed finding
# that no longer occurs fails the test, so that the entry is removed with the fix.
KNOWN_PROBLEMS: dict[str, tuple[tuple[str, str], ...]] = {}


def report(name: str, problems: list[str]) -> None:
    """Fail on every mismatch that is not a known finding; xfail on known findings only."""
    known = KNOWN_PROBLEMS.get(name, ())
    unknown = [p for p in problems if not any(re.search(pattern, p) for pattern, _why in known)]
    assert not unknown, f"{name}: {len(unknown)} mismatches:\n" + "\n".join(unknown)
    gone = [why for pattern, why in known if not any(re.search(pattern, p) for p in problems)]
    assert not gone, f"{name}: fixed? Remove from KNOWN_PROBLEMS: {gone}"
    if known:
        pytest.xfail(f"{name}: " + "; ".join(why for _pattern, why in known))


# -- the matrix ---------------------------------------------------------------------------------------


def fresh_user(world: World, person: str) -> User:
    """A new user object, so that no actor is cached from an earlier test."""
    return User.objects.get(pk=world.user(person).pk)


def send(client: Client, page: Page, url: str, obj, *, rollback: bool):
    """GET, or POST the page's body; an allowed POST inside a savepoint that is rolled back."""
    if page.method == "get":
        return client.get(url)
    if not rollback:
        return client.post(url, page.body(obj))
    with transaction.atomic():
        response = client.post(url, page.body(obj))
        transaction.set_rollback(True)
    return response


def content_problems(page: Page | None, user, response) -> list[str]:
    if response.status_code != 200 or response.streaming:
        return []
    problems = []
    if response["Content-Type"].startswith("text/html"):
        problems += link_problems(user, response.content.decode())
        problems += agreement_problems(user, response.content.decode())
    if page is not None and page.lists_people:
        problems += people_problems(user, response.content.decode(errors="replace"))
    return problems


@pytest.mark.parametrize("url_name", sorted(PAGES))
def test_the_page_answers_exactly_what_the_permission_model_allows(matrix, db, url_name):
    page = PAGES[url_name]
    label = labeller(matrix.world)
    objects = page.objects()
    before = footprint() if page.method == "post" else None
    problems: list[str] = []
    answers = set()
    for person in PEOPLE:
        user, client = fresh_user(matrix.world, person), matrix.client(person)
        for obj, expected in chosen(page, user, objects):
            answers.add(expected in (403, 404))
            url = page.url(url_name, obj)
            where = f"{person} {label(obj)} {url}"
            try:
                response = send(client, page, url, obj, rollback=expected not in (403, 404))
            except Exception as error:  # reported with the others
                problems.append(f"{where}: {type(error).__name__}: {error}")
                continue
            if response.status_code != expected:
                problems.append(f"{where}: {response.status_code}, expected {expected}")
                continue
            problems += [f"{where}: {p}" for p in content_problems(page, user, response)]
    # The world must separate people on every page: somebody is let in, somebody is not.
    assert answers == {True, False}, (
        f"{url_name}: the world has no {'refused' if False in answers else 'allowed'} case"
    )
    if before is not None:
        after = footprint()
        changed = [index for index, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
        if changed:
            problems.append(f"refused POSTs changed parts {changed} of the footprint")
    report(url_name, problems)


@pytest.mark.parametrize("url_name", sorted(OWN_PAGES))
def test_a_page_about_oneself_opens_for_everybody_with_their_own_data(matrix, db, url_name):
    own = OWN_PAGES[url_name]
    url = reverse(url_name)
    problems = []
    for person in PEOPLE:
        user, client = fresh_user(matrix.world, person), matrix.client(person)
        expected = own.expected(user)
        response = client.post(url, own.body) if own.method == "post" else client.get(url)
        if response.status_code != expected:
            problems.append(f"{person}: {response.status_code}, expected {expected}")
        elif response.status_code == 200:
            found = content_problems(None, user, response) + own_data_problems(url_name, user, response)
            problems += [f"{person}: {p}" for p in found]
    report(url_name, problems)
