"""The permission model as database filters. Each function returns exactly the rows
the predicates in ``access.predicates`` allow, so a list never shows what a detail
page would refuse (tests check the two agree for the whole cast)."""

from typing import get_args

from django.db.models import Q, QuerySet

from gesprekscyclus.organisations.models import Employee, OrgUnit
from gesprekscyclus.regulations.regulation import DocumentKind

from .actor import Actor, actor_for

DOCUMENT_KINDS = get_args(DocumentKind)


def _scope_filter(actor: Actor, *, unit_prefix: str) -> Q:
    condition = Q(pk__in=[])
    for organisation_id, path in (*actor.director_scopes, *actor.hr_adviser_scopes):
        condition |= Q(organisation_id=organisation_id, **{f"{unit_prefix}path__startswith": path})
    if actor.hr_admin_organisation_ids:
        condition |= Q(organisation_id__in=actor.hr_admin_organisation_ids)
    return condition


def employees_visible_to(user) -> QuerySet[Employee]:
    """The employees ``user`` may see: themselves, their direct reports, everyone in
    the units they direct or advise (and below), everyone in an organisation they
    administer."""
    actor = actor_for(user)
    if actor.is_anonymous:
        return Employee.objects.none()
    condition = _scope_filter(actor, unit_prefix="unit__")
    if actor.employee_id is not None:
        condition |= Q(pk=actor.employee_id) | Q(manager_id=actor.employee_id)
    return Employee.objects.filter(condition)


def units_overseen_by(user) -> QuerySet[OrgUnit]:
    """The units ``user`` directs, advises or administers (with everything below)."""
    actor = actor_for(user)
    if actor.is_anonymous:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(_scope_filter(actor, unit_prefix=""))


def units_visible_to(user) -> QuerySet[OrgUnit]:
    """The units whose page ``user`` may open (``organisations.view_orgunit``)."""
    actor = actor_for(user)
    if actor.is_anonymous:
        return OrgUnit.objects.none()
    condition = _scope_filter(actor, unit_prefix="")
    if actor.employee_id is not None:
        condition |= Q(head_id=actor.employee_id)
    return OrgUnit.objects.filter(condition)


# -- documents the regulation lets a role read ------------------------------------------------
# The predicates ``reads_report``, ``reads_agreements`` and ``reads_dossier_entry`` ask the
# regulation (``visibility``) whether one of the roles a user holds towards the employee may
# read a document. Here the same question becomes one filter: per regulation version in the
# user's organisations and per role, "rows of this version, where I hold this role, of a
# document this role may read".


def _role_conditions(actor: Actor, *, employee: str, conductor: str | None = None) -> dict[str, Q]:
    """``role -> Q`` over rows whose employee is reached through ``employee`` (a lookup
    prefix such as ``"employee__"``), mirroring ``predicates.regulation_roles``."""
    me = actor.employee_id
    conditions: dict[str, Q] = {}
    if me is not None:
        conditions["employee"] = Q(**{f"{employee}id": me})
        conditions["manager"] = Q(**{f"{employee}manager_id": me})
        if conductor is not None:
            conditions["delegate"] = Q(**{f"{conductor}_id": me}) & ~Q(**{f"{employee}manager_id": me})
        conditions["skip_level_manager"] = Q(**{f"{employee}manager__manager_id": me})
    for role, scopes in (("director", actor.director_scopes), ("hr_adviser", actor.hr_adviser_scopes)):
        if scopes:
            condition = Q(pk__in=[])
            for organisation_id, path in scopes:
                condition |= Q(
                    **{
                        f"{employee}unit__organisation_id": organisation_id,
                        f"{employee}unit__path__startswith": path,
                    }
                )
            conditions[role] = condition
    if actor.hr_admin_organisation_ids:
        conditions["hr_admin"] = Q(**{f"{employee}organisation_id__in": actor.hr_admin_organisation_ids})
    return conditions


# Up to this many employees in a director's or adviser's units are listed by id (an index
# lookup each); a larger scope is matched through a subquery.
SCOPE_ID_LIMIT = 5_000


def _candidate_rows(actor: Actor, *, conductor: str | None = None, mediated=None) -> Q:
    """A superset, on the row's own indexed columns (``employee_id``, the conductor,
    ``organisation_id``, ``pk``), of every row the role conditions can allow. ANDed with
    the exact condition it changes nothing in what is returned, but lets the database
    start from a few index lookups instead of joining every row of a large table to its
    employee, unit and cycle. Costs up to three small indexed queries."""
    me = actor.employee_id
    employee_ids: set[int] = set()
    candidates = Q(pk__in=[])
    if me is not None:
        reports = list(Employee.objects.filter(manager_id=me).order_by().values_list("pk", flat=True))
        skip_level = Employee.objects.filter(manager_id__in=reports).order_by().values_list("pk", flat=True)
        employee_ids.update((me, *reports, *(skip_level if reports else ())))
        if conductor is not None:
            candidates |= Q(**{f"{conductor}_id": me})
        if mediated is not None:
            candidates |= Q(pk__in=list(mediated))
    scopes = (*actor.director_scopes, *actor.hr_adviser_scopes)
    if scopes:
        in_scope = Q(pk__in=[])
        for organisation_id, path in scopes:
            in_scope |= Q(organisation_id=organisation_id, unit__path__startswith=path)
        listed = list(
            Employee.objects.filter(in_scope).order_by().values_list("pk", flat=True)[: SCOPE_ID_LIMIT + 1]
        )
        if len(listed) <= SCOPE_ID_LIMIT:
            employee_ids.update(listed)
        else:
            candidates |= Q(employee_id__in=Employee.objects.filter(in_scope).values("pk"))
    if actor.hr_admin_organisation_ids:
        candidates |= Q(organisation_id__in=actor.hr_admin_organisation_ids)
    if employee_ids:
        candidates |= Q(employee_id__in=sorted(employee_ids))
    return candidates


