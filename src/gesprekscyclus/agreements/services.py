"""Agreements and the individual work plan: every change goes through here.

Rules:

* An agreement is made or its content changed *in a conversation* of the employee (not a
  cancelled one, not one whose report is final). Under a regulation with a work plan the
  content changes only in the conversation kinds that establish or revise it.
* Either side may say an agreement is on track or at risk at any time; "at risk" needs
  an explanation and mails the manager (the employee's duty to inform in time).
* The outcome (achieved, partly, not achieved) and withdrawing are decided in a
  conversation.
* Every change is an ``AgreementChange``: who, when, in which conversation, old → new.
* The work plan: the employee writes the plan's sections, the manager the manager's
  sections; both agree after the establishing conversation took place, which freezes it
  as a numbered version. It changes again only when reopened in a revising conversation.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.audit.services import audit_record
from gesprekscyclus.conversations.models import LOCKED_STATUSES, Conversation, Side, Status
from gesprekscyclus.conversations.notifications import send_agreement_at_risk
from gesprekscyclus.conversations.services import Refused, StaleEdit
from gesprekscyclus.core.text import plain_text
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.regulations.reasons import label_text

from .models import (
    Agreement,
    AgreementChange,
    AgreementKind,
    AgreementStatus,
    WorkPlan,
    WorkPlanStatus,
    WorkPlanVersion,
)

CONTENT_FIELDS = ("kind", "description", "indicator", "target", "deadline")
OUTCOME_STATUSES = (
    AgreementStatus.ACHIEVED,
    AgreementStatus.PARTLY_ACHIEVED,
    AgreementStatus.NOT_ACHIEVED,
    AgreementStatus.WITHDRAWN,
)
MAX_TERM = datetime.timedelta(days=366)


def _side(employee, user) -> str | None:
    """The acting user's side towards ``employee``: themselves, or their manager."""
    actor = actor_for(user)
    if actor.employee_id is None:
        return None
    if actor.employee_id == employee.pk:
        return Side.EMPLOYEE
    if actor.employee_id == employee.manager_id:
        return Side.CONDUCTOR
    return None


def _participant_side(conversation: Conversation, user) -> str:
    side = conversation.side_of(actor_for(user).employee_id)
    if side is None:
        raise Refused(_("Only the employee and the person conducting the conversation can do this."))
    return side


def content_changes_allowed(conversation: Conversation) -> bool:
    """Can agreements be made or their content changed in this conversation?"""
    if conversation.status in LOCKED_STATUSES:
        return False
    work_plan = conversation.cycle.regulation_version.regulation().work_plan
    if work_plan is None:
        return True
    return bool(
        {conversation.kind, *conversation.combined_with} & {work_plan.established_in, *work_plan.revised_in}
    )


def _check_conversation(conversation: Conversation, cycle: Cycle, *, content: bool) -> None:
    if conversation.employee_id != cycle.employee_id:
        raise Refused(_("That conversation is not one of this employee."))
    if conversation.status in LOCKED_STATUSES:
        raise Refused(_("Agreements are made and changed in a conversation whose report is not final yet."))
    regulation = conversation.cycle.regulation_version.regulation()
    work_plan = regulation.work_plan
    if content and work_plan is not None:
        allowed = (work_plan.established_in, *work_plan.revised_in)
        covered = {conversation.kind, *conversation.combined_with}
        if not covered & set(allowed):
            raise Refused(
                _("Under this regulation agreements change only in these conversations: %(kinds)s.")
                % {"kinds": ", ".join(label_text(regulation.kind(kind).label) for kind in allowed)}
            )


def _clean(values: dict) -> dict:
    clean = {
        "kind": values.get("kind"),
        "description": plain_text(values.get("description") or ""),
        "indicator": plain_text(values.get("indicator") or ""),
        "target": plain_text(values.get("target") or ""),
        "deadline": values.get("deadline"),
    }
    if clean["kind"] not in AgreementKind.values:
        raise Refused(_("Choose the kind of agreement."))
    if not clean["description"]:
        raise Refused(_("Describe the agreement."))
    if not isinstance(clean["deadline"], datetime.date):
        raise Refused(_("Give a term or deadline."))
    return clean


