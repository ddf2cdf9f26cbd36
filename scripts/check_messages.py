"""CI guard for translations: extract the messages of the current code into a
temporary copy of the catalogues and fail when a Dutch translation is missing or
fuzzy. Leaves the committed catalogues untouched. Needs GNU gettext (xgettext)."""

import ast
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "gesprekscyclus" / "locale"


@dataclass
class Entry:
    msgid: str
    msgstrs: list[str]
    fuzzy: bool
    context: str | None = None


def parse_po(path: Path) -> list[Entry]:
    """A small reader for the .po files makemessages writes: one entry per block."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        key, fuzzy = None, False
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith("#") or not line:
                continue
            elif line.startswith('"') and key:
                fields[key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                fields[key] = ast.literal_eval(value)
        if fields.get("msgid"):
            msgstrs = [value for name, value in fields.items() if name.startswith("msgstr")]
            entries.append(Entry(fields["msgid"], msgstrs, fuzzy, fields.get("msgctxt")))
    return entries


def problems(path: Path) -> list[str]:
    found = []
    for entry in parse_po(path):
        if entry.fuzzy:
            found.append(f"fuzzy: {entry.msgid!r}")
        elif not all(entry.msgstrs):
            found.append(f"untranslated: {entry.msgid!r}")
    return found


def main() -> int:
    if shutil.which("xgettext") is None:
        print("check_messages: GNU gettext is not installed; skipping extraction check.")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "locale"
        shutil.copytree(LOCALE, copy)
        env = {**os.environ, "LOCALE_DIR": str(copy), "DJANGO_SETTINGS_MODULE": "gesprekscyclus.conf.ci"}
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "nl",
                "--no-obsolete",
                "-v",
                "0",
                "-i",
                ".venv/*",
                "-i",
                "var/*",
                "-i",
                "tests/*",
                "-i",
                "bench/*",
                "-i",
                "scripts/*",
                "-i",
                "src/gesprekscyclus/locale",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        found = problems(copy / "nl" / "LC_MESSAGES" / "django.po")
    if found:
        print("Dutch translations missing (run `make messages` and translate):")
        for line in found:
            print("  " + line)
        return 1
    print("check_messages: every message has a Dutch translation.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
