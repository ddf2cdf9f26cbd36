"""The permission model: named predicates and the permissions built from them.

Every page, API endpoint and queryset asks these (directly, through
``user.has_perm(...)``, or through the selectors in ``access.selectors`` that express
the same rules as database filters). Each predicate answers one question about one
relation between the person asking and an object; keep each condition on its own line.

Objects understood: Organisation, OrgUnit, Employee, DepartmentPlan, and anything with an
``organisation_id`` (a RegulationVersion) for the organisation-wide predicates.
"""

import rules

from gesprekscyclus.organisations.models import DepartmentPlan, Employee, Organisation, OrgUnit

from .actor import actor_for


def _organisation_id(obj) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, Organisation):
        return obj.pk
    if isinstance(obj, DepartmentPlan):
        return obj.unit.organisation_id
    return getattr(obj, "organisation_id", None)


def _unit(obj) -> OrgUnit | None:
    if isinstance(obj, OrgUnit):
        return obj
    if isinstance(obj, Employee | DepartmentPlan):
        return obj.unit
    return None


def _in_scopes(obj, scopes) -> bool:
    unit = _unit(obj)
    if unit is None:
        return False
    for organisation_id, path in scopes:
        if unit.organisation_id == organisation_id and unit.path.startswith(path):
            return True
    return False


@rules.predicate
def is_self(user, employee) -> bool:
    actor = actor_for(user)
    if actor.employee_id is None or not isinstance(employee, Employee):
        return False
    return employee.pk == actor.employee_id


@rules.predicate
def is_manager_of(user, employee) -> bool:
    """The direct manager: head of the employee's unit or their explicit manager."""
    actor = actor_for(user)
    if actor.employee_id is None or not isinstance(employee, Employee):
        return False
    return employee.manager_id == actor.employee_id


@rules.predicate
def is_head_of(user, obj) -> bool:
    """Head of the unit itself (the unit of a department plan, for a plan)."""
    actor = actor_for(user)
    if actor.employee_id is None or not isinstance(obj, OrgUnit | DepartmentPlan):
        return False
    return _unit(obj).head_id == actor.employee_id


@rules.predicate
def is_member_of(user, obj) -> bool:
    """Works in the unit itself (not in one below it)."""
    actor = actor_for(user)
    unit = _unit(obj)
    if actor.employee_unit_id is None or unit is None:
        return False
    return unit.pk == actor.employee_unit_id


@rules.predicate
def is_director_over(user, obj) -> bool:
    """Director of the unit of ``obj`` or of a unit above it."""
    return _in_scopes(obj, actor_for(user).director_scopes)


@rules.predicate
def is_hr_adviser_for(user, obj) -> bool:
    """HR adviser for the unit of ``obj`` or for a unit above it."""
    return _in_scopes(obj, actor_for(user).hr_adviser_scopes)


@rules.predicate
def is_hr_admin(user, obj=None) -> bool:
    """HR administrator (functioneel beheer) of the organisation of ``obj``; without an
    object, of any organisation."""
    actor = actor_for(user)
    if obj is None:
        return bool(actor.hr_admin_organisation_ids)
    return _organisation_id(obj) in actor.hr_admin_organisation_ids


@rules.predicate
def has_unit_oversight(user, obj=None) -> bool:
    """Director or HR adviser of at least one unit (for pages that list their units)."""
    actor = actor_for(user)
    return bool(actor.director_scopes or actor.hr_adviser_scopes)


can_view_employee = is_self | is_manager_of | is_director_over | is_hr_adviser_for | is_hr_admin
can_view_unit = is_head_of | is_director_over | is_hr_adviser_for | is_hr_admin
can_view_department_plan = can_view_unit | is_member_of
can_change_department_plan = is_head_of | is_hr_admin
can_administer_organisation = is_hr_admin

rules.add_perm("organisations.view_employee", can_view_employee)
rules.add_perm("organisations.view_orgunit", can_view_unit)
rules.add_perm("organisations.view_departmentplan", can_view_department_plan)
rules.add_perm("organisations.change_departmentplan", can_change_department_plan)
rules.add_perm("organisations.import_organisation", can_administer_organisation)
rules.add_perm("organisations.export_organisation", can_administer_organisation)
rules.add_perm("organisations.assign_roles", can_administer_organisation)
rules.add_perm("organisations.view_jobs", can_administer_organisation | has_unit_oversight)
rules.add_perm("organisations.search_employees", has_unit_oversight | is_hr_admin)


# Cycles and regulations (Step 2). What is due for someone is visible to whoever may see
# that person; regulations are managed by the organisation's HR administrators.
@rules.predicate
def is_designated_for(user, employee) -> bool:
    """Designated by the manager to conduct this employee's conversations today."""
    from django.utils import timezone

    from gesprekscyclus.disagreements.services import active_delegation

    actor = actor_for(user)
    if not isinstance(employee, Employee) or actor.employee_id is None:
        return False
    return active_delegation(employee.pk, actor.employee_id, timezone.localdate()) is not None


