"""Checking uploaded documents: the name's type, the content's real type, and the size.

A file is accepted only when its extension is allowed *and* its first bytes match that
type, so a renamed executable is refused with the same clear message as a wrong type.
"""

from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word, Excel and PowerPoint before 2007
_ZIP = b"PK\x03\x04"  # OOXML and OpenDocument

# extension -> (content type, accepted leading bytes)
DOCUMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".doc": ("application/msword", (_OLE,)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)),
    ".xls": ("application/vnd.ms-excel", (_OLE,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    ".ppt": ("application/vnd.ms-powerpoint", (_OLE,)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (_ZIP,)),
    ".odt": ("application/vnd.oasis.opendocument.text", (_ZIP,)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (_ZIP,)),
    ".odp": ("application/vnd.oasis.opendocument.presentation", (_ZIP,)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
}


class UploadRefused(ValueError):
    """The message says what is wrong with which file, for the person who uploaded it."""


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int


def check_document(upload, *, max_bytes: int) -> CheckedUpload:
    """Accept PDF, Office/OpenDocument files and images up to ``max_bytes``."""
    name = Path(upload.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in DOCUMENT_TYPES:
        raise UploadRefused(
            _(
                "%(name)s: this type of file is not accepted; "
                "use PDF, an Office document or an image (%(types)s)."
            )
            % {"name": name, "types": ", ".join(sorted(DOCUMENT_TYPES))}
        )
    if upload.size > max_bytes:
        raise UploadRefused(
            _("%(name)s is larger than %(limit)s MB.") % {"name": name, "limit": max_bytes // (1024 * 1024)}
        )
    if upload.size == 0:
        raise UploadRefused(_("%(name)s is empty.") % {"name": name})
    content_type, signatures = DOCUMENT_TYPES[suffix]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise UploadRefused(
            _("%(name)s does not contain what its name says (%(suffix)s); it was not accepted.")
            % {"name": name, "suffix": suffix}
        )
    return CheckedUpload(name=name, content_type=content_type, size=upload.size)
