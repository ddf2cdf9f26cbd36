"""Disagreement about a conversation (the regulation names who is brought in), and
delegation: a manager designates someone to conduct one conversation or all of an
employee's conversations for a while."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gesprekscyclus.conversations.models import Conversation
from gesprekscyclus.organisations.models import Employee


class Disagreement(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.PROTECT, related_name="disagreements")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    statement = models.TextField(_("what the disagreement is about"))
    mediator = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="mediations", verbose_name=_("brought in")
    )
    mediator_role = models.CharField(max_length=30)  # skip_level_manager, hr_adviser, ...
    outcome = models.TextField(_("outcome"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"disagreement {self.conversation_id}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class DisagreementNote(models.Model):
    disagreement = models.ForeignKey(Disagreement, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note {self.disagreement_id}"


class Delegation(models.Model):
    """``delegate`` conducts ``conversation``, or every conversation of ``employee`` from
    ``starts_on`` to ``ends_on``, instead of the manager; until revoked."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="delegations")
    delegate = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="delegated_to_me")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, null=True, blank=True, related_name="delegations"
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(conversation__isnull=False)
                | (models.Q(starts_on__isnull=False) & models.Q(ends_on__isnull=False)),
                name="delegation_is_for_a_conversation_or_a_period",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="delegation_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegate_id} for {self.employee_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
