"""Agreements (afspraken) and the individual work plan.

Every change to an agreement is an ``AgreementChange`` row: who, when, in which
conversation, and the old and new value of each field. The work plan is kept as
numbered, immutable ``WorkPlanVersion`` snapshots once established.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gesprekscyclus.conversations.models import Conversation
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.organisations.models import Competence, Employee, Organisation


class AgreementKind(models.TextChoices):
    WORK_RESULT = "work_result", _("work result (quantity)")
    QUALITY = "quality", _("quality")
    DEVELOPMENT = "development", _("development and training")
    COMPETENCE = "competence", _("competence")
    SUPPORT = "support", _("support and facilities")
    CONTRIBUTION = "contribution", _("team or organisation contribution")
    HOURS = "hours", _("hours and working times")


class AgreementStatus(models.TextChoices):
    OPEN = "open", _("open")
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    ACHIEVED = "achieved", _("achieved")
    PARTLY_ACHIEVED = "partly_achieved", _("partly achieved")
    NOT_ACHIEVED = "not_achieved", _("not achieved")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_STATUSES = (AgreementStatus.OPEN, AgreementStatus.ON_TRACK, AgreementStatus.AT_RISK)


class Agreement(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="agreements")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="agreements")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="agreements")
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    description = models.TextField(_("agreement"))
    indicator = models.CharField(_("on track when"), max_length=500, blank=True)
    target = models.CharField(_("target"), max_length=200, blank=True)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.OPEN
    )
    made_in = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="agreements_made"
    )
    competences = models.ManyToManyField(
        Competence, blank=True, related_name="agreements", verbose_name=_("competences to develop")
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["employee", "status"])]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class AgreementChange(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="agreement_changes"
    )
    # {"field": [old, new], ...}; the creation is recorded with old values null.
    changes = models.JSONField(default=dict)
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.changed_at:%Y-%m-%d %H:%M}"


class WorkPlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ESTABLISHED = "established", _("established")


class WorkPlan(models.Model):
    """The individual work plan of one cycle. ``content`` is the working copy (form item
    id -> text); each establishment freezes it into a ``WorkPlanVersion``."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="work_plans")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="work_plans")
    cycle = models.OneToOneField(Cycle, on_delete=models.PROTECT, related_name="work_plan")
    status = models.CharField(max_length=20, choices=WorkPlanStatus.choices, default=WorkPlanStatus.DRAFT)
    content = models.JSONField(default=dict, blank=True)
    competences = models.ManyToManyField(
        Competence, blank=True, related_name="work_plans", verbose_name=_("competences to develop")
    )
    # The conversation in which the current draft is discussed (planning or a revision).
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="work_plan_drafts"
    )
    agreed_by_employee_at = models.DateTimeField(null=True, blank=True)
    agreed_by_manager_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)  # optimistic lock of the working copy
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.employee_id} {self.cycle_id}"


class WorkPlanVersion(models.Model):
    work_plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    content = models.JSONField()
    # {"item_id": [old, new]} against the previous version; empty for the first.
    changes = models.JSONField(default=dict, blank=True)
    established_in = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    established_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["work_plan", "number"], name="work_plan_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.work_plan_id} v{self.number}"
