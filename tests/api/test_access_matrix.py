"""The access matrix of the API: every operation of the OpenAPI schema x every account of
the standard cast (and a token) x every object of the world (``tests/api/world.py``).

* A list returns exactly the objects the permission model allows (every page walked):
  no object of another person is ever returned (ASVS 8.2.2), none that is allowed is missing.
* A single object (and its sub-resources: report, schedule, PDF) answers 200 when the
  permission model allows it and 404 otherwise, never 403 (its existence is not revealed).
* A write succeeds only for the one allowed person; everybody else gets 403 or 404 and
  nothing is written.
* Without credentials every operation answers 401 as ``application/problem+json``; a
  token limited to ``read`` gets 403 on every write and lists what its holder lists.
* The pages for the same objects answer 200 (or their redirect) exactly when the API does.

The operations are taken from the schema itself (and the schema is checked against the URL
resolver), so a new endpoint without a rule here fails ``test_every_operation_has_a_rule``.
One test per person walks everything and reports every mismatch at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import rules
from django.db.models import Model, QuerySet
from django.urls import reverse
from drf_spectacular.generators import EndpointEnumerator, SchemaGenerator
from rest_framework.test import APIClient

from gesprekscyclus.accounts.models import User
from gesprekscyclus.agreements.models import Agreement
from gesprekscyclus.api.models import Scope
from gesprekscyclus.api.services import api_token_issue
from gesprekscyclus.assessments.models import Assessment
from gesprekscyclus.conversations.models import Conversation, Status
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.feedback.models import Feedback, FeedbackSelection, FeedbackStatus
from gesprekscyclus.notifications.models import Notification
from gesprekscyclus.organisations.models import Employee, Organisation, OrgUnit, RoleAssignment
from gesprekscyclus.regulations.models import RegulationVersion
from gesprekscyclus.signatures.models import ReportVersion, Signature, VersionState
from gesprekscyclus.signatures.services import roles_of
from tests.access.test_selectors import CAST_USERS
from tests.api.world import PASSWORD, World, build_world

PROBLEM = "application/problem+json"
API = "/api/v1"
TOKEN = "hr_admin_token"  # the HR administrator's token with every scope: sees what they see
PEOPLE = (*CAST_USERS, "foreign_manager")
ACTORS = (*PEOPLE, TOKEN)


@pytest.fixture
def world(cast) -> World:
    """The rich world of ``tests/api/world.py`` on top of the cast."""
    return build_world(cast)


# -- what the permission model allows, asked per object -------------------------------------------


def my_organisations(user) -> set[int]:
    """Where the user works or holds a role: computed here, not by ``actor_for``."""
    ids = set(RoleAssignment.objects.filter(user=user).values_list("organisation_id", flat=True))
    ids |= set(Employee.objects.filter(user=user).values_list("organisation_id", flat=True))
    return ids


def my_employee_id(user) -> int | None:
    return Employee.objects.filter(user=user).values_list("pk", flat=True).first()


def perm(name: str, of: Callable[[Model], Model] = lambda obj: obj) -> Callable:
    def allowed(user, obj) -> bool:
        return rules.has_perm(name, user, of(obj))

    allowed.__name__ = name
    return allowed


def in_my_organisations(user, obj) -> bool:
    return (obj.pk if isinstance(obj, Organisation) else obj.organisation_id) in my_organisations(user)


def feedback_allowed(user, feedback: Feedback) -> bool:
    """Given or received, or (once given) brought into a conversation the user takes part in."""
    me = my_employee_id(user)
    if me is None:
        return False
    if me in (feedback.receiver_id, feedback.giver_id):
        return True
    return feedback.status == FeedbackStatus.GIVEN and any(
        me in (selection.conversation.employee_id, selection.conversation.conductor_id)
        for selection in FeedbackSelection.objects.filter(feedback=feedback).select_related("conversation")
    )


def own_notification(user, notification: Notification) -> bool:
    return notification.user_id == user.pk


def entry_with_pdf(user, entry: DossierEntry) -> bool:
    return rules.has_perm("dossiers.read_entry", user, entry) and entry.purged_at is None and bool(entry.pdf)


EMPLOYEES = Employee.objects.select_related("unit", "manager", "organisation")
CONVERSATIONS = Conversation.objects.select_related(
    "employee__unit", "employee__manager", "conductor", "cycle__regulation_version"
)


@dataclass(frozen=True)
class Read:
    """A GET: a list (``list=True``) or one object per row of ``objects``."""

    objects: Callable[[], QuerySet]
    allowed: Callable
    params: Callable[[Model], dict] = lambda obj: {"id": obj.pk}
    list: bool = False


@dataclass(frozen=True)
class Write:
    """A write operation; checked by ``check_writes`` below (one function per operation)."""

    check: str


RULES: dict[str, Read | Write] = {
    # lists
    "organisations_list": Read(lambda: Organisation.objects.all(), in_my_organisations, list=True),
    "units_list": Read(lambda: OrgUnit.objects.all(), perm("organisations.view_orgunit"), list=True),
    "employees_list": Read(lambda: EMPLOYEES.all(), perm("organisations.view_employee"), list=True),
    "regulations_list": Read(lambda: RegulationVersion.objects.all(), in_my_organisations, list=True),
    "cycles_list": Read(
        lambda: Cycle.objects.select_related("employee__unit", "employee__manager"),
        perm("cycles.view_schedule", lambda cycle: cycle.employee),
        list=True,
    ),
    "conversations_list": Read(
        lambda: CONVERSATIONS.all(), perm("conversations.view_conversation"), list=True
    ),
    "agreements_list": Read(
        lambda: Agreement.objects.select_related(
            "employee__unit", "employee__manager", "cycle__regulation_version"
        ),
        perm("agreements.view_agreement"),
        list=True,
    ),
    "assessments_list": Read(
        lambda: Assessment.objects.select_related("conversation"),
        perm(
            "conversations.read_report", lambda assessment: CONVERSATIONS.get(pk=assessment.conversation_id)
        ),
        list=True,
    ),
    "feedback_list": Read(lambda: Feedback.objects.all(), feedback_allowed, list=True),
    "dossier_entries_list": Read(
        lambda: DossierEntry.objects.select_related("employee", "conversation__cycle__regulation_version"),
        perm("dossiers.read_entry"),
        list=True,
    ),
    "notifications_list": Read(lambda: Notification.objects.all(), own_notification, list=True),
    # single objects and their sub-resources
    "organisations_retrieve": Read(lambda: Organisation.objects.all(), in_my_organisations),
    "units_retrieve": Read(lambda: OrgUnit.objects.all(), perm("organisations.view_orgunit")),
    "employees_retrieve": Read(lambda: EMPLOYEES.all(), perm("organisations.view_employee")),
    "employees_schedule_retrieve": Read(lambda: EMPLOYEES.all(), perm("cycles.view_schedule")),
    "organisations_employees_retrieve": Read(
        lambda: EMPLOYEES.all(),
        perm("organisations.view_employee"),
        params=lambda e: {"organisation_id": e.organisation_id, "personnel_number": e.personnel_number},
    ),
    "regulations_retrieve": Read(lambda: RegulationVersion.objects.all(), in_my_organisations),
    "cycles_retrieve": Read(
        lambda: Cycle.objects.select_related("employee__unit", "employee__manager"),
        perm("cycles.view_schedule", lambda cycle: cycle.employee),
    ),
    "conversations_retrieve": Read(lambda: CONVERSATIONS.all(), perm("conversations.view_conversation")),
    "conversations_report_list": Read(lambda: CONVERSATIONS.all(), perm("conversations.read_report")),
    "agreements_retrieve": Read(
        lambda: Agreement.objects.select_related(
            "employee__unit", "employee__manager", "cycle__regulation_version"
        ),
        perm("agreements.view_agreement"),
    ),
    "assessments_retrieve": Read(
        lambda: Assessment.objects.all(),
        perm(
            "conversations.read_report", lambda assessment: CONVERSATIONS.get(pk=assessment.conversation_id)
        ),
    ),
    "feedback_retrieve": Read(lambda: Feedback.objects.all(), feedback_allowed),
    "dossier_entries_retrieve": Read(
        lambda: DossierEntry.objects.select_related("employee", "conversation__cycle__regulation_version"),
        perm("dossiers.read_entry"),
    ),
    "dossier_entries_pdf_retrieve": Read(
        lambda: DossierEntry.objects.select_related("employee", "conversation__cycle__regulation_version"),
        entry_with_pdf,
    ),
    "notifications_retrieve": Read(lambda: Notification.objects.all(), own_notification),
    # writes
    "organisations_employees_upsert": Write("upsert"),
    "organisations_import": Write("import"),
    "conversations_sign_create": Write("sign"),
    "notifications_read_create": Write("read"),
}


@dataclass(frozen=True)
class Operation:
    id: str
    method: str
    path: str  # as in the schema: /api/v1/employees/{id}/

    def url(self, **params) -> str:
        return re.sub(r"\{(\w+)\}", lambda match: str(params[match.group(1)]), self.path)


def schema_operations() -> dict[str, Operation]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        operation["operationId"]: Operation(operation["operationId"], method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in ("get", "post", "put", "patch", "delete")
    }


# -- the operations are all there -------------------------------------------------------------------


def test_every_operation_has_a_rule():
    operations = schema_operations()
    missing = sorted(set(operations) - set(RULES))
    stale = sorted(set(RULES) - set(operations))
    assert not missing, f"operations without an expectation in RULES: {missing}"
    assert not stale, f"rules for operations that are gone: {stale}"
    for name, rule in RULES.items():
        assert isinstance(rule, Write) == (operations[name].method != "GET"), name


def test_the_schema_has_every_endpoint_the_url_resolver_serves():
    """An endpoint left out of the schema would escape the matrix: compare with the resolver."""
    served = {
        (method, re.sub(r"\{pk\}", "{id}", path))
        for path, _regex, method, _view in EndpointEnumerator().get_api_endpoints()
        # Not operations: the schema, the docs and the catch-all that answers unknown addresses.
        if path.startswith(API + "/") and path not in (f"{API}/[\\s\\S]", f"{API}/schema/", f"{API}/docs/")
    }
    documented = {(operation.method, operation.path) for operation in schema_operations().values()}
    assert served == documented


# -- clients -----------------------------------------------------------------------------------------


def client_for(world: World, actor: str, *scopes: str) -> APIClient:
    client = APIClient()
    if actor == TOKEN or scopes:
        _token, secret = api_token_issue(
            organisation=world.cast.organisation,
            name="Matrix",
            scopes=list(scopes or Scope.values),
            acting_user=world.user("hr_admin"),
        )
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    else:
        client.force_login(world.user(actor))
    return client


def person_of(actor: str) -> str:
    return "hr_admin" if actor == TOKEN else actor


def fresh_user(world: World, actor: str) -> User:
    return User.objects.get(pk=world.user(person_of(actor)).pk)


def listed_ids(client: APIClient, url: str, problems: list[str]) -> list[int] | None:
    """Every id of every page (small pages, so that paging is exercised)."""
    ids: list[int] = []
    next_url: str | None = f"{url}?page_size=4"
    pages = 0
    while next_url:
        parts = urlsplit(next_url)
        response = client.get(f"{parts.path}?{parts.query}" if parts.query else parts.path)
        if response.status_code != 200:
            problems.append(f"GET {url}: {response.status_code} {response.content[:200]!r}")
            return None
        body = response.json()
        ids.extend(row["id"] for row in body["results"])
        next_url = body["next"]
        pages += 1
        assert pages < 100, f"{url}: endless paging"
    return ids


# -- reads -------------------------------------------------------------------------------------------


def check_reads(world: World, actor: str, client: APIClient, operations: dict[str, Operation]) -> list[str]:
    user = fresh_user(world, actor)
    problems: list[str] = []
    for name, rule in RULES.items():
        if not isinstance(rule, Read):
            continue
        operation = operations[name]
        objects = list(rule.objects())
        assert objects, f"the world has nothing for {name}"
        if rule.list:
            expected = {obj.pk for obj in objects if rule.allowed(user, obj)}
            ids = listed_ids(client, operation.path, problems)
            if ids is None:
                continue
            if len(ids) != len(set(ids)):
                problems.append(f"{name}: an object listed twice: {sorted(ids)}")
            if set(ids) != expected:
                problems.append(
                    f"{name}: listed but not allowed {sorted(set(ids) - expected)}, "
                    f"allowed but not listed {sorted(expected - set(ids))}"
                )
            continue
        for obj in objects:
            allowed = rule.allowed(user, obj)
            url = operation.url(**rule.params(obj))
            response = client.get(url)
            wanted = 200 if allowed else 404
            if response.status_code != wanted:
                problems.append(f"{name} {url}: {response.status_code}, expected {wanted}")
            elif not allowed and response["Content-Type"] != PROBLEM:
                problems.append(f"{name} {url}: 404 as {response['Content-Type']}")
            elif allowed and name.endswith("_retrieve") and "pdf" not in name and "schedule" not in name:
                body = response.json()
                if body.get("id") != obj.pk:
                    problems.append(f"{name} {url}: answered with object {body.get('id')}")
    return problems


# -- pages (the same objects, the same answers) --------------------------------------------------------

# The pages that show the same objects as an API operation, checked against their API twin.
# Every page of the project, for every person and their own and other people's objects, is
# the page matrix of tests/access/test_page_matrix.py.
# (url name, objects, allowed, the status of an allowed page for an object)
PAGES = [
    ("conversations:detail", lambda: CONVERSATIONS.all(), perm("conversations.view_conversation"), None),
    (
        "signatures:sign",
        lambda: CONVERSATIONS.all(),
        perm("conversations.read_report"),
        # A report that is not up for signing yet sends the reader to the conversation.
        lambda c: 200 if c.status in (Status.READY_FOR_SIGNING, Status.COMPLETED) else 302,
    ),
    (
        "assessments:detail",
        lambda: CONVERSATIONS.filter(kind="assessment"),
        perm("conversations.read_report"),
        None,
    ),
    (
        "dossiers:entry_pdf",
        lambda: DossierEntry.objects.select_related("employee", "conversation__cycle__regulation_version"),
        perm("dossiers.read_entry"),
        None,
    ),
    (
        "dossiers:entry_json",
        lambda: DossierEntry.objects.select_related("employee", "conversation__cycle__regulation_version"),
        perm("dossiers.read_entry"),
        None,
    ),
    ("organisations:employee_detail", lambda: EMPLOYEES.all(), perm("organisations.view_employee"), None),
    ("organisations:unit_detail", lambda: OrgUnit.objects.all(), perm("organisations.view_orgunit"), None),
    ("feedback:detail", lambda: Feedback.objects.all(), feedback_allowed, None),
]

# The API operation that shows the same thing as the page (page and API must agree).
PAGE_TWINS = {
    "conversations:detail": "conversations_retrieve",
    "signatures:sign": "conversations_report_list",
    "dossiers:entry_pdf": "dossier_entries_pdf_retrieve",
    "organisations:employee_detail": "employees_retrieve",
    "organisations:unit_detail": "units_retrieve",
    "feedback:detail": "feedback_retrieve",
}


def check_pages(world: World, actor: str, api: APIClient, operations: dict[str, Operation]) -> list[str]:
    user = fresh_user(world, actor)
    browser = APIClient()
    browser.force_login(user)
    problems = []
    for url_name, objects, allowed_, allowed_status in PAGES:
        for obj in objects():
            allowed = allowed_(user, obj)
            url = reverse(url_name, args=[obj.pk])
            response = browser.get(url)
            wanted = (allowed_status(obj) if allowed_status else 200) if allowed else 404
            if response.status_code != wanted:
                problems.append(f"page {url_name} {url}: {response.status_code}, expected {wanted}")
            twin = PAGE_TWINS.get(url_name)
            if twin:
                api_status = api.get(operations[twin].url(id=obj.pk)).status_code
                if (api_status == 200) != allowed:
                    problems.append(f"page {url_name} {url} and API {twin} disagree: API {api_status}")
    return problems


# -- writes ------------------------------------------------------------------------------------------


def employee_row(unit_code: str, number: str = "", **extra) -> dict:
    return {
        "first_name": "Nieuwe",
        "last_name": "Collega",
        "email": f"nieuwe.collega.{number.lower()}@example.org",
        "unit_code": unit_code,
        "employment_start": "2026-01-01",
    } | extra


def administers(user, organisation: Organisation) -> bool:
    return rules.has_perm("organisations.import_organisation", user, organisation)


def refused_status(user, organisation: Organisation) -> int:
    """Not the user's organisation: 404; theirs but not theirs to administer: 403."""
    return 404 if organisation.pk not in my_organisations(user) else 403


