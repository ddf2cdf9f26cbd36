"""Regulation versions stored per organisation.

A ``RegulationVersion`` is one uploaded regulation file (its YAML text is kept verbatim)
with a scope and an in-force date. Changing a regulation means uploading a new version;
nothing is edited in place, so a cycle that started under a version keeps reading the
exact rules it started with.

Scope: the organisation default (no unit, no jobs), a unit (and every unit below it), or
a job group (a set of jobs, wherever the people holding them work). Which version applies
to an employee on a day is decided by ``services.regulation_version_for``.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gesprekscyclus.organisations.models import Job, Organisation, OrgUnit


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("active")
    WITHDRAWN = "withdrawn", _("withdrawn")


class RegulationVersion(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="regulation_versions"
    )
    regulation_id = models.CharField(_("regulation id"), max_length=100)
    version = models.CharField(_("version"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    source_filename = models.CharField(_("file"), max_length=255)
    text = models.TextField(_("regulation file"))
    checksum = models.CharField(max_length=64, editable=False)
    in_force_from = models.DateField(_("in force from"))
    scope_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regulation_versions",
        verbose_name=_("unit"),
    )
    scope_jobs = models.ManyToManyField(
        Job, blank=True, related_name="regulation_versions", verbose_name=_("job group")
    )
    scope_job_group = models.CharField(_("job group name"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("regulation version")
        verbose_name_plural = _("regulation versions")
        ordering = ["organisation", "-in_force_from", "-id"]
        indexes = [models.Index(fields=["organisation", "status", "in_force_from"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope_unit__isnull=True) | models.Q(scope_job_group=""),
                name="regulation_scope_is_unit_or_job_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version} ({self.in_force_from})"

    def save(self, *args, **kwargs):
        self.checksum = text_checksum(self.text)
        super().save(*args, **kwargs)

    @property
    def scope_kind(self) -> str:
        if self.scope_unit_id:
            return "unit"
        if self.scope_job_group:
            return "job_group"
        return "organisation"

    @property
    def scope_label(self) -> str:
        if self.scope_unit_id:
            return str(self.scope_unit)
        if self.scope_job_group:
            return self.scope_job_group
        return str(_("whole organisation"))

    def regulation(self):
        """The parsed regulation; parsed once per process per file text, and kept on the
        instance so that rows sharing the instance do not even look it up again."""
        parsed = self.__dict__.get("_parsed_regulation")
        if parsed is None:
            from .services import regulation_from_text

            parsed = self.__dict__["_parsed_regulation"] = regulation_from_text(
                self.text, self.source_filename
            )
        return parsed


def text_checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
