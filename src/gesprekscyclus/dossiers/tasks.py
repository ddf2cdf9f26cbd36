"""Background tasks of the personnel file: rendering, sealing and filing signed documents.

Both are idempotent: a document that is in the file already is not added again."""

from __future__ import annotations

import logging

from django.db import transaction

from gesprekscyclus.accounts.models import User
from gesprekscyclus.jobs.queue import durable_task

logger = logging.getLogger(__name__)


def _user(user_id: int | None):
    return User.objects.filter(pk=user_id).first() if user_id else None


@durable_task()
def archive_report_version_task(version_id: int, acting_user_id: int | None = None) -> dict:
    """File a fully signed report version (PDF/A, sealed) in the personnel file."""
    from gesprekscyclus.signatures.models import ReportVersion, VersionState

    from .archive import archive_report_version

    with transaction.atomic():
        version = (
            ReportVersion.objects.select_related(
                "conversation__cycle__regulation_version", "conversation__employee"
            )
            .filter(pk=version_id)
            .first()
        )
        if version is None or version.state != VersionState.COMPLETE:
            logger.warning("Report version %s is not complete; nothing to archive", version_id)
            return {"archived": False}
        entry = archive_report_version(version, acting_user=_user(acting_user_id))
    return {"archived": entry is not None, "entry": entry.pk if entry else None}


@durable_task()
def archive_objection_task(objection_id: int, acting_user_id: int | None = None) -> dict:
    """File a decided objection in the personnel file."""
    from gesprekscyclus.assessments.models import Objection, ObjectionStatus

    from .archive import archive_objection

    with transaction.atomic():
        objection = Objection.objects.filter(pk=objection_id).first()
        if objection is None or objection.status != ObjectionStatus.DECIDED:
            logger.warning("Objection %s is not decided; nothing to archive", objection_id)
            return {"archived": False}
        entry = archive_objection(objection, acting_user=_user(acting_user_id))
    return {"archived": entry is not None, "entry": entry.pk if entry else None}
