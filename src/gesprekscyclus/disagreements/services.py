"""Disagreement and delegation: every change goes through here.

Disagreement: either participant records it; the regulation's ``disagreement.escalate_to``
says who is brought in (the first of those roles that someone fills for this employee:
the skip-level manager, or an HR adviser over the unit). That person gets access to this
conversation only, adds notes and records the outcome; as a last resort the manager asks
for the regulation's ``last_resort`` conversation (an assessment).

Delegation: the manager designates a person to conduct one conversation, or all of an
employee's conversations in a period; it can be revoked, and it is audited.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.audit.services import audit_record
from gesprekscyclus.conversations.models import UPCOMING_STATUSES, Conversation
from gesprekscyclus.conversations.services import Refused
from gesprekscyclus.organisations.models import Employee, Role, RoleAssignment
from gesprekscyclus.regulations.reasons import roles_text

from .models import Delegation, Disagreement, DisagreementNote


def _mediator_for(conversation: Conversation, roles: tuple[str, ...]) -> tuple[Employee, str] | None:
    employee = conversation.employee
    for role in roles:
        if role == "skip_level_manager":
            manager = employee.manager
            if manager is not None and manager.manager_id and manager.manager_id != conversation.conductor_id:
                return Employee.objects.get(pk=manager.manager_id), role
        if role in ("hr_adviser", "director"):
            wanted = Role.HR_ADVISER if role == "hr_adviser" else Role.DIRECTOR
            assignment = (
                RoleAssignment.objects.filter(
                    organisation_id=employee.organisation_id, role=wanted, unit__isnull=False
                )
                .select_related("unit", "user__employee")
                .order_by("-unit__depth")
            )
            for candidate in assignment:
                covers = employee.unit.path.startswith(candidate.unit.path)
                person = getattr(candidate.user, "employee", None)
                if (
                    covers
                    and person is not None
                    and person.pk not in (employee.pk, conversation.conductor_id)
                ):
                    return person, role
    return None


@transaction.atomic
def disagreement_raise(conversation: Conversation, *, statement: str, acting_user) -> Disagreement:
    conversation = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("cycle__regulation_version", "employee__manager", "employee__unit")
        .get(pk=conversation.pk)
    )
    if conversation.side_of(actor_for(acting_user).employee_id) is None:
        raise Refused(
            _("Only the employee and the person conducting the conversation can record a disagreement.")
        )
    rules = conversation.cycle.regulation_version.regulation().disagreement
    if rules is None:
        raise Refused(_("This regulation names nobody to bring in for a disagreement."))
    if not statement.strip():
        raise Refused(_("Describe what you disagree about."))
    if conversation.disagreements.filter(resolved_at__isnull=True).exists():
        raise Refused(_("A disagreement about this conversation is already open."))
    found = _mediator_for(conversation, rules.escalate_to)
    if found is None:
        raise Refused(
            _("Nobody fills the role the regulation names (%(roles)s) for this employee; ask HR.")
            % {"roles": roles_text(rules.escalate_to)}
        )
    mediator, role = found
    disagreement = Disagreement.objects.create(
        conversation=conversation,
        raised_by=acting_user,
        statement=statement.strip(),
        mediator=mediator,
        mediator_role=role,
    )
    audit_record(
        action="disagreement.raised",
        actor=acting_user,
        organisation=conversation.organisation,
        obj=disagreement,
        details={"mediator": mediator.pk, "role": role},
    )
    return disagreement


def involvement(disagreement: Disagreement, user) -> str | None:
    actor = actor_for(user)
    if actor.employee_id == disagreement.mediator_id:
        return "mediator"
    if disagreement.conversation.side_of(actor.employee_id) is not None:
        return "participant"
    return None


@transaction.atomic
def disagreement_add_note(disagreement: Disagreement, *, text: str, acting_user) -> DisagreementNote:
    disagreement = (
        Disagreement.objects.select_for_update(of=("self",))
        .select_related("conversation")
        .get(pk=disagreement.pk)
    )
    if involvement(disagreement, acting_user) is None:
        raise Refused(_("Only the two participants and the person brought in add notes."))
    if not disagreement.is_open:
        raise Refused(_("This disagreement has been resolved."))
    if not text.strip():
        raise Refused(_("Write a note."))
    return DisagreementNote.objects.create(disagreement=disagreement, author=acting_user, text=text.strip())


@transaction.atomic
def disagreement_resolve(disagreement: Disagreement, *, outcome: str, acting_user) -> Disagreement:
    disagreement = (
        Disagreement.objects.select_for_update(of=("self",))
        .select_related("conversation__organisation")
        .get(pk=disagreement.pk)
    )
    if involvement(disagreement, acting_user) != "mediator":
        raise Refused(_("The person brought in records the outcome."))
    if not disagreement.is_open:
        return disagreement
    if not outcome.strip():
        raise Refused(_("Record the outcome."))
    disagreement.outcome = outcome.strip()
    disagreement.resolved_at = timezone.now()
    disagreement.save(update_fields=["outcome", "resolved_at"])
    audit_record(
        action="disagreement.resolved",
        actor=acting_user,
        organisation=disagreement.conversation.organisation,
        obj=disagreement,
    )
    return disagreement


def disagreement_last_resort(disagreement: Disagreement, *, acting_user):
    """The manager asks for the regulation's last-resort conversation (an assessment);
    returns ``(cycle, kind)`` to plan it."""
    from gesprekscyclus.cycles.services import conversation_request

    conversation = disagreement.conversation
    rules = conversation.cycle.regulation_version.regulation().disagreement
    if rules is None or not rules.last_resort:
        raise Refused(_("This regulation has no last resort after a disagreement."))
    if actor_for(acting_user).employee_id != conversation.employee.manager_id:
        raise Refused(_("Only the manager starts the last resort."))
    cycle = conversation_request(
        cycle=conversation.cycle,
        kind=rules.last_resort,
        reason=_("After the disagreement of %(date)s") % {"date": disagreement.raised_at.date().isoformat()},
        acting_user=acting_user,
    )
    return cycle, rules.last_resort


# -- delegation ------------------------------------------------------------------------------


@transaction.atomic
def delegation_grant(
    *,
    employee: Employee,
    delegate: Employee,
    acting_user,
    conversation: Conversation | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    reason: str = "",
) -> Delegation:
    if actor_for(acting_user).employee_id != employee.manager_id:
        raise Refused(_("Only the employee's manager designates someone to conduct conversations."))
    if delegate.pk in (employee.pk, employee.manager_id):
        raise Refused(_("Choose someone other than the employee and yourself."))
    if delegate.organisation_id != employee.organisation_id:
        raise Refused(_("The designated person works in the same organisation."))
    if conversation is None and (starts_on is None or ends_on is None or ends_on < starts_on):
        raise Refused(_("Give the period: from and until (until not before from)."))
    if conversation is not None and conversation.employee_id != employee.pk:
        raise Refused(_("That conversation is about someone else."))
    delegation = Delegation.objects.create(
        employee=employee,
        delegate=delegate,
        conversation=conversation,
        starts_on=None if conversation else starts_on,
        ends_on=None if conversation else ends_on,
        reason=reason.strip(),
        granted_by=acting_user,
    )
    if conversation is not None and conversation.status in UPCOMING_STATUSES:
        _move_conductor(conversation, to=delegate)
    audit_record(
        action="delegation.granted",
        actor=acting_user,
        organisation=employee.organisation,
        obj=delegation,
        details={"delegate": delegate.pk, "conversation": conversation.pk if conversation else None},
    )
    return delegation


@transaction.atomic
def delegation_revoke(delegation: Delegation, *, acting_user) -> Delegation:
    delegation = (
        Delegation.objects.select_for_update(of=("self",))
        .select_related("employee", "conversation")
        .get(pk=delegation.pk)
    )
    if actor_for(acting_user).employee_id != delegation.employee.manager_id:
        raise Refused(_("Only the employee's manager revokes a designation."))
    if delegation.revoked_at is not None:
        return delegation
    delegation.revoked_at = timezone.now()
    delegation.revoked_by = acting_user
    delegation.save(update_fields=["revoked_at", "revoked_by"])
    manager = delegation.employee.manager
    upcoming = Conversation.objects.filter(
        employee=delegation.employee, conductor=delegation.delegate, status__in=UPCOMING_STATUSES
    )
    if delegation.conversation_id:
        upcoming = upcoming.filter(pk=delegation.conversation_id)
    for conversation in upcoming.select_related("cycle__regulation_version", "employee"):
        if manager is not None:
            _move_conductor(conversation, to=manager)
    audit_record(
        action="delegation.revoked",
        actor=acting_user,
        organisation=delegation.employee.organisation,
        obj=delegation,
    )
    return delegation


def _move_conductor(conversation: Conversation, *, to: Employee) -> None:
    from gesprekscyclus.conversations.notifications import send_invitation, send_withdrawal

    send_withdrawal(conversation, person=conversation.conductor)
    conversation.conductor = to
    conversation.ics_sequence += 1
    conversation.save(update_fields=["conductor", "ics_sequence", "updated_at"])
    send_invitation(conversation, change="rescheduled")


def active_delegation(employee_id: int, delegate_id: int | None, day: datetime.date) -> Delegation | None:
    """A period delegation of ``employee``'s conversations to ``delegate`` covering ``day``."""
    if delegate_id is None:
        return None
    return Delegation.objects.filter(
        employee_id=employee_id,
        delegate_id=delegate_id,
        conversation__isnull=True,
        revoked_at__isnull=True,
        starts_on__lte=day,
        ends_on__gte=day,
    ).first()
