"""What the privacy app keeps: one row per pseudonymised former employee.

The row is the marker that makes ``services.leaver_pseudonymise`` idempotent, and the
record of when, by whom and under which rule it happened. It holds no personal data: the
pseudonym is random, not derived from the name or the personnel number.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Pseudonymisation(models.Model):
    employee = models.OneToOneField(
        "organisations.Employee", on_delete=models.PROTECT, related_name="pseudonymisation"
    )
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    pseudonym = models.CharField(_("pseudonym"), max_length=20)
    performed_at = models.DateTimeField(auto_now_add=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The retention that had ended (the day after which it was allowed) and what was changed.
    retention_ended_on = models.DateField()
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("pseudonymisation")
        verbose_name_plural = _("pseudonymisations")
        ordering = ["-performed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "pseudonym"], name="pseudonym_unique_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pseudonym} ({self.performed_at:%Y-%m-%d})"
