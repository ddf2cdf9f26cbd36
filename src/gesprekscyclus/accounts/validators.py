"""Password rules beyond Django's own: refuse passwords known from breaches.

The bundled list (``data/breached-passwords.txt.gz``, about 20,000 entries; how it is
made is in docs/security.md) holds passwords and the words people build them from. A
password is refused when it *is* such an entry, or becomes one after the usual
disguises are taken off: capitals, a year or number and punctuation at the end, a word
typed twice, and digits standing in for letters ("W3lk0m2024!" is "welkom").
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BREACHED_PASSWORDS = Path(__file__).resolve().parent / "data" / "breached-passwords.txt.gz"

_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s"}
)
_TRAILING = re.compile(r"[\d\W_]+$")
_LEADING = re.compile(r"^[\d\W_]+")


@cache
def _entries(path: str) -> frozenset[str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def _disguises_removed(password: str) -> set[str]:
    lowered = password.lower()
    candidates = {lowered, lowered.replace(" ", "")}
    for candidate in list(candidates):
        bare = _LEADING.sub("", _TRAILING.sub("", candidate))
        candidates.add(bare)
        candidates.add(bare.translate(_LEET))
        candidates.add(candidate.translate(_LEET))
    for candidate in list(candidates):
        half = len(candidate) // 2
        if half and len(candidate) % 2 == 0 and candidate[:half] == candidate[half:]:
            candidates.add(candidate[:half])
    return {candidate for candidate in candidates if candidate}


class BreachedPasswordValidator:
    """Refuse passwords (and simple variations of them) that appear in breaches."""

    def __init__(self, password_list_path: str | Path = BREACHED_PASSWORDS):
        self.password_list_path = str(password_list_path)

    def validate(self, password: str, user=None) -> None:
        entries = _entries(self.password_list_path)
        if any(candidate in entries for candidate in _disguises_removed(password)):
            raise ValidationError(
                _(
                    "This password, or a password very much like it, appears in lists of passwords "
                    "that were stolen in data breaches. Choose another one, for example a sentence "
                    "of four or more words."
                ),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return _("Your password may not appear in lists of passwords stolen in data breaches.")


def axes_username(request, credentials: dict | None = None) -> str:
    """The e-mail address that django-axes counts failures for, in lower case, from the
    password step (``username``) or the code step (which passes it in ``credentials``)."""
    value = (credentials or {}).get("username") or request.POST.get("username") or ""
    return value.strip().lower()
