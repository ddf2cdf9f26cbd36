"""``send_reminders``: derive who must be reminded of what, record each reminder once,
then deliver the recorded ones by e-mail.

1. **Derive** (``due_reminders``) from the regulations and the cycle engine:
   - a conversation due or overdue: the party with the initiative (after the regulation's
     takeover days the engine names the other party, who then gets their own reminder),
     at the regulation's ``reminders`` steps (window open, N days before the deadline, N
     days after it) and, after ``escalate_after_days``, the skip-level manager;
   - a report to write (three days after the conversation), a signature pending, an
     objection term ending within a week, an agreement deadline within a week, a
     probation ending within three months (the manager), feedback asked with its date
     within two days.
2. **Record** (``record``): one ``Notification`` per person and reason key; the unique
   key makes this idempotent even when two runs overlap.
3. **Deliver** (``deliver``): each undelivered notification is claimed with a single
   ``UPDATE … WHERE emailed_at IS NULL`` before its mail is sent, so two runs never send
   the same one; a failed send releases the claim again, so a re-run after a crash sends
   exactly the rest. People who chose a digest get one mail with all their reminders.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gesprekscyclus.agreements.models import OPEN_STATUSES, Agreement
from gesprekscyclus.conversations.models import UPCOMING_STATUSES, Conversation, Status
from gesprekscyclus.conversations.services import held_for_cycles
from gesprekscyclus.cycles.models import Cycle, CycleStatus
from gesprekscyclus.cycles.services import cycle_schedule
from gesprekscyclus.feedback.models import Feedback, FeedbackStatus
from gesprekscyclus.organisations.models import Appointment, Employee
from gesprekscyclus.regulations.reasons import label_text

from .models import Delivery, Notification, NotificationPreference

Progress = Callable[[str, int, int], None]
CHUNK = 1000


@dataclass(frozen=True)
class Reminder:
    user_id: int
    key: str
    subject: str
    reason: str
    url: str


def _date(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


# -- deriving ------------------------------------------------------------------------------


def _conversation_reminders(today: datetime.date, progress: Progress) -> Iterator[Reminder]:
    cycles = (
        Cycle.objects.filter(status=CycleStatus.OPEN, period_start__lte=today + datetime.timedelta(days=62))
        .filter(period_end__gte=today - datetime.timedelta(days=120))
        .select_related("employee__user", "employee__manager__user", "employee__manager__manager__user")
        .select_related("regulation_version")
        .order_by("pk")
    )
    total = cycles.count()
    done = 0
    ids = list(cycles.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = list(cycles.filter(pk__in=ids[start : start + CHUNK]))
        held = held_for_cycles(chunk)
        planned = set(
            Conversation.objects.filter(cycle__in=chunk, status__in=UPCOMING_STATUSES).values_list(
                "cycle_id", "kind"
            )
        )
        for cycle in chunk:
            yield from _cycle_reminders(cycle, held[cycle.pk], planned, today)
        done += len(chunk)
        progress("conversations due", done, total)


def _cycle_reminders(cycle: Cycle, held, planned, today: datetime.date) -> Iterator[Reminder]:
    employee = cycle.employee
    manager = employee.manager
    regulation = cycle.regulation_version.regulation()
    rules = regulation.reminders
    url = reverse("cycles:my_schedule")
    manager_url = reverse("cycles:employee_schedule", args=[employee.pk])
    for item in cycle_schedule(cycle, today, held):
        if item.status not in ("due", "overdue") or (cycle.pk, item.kind) in planned:
            continue
        label = label_text(regulation.kind(item.kind).label)
        steps = []
        if item.status == "due":
            steps.append("open")
            steps += [f"before{days}" for days in rules.before_due_days if (item.due_by - today).days <= days]
        else:
            steps += [f"after{days}" for days in rules.after_due_days if (today - item.due_by).days >= days]
            if not rules.after_due_days:
                steps.append("overdue")
        if not steps:
            continue
        step = steps[-1]  # the latest step reached; earlier ones were sent on earlier days
        parties = ("employee", "manager") if item.initiative == "either" else (item.initiative,)
        for party in parties:
            person = employee if party == "employee" else manager
            if person is None or person.user_id is None:
                continue
            reason = (
                _("%(conversation)s: due from %(start)s until %(end)s; you take the initiative.")
                if item.status == "due"
                else _(
                    "%(conversation)s: was due until %(end)s and has not been planned; "
                    "you take the initiative."
                )
            ) % {"conversation": label.lower(), "start": _date(item.due_from), "end": _date(item.due_by)}
            yield Reminder(
                user_id=person.user_id,
                key=f"conversation:{cycle.pk}:{item.kind}:{item.sequence}:{step}:{party}",
                subject=_("To plan: %(conversation)s") % {"conversation": label.lower()}
                + ("" if party == "employee" else f" — {employee.full_name}"),
                reason=reason,
                url=url if party == "employee" else manager_url,
            )
        escalate = rules.escalate_after_days
        if item.status == "overdue" and escalate and (today - item.due_by).days >= escalate:
            skip_level = manager.manager if manager is not None else None
            if "skip_level_manager" in rules.escalate_to and skip_level is not None and skip_level.user_id:
                yield Reminder(
                    user_id=skip_level.user_id,
                    key=f"conversation:{cycle.pk}:{item.kind}:{item.sequence}:escalate",
                    subject=_("Overdue: %(conversation)s of %(employee)s")
                    % {"conversation": label.lower(), "employee": employee.full_name},
                    reason=_(
                        "%(conversation)s of %(employee)s: was due until %(end)s and has not taken place."
                    )
                    % {
                        "conversation": label.lower(),
                        "employee": employee.full_name,
                        "end": _date(item.due_by),
                    },
                    url=reverse("cycles:employee_schedule", args=[employee.pk]),
                )


def _report_and_signature_reminders(today: datetime.date) -> Iterator[Reminder]:
    from gesprekscyclus.conversations.services import report_writer_sides
    from gesprekscyclus.signatures.models import VersionState
    from gesprekscyclus.signatures.services import required_signatures, signer_user

    for conversation in (
        Conversation.objects.filter(status=Status.HELD, held_on__lte=today - datetime.timedelta(days=3))
        .select_related("cycle__regulation_version", "employee__user", "conductor__user")
        .iterator(chunk_size=CHUNK)
    ):
        for side in report_writer_sides(conversation):
            person = conversation.employee if side == "employee" else conversation.conductor
            if person.user_id:
                yield Reminder(
                    user_id=person.user_id,
                    key=f"report:{conversation.pk}:{side}",
                    subject=_("Write the report of %(date)s") % {"date": _date(conversation.held_on)},
                    reason=_("The conversation took place on %(date)s; its report has not been finished.")
                    % {"date": _date(conversation.held_on)},
                    url=reverse("conversations:detail", args=[conversation.pk]),
                )
    for conversation in (
        Conversation.objects.filter(status=Status.READY_FOR_SIGNING)
        .select_related(
            "cycle__regulation_version", "employee__user", "employee__manager__user", "conductor__user"
        )
        .prefetch_related("report_versions__signatures")
        .iterator(chunk_size=CHUNK)
    ):
        versions = list(conversation.report_versions.all())
        round_number = sum(version.state == VersionState.VOID for version in versions) + 1
        signed = {
            signature.role
            for version in versions
            if version.state == VersionState.OPEN
            for signature in version.signatures.all()
        }
        for requirement in required_signatures(conversation):
            user = signer_user(conversation, requirement.role)
            if requirement.role in signed or user is None:
                continue
            yield Reminder(
                user_id=user.pk,
                key=f"sign:{conversation.pk}:{requirement.role}:{round_number}",
                subject=_("A report waits for your signature"),
                reason=_("The report of the conversation of %(date)s is ready for signing.")
                % {"date": _date(conversation.held_on or conversation.starts_at.date())},
                url=reverse("signatures:sign", args=[conversation.pk]),
            )


def _term_and_deadline_reminders(today: datetime.date) -> Iterator[Reminder]:
    from gesprekscyclus.assessments.models import Assessment
    from gesprekscyclus.assessments.services import objection_deadline

    week = today + datetime.timedelta(days=7)
    for assessment in Assessment.objects.filter(
        conversation__status=Status.COMPLETED, objections__isnull=True, replaced_by__isnull=True
    ).select_related("conversation__cycle__regulation_version", "conversation__employee__user"):
        conversation = assessment.conversation
        deadline = objection_deadline(conversation)
        if deadline is None or not today <= deadline <= week or not conversation.employee.user_id:
            continue
        yield Reminder(
            user_id=conversation.employee.user_id,
            key=f"objection-term:{conversation.pk}",
            subject=_("The term for an objection ends on %(date)s") % {"date": _date(deadline)},
            reason=_("If you want to object to your assessment, do so by %(date)s.")
            % {"date": _date(deadline)},
            url=reverse("assessments:detail", args=[conversation.pk]),
        )
    for agreement in Agreement.objects.filter(
        status__in=OPEN_STATUSES, deadline__gte=today, deadline__lte=week
    ).select_related("employee__user"):
        if agreement.employee.user_id:
            yield Reminder(
                user_id=agreement.employee.user_id,
                key=f"agreement:{agreement.pk}:{agreement.deadline.isoformat()}",
                subject=_("An agreement is due on %(date)s") % {"date": _date(agreement.deadline)},
                reason=agreement.description[:300],
                url=reverse("agreements:detail", args=[agreement.pk]),
            )
    for employee in Employee.objects.filter(
        appointment=Appointment.PROBATION,
        probation_end__gte=today,
        probation_end__lte=today + datetime.timedelta(days=92),
        manager__user__isnull=False,
    ).select_related("manager"):
        yield Reminder(
            user_id=employee.manager.user_id,
            key=f"probation:{employee.pk}:{employee.probation_end.isoformat()}",
            subject=_("Probation of %(name)s ends on %(date)s")
            % {"name": employee.full_name, "date": _date(employee.probation_end)},
            reason=_(
                "Decide in time about a permanent appointment; check the assessment the regulation requires."
            ),
            url=reverse("cycles:employee_schedule", args=[employee.pk]),
        )
    for feedback in Feedback.objects.filter(
        status=FeedbackStatus.ASKED, answer_by__gte=today, answer_by__lte=today + datetime.timedelta(days=2)
    ).select_related("giver", "receiver"):
        if feedback.giver.user_id:
            yield Reminder(
                user_id=feedback.giver.user_id,
                key=f"feedback:{feedback.pk}",
                subject=_("Feedback for %(name)s by %(date)s")
                % {"name": feedback.receiver.full_name, "date": _date(feedback.answer_by)},
                reason=_("%(name)s asked you for feedback.") % {"name": feedback.receiver.full_name},
                url=reverse("feedback:detail", args=[feedback.pk]),
            )


def due_reminders(today: datetime.date, progress: Progress | None = None) -> Iterator[Reminder]:
    report = progress or (lambda stage, done, total: None)
    with translation.override(settings.LANGUAGE_CODE):
        yield from _conversation_reminders(today, report)
        yield from _report_and_signature_reminders(today)
        yield from _term_and_deadline_reminders(today)


# -- recording and delivering --------------------------------------------------------------------


def record(reminders: Iterator[Reminder]) -> int:
    """Store each reminder once per person and key; returns how many were new."""
    before = Notification.objects.count()
    batch: list[Notification] = []
    for reminder in reminders:
        batch.append(
            Notification(
                user_id=reminder.user_id,
                reason_key=reminder.key,
                subject=reminder.subject[:300],
                reason=reminder.reason,
                url=reminder.url,
            )
        )
        if len(batch) >= CHUNK:
            Notification.objects.bulk_create(batch, ignore_conflicts=True)
            batch.clear()
    Notification.objects.bulk_create(batch, ignore_conflicts=True)
    return Notification.objects.count() - before


def _claim(notifications: list[Notification]) -> list[Notification]:
    """The notifications this run claims: each one only if no other run did first."""
    claimed = []
    for notification in notifications:
        with transaction.atomic():
            if Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
                emailed_at=timezone.now()
            ):
                claimed.append(notification)
    return claimed


def _release(notification_ids: list[int]) -> None:
    Notification.objects.filter(pk__in=notification_ids).update(emailed_at=None)


def _mail(user, notifications: list[Notification]) -> None:
    base = settings.SITE_URL.rstrip("/") if getattr(settings, "SITE_URL", "") else ""
    with translation.override(settings.LANGUAGE_CODE):
        if len(notifications) == 1:
            subject = notifications[0].subject
        else:
            subject = _("%(count)d reminders from Gesprekscyclus") % {"count": len(notifications)}
        lines = []
        for notification in notifications:
            lines += [notification.subject, notification.reason, f"{base}{notification.url}", ""]
        lines.append(_("You can choose one mail a day with all reminders under Notifications."))
        EmailMessage(subject=subject, body="\n".join(lines), to=[user.email]).send()


def deliver(*, progress: Progress | None = None) -> int:
    """Mail every recorded, undelivered notification once; returns the mails sent."""
    report = progress or (lambda stage, done, total: None)
    digest_users = set(
        NotificationPreference.objects.filter(delivery=Delivery.DIGEST).values_list("user_id", flat=True)
    )
    pending = list(
        Notification.objects.filter(emailed_at__isnull=True)
        .select_related("user")
        .order_by("user_id", "created_at")
    )
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in pending:
        by_user[notification.user_id].append(notification)
    sent = 0
    for index, (user_id, notifications) in enumerate(by_user.items(), start=1):
        groups = [notifications] if user_id in digest_users else [[n] for n in notifications]
        for group in groups:
            claimed = _claim(group)  # what another run claimed first, it also sends
            if not claimed:
                continue
            try:
                _mail(claimed[0].user, claimed)
            except Exception:
                _release([n.pk for n in claimed])  # not sent: the next run tries again
                raise
            sent += 1
        report("deliver reminders", index, len(by_user))
    return sent


def send_reminders(*, today: datetime.date, progress: Progress | None = None) -> tuple[int, int]:
    """Record what is due today and deliver everything undelivered: ``(new, mails)``."""
    new = record(due_reminders(today, progress))
    return new, deliver(progress=progress)
