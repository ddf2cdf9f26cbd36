"""Turns the engine's due items into rows for pages, in the active language."""

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gesprekscyclus.regulations.engine import DueItem
from gesprekscyclus.regulations.reasons import label_text, render_reason
from gesprekscyclus.regulations.regulation import Regulation

STATUS_LABELS = {
    "not_yet": _("not yet"),
    "due": _("due now"),
    "overdue": _("overdue"),
    "done": _("held"),
    "waived": _("waived"),
}
INITIATIVE_LABELS = {
    "employee": _("employee"),
    "manager": _("manager"),
    "either": _("employee or manager"),
}


def _language() -> str:
    return "nl" if (get_language() or "nl").startswith("nl") else "en"


@dataclass
class ItemRow:
    item: DueItem
    label: str
    status_label: str
    initiative_label: str
    reason: str
    can_plan: bool = False

    @property
    def status(self) -> str:
        return self.item.status


def item_rows(regulation: Regulation, items: list[DueItem]) -> list[ItemRow]:
    language = _language()
    rows = []
    for item in items:
        label = label_text(regulation.kind(item.kind).label)
        if item.count > 1:
            label = f"{label} ({item.sequence}/{item.count})"
        rows.append(
            ItemRow(
                item=item,
                label=label,
                status_label=str(STATUS_LABELS[item.status]),
                initiative_label=str(INITIATIVE_LABELS[item.initiative]),
                reason=render_reason(item, language),
            )
        )
    return rows


SIGNER_LABELS = {"employee": _("employee"), "manager": _("manager"), "delegate": _("designated person")}
STATEMENT_LABELS = {"voor_akkoord": _("for agreement"), "voor_gezien": _("for acknowledgement")}
RECORDING_LABELS = {"structured": _("structured form"), "free_text": _("free text")}


def signatures_text(signatures) -> str:
    return ", ".join(
        f"{SIGNER_LABELS[signature.role]} ({STATEMENT_LABELS[signature.statement]})"
        for signature in signatures
    )