def check_writes(world: World, actor: str, client: APIClient, operations: dict[str, Operation]) -> list[str]:
    user = fresh_user(world, actor)
    problems: list[str] = []
    foreign = world.cast.foreign_employee.organisation
    units = {
        world.cast.organisation.pk: world.cast.team.code,
        foreign.pk: world.cast.foreign_employee.unit.code,
    }

    # PUT organisations/{organisation_id}/employees/{personnel_number}/: a new person, and a
    # change to an existing one.
    upsert = operations["organisations_employees_upsert"]
    for organisation in (world.cast.organisation, foreign):
        number = f"NEW-{organisation.pk}"
        url = upsert.url(organisation_id=organisation.pk, personnel_number=number)
        response = client.put(url, employee_row(units[organisation.pk], number), format="json")
        allowed = administers(user, organisation)
        wanted = 201 if allowed else refused_status(user, organisation)
        written = Employee.objects.filter(organisation=organisation, personnel_number=number).exists()
        if response.status_code != wanted or written != allowed:
            problems.append(f"PUT {url}: {response.status_code} (expected {wanted}), written={written}")
    existing = world.cast.other_employee
    url = upsert.url(organisation_id=existing.organisation_id, personnel_number=existing.personnel_number)
    response = client.put(
        url,
        employee_row(
            world.cast.other_team.code,
            email=existing.email,
            employment_start=existing.employment_start.isoformat(),
            last_name="Gewijzigd",
        ),
        format="json",
    )
    allowed = administers(user, existing.organisation)
    changed = Employee.objects.get(pk=existing.pk).last_name == "Gewijzigd"
    wanted = 200 if allowed else refused_status(user, existing.organisation)
    if response.status_code != wanted or changed != allowed:
        problems.append(
            f"PUT {url} (existing): {response.status_code} (expected {wanted}), changed={changed}"
        )

    # POST organisations/{organisation_id}/import/
    import_ = operations["organisations_import"]
    for organisation in (world.cast.organisation, foreign):
        number = f"IMP-{organisation.pk}"
        url = import_.url(organisation_id=organisation.pk)
        body = {
            "employees": [employee_row(units[organisation.pk], number, personnel_number=number)],
            "dry_run": False,
        }
        response = client.post(url, body, format="json")
        allowed = administers(user, organisation)
        wanted = 200 if allowed else refused_status(user, organisation)
        written = Employee.objects.filter(organisation=organisation, personnel_number=number).exists()
        if response.status_code != wanted or written != allowed:
            problems.append(f"POST {url}: {response.status_code} (expected {wanted}), written={written}")

    # POST conversations/{id}/sign/: only a signer of an open version signs; a reader who
    # does not sign is refused (403/409), anybody else does not see the conversation (404).
    sign = operations["conversations_sign_create"]
    for conversation in CONVERSATIONS.all():
        url = sign.url(id=conversation.pk)
        version = (
            ReportVersion.objects.filter(conversation=conversation)
            .exclude(state=VersionState.VOID)
            .order_by("-number")
            .first()
        )
        before = Signature.objects.count()
        response = client.post(
            url,
            {"expected_hash": version.content_hash if version else "0" * 64, "password": PASSWORD},
            format="json",
        )
        readable = rules.has_perm("conversations.read_report", user, conversation)
        signs = (
            readable
            and conversation.status == Status.READY_FOR_SIGNING
            and version is not None
            and version.state == VersionState.OPEN
            and bool(roles_of(conversation, user))
        )
        added = Signature.objects.count() - before
        if not readable:
            ok = response.status_code == 404 and added == 0
        elif signs:
            ok = response.status_code == 201 and added == 1
        else:
            ok = response.status_code in (403, 409) and added == 0
        if not ok:
            problems.append(
                f"POST {url} ({conversation.status}, readable={readable}, signer={signs}): "
                f"{response.status_code} {response.content[:160]!r}, signatures added {added}"
            )

    # POST notifications/{id}/read/
    read = operations["notifications_read_create"]
    for notification in Notification.objects.filter(read_at__isnull=True):
        url = read.url(id=notification.pk)
        response = client.post(url, format="json")
        own = notification.user_id == user.pk
        marked = Notification.objects.get(pk=notification.pk).read_at is not None
        if response.status_code != (200 if own else 404) or marked != own:
            problems.append(f"POST {url}: {response.status_code}, own={own}, marked={marked}")
    return problems


