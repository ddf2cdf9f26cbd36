"""Turning a fully signed report version into a personnel-file entry: PDF/A rendered by
WeasyPrint, sealed with the organisation's certificate, appended to the chain."""

from __future__ import annotations

import weasyprint
from django.template.loader import render_to_string
from django.utils import timezone, translation

from gesprekscyclus.signatures.content import canonical

from .models import DossierEntry
from .seal import seal_pdf
from .services import dossier_append, dossier_entry_with_content

# PDF/A-3a: archival (PDF/A-3) and accessible level A - tagged, with the logical structure
# and reading order a screen reader needs, and text as Unicode.
PDF_VARIANT = "pdf/a-3a"


def render_pdf(content: dict) -> bytes:
    with translation.override("nl"):
        html = render_to_string("dossiers/report_pdf.html", {"content": content})
    return weasyprint.HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)


def archive_report_version(version, *, acting_user=None) -> DossierEntry | None:
    """Archive a complete version when the regulation puts reports of its kind in the
    personnel file; returns the entry (or None when the regulation keeps it out).

    Idempotent (it runs as a background task, which may run again): a version that is in
    the file already is not rendered or added again."""
    conversation = version.conversation
    regulation = conversation.cycle.regulation_version.regulation()
    document = "assessment" if "assessment" in version.content else "report"
    rule = regulation.archiving.rule_for(document, conversation.kind)
    if rule is None or not rule.personnel_file:
        return None
    content = dict(version.content)
    content["version"] = version.number
    content["content_hash"] = version.content_hash
    content["signatures"] = [
        {
            "role": signature.role,
            "statement": signature.statement,
            "name": signature.signer_name,
            "signed_at": signature.signed_at.isoformat(),
            "content_hash": signature.content_hash,
            "remark": signature.remark,
            "refused": signature.refused,
            "refusal_reason": signature.refusal_reason,
            "recorded_by": signature.recorded_by.get_full_name() if signature.recorded_by else None,
        }
        for signature in version.signatures.select_related("recorded_by").order_by("signed_at", "id")
    ]
    content_json = canonical(content)
    existing = dossier_entry_with_content(employee=conversation.employee, content_json=content_json)
    if existing is not None:
        return existing
    pdf = seal_pdf(render_pdf(content), reason=f"Personeelsdossier: {content['conversation']['label']}")
    return dossier_append(
        employee=conversation.employee,
        document=document,
        title=content["conversation"]["label"],
        document_date=conversation.held_on or version.completed_at.date(),
        content_json=content_json,
        pdf=pdf,
        retention_after=rule.retention.after,
        retention_months=rule.retention.years * 12 + rule.retention.months,
        conversation=conversation,
        acting_user=acting_user,
        once=True,
    )


def archive_objection(objection, *, acting_user=None) -> DossierEntry | None:
    """A decided objection (grounds, hearing, decision and motivation) goes into the file
    when the regulation's archiving rule for ``objection`` says so."""
    conversation = objection.assessment.conversation
    regulation = conversation.cycle.regulation_version.regulation()
    rule = regulation.archiving.rule_for("objection", conversation.kind)
    if rule is None or not rule.personnel_file:
        return None
    employee = conversation.employee
    content = {
        "format": "gesprekscyclus-objection/1",
        "organisation": conversation.organisation.name,
        "employee": {"name": employee.full_name, "personnel_number": employee.personnel_number},
        "assessment_conversation": conversation.pk,
        "filed_at": objection.filed_at.isoformat(),
        "grounds": objection.grounds,
        "attachments": [
            {"filename": item.filename, "size": item.size} for item in objection.attachments.all()
        ],
        "heard_at": objection.heard_at.isoformat() if objection.heard_at else None,
        "hearing_notes": objection.hearing_notes,
        "decision": objection.decision,
        "decision_motivation": objection.decision_motivation,
        "decided_at": objection.decided_at.isoformat() if objection.decided_at else None,
        "decided_by": objection.decided_by.get_full_name() if objection.decided_by else None,
    }
    content_json = canonical(content)
    existing = dossier_entry_with_content(employee=employee, content_json=content_json)
    if existing is not None:
        return existing  # archived already (the task ran before)
    with translation.override("nl"):
        html = render_to_string("dossiers/objection_pdf.html", {"content": content})
    pdf = seal_pdf(
        weasyprint.HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT), reason="Personeelsdossier: bezwaar"
    )
    return dossier_append(
        employee=employee,
        document="objection",
        title="Bezwaar tegen de beoordeling",
        document_date=timezone.localdate(objection.decided_at),
        content_json=content_json,
        pdf=pdf,
        retention_after=rule.retention.after,
        retention_months=rule.retention.years * 12 + rule.retention.months,
        conversation=conversation,
        acting_user=acting_user,
        once=True,
    )
