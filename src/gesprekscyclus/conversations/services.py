"""Every change to a conversation: plan, reschedule, cancel, prepare, hold, report.

Each function checks what the regulation allows, locks the row it changes, records an
audit event and, where the other side must know, mails them. Views, the API and commands
only call these. A refused change raises ``Refused`` with a message for the person who
tried; a report saved over someone else's newer save raises ``StaleEdit``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.audit.services import audit_record
from gesprekscyclus.core.text import plain_text, without_nul
from gesprekscyclus.core.uploads import UploadRefused, check_document
from gesprekscyclus.cycles.models import Cycle, CycleStatus
from gesprekscyclus.cycles.services import cycle_schedule
from gesprekscyclus.organisations.models import Employee
from gesprekscyclus.regulations.reasons import label_text
from gesprekscyclus.regulations.regulation import ConversationKind, Regulation

from .models import (
    HELD_STATUSES,
    LOCKED_STATUSES,
    UPCOMING_STATUSES,
    Attachment,
    Conversation,
    Preparation,
    Report,
    Side,
    Status,
)
from .notifications import send_invitation


class Refused(Exception):
    """A change that is not allowed; ``str(error)`` says why, for the person who tried."""


class StaleEdit(Refused):
    """Someone else saved in the meantime; nothing was overwritten."""

    def __init__(self, message: str, *, current_version: int):
        super().__init__(message)
        self.current_version = current_version


# -- helpers -------------------------------------------------------------------------------


def _regulation(cycle: Cycle) -> Regulation:
    return cycle.regulation_version.regulation()


def _kind(cycle: Cycle, kind_id: str) -> ConversationKind:
    try:
        return _regulation(cycle).kind(kind_id)
    except KeyError:
        raise Refused(
            _("This regulation has no conversation of the kind %(kind)s.") % {"kind": kind_id}
        ) from None


def acting_side(conversation: Conversation, user) -> str | None:
    """``employee``, ``conductor`` or None for someone who does not take part."""
    return conversation.side_of(actor_for(user).employee_id)


def _require_side(conversation: Conversation, user) -> str:
    side = acting_side(conversation, user)
    if side is None:
        raise Refused(_("Only the employee and the person conducting the conversation can do this."))
    return side


def _lock(conversation: Conversation) -> Conversation:
    return (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("cycle__regulation_version", "employee", "conductor", "organisation")
        .get(pk=conversation.pk)
    )


def _label(cycle: Cycle, kind_id: str) -> str:
    from .notifications import kind_label

    probe = Conversation(cycle=cycle, kind=kind_id)
    return kind_label(probe)


def _report_sides(kind: ConversationKind) -> set[str]:
    return {
        "employee": {Side.EMPLOYEE},
        "manager": {Side.CONDUCTOR},
        "either": {Side.EMPLOYEE, Side.CONDUCTOR},
    }[kind.report_by]


def report_writer_sides(conversation: Conversation) -> set[str]:
    return _report_sides(_kind(conversation.cycle, conversation.kind))


# -- planning ------------------------------------------------------------------------------


def _side_of_planner(employee: Employee, user, day: datetime.date) -> tuple[str, Employee | None]:
    """The planner's side, and the designated person when a delegate plans for themselves."""
    from gesprekscyclus.disagreements.services import active_delegation

    actor = actor_for(user)
    if actor.employee_id == employee.pk:
        return Side.EMPLOYEE, None
    if actor.employee_id is not None and actor.employee_id == employee.manager_id:
        return Side.CONDUCTOR, None
    delegation = active_delegation(employee.pk, actor.employee_id, day)
    if delegation is not None:
        return Side.CONDUCTOR, delegation.delegate
    raise Refused(
        _(
            "Only the employee and their manager (or the person the manager designated) "
            "can plan a conversation."
        )
    )


