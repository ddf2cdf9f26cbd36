"""The canonical content of a report: exactly what signers see, serialised so that the
same content always gives the same bytes and so the same SHA-256.

Serialisation: JSON, keys sorted, no insignificant whitespace, UTF-8 (not ASCII-escaped),
dates as ISO 8601, attachments by name, size and SHA-256 of their bytes.
"""

from __future__ import annotations

import hashlib
import json

from django.utils import timezone

from gesprekscyclus.agreements.models import Agreement
from gesprekscyclus.assessments.models import Assessment
from gesprekscyclus.conversations.models import Conversation, Report

FORMAT = "gesprekscyclus-report/1"


def _person(employee) -> dict:
    return {
        "name": employee.full_name,
        "personnel_number": employee.personnel_number,
        "email": employee.email,
    }


def _file_hash(field) -> str:
    digest = hashlib.sha256()
    with field.open("rb") as handle:
        for chunk in iter(lambda: handle.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()


def report_content(conversation: Conversation) -> dict:
    regulation = conversation.cycle.regulation_version.regulation()
    kind = regulation.kind(conversation.kind)
    report = Report.objects.filter(conversation=conversation).first()
    agreements = (
        (
            Agreement.objects.filter(made_in=conversation)
            | Agreement.objects.filter(changes__conversation=conversation)
        )
        .distinct()
        .order_by("deadline", "id")
    )
    form = regulation.form(kind.recording.form) if kind.recording.form else None
    answers = []
    if form is not None and report is not None:
        for section in form.sections:
            for item in section.items:
                if report.answers.get(item.id) and item.id not in report.withheld_items:
                    answers.append(
                        {"item": item.id, "label": item.label.nl, "answer": report.answers[item.id]}
                    )
    content = {
        "format": FORMAT,
        "organisation": conversation.organisation.name,
        "regulation": {"id": regulation.id, "version": regulation.version, "name": regulation.name},
        "conversation": {
            "id": conversation.pk,
            "kind": kind.id,
            "label": kind.label.nl,
            "combined_with": list(conversation.combined_with),
            "held_on": conversation.held_on.isoformat() if conversation.held_on else None,
            "planned_for": timezone.localtime(conversation.starts_at).isoformat(),
            "period": [
                conversation.cycle.period_start.isoformat(),
                conversation.cycle.period_end.isoformat(),
            ],
        },
        "employee": _person(conversation.employee),
        "conductor": _person(conversation.conductor),
        "report": {
            "text": report.text if report else "",
            "answers": answers,
            "improvement_points": bool(report and report.improvement_points),
        },
        "agreements": [
            {
                "kind": agreement.kind,
                "description": agreement.description,
                "indicator": agreement.indicator,
                "target": agreement.target,
                "deadline": agreement.deadline.isoformat(),
                "status": agreement.status,
            }
            for agreement in agreements
        ],
        "attachments": [
            {"filename": attachment.filename, "size": attachment.size, "sha256": _file_hash(attachment.file)}
            for attachment in conversation.attachments.order_by("uploaded_at", "id")
        ],
        "signatures_required": [
            {"role": signature.role, "statement": signature.statement} for signature in kind.signatures
        ],
    }
    assessment = Assessment.objects.filter(conversation=conversation).select_related("replaces").first()
    if assessment is not None and regulation.assessment is not None:
        scale = {value.value: value.label.nl for value in regulation.assessment.scale}
        content["assessment"] = {
            "ratings": [
                {
                    "aspect": aspect.id,
                    "label": aspect.label.nl,
                    "value": assessment.ratings.get(aspect.id),
                    "value_label": scale.get(assessment.ratings.get(aspect.id), ""),
                }
                for aspect in regulation.assessment.aspects
            ],
            "overall": {"value": assessment.overall, "label": scale.get(assessment.overall, "")},
            "motivation": assessment.motivation,
            "response": assessment.response,
            "replaces_conversation": assessment.replaces.conversation_id if assessment.replaces else None,
        }
    return content


def canonical(content: dict) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
