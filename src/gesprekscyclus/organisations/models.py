"""The organisation: units in a tree, jobs, competences, employees and roles.

Writes go through ``services.py`` (and ``importer.py`` for bulk), reads through
``selectors.py``. Who may see what is decided in ``gesprekscyclus.access``.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrgUnit(models.Model):
    """A sector, department (afdeling) or team. ``path`` is the materialised path of
    primary keys from the root (``/3/17/42/``), so a subtree is one indexed prefix
    query whatever the depth."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    head = models.ForeignKey(
        "Employee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_units",
        verbose_name=_("head"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="unit_code_unique_per_organisation"
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_its_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]


class Competence(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="competences")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    indicators = models.TextField(
        _("behavioural indicators"), blank=True, help_text=_("One indicator per line.")
    )
    # Indicators per proficiency level: {"1": [...], "2": [...], "3": [...]}.
    level_indicators = models.JSONField(_("indicators per level"), default=dict, blank=True)

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="competence_name_unique_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name

    LEVELS = (("1", _("basic")), ("2", _("advanced")), ("3", _("expert")))

    @property
    def levels(self) -> list[tuple[str, list[str]]]:
        return [
            (label, self.level_indicators.get(key, []))
            for key, label in self.LEVELS
            if self.level_indicators.get(key)
        ]

    @property
    def indicator_list(self) -> list[str]:
        return [line.strip() for line in self.indicators.splitlines() if line.strip()]


class Job(models.Model):
    """A job (functie) with its description and competence profile."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="jobs")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("job description"), blank=True)
    competences = models.ManyToManyField(
        Competence, blank=True, related_name="jobs", verbose_name=_("competence profile")
    )

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "title"], name="job_title_unique_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Appointment(models.TextChoices):
    PERMANENT = "permanent", _("permanent")
    TEMPORARY = "temporary", _("temporary")
    PROBATION = "probation", _("on probation")


class Employee(models.Model):
    """A person employed by an organisation.

    ``manager`` is derived (see ``services.employees_refresh_managers``): the explicit
    manager when one is set, otherwise the head of the unit, or for the head itself the
    nearest head above. It is stored so that "my team" is one indexed query.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="employees")
    personnel_number = models.CharField(_("personnel number"), max_length=50)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="members", verbose_name=_("unit")
    )
    job = models.ForeignKey(
        Job,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employees",
        verbose_name=_("job"),
    )
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    employment_start = models.DateField(_("employment start"))
    employment_end = models.DateField(_("employment end"), null=True, blank=True)
    appointment = models.CharField(
        _("appointment"), max_length=20, choices=Appointment.choices, default=Appointment.PERMANENT
    )
    probation_end = models.DateField(_("end of probation"), null=True, blank=True)
    explicit_manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="explicit_reports",
        verbose_name=_("explicit manager"),
    )
    manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        editable=False,
        verbose_name=_("manager"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["last_name", "first_name", "personnel_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "personnel_number"],
                name="personnel_number_unique_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(employment_end__isnull=True)
                | Q(employment_end__gte=models.F("employment_start")),
                name="employment_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=(Q(appointment="probation") & Q(probation_end__isnull=False))
                | (~Q(appointment="probation") & Q(probation_end__isnull=True)),
                name="probation_end_only_and_always_on_probation",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | (Q(hours_per_week__gt=0) & Q(hours_per_week__lte=60)),
                name="hours_per_week_in_range",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "last_name"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.personnel_number})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def is_employed_on(self, day: datetime.date) -> bool:
        if day < self.employment_start:
            return False
        return self.employment_end is None or day <= self.employment_end

    @property
    def is_leaver(self) -> bool:
        return self.employment_end is not None and self.employment_end < datetime.date.today()


class Role(models.TextChoices):
    DIRECTOR = "director", _("director")
    HR_ADVISER = "hr_adviser", _("HR adviser")
    HR_ADMIN = "hr_admin", _("HR administrator")


class RoleAssignment(models.Model):
    """A role a user holds beyond being an employee: director or HR adviser over a unit
    (and everything below it), or HR administrator of the whole organisation. Manager
    is not a role here: it follows from being the head of a unit or an explicit manager.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("unit"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="hr_admin") & Q(unit__isnull=True))
                | (~Q(role="hr_admin") & Q(unit__isnull=False)),
                name="unit_roles_have_a_unit_admin_has_none",
            ),
            models.UniqueConstraint(fields=["user", "role", "unit"], name="role_assignment_unique"),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(role="hr_admin"),
                name="hr_admin_once_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id else self.organisation.name
        return f"{self.user} — {self.get_role_display()} — {where}"


def department_plan_upload_to(instance: "DepartmentPlan", filename: str) -> str:
    return f"department-plans/{instance.unit.organisation_id}/{instance.unit_id}/{filename}"


class DepartmentPlan(models.Model):
    """The plan of a unit for a year (afdelingsplan): the source of results."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("plan"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to=department_plan_upload_to, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("department plan")
        verbose_name_plural = _("department plans")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_plan_per_unit_and_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="plan_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.year}"


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("previewed")
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    APPLIED = "applied", _("applied")
    FAILED = "failed", _("failed")
    DISCARDED = "discarded", _("discarded")


class OrganisationImport(models.Model):
    """An uploaded import, kept from preview to confirmation (and afterwards as a record
    of who imported what)."""

    organisation_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    units_filename = models.CharField(max_length=255)
    units_content = models.BinaryField()
    employees_filename = models.CharField(max_length=255)
    employees_content = models.BinaryField()
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation_name} {self.created_at:%Y-%m-%d %H:%M}"
