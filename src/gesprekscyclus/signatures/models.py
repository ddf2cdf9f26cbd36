"""A ``ReportVersion`` is a frozen snapshot of exactly what the signers are shown, with
the SHA-256 of its canonical serialisation; a ``Signature`` binds a person to that hash.

A version is ``open`` while signatures are collected, ``void`` when the report changed
after all (its signatures no longer count) and ``complete`` once every required party
signed or refused; a complete version never changes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gesprekscyclus.conversations.models import Conversation


class VersionState(models.TextChoices):
    OPEN = "open", _("awaiting signatures")
    VOID = "void", _("void")
    COMPLETE = "complete", _("signed")


class ReportVersion(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.PROTECT, related_name="report_versions")
    number = models.PositiveSmallIntegerField()
    content = models.JSONField()
    canonical = models.TextField()  # the exact bytes (UTF-8) that were hashed
    content_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=20, choices=VersionState.choices, default=VersionState.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=500, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["conversation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "number"], name="report_version_number_unique"),
            models.UniqueConstraint(
                fields=["conversation"],
                condition=models.Q(state="open"),
                name="one_open_report_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id} v{self.number} ({self.state})"


class Signature(models.Model):
    """One party's signature (or refusal) on one version. One per role and version."""

    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="signatures")
    role = models.CharField(max_length=20)  # employee, manager or delegate (the regulation's vocabulary)
    statement = models.CharField(max_length=20)  # voor_akkoord or voor_gezien
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(max_length=300)
    content_hash = models.CharField(max_length=64)
    remark = models.TextField(_("remark"), blank=True)
    refused = models.BooleanField(default=False)
    refusal_reason = models.TextField(_("reason for refusing"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "role"], name="one_signature_per_role")]

    def __str__(self) -> str:
        return f"{self.signer_name} {self.role} v{self.version_id}"
