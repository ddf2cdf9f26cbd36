"""The assessment and the objection against it: every change goes through here.

The assessment rides on its conversation's states (see ``models``); the term for an
objection is counted in the organisation's time zone (Europe/Amsterdam) from the day the
final assessment was handed over: the day all signatures were complete.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.audit.services import audit_record
from gesprekscyclus.conversations.models import Conversation, Report, Side, Status
from gesprekscyclus.conversations.services import Refused, StaleEdit
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.regulations.reasons import label_text, roles_text

from .models import Assessment, Decision, Objection, ObjectionAttachment, ObjectionStatus


def assessment_rules(conversation: Conversation):
    regulation = conversation.cycle.regulation_version.regulation()
    rules = regulation.assessment
    if rules is None or conversation.kind != rules.kind:
        return None
    return rules


def is_assessment(conversation: Conversation) -> bool:
    return assessment_rules(conversation) is not None


def _lock(conversation: Conversation) -> Conversation:
    return (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("cycle__regulation_version", "employee__manager", "conductor", "organisation")
        .get(pk=conversation.pk)
    )


def _side(conversation: Conversation, user) -> str | None:
    return conversation.side_of(actor_for(user).employee_id)


def assessment_of(conversation: Conversation) -> Assessment | None:
    if not is_assessment(conversation):
        return None
    if not conversation.has_taken_place:
        return None
    assessment, _created = Assessment.objects.get_or_create(conversation=conversation)
    return assessment


@transaction.atomic
def assessment_save(
    conversation: Conversation,
    *,
    ratings: dict[str, int | None],
    overall: int | None,
    motivation: str,
    expected_version: int,
    acting_user,
) -> Assessment:
    """The manager (who conducted it) records ratings, the overall rating and motivation."""
    conversation = _lock(conversation)
    rules = assessment_rules(conversation)
    if rules is None:
        raise Refused(_("This conversation is not an assessment."))
    if _side(conversation, acting_user) != Side.CONDUCTOR:
        raise Refused(_("The assessment is recorded by the manager who conducted the conversation."))
    if conversation.status != Status.HELD:
        raise Refused(_("The assessment can be changed until it is shown to the employee."))
    values = {value.value for value in rules.scale}
    aspects = {aspect.id for aspect in rules.aspects}
    clean: dict[str, int] = {}
    for aspect, value in ratings.items():
        if aspect not in aspects:
            raise Refused(_("Unknown aspect %(aspect)s.") % {"aspect": aspect})
        if value is None:
            continue
        if value not in values:
            raise Refused(_("%(value)s is not on the scale of this regulation.") % {"value": value})
        clean[aspect] = value
    if overall is not None and overall not in values:
        raise Refused(_("%(value)s is not on the scale of this regulation.") % {"value": overall})
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .get_or_create(conversation=conversation)[0]
    )
    if assessment.version != expected_version:
        who = assessment.updated_by.get_full_name() if assessment.updated_by else _("someone")
        raise StaleEdit(
            _("%(who)s changed the assessment meanwhile; reload the page.") % {"who": who},
            current_version=assessment.version,
        )
    assessment.ratings = clean
    assessment.overall = overall
    assessment.motivation = motivation.strip()
    assessment.version += 1
    assessment.updated_by = acting_user
    assessment.save()
    return assessment


@transaction.atomic
def assessment_show(conversation: Conversation, *, acting_user) -> Conversation:
    """The manager shows the complete assessment to the employee (it no longer changes)."""
    conversation = _lock(conversation)
    rules = assessment_rules(conversation)
    if rules is None:
        raise Refused(_("This conversation is not an assessment."))
    if conversation.status == Status.REPORT_WRITTEN:
        return conversation
    if _side(conversation, acting_user) != Side.CONDUCTOR or conversation.status != Status.HELD:
        raise Refused(_("The manager shows the assessment to the employee once it is complete."))
    assessment = Assessment.objects.select_for_update(of=("self",)).filter(conversation=conversation).first()
    if assessment is None:
        raise Refused(_("Rate the aspects before showing the assessment."))
    missing = [label_text(aspect.label) for aspect in rules.aspects if aspect.id not in assessment.ratings]
    if assessment.overall is None:
        missing.append(_("overall rating"))
    if not assessment.motivation:
        missing.append(_("motivation"))
    if missing:
        raise Refused(_("Complete before showing it: %(items)s.") % {"items": ", ".join(missing)})
    assessment.shown_at = timezone.now()
    assessment.save(update_fields=["shown_at", "updated_at"])
    report, _created = Report.objects.get_or_create(conversation=conversation)
    report.written_at = timezone.now()
    report.updated_by = acting_user
    report.save(update_fields=["written_at", "updated_by", "updated_at"])
    conversation.status = Status.REPORT_WRITTEN
    conversation.save(update_fields=["status", "updated_at"])
    audit_record(
        action="assessment.shown", actor=acting_user, organisation=conversation.organisation, obj=conversation
    )
    return conversation


@transaction.atomic
def assessment_respond(conversation: Conversation, *, response: str, acting_user) -> Assessment:
    """The employee's response (zienswijze); it becomes part of the document."""
    conversation = _lock(conversation)
    if assessment_rules(conversation) is None:
        raise Refused(_("This conversation is not an assessment."))
    if _side(conversation, acting_user) != Side.EMPLOYEE:
        raise Refused(_("Only the employee writes a response to the assessment."))
    if conversation.status != Status.REPORT_WRITTEN:
        raise Refused(
            _("A response can be written after the assessment is shown and before it goes to signing.")
        )
    assessment = Assessment.objects.select_for_update(of=("self",)).get(conversation=conversation)
    assessment.response = response.strip()
    assessment.responded_at = timezone.now() if assessment.response else None
    assessment.save(update_fields=["response", "responded_at", "updated_at"])
    audit_record(
        action="assessment.responded",
        actor=acting_user,
        organisation=conversation.organisation,
        obj=conversation,
    )
    return assessment


