"""What an event means, in words, for the pages and the export. Unknown actions are shown
as they are stored."""

from django.utils.translation import gettext_lazy as _

from .models import Category

ACTION_LABELS = {
    "auth.login": _("logged in"),
    "auth.logout": _("logged out"),
    "auth.login_failed": _("failed log-in attempt"),
    "auth.locked_out": _("account locked after repeated failed log-ins"),
    "auth.password_changed": _("password changed"),
    "agreement.changed": _("agreement changed"),
    "agreement.created": _("agreement made"),
    "agreement.status": _("agreement status changed"),
    "assessment.responded": _("response to an assessment"),
    "assessment.shown": _("assessment shown to the employee"),
    "attachment.added": _("attachment added"),
    "attachment.removed": _("attachment removed"),
    "competence.saved": _("competence saved"),
    "conversation.cancelled": _("conversation cancelled"),
    "conversation.held": _("conversation held"),
    "conversation.manager_changed": _("conversation moved to another manager"),
    "conversation.planned": _("conversation planned"),
    "conversation.requested": _("conversation requested"),
    "conversation.rescheduled": _("conversation rescheduled"),
    "cycles.opened": _("cycles opened"),
    "delegation.granted": _("someone designated to conduct conversations"),
    "delegation.revoked": _("designation revoked"),
    "department_plan.saved": _("department plan saved"),
    "disagreement.raised": _("disagreement raised"),
    "disagreement.resolved": _("disagreement resolved"),
    "dossier.appended": _("document added to the personnel file"),
    "dossier.purged": _("personnel file document removed after its retention period"),
    "feedback.question_set_saved": _("feedback questions saved"),
    "feedback.requested": _("feedback asked"),
    "feedback.scan_configured": _("development scan set up"),
    "job.profile_changed": _("job profile changed"),
    "objection.decided": _("objection decided"),
    "objection.filed": _("objection filed"),
    "objection.heard": _("objection heard"),
    "organisation.imported": _("organisation imported"),
    "preparation.shared": _("preparation shared"),
    "regulation.activated": _("regulation put in force"),
    "regulation.discarded": _("regulation discarded"),
    "regulation.uploaded": _("regulation uploaded"),
    "report.ready_for_signing": _("report ready for signing"),
    "report.refused": _("signature refused"),
    "report.reopened": _("report reopened"),
    "report.sent_back": _("report sent back"),
    "report.signed": _("report signed"),
    "report.written": _("report written"),
    "role.assigned": _("role assigned"),
    "role.revoked": _("role revoked"),
    "work_plan.established": _("work plan established"),
    "work_plan.reopened": _("work plan reopened"),
    "auditlog.exported": _("audit log exported"),
}

# What a permission opens, for "viewed ..." and "refused ...".
PERMISSION_LABELS = {
    "organisations.view_employee": _("personal details"),
    "organisations.view_orgunit": _("a unit"),
    "organisations.view_departmentplan": _("a department plan"),
    "organisations.change_departmentplan": _("changing a department plan"),
    "organisations.import_organisation": _("the organisation import"),
    "organisations.export_organisation": _("the organisation export"),
    "organisations.assign_roles": _("the roles"),
    "organisations.search_employees": _("the employee search"),
    "cycles.view_schedule": _("the conversation cycle"),
    "conversations.view_conversation": _("a conversation"),
    "conversations.read_report": _("a conversation report"),
    "conversations.read_attachment": _("an attachment"),
    "conversations.take_part": _("a conversation (as a participant)"),
    "agreements.view_agreement": _("an agreement"),
    "dossiers.read_entry": _("a document in the personnel file"),
    "regulations.manage_regulations": _("the regulations"),
    "audit.view_auditlog": _("the audit log"),
}

# What a list read showed (``read:<list>``, recorded by ``audit_list_read``).
LIST_LABELS = {
    "core.overview.team": _("the team on the overview page"),
    "organisations.employees.list": _("the employee search"),
    "organisations.unit_members.list": _("the members of a unit"),
    "organisations.employees.export": _("the organisation export"),
    "cycles.team.list": _("the team overview"),
    "compliance.dashboard.list": _("the overdue and probation lists of the dashboard"),
    "compliance.overdue.export": _("the export of overdue employees"),
    "audit.search.list": _("the audit log"),
}

PREFIXES = {
    "read:": _("viewed: %(what)s"),
    "denied:": _("refused: %(what)s"),
}


def describe(action: str) -> str:
    """``conversation.held`` → "conversation held"; ``read:conversations.read_report`` →
    "viewed: a conversation report"."""
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    for prefix, template in PREFIXES.items():
        if action.startswith(prefix):
            permission = action[len(prefix) :]
            what = PERMISSION_LABELS.get(permission) or LIST_LABELS.get(permission, permission)
            return str(template) % {"what": what}
    return action


CATEGORY_LABELS = dict(Category.choices)
