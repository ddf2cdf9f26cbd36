"""A conversation between an employee and the person conducting it (the manager or
someone the manager designates), with both sides' preparation, the report and attachments.

State (``Conversation.status``), changed only by ``services``:

    planned ──► held ──► report_written ──► ready_for_signing ──► completed (signed, archived)
       │   ▲       ▲            │
       │   └ prepared           └──(sent back with a comment)──► held
       └──► cancelled

``prepared`` is reached when a side shares its preparation; it is optional.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.organisations.models import Employee, Organisation


class Status(models.TextChoices):
    PLANNED = "planned", _("planned")
    PREPARED = "prepared", _("prepared")
    HELD = "held", _("held")
    REPORT_WRITTEN = "report_written", _("report written")
    READY_FOR_SIGNING = "ready_for_signing", _("ready for signing")
    COMPLETED = "completed", _("signed")
    CANCELLED = "cancelled", _("cancelled")


# Statuses in which the conversation has taken place (it counts for the schedule).
HELD_STATUSES = (Status.HELD, Status.REPORT_WRITTEN, Status.READY_FOR_SIGNING, Status.COMPLETED)
# Statuses in which the report, its attachments and agreements no longer change here
# (awaiting signatures, signed, or the conversation cancelled).
LOCKED_STATUSES = (Status.READY_FOR_SIGNING, Status.COMPLETED, Status.CANCELLED)
UPCOMING_STATUSES = (Status.PLANNED, Status.PREPARED)


class Side(models.TextChoices):
    EMPLOYEE = "employee", _("employee")
    CONDUCTOR = "conductor", _("manager or designated person")


class Conversation(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="conversations")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="conversations")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="conversations")
    conductor = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        related_name="conducted_conversations",
        verbose_name=_("conducted by"),
    )
    kind = models.CharField(_("conversation"), max_length=50)
    combined_with = models.JSONField(_("combined with"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    follow_up_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The calendar event: one UID for its whole life, SEQUENCE raised on every update.
    ics_uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    ics_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["employee", "status"]),
            models.Index(fields=["conductor", "status"]),
            models.Index(fields=["cycle", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.employee} {self.starts_at:%Y-%m-%d}"

    @property
    def ends_at(self):
        import datetime

        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def is_upcoming(self) -> bool:
        return self.status in UPCOMING_STATUSES

    @property
    def has_taken_place(self) -> bool:
        return self.status in HELD_STATUSES

    def side_of(self, employee_id: int | None) -> str | None:
        if employee_id is None:
            return None
        if employee_id == self.employee_id:
            return Side.EMPLOYEE
        if employee_id == self.conductor_id:
            return Side.CONDUCTOR
        return None


class Preparation(models.Model):
    """One side's private preparation; the other side sees it only once it is shared."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="preparations")
    side = models.CharField(max_length=20, choices=Side.choices)
    notes = models.TextField(_("notes"), blank=True)
    topics = models.TextField(_("topics I want to discuss"), blank=True)
    self_reflection = models.TextField(_("self-reflection"), blank=True)
    answers = models.JSONField(default=dict, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "side"], name="one_preparation_per_side")
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id} {self.side}"


class Report(models.Model):
    """The report of a conversation; ``version`` guards against silent overwrites."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="report")
    text = models.TextField(_("report"), blank=True)
    answers = models.JSONField(default=dict, blank=True)
    improvement_points = models.BooleanField(
        _("improvement points were discussed and recorded"),
        default=False,
        help_text=_("Needed before an assessment at the end of probation can take place."),
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    written_at = models.DateTimeField(null=True, blank=True)
    returned_comment = models.TextField(_("comment when sent back"), blank=True)
    # Personal items (well-being, ...) the employee keeps out of the signed report.
    withheld_items = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.conversation_id} v{self.version}"


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    return (
        f"conversations/{instance.conversation.organisation_id}/{instance.conversation_id}/{uuid.uuid4().hex}"
    )


class Attachment(models.Model):
    """A document attached to the report; served only through a permission check."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.filename