can_view_schedule = can_view_employee | is_designated_for
rules.add_perm("cycles.view_schedule", can_view_schedule)
rules.add_perm("regulations.manage_regulations", can_administer_organisation)


# -- conversations, reports and agreements (Step 3) -------------------------------------
# Who may read a document is the regulation's ``visibility`` (report, agreements,
# attachment, ...): the roles a user holds towards the employee are worked out here and
# checked against it. The two people in the conversation always see it.


def regulation_roles(user, employee, *, conductor_id: int | None = None) -> set[str]:
    """The regulation roles (``visibility`` vocabulary) ``user`` holds towards ``employee``."""
    actor = actor_for(user)
    roles = set()
    if actor.employee_id is not None:
        if actor.employee_id == employee.pk:
            roles.add("employee")
        if actor.employee_id == employee.manager_id:
            roles.add("manager")
        elif conductor_id is not None and actor.employee_id == conductor_id:
            roles.add("delegate")
        manager = employee.manager if employee.manager_id else None
        if manager is not None and manager.manager_id == actor.employee_id:
            roles.add("skip_level_manager")
    if is_director_over(user, employee):
        roles.add("director")
    if is_hr_adviser_for(user, employee):
        roles.add("hr_adviser")
    if is_hr_admin(user, employee):
        roles.add("hr_admin")
    return roles


def _conversation_of(obj):
    from gesprekscyclus.conversations.models import Conversation

    return obj if isinstance(obj, Conversation) else None


@rules.predicate
def is_participant(user, conversation) -> bool:
    """The employee or the person conducting the conversation."""
    conversation = _conversation_of(conversation)
    actor = actor_for(user)
    if conversation is None or actor.employee_id is None:
        return False
    return actor.employee_id in (conversation.employee_id, conversation.conductor_id)


@rules.predicate
def manages_employee_of(user, obj) -> bool:
    """The direct manager of the employee a conversation or agreement is about."""
    actor = actor_for(user)
    employee = getattr(obj, "employee", None)
    return actor.employee_id is not None and employee is not None and employee.manager_id == actor.employee_id


@rules.predicate
def concerns_self(user, obj) -> bool:
    """A conversation or agreement about the user themselves."""
    actor = actor_for(user)
    return actor.employee_id is not None and getattr(obj, "employee_id", None) == actor.employee_id


def _document_of(conversation, regulation, document: str) -> str:
    """An assessment conversation's report is the regulation's ``assessment`` document."""
    assessment = regulation.assessment
    is_assessment = (
        conversation is not None and assessment is not None and conversation.kind == assessment.kind
    )
    return "assessment" if document == "report" and is_assessment else document


def _reads(document: str):
    @rules.predicate(name=f"reads_{document}")
    def predicate(user, obj) -> bool:
        employee = getattr(obj, "employee", None)
        cycle = getattr(obj, "cycle", None)
        if employee is None or cycle is None:
            return False
        conversation = _conversation_of(obj)
        roles = regulation_roles(
            user, employee, conductor_id=conversation.conductor_id if conversation else None
        )
        regulation = cycle.regulation_version.regulation()
        wanted = _document_of(conversation, regulation, document)
        return any(regulation.visibility.may_read(role, wanted) for role in roles)

    return predicate


reads_report = _reads("report")
reads_agreements = _reads("agreements")
reads_attachment = _reads("attachment")


@rules.predicate
def is_mediator_for(user, conversation) -> bool:
    """Brought in for a disagreement about this very conversation (and no other)."""
    conversation = _conversation_of(conversation)
    actor = actor_for(user)
    if conversation is None or actor.employee_id is None:
        return False
    return conversation.disagreements.filter(mediator_id=actor.employee_id).exists()


can_view_conversation = is_participant | manages_employee_of | reads_report | is_mediator_for
rules.add_perm("conversations.view_conversation", can_view_conversation)
rules.add_perm("conversations.read_report", is_participant | reads_report | is_mediator_for)
rules.add_perm("conversations.read_attachment", is_participant | reads_attachment)
rules.add_perm("conversations.take_part", is_participant)
rules.add_perm("agreements.view_agreement", concerns_self | manages_employee_of | reads_agreements)


# -- the personnel file (Step 4) ------------------------------------------------------------


@rules.predicate
def reads_dossier_entry(user, entry) -> bool:
    """The employee reads their whole file; others what the regulation lets them read of
    the document's kind (report, assessment, ...), under the regulation it was made with."""
    actor = actor_for(user)
    if actor.employee_id is not None and actor.employee_id == getattr(entry, "employee_id", None):
        return True
    conversation = getattr(entry, "conversation", None)
    if conversation is None:
        return False
    roles = regulation_roles(user, entry.employee, conductor_id=conversation.conductor_id)
    visibility = conversation.cycle.regulation_version.regulation().visibility
    return any(visibility.may_read(role, entry.document) for role in roles)


rules.add_perm("dossiers.read_entry", reads_dossier_entry)
