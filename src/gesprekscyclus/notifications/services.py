"""``send_reminders``: derive who must be reminded of what, record each reminder once,
then deliver the recorded ones by e-mail.

1. **Derive** (``due_reminders``) from the regulations and the cycle engine (the same
   pass stores each cycle's progress for the HR dashboard, see ``compliance``):
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
3. **Deliver** (``deliver``): undelivered notifications are claimed in batches with one
   ``UPDATE … WHERE emailed_at IS NULL`` (and a token to read back what this run got)
   before their mails are sent, so two runs never send the same one; a failed send
   releases what was not sent, so a re-run after a crash sends exactly the rest. People
   who chose a digest get one mail with all their reminders.
"""

from __future__ import annotations

import datetime
import functools
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gesprekscyclus.agreements.models import OPEN_STATUSES, Agreement
from gesprekscyclus.compliance.services import progress_from_schedules, progress_store, unit_progress_recount
from gesprekscyclus.conversations.models import UPCOMING_STATUSES, Conversation, Status
from gesprekscyclus.conversations.services import held_for_cycles
from gesprekscyclus.cycles.models import Cycle, CycleStatus
from gesprekscyclus.cycles.services import cycle_schedule, with_regulation_versions
from gesprekscyclus.feedback.models import Feedback, FeedbackStatus
from gesprekscyclus.organisations.models import Appointment, Employee
from gesprekscyclus.regulations.models import RegulationVersion
from gesprekscyclus.regulations.reasons import label_text

from .models import Delivery, Notification, NotificationPreference

Progress = Callable[[str, int, int], None]
CHUNK = 1000
DELIVERY_BATCH = 500


@dataclass(frozen=True)
class Reminder:
    """One reminder for one person. Its texts may be given, or made by ``text`` only when
    the reminder turns out to be new (most reminders a daily run derives exist already)."""

    user_id: int
    key: str
    url: str
    subject: str = ""
    reason: str = ""
    text: Callable[[], tuple[str, str]] | None = field(default=None, compare=False, repr=False)

    def texts(self) -> tuple[str, str]:
        return self.text() if self.text is not None else (self.subject, self.reason)