# -- preconditions -------------------------------------------------------------------------


def assessment_preconditions(cycle: Cycle, today: datetime.date) -> list[str]:
    """What the regulation still requires before an assessment can take place in this
    cycle, in words; empty when nothing is missing (or no condition applies)."""
    from gesprekscyclus.cycles.services import held_conversations

    regulation = cycle.regulation_version.regulation()
    rules = regulation.assessment
    if rules is None:
        return []
    employee = cycle.employee
    probation = regulation.probation
    in_probation = (
        probation is not None
        and employee.appointment == "probation"
        and cycle.period_start <= employee.employment_start <= cycle.period_end
    )
    requirements = ()
    if in_probation:
        found = probation.rule_for(rules.kind)
        if found is not None:
            requirements = found[1].requires
    if not requirements:
        requirements = regulation.kind(rules.kind).conditions.requires
    held = held_conversations(cycle)
    missing = []
    for requirement in requirements:
        kind_label = label_text(regulation.kind(requirement.kind).label)
        matching = [c for c in held if c.kind == requirement.kind and c.status == "held"]
        if not matching:
            missing.append(
                _("A %(conversation)s must have taken place first; none has.")
                % {"conversation": kind_label.lower()}
            )
        elif requirement.flag == "improvement_points_recorded" and not any(
            c.improvement_points_recorded for c in matching
        ):
            missing.append(
                _(
                    "Improvement points must have been recorded in a %(conversation)s first; "
                    "no %(conversation)s recorded them."
                )
                % {"conversation": kind_label.lower()}
            )
    return missing


# -- objection -----------------------------------------------------------------------------


def handover_date(conversation: Conversation) -> datetime.date | None:
    """The day the final assessment was handed over: when the last signature was placed."""
    version = conversation.report_versions.filter(state="complete").order_by("-number").first()
    if version is None or version.completed_at is None:
        return None
    return timezone.localtime(version.completed_at).date()


def objection_deadline(conversation: Conversation) -> datetime.date | None:
    rules = assessment_rules(conversation)
    handover = handover_date(conversation)
    if rules is None or handover is None or rules.objection.route != "formal_objection":
        return None
    return rules.objection.deadline(handover)


@transaction.atomic
def objection_file(
    conversation: Conversation,
    *,
    grounds: str,
    uploads=(),
    acting_user,
    today: datetime.date | None = None,
) -> Objection:
    from django.conf import settings

    from gesprekscyclus.core.uploads import UploadRefused, check_document

    conversation = _lock(conversation)
    rules = assessment_rules(conversation)
    if rules is None:
        raise Refused(_("This conversation is not an assessment."))
    if _side(conversation, acting_user) != Side.EMPLOYEE:
        raise Refused(_("Only the employee files an objection against their assessment."))
    if rules.objection.route != "formal_objection":
        raise Refused(
            _("This regulation offers no formal objection; your written response is part of the assessment.")
        )
    if conversation.status != Status.COMPLETED:
        raise Refused(_("An objection is filed against the final, signed assessment."))
    deadline = objection_deadline(conversation)
    today = today or timezone.localdate()
    if deadline is not None and today > deadline:
        raise Refused(
            _("The term for an objection ended on %(date)s; an objection can no longer be filed.")
            % {"date": deadline.strftime("%d-%m-%Y")}
        )
    if not grounds.strip():
        raise Refused(_("Give the grounds of your objection."))
    assessment = Assessment.objects.get(conversation=conversation)
    if Assessment.objects.filter(replaces=assessment).exists():
        raise Refused(_("This assessment was replaced after an objection; the new assessment counts."))
    if assessment.objections.exclude(status=ObjectionStatus.DECIDED).exists():
        raise Refused(_("An objection against this assessment is already being handled."))
    objection = Objection.objects.create(assessment=assessment, filed_by=acting_user, grounds=grounds.strip())
    for upload in uploads:
        try:
            checked = check_document(upload, max_bytes=settings.ATTACHMENT_MAX_BYTES)
        except UploadRefused as error:
            raise Refused(str(error)) from error
        attachment = ObjectionAttachment(
            objection=objection, filename=checked.name, content_type=checked.content_type, size=checked.size
        )
        attachment.file.save(checked.name, upload, save=False)
        attachment.save()
    audit_record(
        action="objection.filed",
        actor=acting_user,
        organisation=conversation.organisation,
        obj=objection,
        details={"deadline": deadline.isoformat() if deadline else None},
    )
    return objection


