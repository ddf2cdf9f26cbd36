from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AppendOnlyError(RuntimeError):
    """An audit event was about to be changed or deleted."""


class Category(models.TextChoices):
    AUTH = "auth", pgettext_lazy("audit category", "authentication")
    READ = "read", pgettext_lazy("audit category", "viewed")
    WRITE = "write", pgettext_lazy("audit category", "changed")
    DENIED = "denied", pgettext_lazy("audit category", "access refused")


# The only change an existing row allows: losing a reference to a deleted user, employee
# or organisation (``on_delete=SET_NULL``); what the event says stays as it was.
DETACHABLE_FIELDS = frozenset(
    {"actor", "actor_id", "organisation", "organisation_id", "subject", "subject_id"}
)


class AuditEventQuerySet(models.QuerySet):
    detachable = DETACHABLE_FIELDS

    def update(self, **kwargs):
        detaching = all(name in self.detachable and value is None for name, value in kwargs.items())
        if not kwargs or not detaching:
            raise AppendOnlyError("audit events are append-only")
        return super().update(**kwargs)

    def delete(self):
        raise AppendOnlyError("audit events are append-only")


class AppendOnlyModel(models.Model):
    """A row that is written once: saving it again or deleting it raises (the queryset and,
    on PostgreSQL, a trigger refuse the same in bulk)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")


class AuditEvent(AppendOnlyModel):
    """One thing that happened, by whom, about whom, from where. Append-only: written by
    ``audit.services``, never updated or deleted (the model refuses, and on PostgreSQL a
    trigger too); only the references to a deleted user, employee or organisation may
    be cleared."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    category = models.CharField(max_length=10, choices=Category.choices, default=Category.WRITE)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The person whose data it is about.
    subject = models.ForeignKey(
        "organisations.Employee", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=100, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "at"], name="audit_org_at"),
            models.Index(fields=["subject", "at"], name="audit_subject_at"),
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
            models.Index(fields=["category", "at"], name="audit_category_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"


class ListedSubjectQuerySet(AuditEventQuerySet):
    detachable = frozenset({"employee", "employee_id"})


class ListedSubject(AppendOnlyModel):
    """A person whose data a list read showed: one row per person per list event (the
    team overview, the employee search, an export, ...), so that the person finds the
    event among "who viewed my data". Append-only like the event; only the reference to
    a deleted employee may be cleared."""

    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="listed")
    employee = models.ForeignKey(
        "organisations.Employee", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ListedSubjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("person shown in a list")
        verbose_name_plural = _("people shown in a list")
        indexes = [models.Index(fields=["employee", "event"], name="audit_listed_employee")]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.employee_id}"