@functools.lru_cache(maxsize=4096)
def _date(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


def _mid_sentence(label: str) -> str:
    """A conversation's label inside a sentence: lower case, but an abbreviation keeps its
    capitals (Kampen's 'Resultaatgerichte afspraken / POP-gesprek' -> '... / POP-gesprek')."""
    return " ".join(word if any(c.isupper() for c in word[1:]) else word.lower() for word in label.split(" "))


# -- deriving ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Person:
    """What a reminder needs of a person (the employee, their manager, the one above)."""

    pk: int
    first_name: str
    last_name: str
    user_id: int | None
    manager: _Person | None = None
    # the engine's facts, for the employee
    unit_id: int | None = None
    employment_start: datetime.date | None = None
    employment_end: datetime.date | None = None
    appointment: str = ""
    probation_end: datetime.date | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(slots=True)
class _CycleRow:
    """A cycle as the daily pass reads it: plain values, no model instances (building
    several model instances per cycle cost more than everything else the pass does)."""

    pk: int
    organisation_id: int
    employee_id: int
    year: int
    period_start: datetime.date
    period_end: datetime.date
    agreed_frequency_per_year: int | None
    requested_kinds: list
    regulation_version_id: int
    employee: _Person
    regulation_version: RegulationVersion | None = None


_PERSON = ("id", "first_name", "last_name", "user_id")
_CYCLE_VALUES = (
    "id",
    "organisation_id",
    "employee_id",
    "year",
    "period_start",
    "period_end",
    "agreed_frequency_per_year",
    "requested_kinds",
    "regulation_version_id",
    *(f"employee__{name}" for name in _PERSON),
    *(
        f"employee__{name}"
        for name in ("unit_id", "employment_start", "employment_end", "appointment", "probation_end")
    ),
    *(f"employee__manager__{name}" for name in _PERSON),
    *(f"employee__manager__manager__{name}" for name in _PERSON),
)


def _cycle_rows(cycles, ids: list[int]) -> list[_CycleRow]:
    rows = []
    for values in cycles.filter(pk__in=ids).values_list(*_CYCLE_VALUES):
        (pk, organisation_id, employee_id, year, start, end, agreed, requested, version_id) = values[:9]
        e_id, e_first, e_last, e_user, unit_id, e_start, e_end, appointment, probation_end = values[9:18]
        m_id, m_first, m_last, m_user, s_id, s_first, s_last, s_user = values[18:26]
        skip_level = _Person(s_id, s_first, s_last, s_user) if s_id else None
        manager = _Person(m_id, m_first, m_last, m_user, skip_level) if m_id else None
        employee = _Person(
            e_id, e_first, e_last, e_user, manager, unit_id, e_start, e_end, appointment, probation_end
        )
        rows.append(
            _CycleRow(
                pk, organisation_id, employee_id, year, start, end, agreed, requested, version_id, employee
            )
        )
    return rows


class _Versions:
    """Regulation versions fetched once each (not copied into every row by a join)."""

    def __init__(self):
        self._versions: dict[int, RegulationVersion] = {}

    def attach(self, cycle: Cycle) -> None:
        pk = cycle.regulation_version_id
        if pk not in self._versions:
            self._versions[pk] = RegulationVersion.objects.get(pk=pk)
        cycle.regulation_version = self._versions[pk]


class _Urls:
    """Page addresses, reversed once per run instead of once per reminder."""

    def __init__(self):
        self.my_schedule = reverse("cycles:my_schedule")
        self._employee_schedule = reverse("cycles:employee_schedule", args=[987654321])

    def employee_schedule(self, pk: int) -> str:
        return self._employee_schedule.replace("987654321", str(pk))


def _conversation_reminders(today: datetime.date, progress: Progress) -> Iterator[Reminder]:
    cycles = (
        Cycle.objects.filter(status=CycleStatus.OPEN, period_start__lte=today + datetime.timedelta(days=62))
        .filter(period_end__gte=today - datetime.timedelta(days=120))
        .order_by("pk")
    )
    ids = list(cycles.values_list("pk", flat=True))
    urls = _Urls()
    memo: dict = {}  # the engine's answers, shared by employees with the same facts
    for start in range(0, len(ids), CHUNK):
        chunk = with_regulation_versions(_cycle_rows(cycles, ids[start : start + CHUNK]))
        held = held_for_cycles(chunk)
        planned = set(
            Conversation.objects.filter(
                cycle_id__in=[cycle.pk for cycle in chunk], status__in=UPCOMING_STATUSES
            )
            .values_list("cycle_id", "kind")
            .order_by()
        )
        schedules = {cycle.pk: cycle_schedule(cycle, today, held[cycle.pk], memo=memo) for cycle in chunk}
        progress_store(progress_from_schedules(chunk, schedules, today))  # the dashboard's figures
        for cycle in chunk:
            yield from _cycle_reminders(cycle, schedules[cycle.pk], planned, today, urls)
        progress("conversations due", min(start + CHUNK, len(ids)), len(ids))
    unit_progress_recount(as_of=today)  # the dashboard's counts per unit, from the rows just stored


def _conversation_texts(item, label: str, party: str, employee_name: str) -> tuple[str, str]:
    values = {"conversation": _mid_sentence(label), "start": _date(item.due_from), "end": _date(item.due_by)}
    if item.status == "due":
        reason = _("%(conversation)s: due from %(start)s until %(end)s; you take the initiative.") % values
    else:
        reason = (
            _("%(conversation)s: was due until %(end)s and has not been planned; you take the initiative.")
            % values
        )
    subject = _("To plan: %(conversation)s") % values + ("" if party == "employee" else f" — {employee_name}")
    return subject, reason


def _cycle_reminders(
    cycle: Cycle, schedule, planned, today: datetime.date, urls: _Urls
) -> Iterator[Reminder]:
    employee = cycle.employee
    manager = employee.manager
    regulation = cycle.regulation_version.regulation()
    rules = regulation.reminders
    url = urls.my_schedule
    manager_url = urls.employee_schedule(employee.pk)
    for item in schedule:
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
            yield Reminder(
                user_id=person.user_id,
                key=f"conversation:{cycle.pk}:{item.kind}:{item.sequence}:{step}:{party}",
                url=url if party == "employee" else manager_url,
                text=functools.partial(_conversation_texts, item, label, party, employee.full_name),
            )
        escalate = rules.escalate_after_days
        if item.status == "overdue" and escalate and (today - item.due_by).days >= escalate:
            skip_level = manager.manager if manager is not None else None
            if "skip_level_manager" in rules.escalate_to and skip_level is not None and skip_level.user_id:
                yield Reminder(
                    user_id=skip_level.user_id,
                    key=f"conversation:{cycle.pk}:{item.kind}:{item.sequence}:escalate",
                    subject=_("Overdue: %(conversation)s of %(employee)s")
                    % {"conversation": _mid_sentence(label), "employee": employee.full_name},
                    reason=_(
                        "%(conversation)s of %(employee)s: was due until %(end)s and has not taken place."
                    )
                    % {
                        "conversation": _mid_sentence(label),
                        "employee": employee.full_name,
                        "end": _date(item.due_by),
                    },
                    url=manager_url,
                )


def _report_and_signature_reminders(today: datetime.date) -> Iterator[Reminder]:
    from gesprekscyclus.conversations.services import report_writer_sides
    from gesprekscyclus.signatures.models import VersionState
    from gesprekscyclus.signatures.services import required_signatures, signer_user

    regulation_versions = _Versions()
    for conversation in (
        Conversation.objects.filter(status=Status.HELD, held_on__lte=today - datetime.timedelta(days=3))
        .select_related("cycle", "employee", "conductor")
        .iterator(chunk_size=CHUNK)
    ):
        regulation_versions.attach(conversation.cycle)
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
        .select_related("cycle", "employee__user", "employee__manager__user", "conductor__user")
        .prefetch_related("report_versions__signatures")
        .iterator(chunk_size=CHUNK)
    ):
        regulation_versions.attach(conversation.cycle)
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


