"""A cycle is one employee's period (say 2027) under one regulation version.

The cycle belongs to the employee, not to a unit or a manager: someone who moves keeps
the cycle and everything recorded in it. The regulation version is fixed when the cycle
opens, so a new version only affects cycles opened after it came into force.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gesprekscyclus.organisations.models import Employee, Organisation
from gesprekscyclus.regulations.models import RegulationVersion


class CycleStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class CloseReason(models.TextChoices):
    EMPLOYMENT_ENDED = "employment_ended", _("employment ended")
    PERIOD_ENDED = "period_ended", _("period ended")


class Cycle(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="cycles")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="cycles")
    year = models.PositiveSmallIntegerField(_("period"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    regulation_version = models.ForeignKey(
        RegulationVersion, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("regulation")
    )
    agreed_frequency_per_year = models.PositiveSmallIntegerField(
        _("agreed conversations per year"), null=True, blank=True
    )
    # On-request kinds someone asked for in this period (an assessment, say).
    requested_kinds = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CycleStatus.choices, default=CycleStatus.OPEN
    )
    close_reason = models.CharField(max_length=30, choices=CloseReason.choices, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="one_cycle_per_employee_and_period"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="cycle_period_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "year", "status"]),
            # The API's list order: the first page of 590,000 cycles without sorting them.
            models.Index(fields=["-year", "employee", "id"], name="cycle_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.year}"
