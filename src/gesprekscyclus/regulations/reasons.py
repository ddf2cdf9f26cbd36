"""The cycle engine's reasons as text, and the ``schedule --format json`` contract.

``engine.py`` stays free of Django and describes each item's reason as ``Phrase`` data.
This module renders those phrases in a language through Django's gettext catalogue, so
the Dutch wording has one source: ``locale/nl/LC_MESSAGES/django.po``. English is the
message ids themselves.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy, ngettext

from gesprekscyclus.regulations.engine import (
    Amount,
    AnchorRef,
    DueItem,
    PartyRef,
    Phrase,
    PhraseValue,
)
from gesprekscyclus.regulations.regulation import Label

_ANCHORS = {
    "period_start": gettext_lazy("the period start"),
    "period_midpoint": gettext_lazy("the middle of the period"),
    "period_end": gettext_lazy("the period end"),
    "employment_start": gettext_lazy("the employment start"),
    "probation_end": gettext_lazy("the end of probation"),
}
_PARTIES = {
    "employee": gettext_lazy("employee"),
    "manager": gettext_lazy("manager"),
    "either": gettext_lazy("employee or manager"),
}


def render_reason(item_or_phrases: DueItem | Sequence[Phrase], language: str) -> str:
    """An item's reason (or any phrases) as one text in ``language``, sentences joined by spaces."""
    phrases = item_or_phrases.reason if isinstance(item_or_phrases, DueItem) else item_or_phrases
    with translation.override(language):
        return " ".join(_render(phrase, language) for phrase in phrases)


def item_reason(item: DueItem, language: str | None = None) -> str:
    """The item's reason in ``language``, by default the active language."""
    return render_reason(item, language or translation.get_language() or settings.LANGUAGE_CODE)


def schedule_to_json(items: Sequence[DueItem]) -> list[dict[str, Any]]:
    """The stable ``schedule --format json`` shape: one object per item, dates in ISO,
    the reason in English (``reason``) and Dutch (``reason_nl``)."""
    return [
        {
            "kind": item.kind,
            "sequence": item.sequence,
            "count": item.count,
            "due_from": item.due_from.isoformat(),
            "due_by": item.due_by.isoformat(),
            "status": item.status,
            "initiative": item.initiative,
            "reason": render_reason(item, "en"),
            "reason_nl": render_reason(item, "nl"),
            "held_on": item.held_on.isoformat() if item.held_on else None,
        }
        for item in items
    ]


def _render(phrase: Phrase, language: str) -> str:
    """``phrase`` in the active language; ``language`` picks the side of regulation labels."""
    text = gettext(phrase.msgid)
    if not phrase.params:
        return text
    return text % {name: _render_value(value, language) for name, value in phrase.params}


def _render_value(value: PhraseValue, language: str) -> str:
    if isinstance(value, Phrase):
        return _render(value, language)
    if isinstance(value, Label):
        return value.nl if language.startswith("nl") else value.en
    if isinstance(value, Amount):
        return _amount(value)
    if isinstance(value, AnchorRef):
        return str(_ANCHORS[value.anchor])
    if isinstance(value, PartyRef):
        return str(_PARTIES[value.party])
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _amount(amount: Amount) -> str:
    if amount.unit == "month":
        text = ngettext("%(counter)s month", "%(counter)s months", amount.number)
    else:
        text = ngettext("%(counter)s day", "%(counter)s days", amount.number)
    return text % {"counter": amount.number}


def label_text(label: Label | None, language: str | None = None) -> str:
    """A regulation label in ``language`` (default: the active language); Dutch for any
    ``nl`` variant, English otherwise."""
    if label is None:
        return ""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return label.nl if language.startswith("nl") else label.en


ROLE_LABELS = {
    "employee": gettext_lazy("the employee"),
    "manager": gettext_lazy("the manager"),
    "delegate": gettext_lazy("the designated person"),
    "skip_level_manager": gettext_lazy("the manager's manager"),
    "director": gettext_lazy("the director"),
    "hr_adviser": gettext_lazy("the HR adviser"),
    "hr_admin": gettext_lazy("the HR administrator"),
}


def roles_text(roles) -> str:
    """Regulation role ids in words: ``hr_adviser`` -> "the HR adviser"."""
    return ", ".join(str(ROLE_LABELS.get(role, role)) for role in roles)