# -- one test per person -------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ACTORS)
def test_the_api_allows_exactly_what_the_permission_model_allows(world, actor):
    operations = schema_operations()
    client = client_for(world, actor)
    # The report sub-resource makes the open version of a report that awaits signing on
    # first read: read before signing, as a person would.
    problems = check_reads(world, actor, client, operations)
    if actor != TOKEN:
        problems += check_pages(world, actor, client, operations)
    problems += check_writes(world, actor, client, operations)
    assert not problems, f"{actor}: {len(problems)} mismatches:\n" + "\n".join(problems)


def test_everybody_sees_something_and_nobody_everything(world):
    """The matrix is only as good as the world: make sure it separates people."""
    operations = schema_operations()
    seen = {}
    for actor in PEOPLE:
        client = client_for(world, actor)
        seen[actor] = frozenset(
            (name, pk)
            for name in ("conversations_list", "agreements_list", "dossier_entries_list", "employees_list")
            for pk in listed_ids(client, operations[name].path, []) or []
        )
    assert not seen["outsider"]
    distinct = {actor for actor in PEOPLE if actor != "outsider" and seen[actor]}
    assert len({seen[actor] for actor in distinct}) == len(distinct), "two people see exactly the same"


# -- anonymous and limited tokens ----------------------------------------------------------------------


