"""How far each cycle is, as one narrow row per cycle, so the HR dashboard can count a
whole organisation with one grouped query.

A ``CycleProgress`` row is what the cycle engine says about the cycle on ``computed_on``,
counted per required conversation (an engine item): how many have their window open,
how many of those are planned, held, reported, signed and archived, and how many are
overdue. It is written by ``services.progress_refresh``: for one cycle right after a
conversation or personnel-file entry of it changes, and for every open cycle by the
daily ``send_reminders`` (dates move on by themselves: a conversation becomes overdue
without anyone touching it). ``unit`` is the employee's unit on that day, so the
dashboard never joins the employee table.
"""

from django.db import models

from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.organisations.models import Organisation, OrgUnit


class CycleProgress(models.Model):
    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, primary_key=True, related_name="progress")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    # Required conversations (engine items, waived ones left out) in the whole period …
    required = models.PositiveSmallIntegerField(default=0)
    # … and, of those whose window has opened (due, overdue or held), how many are:
    opened = models.PositiveSmallIntegerField(default=0)
    planned = models.PositiveSmallIntegerField(default=0)  # planned or already held
    held = models.PositiveSmallIntegerField(default=0)
    reported = models.PositiveSmallIntegerField(default=0)  # report finished (or further)
    signed = models.PositiveSmallIntegerField(default=0)  # all signatures placed
    archived = models.PositiveSmallIntegerField(default=0)  # in the personnel file
    overdue = models.PositiveSmallIntegerField(default=0)
    # The earliest deadline of a conversation that has not been held yet, and its kind.
    next_due_on = models.DateField(null=True, blank=True)
    next_due_kind = models.CharField(max_length=50, blank=True)
    computed_on = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "year"], name="progress_organisation_year"),
            models.Index(fields=["unit", "year"], name="progress_unit_year"),
            # the overdue list: longest overdue first, read in index order and cut at 50
            models.Index(
                fields=["organisation", "year", "next_due_on", "cycle"],
                condition=models.Q(overdue__gt=0),
                name="progress_overdue",
            ),
        ]

    def __str__(self) -> str:
        return f"progress of cycle {self.cycle_id} on {self.computed_on}"


class UnitProgress(models.Model):
    """The dashboard's counts per unit and period: the ``CycleProgress`` rows of the unit's
    own members summed (employees, not conversations; see ``services.Figures``). Recounted
    for the whole installation after every bulk refresh and for the touched units after
    each single change, so the dashboard reads a few rows per unit instead of summing
    200,000 cycles on every page view."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    employees = models.PositiveIntegerField(default=0)
    with_due = models.PositiveIntegerField(default=0)
    planned = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    reported = models.PositiveIntegerField(default=0)
    signed = models.PositiveIntegerField(default=0)
    archived = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    computed_from = models.DateField(null=True)
    computed_until = models.DateField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="unit_progress_once_per_period")]
        indexes = [models.Index(fields=["organisation", "year"], name="unit_progress_organisation")]

    def __str__(self) -> str:
        return f"unit {self.unit_id} {self.year}: {self.employees} employees"