def _versions_of(actor: Actor):
    from gesprekscyclus.regulations.models import RegulationVersion

    return RegulationVersion.objects.filter(organisation_id__in=actor.organisation_ids).only(
        "id", "text", "source_filename"
    )


def _readable_documents(
    actor: Actor, *, employee: str, version: str, conductor: str | None, kind: str | None, document: str
) -> Q:
    """Rows a regulation role lets ``actor`` read. ``kind`` is the lookup of the
    conversation kind when ``document`` is ``"report"`` (an assessment conversation's
    report is the regulation's ``assessment`` document)."""
    roles = _role_conditions(actor, employee=employee, conductor=conductor)
    condition = Q(pk__in=[])
    if not roles:
        return condition
    for regulation_version in _versions_of(actor):
        regulation = regulation_version.regulation()
        assessment_kind = regulation.assessment.kind if regulation.assessment is not None else None
        for role, role_condition in roles.items():
            if document == "report" and kind is not None and assessment_kind is not None:
                reads_report = regulation.visibility.may_read(role, "report")
                reads_assessment = regulation.visibility.may_read(role, "assessment")
                if reads_report and reads_assessment:
                    documents = Q()
                elif reads_report:
                    documents = ~Q(**{kind: assessment_kind})
                elif reads_assessment:
                    documents = Q(**{kind: assessment_kind})
                else:
                    continue
            elif regulation.visibility.may_read(role, document):
                documents = Q()
            else:
                continue
            condition |= Q(**{version: regulation_version.pk}) & role_condition & documents
    return condition


def conversations_visible_to(user):
    """The conversations ``user`` may open (``conversations.view_conversation``): their
    own, those they conduct, their direct reports', those they mediate in, and those whose
    report the regulation lets one of their roles read."""
    return _conversations(user, direct_reports=True)


def reports_readable_by(user):
    """The conversations whose report ``user`` may read (``conversations.read_report``):
    as above, but a manager who does not conduct the conversation only when the
    regulation lets managers read the report."""
    return _conversations(user, direct_reports=False)


def _conversations(user, *, direct_reports: bool):
    from gesprekscyclus.conversations.models import Conversation
    from gesprekscyclus.disagreements.models import Disagreement

    actor = actor_for(user)
    if actor.is_anonymous:
        return Conversation.objects.none()
    condition = _readable_documents(
        actor,
        employee="employee__",
        version="cycle__regulation_version_id",
        conductor="conductor",
        kind="kind",
        document="report",
    )
    me = actor.employee_id
    mediated = None
    if me is not None:
        mediated = Disagreement.objects.filter(mediator_id=me).values_list("conversation_id", flat=True)
        condition |= Q(employee_id=me) | Q(conductor_id=me) | Q(pk__in=mediated)
        if direct_reports:
            condition |= Q(employee__manager_id=me)
    candidates = _candidate_rows(actor, conductor="conductor", mediated=mediated)
    return Conversation.objects.filter(candidates).filter(condition)


def mark_openable(user, conversations, *, selector=None) -> None:
    """Set ``can_open`` on each conversation: whether ``user`` may open the page a list links
    to (one query). A list may show that a conversation exists (kind, time, status) to someone
    who oversees the cycle; only those who may open it get the link (ASVS 8.2.2)."""
    conversations = list(conversations)
    if not conversations:
        return
    openable = set(
        (selector or conversations_visible_to)(user)
        .filter(pk__in=[c.pk for c in conversations])
        .values_list("pk", flat=True)
    )
    for conversation in conversations:
        conversation.can_open = conversation.pk in openable


def agreements_visible_to(user):
    """The agreements ``user`` may see (``agreements.view_agreement``)."""
    from gesprekscyclus.agreements.models import Agreement

    actor = actor_for(user)
    if actor.is_anonymous:
        return Agreement.objects.none()
    condition = _readable_documents(
        actor,
        employee="employee__",
        version="cycle__regulation_version_id",
        conductor=None,
        kind=None,
        document="agreements",
    )
    if actor.employee_id is not None:
        condition |= Q(employee_id=actor.employee_id) | Q(employee__manager_id=actor.employee_id)
    return Agreement.objects.filter(_candidate_rows(actor)).filter(condition)


def dossier_entries_visible_to(user):
    """The personnel-file entries ``user`` may read (``dossiers.read_entry``): the whole
    file of their own, and of others what the regulation lets their role read of the
    entry's document, under the regulation the conversation was held with."""
    from gesprekscyclus.dossiers.models import DossierEntry

    actor = actor_for(user)
    if actor.is_anonymous:
        return DossierEntry.objects.none()
    condition = Q(pk__in=[])
    roles = _role_conditions(actor, employee="employee__", conductor="conversation__conductor")
    for regulation_version in _versions_of(actor):
        visibility = regulation_version.regulation().visibility
        for role, role_condition in roles.items():
            readable = [document for document in DOCUMENT_KINDS if visibility.may_read(role, document)]
            if readable:
                condition |= (
                    Q(conversation__cycle__regulation_version_id=regulation_version.pk)
                    & role_condition
                    & Q(document__in=readable)
                )
    if actor.employee_id is not None:
        condition |= Q(employee_id=actor.employee_id)
    return DossierEntry.objects.filter(condition)
