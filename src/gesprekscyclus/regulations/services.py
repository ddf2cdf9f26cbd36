"""Storing, activating and choosing regulation versions.

Which version applies to an employee on a day (``RegulationResolver``):

1. a version scoped to a job group that contains the employee's job;
2. else a version scoped to the employee's unit or the nearest unit above it;
3. else the organisation default;

and within that scope, the active version with the latest in-force date on or before the
day. A version that is not yet in force is skipped, so the next scope down applies.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gesprekscyclus.audit.services import audit_record
from gesprekscyclus.organisations.models import Employee, Job, Organisation, OrgUnit

from .loader import RegulationError, load_regulation_text, preset_ids, preset_path
from .models import RegulationVersion, VersionStatus, text_checksum
from .regulation import Regulation


@functools.lru_cache(maxsize=64)
def regulation_from_text(text: str, filename: str) -> Regulation:
    """Parse and validate a regulation file; cached, since versions never change."""
    return load_regulation_text(text, filename)


def read_regulation_source(source: str) -> tuple[str, str]:
    """``(filename, text)`` for a preset id (``heemstede``) or a path to a YAML file."""
    if source in preset_ids():
        path = preset_path(source)
    else:
        path = Path(source)
        if not path.is_file():
            raise RegulationError(
                source,
                [("", _("not a preset (%(presets)s) and not a file") % {"presets": ", ".join(preset_ids())})],
            )
    try:
        return path.name, path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegulationError(
            path.name, [("", _("cannot read the file: %(error)s") % {"error": exc})]
        ) from exc


@dataclass(frozen=True)
class Scope:
    unit: OrgUnit | None = None
    job_group: str = ""
    jobs: tuple[Job, ...] = ()

    def __post_init__(self):
        if self.unit is not None and self.job_group:
            raise ValueError("a regulation applies to a unit or to a job group, not both")
        if bool(self.job_group) != bool(self.jobs):
            raise ValueError("a job group needs a name and at least one job")


ORGANISATION_WIDE = Scope()


@transaction.atomic
def regulation_version_upload(
    *,
    organisation: Organisation,
    filename: str,
    text: str,
    in_force_from: datetime.date,
    scope: Scope = ORGANISATION_WIDE,
    uploaded_by=None,
) -> RegulationVersion:
    """Validate a regulation file and store it as a draft. Raises ``RegulationError``."""
    regulation = regulation_from_text(text, filename)
    version = RegulationVersion.objects.create(
        organisation=organisation,
        regulation_id=regulation.id,
        version=regulation.version,
        name=regulation.name,
        source_filename=filename,
        text=text,
        in_force_from=in_force_from,
        scope_unit=scope.unit,
        scope_job_group=scope.job_group,
        uploaded_by=uploaded_by,
    )
    if scope.jobs:
        version.scope_jobs.set(scope.jobs)
    audit_record(
        action="regulation.uploaded",
        actor=uploaded_by,
        organisation=organisation,
        obj=version,
        details={"regulation": regulation.id, "version": regulation.version, "file": filename},
    )
    return version


@transaction.atomic
def regulation_version_activate(version: RegulationVersion, *, acting_user=None) -> bool:
    """Put a draft in force from its in-force date. Returns False when it already was.

    An active version of the same scope with the same in-force date is withdrawn: the new
    upload replaces it. Cycles opened under it keep it.
    """
    version = RegulationVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)
    if version.status == VersionStatus.ACTIVE:
        return False
    if version.status == VersionStatus.WITHDRAWN:
        raise ValueError("a withdrawn regulation version cannot be activated again; upload it anew")
    for other in _same_scope_and_date(version):
        other.status = VersionStatus.WITHDRAWN
        other.save(update_fields=["status"])
    version.status = VersionStatus.ACTIVE
    version.activated_by = acting_user
    version.activated_at = timezone.now()
    version.save(update_fields=["status", "activated_by", "activated_at"])
    audit_record(
        action="regulation.activated",
        actor=acting_user,
        organisation=version.organisation,
        obj=version,
        details={"in_force_from": version.in_force_from.isoformat(), "scope": version.scope_label},
    )
    return True


def _same_scope_and_date(version: RegulationVersion) -> Iterable[RegulationVersion]:
    candidates = RegulationVersion.objects.filter(
        organisation_id=version.organisation_id,
        status=VersionStatus.ACTIVE,
        in_force_from=version.in_force_from,
        scope_unit_id=version.scope_unit_id,
        scope_job_group=version.scope_job_group,
    ).exclude(pk=version.pk)
    if not version.scope_job_group:
        return list(candidates)
    jobs = set(version.scope_jobs.values_list("id", flat=True))
    return [other for other in candidates if set(other.scope_jobs.values_list("id", flat=True)) == jobs]


@transaction.atomic
def regulation_version_discard(version: RegulationVersion, *, acting_user=None) -> None:
    """Throw away a draft that was never activated."""
    version = RegulationVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise ValueError("only a draft can be discarded")
    audit_record(
        action="regulation.discarded",
        actor=acting_user,
        organisation=version.organisation,
        obj=version,
        details={"regulation": version.regulation_id, "version": version.version},
    )
    version.delete()


@dataclass(frozen=True)
class LoadResult:
    version: RegulationVersion
    created: bool


@transaction.atomic
def regulation_load(
    *,
    organisation: Organisation,
    filename: str,
    text: str,
    in_force_from: datetime.date,
    scope: Scope = ORGANISATION_WIDE,
    acting_user=None,
) -> LoadResult:
    """Upload and activate in one step (the ``load_regulation`` command and the demo).

    Loading the same file for the same scope and date again changes nothing.
    """
    candidates = RegulationVersion.objects.filter(
        organisation=organisation,
        status=VersionStatus.ACTIVE,
        in_force_from=in_force_from,
        scope_unit=scope.unit,
        scope_job_group=scope.job_group,
        checksum=text_checksum(text),
    ).prefetch_related("scope_jobs")
    wanted_jobs = {job.pk for job in scope.jobs}
    for existing in candidates:
        if {job.pk for job in existing.scope_jobs.all()} == wanted_jobs:
            return LoadResult(existing, created=False)
    version = regulation_version_upload(
        organisation=organisation,
        filename=filename,
        text=text,
        in_force_from=in_force_from,
        scope=scope,
        uploaded_by=acting_user,
    )
    regulation_version_activate(version, acting_user=acting_user)
    version.refresh_from_db()
    return LoadResult(version, created=True)


# -- which version applies ---------------------------------------------------------------


class RegulationResolver:
    """Chooses the version for many employees of one organisation with two queries in all."""

    def __init__(self, organisation_id: int):
        versions = list(
            RegulationVersion.objects.filter(organisation_id=organisation_id, status=VersionStatus.ACTIVE)
            .select_related("scope_unit")
            .prefetch_related("scope_jobs")
            .order_by("-in_force_from", "-id")
        )
        self._by_job: dict[int, list[RegulationVersion]] = {}
        self._by_unit_path: dict[str, list[RegulationVersion]] = {}
        self._default: list[RegulationVersion] = []
        for version in versions:
            if version.scope_job_group:
                for job in version.scope_jobs.all():
                    self._by_job.setdefault(job.pk, []).append(version)
            elif version.scope_unit is not None:
                self._by_unit_path.setdefault(version.scope_unit.path, []).append(version)
            else:
                self._default.append(version)

    @property
    def has_any(self) -> bool:
        return bool(self._default or self._by_unit_path or self._by_job)

    def version_for(
        self, *, unit_path: str, job_id: int | None, day: datetime.date
    ) -> RegulationVersion | None:
        if job_id is not None:
            found = _in_force(self._by_job.get(job_id, ()), day)
            if found is not None:
                return found
        # The unit's own path first, then each ancestor: "/1/4/9/" -> "/1/4/" -> "/1/".
        parts = [part for part in unit_path.split("/") if part]
        for depth in range(len(parts), 0, -1):
            found = _in_force(self._by_unit_path.get("/" + "/".join(parts[:depth]) + "/", ()), day)
            if found is not None:
                return found
        return _in_force(self._default, day)


def _in_force(versions: Iterable[RegulationVersion], day: datetime.date) -> RegulationVersion | None:
    # Versions are sorted newest first.
    return next((version for version in versions if version.in_force_from <= day), None)


def regulation_version_for(employee: Employee, day: datetime.date) -> RegulationVersion | None:
    """The version that applies to one employee on ``day`` (see the module docstring)."""
    resolver = RegulationResolver(employee.organisation_id)
    return resolver.version_for(unit_path=employee.unit.path, job_id=employee.job_id, day=day)