def _serialise(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


@transaction.atomic
def agreement_create(*, conversation: Conversation, values: dict, acting_user) -> Agreement:
    conversation = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("cycle__regulation_version")
        .get(pk=conversation.pk)
    )
    _participant_side(conversation, acting_user)
    _check_conversation(conversation, conversation.cycle, content=True)
    clean = _clean(values)
    start = conversation.held_on or conversation.starts_at.date()
    if clean["deadline"] < start:
        raise Refused(_("The deadline lies before the conversation."))
    if clean["deadline"] > start + MAX_TERM:
        raise Refused(_("Agree on a term of at most a year; make a new agreement for the next period."))
    agreement = Agreement.objects.create(
        organisation_id=conversation.organisation_id,
        employee_id=conversation.employee_id,
        cycle_id=conversation.cycle_id,
        made_in=conversation,
        created_by=acting_user,
        **clean,
    )
    competences = [
        c for c in values.get("competences") or () if c.organisation_id == agreement.organisation_id
    ]
    if competences:
        agreement.competences.set(competences)
    AgreementChange.objects.create(
        agreement=agreement,
        changed_by=acting_user,
        conversation=conversation,
        changes={field: [None, _serialise(clean[field])] for field in CONTENT_FIELDS}
        | {"status": [None, AgreementStatus.OPEN]}
        | ({"competences": [None, sorted(c.name for c in competences)]} if competences else {}),
    )
    audit_record(
        action="agreement.created",
        actor=acting_user,
        organisation=conversation.organisation,
        obj=agreement,
        details={"conversation": conversation.pk},
    )
    return agreement


def _lock(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("employee__manager", "cycle__regulation_version", "organisation")
        .get(pk=agreement.pk)
    )


def _check_version(agreement: Agreement, expected_version: int | None) -> None:
    if expected_version is not None and agreement.version != expected_version:
        last = agreement.changes.select_related("changed_by").last()
        who = last.changed_by.get_full_name() if last and last.changed_by else _("someone")
        raise StaleEdit(
            _("%(who)s changed this agreement meanwhile. Reload the page to see the change.") % {"who": who},
            current_version=agreement.version,
        )


@transaction.atomic
def agreement_update(
    agreement: Agreement,
    *,
    conversation: Conversation,
    values: dict,
    expected_version: int | None,
    acting_user,
) -> Agreement:
    """Change what was agreed, in a conversation; every changed field is recorded."""
    agreement = _lock(agreement)
    conversation = Conversation.objects.select_related("cycle__regulation_version").get(pk=conversation.pk)
    _participant_side(conversation, acting_user)
    _check_conversation(conversation, agreement.cycle, content=True)
    _check_version(agreement, expected_version)
    if not agreement.is_open:
        raise Refused(_("This agreement is closed; make a new one instead."))
    clean = _clean(values)
    changes = {
        field: [_serialise(getattr(agreement, field)), _serialise(value)]
        for field, value in clean.items()
        if getattr(agreement, field) != value
    }
    if not changes:
        return agreement
    for field, value in clean.items():
        setattr(agreement, field, value)
    agreement.version += 1
    agreement.save()
    AgreementChange.objects.create(
        agreement=agreement, changed_by=acting_user, conversation=conversation, changes=changes
    )
    audit_record(
        action="agreement.changed",
        actor=acting_user,
        organisation=agreement.organisation,
        obj=agreement,
        details={"fields": sorted(changes), "conversation": conversation.pk},
    )
    return agreement