def any_params(world: World) -> dict:
    cast = world.cast
    return {
        "id": world.conversations["colleague_planning"].pk,
        "organisation_id": cast.organisation.pk,
        "personnel_number": cast.employee.personnel_number,
    }


def test_without_credentials_every_operation_answers_401_as_a_problem(world):
    client = APIClient()
    before = (
        Employee.objects.count(),
        Signature.objects.count(),
        Notification.objects.filter(read_at=None).count(),
    )
    problems = []
    for operation in schema_operations().values():
        params = any_params(world)
        params["id"] = first_id(world, operation)
        url = operation.url(**params)
        response = client.generic(operation.method, url, "{}", content_type="application/json")
        if response.status_code != 401 or response["Content-Type"] != PROBLEM:
            problems.append(f"{operation.method} {url}: {response.status_code} {response['Content-Type']}")
        elif response.json()["status"] != 401 or not response.has_header("WWW-Authenticate"):
            problems.append(f"{operation.method} {url}: {response.json()}")
    assert not problems, "\n".join(problems)
    after = (
        Employee.objects.count(),
        Signature.objects.count(),
        Notification.objects.filter(read_at=None).count(),
    )
    assert before == after


def first_id(world: World, operation: Operation) -> int:
    """An existing id for the operation's resource (so a 401 is not a 404 in disguise)."""
    resource = operation.path.removeprefix(API + "/").split("/")[0]
    model = {
        "organisations": Organisation,
        "units": OrgUnit,
        "employees": Employee,
        "regulations": RegulationVersion,
        "cycles": Cycle,
        "conversations": Conversation,
        "agreements": Agreement,
        "assessments": Assessment,
        "feedback": Feedback,
        "dossier-entries": DossierEntry,
        "notifications": Notification,
    }[resource]
    return model.objects.order_by("pk").values_list("pk", flat=True).first()


