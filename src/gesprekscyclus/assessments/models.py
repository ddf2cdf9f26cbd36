"""An assessment belongs to a conversation of the regulation's assessment kind.

Its life follows the conversation (see ``conversations.models``): the manager rates while
the conversation is *held*; *report written* means shown to the employee, who may add a
response (zienswijze) and then lets it go to signing; the employee signs *voor gezien*
(or refuses) and the assessment is final and archived. An ``Objection`` can follow when
the regulation allows one, within its term.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gesprekscyclus.conversations.models import Conversation


class Assessment(models.Model):
    conversation = models.OneToOneField(Conversation, on_delete=models.PROTECT, related_name="assessment")
    ratings = models.JSONField(default=dict, blank=True)  # aspect id -> scale value
    overall = models.PositiveSmallIntegerField(_("overall rating"), null=True, blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
    response = models.TextField(_("response of the employee"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    shown_at = models.DateTimeField(null=True, blank=True)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"assessment {self.conversation_id}"


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    HEARD = "heard", _("heard")
    DECIDED = "decided", _("decided")


class Decision(models.TextChoices):
    UPHELD = "upheld", _("upheld")
    PARTLY_UPHELD = "partly_upheld", _("partly upheld")
    REJECTED = "rejected", _("rejected")


class Objection(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="objections")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)
    grounds = models.TextField(_("grounds"))
    status = models.CharField(
        _("status"), max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.RECEIVED
    )
    heard_at = models.DateTimeField(null=True, blank=True)
    hearing_notes = models.TextField(_("notes of the hearing"), blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    decision_motivation = models.TextField(_("motivation of the decision"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-filed_at"]

    def __str__(self) -> str:
        return f"objection {self.assessment_id} ({self.status})"


def objection_upload_to(instance: "ObjectionAttachment", filename: str) -> str:
    import uuid

    return f"objections/{instance.objection_id}/{uuid.uuid4().hex}"


class ObjectionAttachment(models.Model):
    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=objection_upload_to)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.filename