@transaction.atomic
def agreement_set_status(
    agreement: Agreement,
    *,
    status: str,
    explanation: str = "",
    conversation: Conversation | None = None,
    expected_version: int | None = None,
    acting_user,
) -> Agreement:
    agreement = _lock(agreement)
    side = _side(agreement.employee, acting_user)
    if conversation is not None:
        conversation = Conversation.objects.select_related("cycle__regulation_version").get(
            pk=conversation.pk
        )
        side = _participant_side(conversation, acting_user)
        _check_conversation(conversation, agreement.cycle, content=False)
    if side is None:
        raise Refused(_("Only the employee and their manager can change the status of an agreement."))
    _check_version(agreement, expected_version)
    if status not in AgreementStatus.values:
        raise Refused(_("Unknown status."))
    if agreement.status == status:
        return agreement
    if not agreement.is_open:
        raise Refused(_("This agreement is closed; its outcome no longer changes."))
    if status in OUTCOME_STATUSES and conversation is None:
        raise Refused(_("Whether an agreement was achieved, or is withdrawn, is decided in a conversation."))
    explanation = explanation.strip()
    if status == AgreementStatus.AT_RISK and not explanation:
        raise Refused(_("Explain what puts the agreement at risk, so that it can be discussed in time."))
    old = agreement.status
    agreement.status = status
    agreement.version += 1
    agreement.save(update_fields=["status", "version", "updated_at"])
    AgreementChange.objects.create(
        agreement=agreement,
        changed_by=acting_user,
        conversation=conversation,
        changes={"status": [old, status]},
        explanation=explanation,
    )
    audit_record(
        action="agreement.status",
        actor=acting_user,
        organisation=agreement.organisation,
        obj=agreement,
        details={"from": old, "to": status},
    )
    manager = agreement.employee.manager
    if status == AgreementStatus.AT_RISK and side == Side.EMPLOYEE and manager is not None:
        send_agreement_at_risk(agreement, explanation=explanation, manager=manager)
    return agreement


# -- the individual work plan --------------------------------------------------------------


def _work_plan_rules(cycle: Cycle):
    rules = cycle.regulation_version.regulation().work_plan
    if rules is None:
        raise Refused(_("This regulation has no individual work plan."))
    return rules


def work_plan_items(cycle: Cycle) -> list[tuple[str, object, bool]]:
    """``(section_id, item, written_by_manager)`` for every item of the work-plan form."""
    rules = _work_plan_rules(cycle)
    form = cycle.regulation_version.regulation().form(rules.form)
    return [
        (section.id, item, section.id in rules.manager_sections)
        for section in form.sections
        for item in section.items
    ]


@transaction.atomic
def work_plan_save(
    cycle: Cycle, *, content: dict, expected_version: int | None, acting_user, competences=None
) -> WorkPlan:
    """Save the acting side's parts of the draft. Agreement by either side lapses when the
    text changes, so both always agree to the same text."""
    cycle = Cycle.objects.select_related("employee", "regulation_version").get(pk=cycle.pk)
    items = work_plan_items(cycle)
    side = _side(cycle.employee, acting_user)
    if side is None:
        raise Refused(_("Only the employee and their manager write the work plan."))
    plan, _created = WorkPlan.objects.select_for_update(of=("self",)).get_or_create(
        cycle=cycle, defaults={"organisation_id": cycle.organisation_id, "employee_id": cycle.employee_id}
    )
    if plan.status == WorkPlanStatus.ESTABLISHED:
        raise Refused(
            _("The work plan is established; it changes only when reopened in a progress conversation.")
        )
    if expected_version is not None and plan.version != expected_version:
        who = plan.updated_by.get_full_name() if plan.updated_by else _("someone")
        raise StaleEdit(
            _(
                "%(who)s changed the work plan meanwhile. "
                "Your text was not saved: copy it and reload the page."
            )
            % {"who": who},
            current_version=plan.version,
        )
    mine = {item.id for _section, item, by_manager in items if by_manager == (side == Side.CONDUCTOR)}
    updated = dict(plan.content)
    for item_id in mine:
        value = plain_text(content.get(item_id, ""))
        if value:
            updated[item_id] = value
        else:
            updated.pop(item_id, None)
    if competences is not None and side == Side.EMPLOYEE:
        chosen = [c for c in competences if c.organisation_id == cycle.organisation_id]
        if {c.pk for c in chosen} != set(plan.competences.values_list("pk", flat=True)):
            plan.competences.set(chosen)
            updated["competences"] = ", ".join(sorted(c.name for c in chosen))
    if updated != plan.content:
        plan.content = updated
        plan.agreed_by_employee_at = None
        plan.agreed_by_manager_at = None
        plan.version += 1
        plan.updated_by = acting_user
        plan.save()
    return plan