def _check_initiative(
    cycle: Cycle, kind: ConversationKind, side: str, day: datetime.date, label: str
) -> None:
    """The side that plans must hold the initiative for an open item of this kind today."""
    items = [item for item in cycle_schedule(cycle, day) if item.kind == kind.id]
    if not items:
        raise Refused(_("No %(conversation)s is due in this cycle.") % {"conversation": label})
    open_items = [item for item in items if item.status in ("not_yet", "due", "overdue")]
    if not open_items:
        raise Refused(
            _("Every %(conversation)s of this cycle has already taken place.") % {"conversation": label}
        )
    wanted = "employee" if side == Side.EMPLOYEE else "manager"
    if not any(item.initiative in (wanted, "either") for item in open_items):
        raise Refused(
            _("Under this regulation the %(party)s takes the initiative for the %(conversation)s.")
            % {"party": _("manager") if wanted == "employee" else _("employee"), "conversation": label}
        )


def _check_when(starts_at: datetime.datetime, duration_minutes: int) -> None:
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be timezone-aware")
    if not 15 <= duration_minutes <= 480:
        raise Refused(_("A conversation lasts between 15 minutes and 8 hours."))


@transaction.atomic
def conversation_plan(
    *,
    cycle: Cycle,
    kind: str,
    starts_at: datetime.datetime,
    duration_minutes: int = 60,
    location: str = "",
    online_url: str = "",
    conductor: Employee | None = None,
    combined_with: Sequence[str] = (),
    follow_up_of: Conversation | None = None,
    acting_user,
    today: datetime.date | None = None,
) -> Conversation:
    """Plan a due conversation; both sides get an invitation with an ``.ics``."""
    cycle = (
        Cycle.objects.select_for_update(of=("self",))
        .select_related("employee", "regulation_version")
        .get(pk=cycle.pk)
    )
    employee = cycle.employee
    if cycle.status != CycleStatus.OPEN:
        raise Refused(_("This cycle is closed; no conversations can be planned in it."))
    conversation_kind = _kind(cycle, kind)
    label = _label(cycle, kind).lower()  # used mid-sentence in messages
    today = today or timezone.localdate()
    side, acting_delegate = _side_of_planner(employee, acting_user, today)
    _check_initiative(cycle, conversation_kind, side, today, label)
    _check_when(starts_at, duration_minutes)
    if not location and not online_url:
        raise Refused(_("Give a place or an online link."))
    regulation = _regulation(cycle)
    for other in combined_with:
        if other == kind or other not in regulation.kind_ids:
            raise Refused(_("%(kind)s cannot be combined with this conversation.") % {"kind": other})
        if (
            other not in conversation_kind.combinable_with
            and kind not in regulation.kind(other).combinable_with
        ):
            raise Refused(
                _("Under this regulation the %(conversation)s cannot be combined with the %(other)s.")
                % {"conversation": label, "other": _label(cycle, other).lower()}
            )
    manager = employee.manager
    if acting_delegate is not None:
        conductor = acting_delegate  # the designated person plans their own conversation
    if conductor is None:
        conductor = manager
    if conductor is None:
        raise Refused(
            _("%(employee)s has no manager to hold the conversation with.") % {"employee": employee}
        )
    if conductor.pk == employee.pk:
        raise Refused(_("The employee cannot conduct their own conversation."))
    if conductor.organisation_id != employee.organisation_id:
        raise Refused(_("The conversation is conducted by someone of the same organisation."))
    if manager is None or conductor.pk != manager.pk:
        if "delegate" not in conversation_kind.conducted_by:
            raise Refused(
                _("Under this regulation only the manager conducts the %(conversation)s.")
                % {"conversation": label}
            )
        if side != Side.CONDUCTOR:
            raise Refused(_("Only the manager can designate someone else to conduct the conversation."))
    designated = acting_delegate is None and manager is not None and conductor.pk != manager.pk
    conversation = Conversation.objects.create(
        organisation_id=employee.organisation_id,
        cycle=cycle,
        employee=employee,
        conductor=conductor,
        kind=kind,
        combined_with=list(combined_with),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location,
        online_url=online_url,
        follow_up_of=follow_up_of,
        planned_by=acting_user,
    )
    audit_record(
        action="conversation.planned",
        actor=acting_user,
        organisation=employee.organisation,
        obj=conversation,
        details={"kind": kind, "starts_at": starts_at.isoformat(), "combined_with": list(combined_with)},
    )
    if designated:
        from gesprekscyclus.disagreements.models import Delegation

        delegation = Delegation.objects.create(
            employee=employee, delegate=conductor, conversation=conversation, granted_by=acting_user
        )
        audit_record(
            action="delegation.granted",
            actor=acting_user,
            organisation=employee.organisation,
            obj=delegation,
            details={"delegate": conductor.pk, "conversation": conversation.pk},
        )
    send_invitation(conversation, change="planned")
    return conversation


