"""A ``Notification`` is one reminder for one person, identified by its ``reason_key``
(what and which step: "conversation 12, planning 1/1, due, employee"). The unique key
makes sending idempotent: a reason is recorded once, whatever runs at the same time; the
e-mail is delivered from the recorded notifications (an outbox), so a crash halfway only
leaves the rest for the next run."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    SINGLE = "single", _("one e-mail per reminder")
    DIGEST = "digest", _("one e-mail a day with all reminders")


class NotificationPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.SINGLE)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.delivery}"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    reason_key = models.CharField(max_length=200)
    subject = models.CharField(max_length=300)
    reason = models.TextField()
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Which delivery run claimed it (a random token), so a run can claim a whole batch
    # with one UPDATE and read back exactly what it got.
    claim = models.CharField(max_length=32, blank=True, default="")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "reason_key"], name="one_notification_per_reason")
        ]
        indexes = [
            models.Index(fields=["emailed_at"]),
            models.Index(fields=["user", "read_at"]),
            # send_reminders looks up which of a batch's reasons exist: a manager of many
            # people has thousands of notifications, so looking up by person is not enough
            models.Index(fields=["reason_key"], name="notification_reason_key"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.reason_key}"
