"""Feedback belongs to its receiver: they see all of it; the giver sees what they gave;
nobody else sees any unless the receiver brings it into a conversation (then the other
participant of that conversation sees that selection). The development scan is private to
the employee in the same way."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gesprekscyclus.conversations.models import Conversation
from gesprekscyclus.organisations.models import Employee, Organisation


class QuestionSet(models.Model):
    """The organisation's ready-made questions for a feedback request."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="question_sets")
    name = models.CharField(_("name"), max_length=200)
    questions = models.JSONField(_("questions"), default=list)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="question_set_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class FeedbackKind(models.TextChoices):
    REQUESTED = "requested", _("asked for")
    UNASKED = "unasked", _("unasked")
    COMPLIMENT = "compliment", _("compliment")
    UPWARD = "upward", _("to the manager")


class FeedbackStatus(models.TextChoices):
    ASKED = "asked", _("asked")
    GIVEN = "given", _("given")
    DECLINED = "declined", _("declined")


class Feedback(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    receiver = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="feedback_received")
    giver = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="feedback_given")
    kind = models.CharField(max_length=20, choices=FeedbackKind.choices)
    status = models.CharField(max_length=20, choices=FeedbackStatus.choices)
    message = models.TextField(_("message"), blank=True)  # the receiver's request text
    questions = models.JSONField(default=list, blank=True)
    answers = models.JSONField(default=list, blank=True)  # one per question
    text = models.TextField(_("feedback"), blank=True)
    answer_by = models.DateField(_("answer by"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    given_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["receiver", "status"]),
            models.Index(fields=["giver", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.giver_id} -> {self.receiver_id} ({self.kind})"


class FeedbackSelection(models.Model):
    """Feedback the receiver brought into a conversation's preparation."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="selections")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="feedback_selections"
    )
    selected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feedback", "conversation"], name="feedback_selected_once")
        ]

    def __str__(self) -> str:
        return f"{self.feedback_id} in {self.conversation_id}"


class ScanQuestionnaire(models.Model):
    """The organisation's development scan: sections of statements rated 1 (not at all) to
    5 (very much)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="scan")
    sections = models.JSONField(default=list)  # [{"title": ..., "statements": [...]}, ...]

    def __str__(self) -> str:
        return f"scan {self.organisation_id}"


class ScanResponse(models.Model):
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="scans")
    sections = models.JSONField(default=list)  # a copy of the questionnaire as answered
    answers = models.JSONField(default=dict)  # "section.statement" -> 1..5
    reflection = models.TextField(_("what I take from this"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    shared_with_manager = models.BooleanField(default=False)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="scans"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"scan {self.employee_id} {self.created_at:%Y-%m-%d}"