@transaction.atomic
def conversation_reschedule(
    conversation: Conversation,
    *,
    starts_at: datetime.datetime,
    duration_minutes: int,
    location: str,
    online_url: str,
    acting_user,
) -> Conversation:
    conversation = _lock(conversation)
    _require_side(conversation, acting_user)
    if conversation.status not in UPCOMING_STATUSES:
        raise Refused(_("Only a conversation that has not taken place yet can be moved."))
    _check_when(starts_at, duration_minutes)
    if not location and not online_url:
        raise Refused(_("Give a place or an online link."))
    before = conversation.starts_at
    conversation.starts_at = starts_at
    conversation.duration_minutes = duration_minutes
    conversation.location = location
    conversation.online_url = online_url
    conversation.ics_sequence += 1
    conversation.save()
    audit_record(
        action="conversation.rescheduled",
        actor=acting_user,
        organisation=conversation.organisation,
        obj=conversation,
        details={"from": before.isoformat(), "to": starts_at.isoformat()},
    )
    send_invitation(conversation, change="rescheduled")
    return conversation


@transaction.atomic
def conversation_cancel(conversation: Conversation, *, reason: str, acting_user) -> Conversation:
    conversation = _lock(conversation)
    _require_side(conversation, acting_user)
    if conversation.status == Status.CANCELLED:
        return conversation  # a second click changes nothing
    if conversation.status not in UPCOMING_STATUSES:
        raise Refused(_("A conversation that has taken place cannot be cancelled."))
    conversation.status = Status.CANCELLED
    conversation.cancel_reason = reason.strip()[:500]
    conversation.ics_sequence += 1
    conversation.save()
    audit_record(
        action="conversation.cancelled",
        actor=acting_user,
        organisation=conversation.organisation,
        obj=conversation,
        details={"reason": conversation.cancel_reason},
    )
    send_invitation(conversation, change="cancelled")
    return conversation


# -- preparation ---------------------------------------------------------------------------


def preparation_of(conversation: Conversation, side: str) -> Preparation:
    found = conversation.preparations.filter(side=side).first()
    return found or Preparation(conversation=conversation, side=side)


@transaction.atomic
def preparation_save(
    conversation: Conversation,
    *,
    notes: str = "",
    topics: str = "",
    self_reflection: str = "",
    answers: dict | None = None,
    acting_user,
) -> Preparation:
    """Save the acting side's own preparation. It stays private until shared."""
    conversation = _lock(conversation)
    side = _require_side(conversation, acting_user)
    if conversation.status == Status.CANCELLED:
        raise Refused(_("The conversation was cancelled; there is nothing to prepare."))
    if conversation.status not in UPCOMING_STATUSES:
        raise Refused(_("The conversation has taken place; the preparation can no longer change."))
    preparation, _created = Preparation.objects.select_for_update(of=("self",)).get_or_create(
        conversation=conversation, side=side
    )
    preparation.notes = without_nul(notes)
    preparation.topics = without_nul(topics)
    preparation.self_reflection = without_nul(self_reflection) if side == Side.EMPLOYEE else ""
    preparation.answers = _clean_answers(answers or {}, conversation, agenda=True)
    preparation.save()
    return preparation


@transaction.atomic
def preparation_share(conversation: Conversation, *, acting_user) -> Preparation:
    """Show the acting side's preparation to the other side (cannot be undone)."""
    conversation = _lock(conversation)
    side = _require_side(conversation, acting_user)
    preparation, _created = Preparation.objects.select_for_update(of=("self",)).get_or_create(
        conversation=conversation, side=side
    )
    if preparation.shared_at is None:
        preparation.shared_at = timezone.now()
        preparation.save(update_fields=["shared_at", "updated_at"])
        if conversation.status == Status.PLANNED:
            conversation.status = Status.PREPARED
            conversation.save(update_fields=["status", "updated_at"])
        audit_record(
            action="preparation.shared",
            actor=acting_user,
            organisation=conversation.organisation,
            obj=conversation,
            details={"side": side},
        )
    return preparation


