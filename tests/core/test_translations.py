"""The committed Dutch catalogue is complete and its compiled .mo matches it (so a
fresh clone shows Dutch without running gettext)."""

import gettext
from pathlib import Path

from django.conf import settings

from scripts.check_messages import parse_po, problems

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "nl" / "LC_MESSAGES"


def test_every_dutch_message_is_translated():
    assert problems(CATALOGUE / "django.po") == []


def test_compiled_catalogue_matches_the_po_file():
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    def compiled_text(entry):
        if entry.context:
            return compiled.pgettext(entry.context, entry.msgid)
        return compiled.gettext(entry.msgid)

    stale = [
        entry.msgid
        for entry in parse_po(CATALOGUE / "django.po")
        if "%(counter)s" not in entry.msgid and compiled_text(entry) != entry.msgstrs[0]
    ]
    assert stale == [], "run `make messages` to recompile the .mo file"