def objection_handlers(conversation: Conversation) -> tuple[str, ...]:
    """The regulation's roles that handle an objection: those who may read it, besides
    the employee and the manager themselves."""
    regulation = conversation.cycle.regulation_version.regulation()
    return tuple(
        role for role in regulation.visibility.readers("objection") if role not in ("employee", "manager")
    )


def _require_handler(objection: Objection, user) -> None:
    from gesprekscyclus.access.predicates import regulation_roles

    conversation = objection.assessment.conversation
    roles = regulation_roles(user, conversation.employee)
    if not roles & set(objection_handlers(conversation)):
        raise Refused(
            _("Objections are handled by %(roles)s.")
            % {"roles": roles_text(objection_handlers(conversation))}
        )


@transaction.atomic
def objection_hear(objection: Objection, *, notes: str, acting_user) -> Objection:
    objection = (
        Objection.objects.select_for_update(of=("self",))
        .select_related("assessment__conversation__employee__manager")
        .get(pk=objection.pk)
    )
    _require_handler(objection, acting_user)
    if objection.status == ObjectionStatus.DECIDED:
        raise Refused(_("This objection has been decided."))
    objection.status = ObjectionStatus.HEARD
    objection.heard_at = objection.heard_at or timezone.now()
    objection.hearing_notes = notes.strip()
    objection.save()
    audit_record(
        action="objection.heard",
        actor=acting_user,
        organisation=objection.assessment.conversation.organisation,
        obj=objection,
    )
    return objection


@transaction.atomic
def objection_decide(objection: Objection, *, decision: str, motivation: str, acting_user) -> Objection:
    """Decide; an (partly) upheld objection replaces the assessment by a new version that
    the manager revises and both sign again."""
    objection = (
        Objection.objects.select_for_update(of=("self",))
        .select_related(
            "assessment__conversation__cycle__regulation_version",
            "assessment__conversation__employee__manager",
        )
        .get(pk=objection.pk)
    )
    _require_handler(objection, acting_user)
    if objection.status == ObjectionStatus.DECIDED:
        return objection
    if objection.status != ObjectionStatus.HEARD:
        raise Refused(_("The employee is heard before the objection is decided."))
    if decision not in Decision.values:
        raise Refused(_("Choose a decision."))
    if not motivation.strip():
        raise Refused(_("Give the motivation of the decision."))
    objection.status = ObjectionStatus.DECIDED
    objection.decision = decision
    objection.decision_motivation = motivation.strip()
    objection.decided_at = timezone.now()
    objection.decided_by = acting_user
    objection.save()
    if decision in (Decision.UPHELD, Decision.PARTLY_UPHELD):
        _replace_assessment(objection.assessment, acting_user=acting_user)
    from gesprekscyclus.dossiers.tasks import archive_objection_task
    from gesprekscyclus.jobs.queue import enqueue

    enqueue(archive_objection_task, objection.pk, acting_user.pk if acting_user else None)
    audit_record(
        action="objection.decided",
        actor=acting_user,
        organisation=objection.assessment.conversation.organisation,
        obj=objection,
        details={"decision": decision},
    )
    return objection


def _replace_assessment(old: Assessment, *, acting_user) -> Assessment:
    conversation = old.conversation
    manager = conversation.employee.manager or conversation.conductor
    today = timezone.localdate()
    replacement = Conversation.objects.create(
        organisation_id=conversation.organisation_id,
        cycle=conversation.cycle,
        employee=conversation.employee,
        conductor=manager,
        kind=conversation.kind,
        status=Status.HELD,
        starts_at=timezone.now(),
        held_on=today,
        location=conversation.location or "—",
        planned_by=acting_user,
    )
    Report.objects.create(conversation=replacement)
    return Assessment.objects.create(
        conversation=replacement,
        ratings=dict(old.ratings),
        overall=old.overall,
        motivation=old.motivation,
        replaces=old,
    )