def visible_preparations(conversation: Conversation, user) -> list[Preparation]:
    """The acting side's own preparation, and the other side's once shared."""
    side = acting_side(conversation, user)
    return [
        preparation
        for preparation in conversation.preparations.all()
        if preparation.side == side or preparation.shared_at is not None
    ]


# -- holding and the report ----------------------------------------------------------------


@transaction.atomic
def conversation_mark_held(
    conversation: Conversation, *, held_on: datetime.date, acting_user, today: datetime.date | None = None
) -> Conversation:
    conversation = _lock(conversation)
    _require_side(conversation, acting_user)
    if conversation.has_taken_place:
        return conversation  # already recorded; a double click changes nothing
    if conversation.status == Status.CANCELLED:
        raise Refused(_("This conversation was cancelled."))
    if held_on > (today or timezone.localdate()):
        raise Refused(_("A conversation cannot be recorded as held on a day still to come."))
    if held_on < conversation.employee.employment_start:
        raise Refused(_("The date is before the employment started."))
    conversation.status = Status.HELD
    conversation.held_on = held_on
    conversation.save(update_fields=["status", "held_on", "updated_at"])
    Report.objects.get_or_create(conversation=conversation)
    audit_record(
        action="conversation.held",
        actor=acting_user,
        organisation=conversation.organisation,
        obj=conversation,
        details={"held_on": held_on.isoformat()},
    )
    return conversation


def _form_items(conversation: Conversation, *, agenda: bool) -> dict[str, object]:
    regulation = _regulation(conversation.cycle)
    kind = regulation.kind(conversation.kind)
    form_id = kind.agenda if agenda and kind.agenda else kind.recording.form
    if not form_id:
        return {}
    form = regulation.form(form_id)
    return {item.id: item for section in form.sections for item in section.items}


def _clean_answers(answers: dict, conversation: Conversation, *, agenda: bool) -> dict[str, str]:
    items = _form_items(conversation, agenda=agenda)
    cleaned = {key: plain_text(value) for key, value in answers.items() if key in items}
    return {key: value for key, value in cleaned.items() if value}


@transaction.atomic
def report_save(
    conversation: Conversation,
    *,
    text: str,
    answers: dict | None = None,
    improvement_points: bool = False,
    expected_version: int,
    acting_user,
) -> Report:
    """Save the report (also used by autosave). ``expected_version`` is the version the
    writer started from; if someone saved since, nothing is written and ``StaleEdit``
    says who and when."""
    conversation = _lock(conversation)
    side = _require_side(conversation, acting_user)
    if side not in report_writer_sides(conversation):
        raise Refused(_("Under this regulation the other side writes the report."))
    if conversation.status != Status.HELD:
        raise Refused(_("The report can be written once the conversation is held, until it is finished."))
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .get(conversation=conversation)
    )
    if report.version != expected_version:
        who = report.updated_by.get_full_name() if report.updated_by else _("someone")
        raise StaleEdit(
            _(
                "%(who)s changed the report meanwhile (at %(time)s). Your text was not saved: copy it, "
                "reload the page and add your changes."
            )
            % {"who": who, "time": date_format(localtime(report.updated_at), "H:i")},
            current_version=report.version,
        )
    report.text = without_nul(text)
    report.answers = _clean_answers(answers or {}, conversation, agenda=False)
    report.improvement_points = improvement_points
    report.version += 1
    report.updated_by = acting_user
    report.save()
    return report


def _report_complete(conversation: Conversation, report: Report) -> None:
    kind = _kind(conversation.cycle, conversation.kind)
    if not kind.recording.required:
        return
    if kind.recording.mode == "free_text" or not kind.recording.form_required:
        if report.text.strip() or report.answers or conversation.attachments.exists():
            return
        raise Refused(_("The report is empty: write what was discussed before finishing it."))
    missing = [
        label_text(item.label)
        for item_id, item in _form_items(conversation, agenda=False).items()
        if item.required and not report.answers.get(item_id)
    ]
    if missing:
        raise Refused(_("Fill in before finishing: %(items)s") % {"items": "; ".join(missing)})