def test_a_read_only_token_lists_what_its_holder_lists_and_writes_nothing(world):
    operations = schema_operations()
    token = client_for(world, "hr_admin", Scope.READ)
    session = client_for(world, "hr_admin")
    problems = []
    for name, rule in RULES.items():
        if isinstance(rule, Read) and rule.list:
            path = operations[name].path
            if listed_ids(token, path, problems) != listed_ids(session, path, problems):
                problems.append(f"{name}: the token lists something else than its holder")
    before = (
        Employee.objects.count(),
        Signature.objects.count(),
        Notification.objects.filter(read_at=None).count(),
    )
    cast = world.cast
    writes = [
        (
            "PUT",
            operations["organisations_employees_upsert"].url(
                organisation_id=cast.organisation.pk, personnel_number="T1"
            ),
            employee_row(cast.team.code, "T1"),
        ),
        (
            "POST",
            operations["organisations_import"].url(organisation_id=cast.organisation.pk),
            {"employees": [employee_row(cast.team.code, "T2", personnel_number="T2")]},
        ),
        (
            "POST",
            operations["conversations_sign_create"].url(id=world.conversations["colleague_planning"].pk),
            {"expected_hash": "0" * 64, "password": PASSWORD},
        ),
        ("POST", operations["notifications_read_create"].url(id=world.notifications["hr_admin_1"].pk), {}),
    ]
    assert {method for method, *_ in writes} == {o.method for o in operations.values()} - {"GET"}
    for method, url, body in writes:
        response = token.generic(method, url, json.dumps(body), content_type="application/json")
        if response.status_code != 403 or response["Content-Type"] != PROBLEM:
            problems.append(f"{method} {url}: {response.status_code} {response['Content-Type']}")
    after = (
        Employee.objects.count(),
        Signature.objects.count(),
        Notification.objects.filter(read_at=None).count(),
    )
    assert before == after, "a read-only token wrote something"
    assert not problems, "\n".join(problems)
