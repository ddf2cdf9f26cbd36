"""Add Dutch translations and recompile the catalogues, one writer at a time.

    python scripts/add_translations.py translations.json

``translations.json`` maps an English msgid to its Dutch text (``{"Save": "Opslaan"}``;
for a plural, the value is a list ``["1 dag", "%(n)s dagen"]``; for a context, the key is
``"context\\u0004msgid"``). The script extracts the messages of the current code
(makemessages), fills the Dutch ones it is given, clears their fuzzy flags and compiles.
A lock file makes concurrent runs wait for each other, so no run loses another's work.
Needs GNU gettext and polib (``pip install polib``)."""

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "src" / "gesprekscyclus" / "locale" / "nl" / "LC_MESSAGES" / "django.po"
PYTHON = ROOT / ".venv" / "bin" / "python"
ENV = {**os.environ, "DEBUG": "true"}


def manage(*args: str) -> None:
    command = [str(PYTHON), "manage.py", *args]
    subprocess.run(command, cwd=ROOT, env=ENV, check=True, capture_output=True)  # noqa: S603


def main(path: str) -> int:
    translations = json.loads(Path(path).read_text(encoding="utf-8"))
    with open(ROOT / "var" / "messages.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        manage(
            "makemessages", "-l", "nl", "-l", "en", "--no-obsolete",
            "-i", ".venv/*", "-i", "var/*", "-i", "tests/*", "-i", "bench/*",
        )  # fmt: skip
        catalogue = polib.pofile(str(PO))
        missing = []
        for key, value in translations.items():
            context, _, msgid = key.rpartition("\x04")
            entry = catalogue.find(msgid, msgctxt=context or False)
            if entry is None:
                missing.append(key)
                continue
            if isinstance(value, list):
                entry.msgstr_plural = dict(enumerate(value))
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        catalogue.save()
        manage("compilemessages", "-i", ".venv")
    for key in missing:
        print(f"not in the code (yet): {key!r}", file=sys.stderr)
    untranslated = [e.msgid for e in polib.pofile(str(PO)).untranslated_entries()]
    added = len(translations) - len(missing)
    print(f"{added} translations added; {len(untranslated)} messages still untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