@transaction.atomic
def report_finish(conversation: Conversation, *, acting_user) -> Conversation:
    """The writer finishes the report; the other side then reads it."""
    conversation = _lock(conversation)
    side = _require_side(conversation, acting_user)
    if conversation.status == Status.REPORT_WRITTEN:
        return conversation
    if side not in report_writer_sides(conversation):
        raise Refused(_("Under this regulation the other side writes the report."))
    if conversation.status != Status.HELD:
        raise Refused(_("Only the report of a held conversation can be finished."))
    report = Report.objects.select_for_update(of=("self",)).get(conversation=conversation)
    _report_complete(conversation, report)
    report.written_at = timezone.now()
    report.returned_comment = ""
    report.save(update_fields=["written_at", "returned_comment", "updated_at"])
    conversation.status = Status.REPORT_WRITTEN
    conversation.save(update_fields=["status", "updated_at"])
    audit_record(
        action="report.written", actor=acting_user, organisation=conversation.organisation, obj=conversation
    )
    return conversation


@transaction.atomic
def report_send_back(conversation: Conversation, *, comment: str, acting_user) -> Conversation:
    """The reader asks for changes: the report goes back to the writer with a comment."""
    conversation = _lock(conversation)
    _require_side(conversation, acting_user)
    if conversation.status != Status.REPORT_WRITTEN:
        raise Refused(_("Only a finished report that is not yet ready for signing can be sent back."))
    if not comment.strip():
        raise Refused(_("Say what should change in the report."))
    report = Report.objects.select_for_update(of=("self",)).get(conversation=conversation)
    side = _require_side(conversation, acting_user)
    if report_writer_sides(conversation) == {side} or report.updated_by_id == acting_user.pk:
        raise Refused(_("The other side reads the report and can send it back."))
    report.returned_comment = comment.strip()
    report.written_at = None
    report.save(update_fields=["returned_comment", "written_at", "updated_at"])
    conversation.status = Status.HELD
    conversation.save(update_fields=["status", "updated_at"])
    audit_record(
        action="report.sent_back",
        actor=acting_user,
        organisation=conversation.organisation,
        obj=conversation,
        details={"comment": report.returned_comment},
    )
    return conversation


@transaction.atomic
def report_approve(conversation: Conversation, *, acting_user) -> Conversation:
    """The reader agrees with the text: the report is ready for signing (Step 4)."""
    conversation = _lock(conversation)
    side = _require_side(conversation, acting_user)
    if conversation.status in (Status.READY_FOR_SIGNING, Status.COMPLETED):
        return conversation
    if conversation.status != Status.REPORT_WRITTEN:
        raise Refused(_("The report is not finished yet."))
    writers = report_writer_sides(conversation)
    report = Report.objects.get(conversation=conversation)
    if writers == {side} or report.updated_by_id == acting_user.pk:
        raise Refused(_("The other side reads the report and marks it ready for signing."))
    conversation.status = Status.READY_FOR_SIGNING
    conversation.save(update_fields=["status", "updated_at"])
    audit_record(
        action="report.ready_for_signing",
        actor=acting_user,
        organisation=conversation.organisation,
        obj=conversation,
    )
    if not _kind(conversation.cycle, conversation.kind).signatures:
        # The regulation asks no signature on this kind (Zaanstad's regular conversations): the
        # approved report is final at once, and archived where the regulation says so.
        from gesprekscyclus.signatures.services import report_complete_unsigned

        report_complete_unsigned(conversation, acting_user=acting_user)
    return conversation


def personal_items(conversation: Conversation) -> list:
    """The report form's items the employee decides about (the regulation marks them)."""
    return [item for item in _form_items(conversation, agenda=False).values() if item.personal]


@transaction.atomic
def report_withhold(conversation: Conversation, *, items: list[str], acting_user) -> Report:
    """The employee keeps personal answers (well-being, vitality, ...) out of the signed
    report; they stay in the conversation's working report only."""
    conversation = _lock(conversation)
    if _require_side(conversation, acting_user) != Side.EMPLOYEE:
        raise Refused(_("Only the employee decides what of these topics goes into the signed report."))
    if conversation.status in LOCKED_STATUSES:
        raise Refused(_("The report is final."))
    allowed = {item.id for item in personal_items(conversation)}
    report = Report.objects.select_for_update(of=("self",)).filter(conversation=conversation).first()
    if report is None:
        raise Refused(_("There is no report yet: the conversation has not been held."))
    report.withheld_items = sorted(set(items) & allowed)
    report.save(update_fields=["withheld_items", "updated_at"])
    return report