def _record_batch(batch: list[Reminder]) -> int:
    """Store the batch's reminders that are not recorded yet; returns how many were new.
    The existing keys are read first (one indexed query), so a re-run neither re-inserts
    nor even words what exists; the unique key still decides when two runs insert the
    same reminder at the same moment."""
    if not batch:
        return 0
    existing = set(
        Notification.objects.filter(reason_key__in={r.key for r in batch})
        .values_list("user_id", "reason_key")
        .order_by()
    )
    fresh = []
    with translation.override(settings.LANGUAGE_CODE):
        for reminder in batch:
            if (reminder.user_id, reminder.key) in existing:
                continue
            subject, reason = reminder.texts()
            fresh.append(
                Notification(
                    user_id=reminder.user_id,
                    reason_key=reminder.key,
                    subject=subject[:300],
                    reason=reason,
                    url=reminder.url,
                )
            )
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


def record(reminders: Iterator[Reminder]) -> int:
    """Store each reminder once per person and key; returns how many were new."""
    new = 0
    batch: list[Reminder] = []
    seen: set[tuple[int, str]] = set()
    for reminder in reminders:
        if (reminder.user_id, reminder.key) in seen:
            continue
        seen.add((reminder.user_id, reminder.key))
        batch.append(reminder)
        if len(batch) >= CHUNK:
            new += _record_batch(batch)
            batch = []
    return new + _record_batch(batch)


def _claim(notifications: list[Notification]) -> list[Notification]:
    """The notifications this run claims: one ``UPDATE … WHERE emailed_at IS NULL RETURNING
    id`` for the whole batch, so of two overlapping runs each notification goes to exactly
    one. (The claim token is kept as well, so an operator can see which run took what.)"""
    if not notifications:
        return []
    table = connection.ops.quote_name(Notification._meta.db_table)
    ids = [notification.pk for notification in notifications]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET emailed_at = %s, claim = %s "  # noqa: S608 (a fixed table name)
            f"WHERE id IN ({', '.join(['%s'] * len(ids))}) AND emailed_at IS NULL RETURNING id",
            [timezone.now(), uuid.uuid4().hex, *ids],
        )
        claimed = {row[0] for row in cursor.fetchall()}
    return [notification for notification in notifications if notification.pk in claimed]


def _release(notification_ids: Iterable[int]) -> None:
    Notification.objects.filter(pk__in=list(notification_ids)).update(emailed_at=None, claim="")


def _mail(user, notifications: list[Notification], connection=None) -> None:
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
        EmailMessage(subject=subject, body="\n".join(lines), to=[user.email], connection=connection).send()


def _deliver_batch(groups: list[list[Notification]]) -> int:
    """Claim the batch, mail each group (what this run claimed of it), and release what was
    claimed but not mailed when sending fails, so the next run sends it."""
    claimed = {notification.pk for notification in _claim([n for group in groups for n in group])}
    unsent = set(claimed)
    sent = 0
    try:
        with get_connection() as connection:  # one mail server connection per batch
            for group in groups:
                mine = [notification for notification in group if notification.pk in claimed]
                if not mine:
                    continue  # another run claimed these first and sends them
                _mail(mine[0].user, mine, connection=connection)
                unsent.difference_update(notification.pk for notification in mine)
                sent += 1
    except Exception:
        _release(unsent)
        raise
    return sent


def deliver(*, progress: Progress | None = None) -> int:
    """Mail every recorded, undelivered notification once; returns the mails sent.

    Notifications are claimed in batches of ``DELIVERY_BATCH``. A notification is marked
    as mailed when it is claimed, before it is sent: if the process is killed outright
    halfway a batch, the rest of that batch is not mailed (it stays in the person's list
    of notifications in the application); it is never mailed twice."""
    report = progress or (lambda stage, done, total: None)
    digest_users = set(
        NotificationPreference.objects.filter(delivery=Delivery.DIGEST).values_list("user_id", flat=True)
    )
    pending = list(
        Notification.objects.filter(emailed_at__isnull=True)
        .select_related("user")
        .only("id", "user_id", "subject", "reason", "url", "created_at", "user__email")
        .order_by("user_id", "created_at", "pk")
    )
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in pending:
        by_user[notification.user_id].append(notification)
    groups = []
    for user_id, notifications in by_user.items():
        groups += [notifications] if user_id in digest_users else [[n] for n in notifications]
    sent = done = in_batch = 0
    batch: list[list[Notification]] = []
    for group in groups:
        batch.append(group)
        done += len(group)
        in_batch += len(group)
        if in_batch >= DELIVERY_BATCH:
            sent += _deliver_batch(batch)
            batch, in_batch = [], 0
            report("deliver reminders", done, len(pending))
    sent += _deliver_batch(batch)
    report("deliver reminders", len(pending), len(pending))
    return sent


def send_reminders(*, today: datetime.date, progress: Progress | None = None) -> tuple[int, int]:
    """Record what is due today and deliver everything undelivered: ``(new, mails)``."""
    new = record(due_reminders(today, progress))
    return new, deliver(progress=progress)