def _establishing_conversation(plan: WorkPlan) -> Conversation | None:
    """The conversation in which the plan is established: a revision's own conversation,
    else this cycle's planning conversation, or a conversation that covered it in
    combination (the previous year's evaluation combined with this year's planning)."""
    if plan.conversation_id:
        return plan.conversation
    rules = _work_plan_rules(plan.cycle)
    cycle = plan.cycle
    candidates = (
        Conversation.objects.filter(
            employee_id=plan.employee_id, cycle__year__in=(cycle.year, cycle.year - 1)
        )
        .exclude(status=Status.CANCELLED)
        .select_related("cycle")
        .order_by("-starts_at")
    )
    for conversation in candidates:
        if conversation.cycle_id == cycle.pk and conversation.kind == rules.established_in:
            return conversation
        covers = rules.established_in in (conversation.combined_with or ())
        close_to_period = conversation.starts_at.date() >= cycle.period_start - datetime.timedelta(days=92)
        if covers and close_to_period:
            return conversation
    return None


@transaction.atomic
def work_plan_agree(plan: WorkPlan, *, expected_version: int, acting_user) -> WorkPlan:
    """The acting side agrees to this text; when both have, it is established."""
    plan = (
        WorkPlan.objects.select_for_update(of=("self",))
        .select_related("cycle__regulation_version", "employee")
        .get(pk=plan.pk)
    )
    side = _side(plan.employee, acting_user)
    if side is None:
        raise Refused(_("Only the employee and their manager establish the work plan."))
    if plan.status == WorkPlanStatus.ESTABLISHED:
        return plan
    if plan.version != expected_version:
        raise StaleEdit(
            _("The work plan changed since you read it; read it again before you agree."),
            current_version=plan.version,
        )
    conversation = _establishing_conversation(plan)
    if conversation is None or not conversation.has_taken_place:
        raise Refused(
            _("The work plan is established together, after the conversation about it has taken place.")
        )
    required = [item for _section, item, _by_manager in work_plan_items(plan.cycle) if item.required]
    missing = [label_text(item.label) for item in required if not plan.content.get(item.id)]
    if missing:
        raise Refused(_("Fill in before agreeing: %(items)s") % {"items": "; ".join(missing)})
    now = timezone.now()
    if side == Side.EMPLOYEE:
        plan.agreed_by_employee_at = plan.agreed_by_employee_at or now
    else:
        plan.agreed_by_manager_at = plan.agreed_by_manager_at or now
    if plan.agreed_by_employee_at and plan.agreed_by_manager_at:
        previous = plan.versions.order_by("-number").first()
        before = previous.content if previous else {}
        keys = sorted(set(before) | set(plan.content))
        changes = {
            key: [before.get(key), plan.content.get(key)]
            for key in keys
            if before.get(key) != plan.content.get(key)
        }
        WorkPlanVersion.objects.create(
            work_plan=plan,
            number=(previous.number + 1) if previous else 1,
            content=dict(plan.content),
            changes=changes if previous else {},
            established_in=conversation,
        )
        plan.status = WorkPlanStatus.ESTABLISHED
        plan.conversation = None
        audit_record(
            action="work_plan.established",
            actor=acting_user,
            organisation=plan.cycle.organisation,
            obj=plan,
            details={"conversation": conversation.pk},
        )
    plan.save()
    return plan


@transaction.atomic
def work_plan_reopen(plan: WorkPlan, *, conversation: Conversation, acting_user) -> WorkPlan:
    """Reopen an established plan for revision in a progress conversation."""
    plan = (
        WorkPlan.objects.select_for_update(of=("self",))
        .select_related("cycle__regulation_version")
        .get(pk=plan.pk)
    )
    rules = _work_plan_rules(plan.cycle)
    _participant_side(conversation, acting_user)
    if conversation.cycle_id != plan.cycle_id or conversation.kind not in rules.revised_in:
        raise Refused(_("The work plan is revised only in a progress conversation of this cycle."))
    if conversation.status in LOCKED_STATUSES:
        raise Refused(_("Revise the work plan in a conversation whose report is not final yet."))
    if plan.status == WorkPlanStatus.DRAFT:
        return plan
    plan.status = WorkPlanStatus.DRAFT
    plan.conversation = conversation
    plan.agreed_by_employee_at = None
    plan.agreed_by_manager_at = None
    plan.version += 1
    plan.updated_by = acting_user
    plan.save()
    audit_record(
        action="work_plan.reopened",
        actor=acting_user,
        organisation=plan.cycle.organisation,
        obj=plan,
        details={"conversation": conversation.pk},
    )
    return plan