# -- attachments ---------------------------------------------------------------------------


@transaction.atomic
def attachment_add(conversation: Conversation, *, upload, acting_user) -> Attachment:
    conversation = _lock(conversation)
    _require_side(conversation, acting_user)
    kind = _kind(conversation.cycle, conversation.kind)
    if not kind.recording.attachments:
        raise Refused(_("This regulation does not allow attachments for this conversation."))
    if conversation.status in LOCKED_STATUSES:
        raise Refused(_("The report is final; attachments can no longer be added."))
    try:
        checked = check_document(upload, max_bytes=settings.ATTACHMENT_MAX_BYTES)
    except UploadRefused as error:
        raise Refused(str(error)) from error
    attachment = Attachment(
        conversation=conversation,
        filename=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=acting_user,
    )
    attachment.file.save(checked.name, upload, save=False)
    attachment.save()
    audit_record(
        action="attachment.added",
        actor=acting_user,
        organisation=conversation.organisation,
        obj=conversation,
        details={"file": checked.name, "size": checked.size},
    )
    return attachment


@transaction.atomic
def attachment_remove(attachment: Attachment, *, acting_user) -> None:
    conversation = _lock(attachment.conversation)
    _require_side(conversation, acting_user)
    if conversation.status in LOCKED_STATUSES:
        raise Refused(_("The report is final; attachments can no longer be removed."))
    audit_record(
        action="attachment.removed",
        actor=acting_user,
        organisation=conversation.organisation,
        obj=conversation,
        details={"file": attachment.filename},
    )
    attachment.file.delete(save=False)
    attachment.delete()


# -- what counts for the schedule ----------------------------------------------------------


def held_for_cycles(cycles: Iterable[Cycle]):
    """The engine's ``HeldConversation``s per cycle id, for any number of cycles in one query.

    A conversation counts for its own cycle as recorded. One that also covered a kind of
    the neighbouring period (Heemstede: the evaluation combined with next year's planning)
    counts as that kind in the employee's next cycle when it took place at most three
    months before that cycle starts, and in the previous cycle when it took place at most
    three months after that cycle ended: the combination can be planned from either year.
    """
    from gesprekscyclus.regulations.engine import HeldConversation

    cycles = list(cycles)
    by_key = {(cycle.employee_id, cycle.year): cycle for cycle in cycles}
    years = {cycle.year + offset for cycle in cycles for offset in (-1, 0, 1)}
    held: dict[int, list] = {cycle.pk: [] for cycle in cycles}
    margin = datetime.timedelta(days=92)
    conversations = (
        Conversation.objects.filter(
            employee_id__in={cycle.employee_id for cycle in cycles},
            cycle__year__in=years,
            status__in=HELD_STATUSES,
        )
        .select_related("report")
        .values_list(
            "cycle_id",
            "cycle__year",
            "employee_id",
            "kind",
            "held_on",
            "combined_with",
            "report__improvement_points",
        )
    )
    for cycle_id, year, employee_id, kind, held_on, combined_with, improvement in conversations:
        if cycle_id in held:
            held[cycle_id].append(
                HeldConversation(
                    kind=kind,
                    date=held_on,
                    improvement_points_recorded=bool(improvement),
                    combined_with=tuple(combined_with or ()),
                )
            )
        if not combined_with:
            continue
        following = by_key.get((employee_id, year + 1))
        preceding = by_key.get((employee_id, year - 1))
        neighbours = []
        if following is not None and held_on >= following.period_start - margin:
            neighbours.append(following)
        if preceding is not None and held_on <= preceding.period_end + margin:
            neighbours.append(preceding)
        for neighbour in neighbours:
            for other in combined_with:
                held[neighbour.pk].append(HeldConversation(kind=other, date=held_on, combined_with=(kind,)))
    return held
