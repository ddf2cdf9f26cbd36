"""Attachments to a conversation's report: which files are accepted (``check_document``:
the extension, the first bytes and the size) and when the regulation and the report's
state allow adding or removing them."""

import datetime
import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from gesprekscyclus.audit.models import AuditEvent
from gesprekscyclus.conversations.models import Attachment, Status
from gesprekscyclus.conversations.services import (
    Refused,
    attachment_add,
    attachment_remove,
    conversation_cancel,
    conversation_plan,
    report_approve,
    report_finish,
    report_save,
)
from gesprekscyclus.core.uploads import DOCUMENT_TYPES, UploadRefused, check_document
from tests.conversations.conftest import at

pytestmark = pytest.mark.usefixtures("english", "media")

MB = 1024 * 1024


def office_file(main_part: str) -> bytes:
    """A minimal OOXML package (a ZIP, as Word and PowerPoint write it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr(main_part, "<document/>")
    return buffer.getvalue()


def png_file() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
DOCX = office_file("word/document.xml")
PPTX = office_file("ppt/presentation.xml")
PNG = png_file()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# -- check_document --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("werkplan.pdf", PDF, "application/pdf"),
        ("werkplan.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (
            "presentatie.pptx",
            PPTX,
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("schema.png", PNG, "image/png"),
        ("SCAN.PDF", PDF, "application/pdf"),
    ],
)
def test_documents_and_images_are_accepted(name, content, content_type):
    checked = check_document(upload(name, content), max_bytes=MB)

    assert (checked.name, checked.content_type, checked.size) == (name, content_type, len(content))


def test_an_executable_is_refused_by_its_type(english):
    with pytest.raises(UploadRefused) as refused:
        check_document(upload("setup.exe", EXE), max_bytes=MB)

    message = str(refused.value)
    assert message.startswith("setup.exe: this type of file is not accepted")
    assert ".pdf" in message and ".docx" in message


@pytest.mark.parametrize("name", ["README", "werkplan.pdf.exe", "script.js", "archief.zip"])
def test_other_types_are_refused_whatever_they_contain(name):
    with pytest.raises(UploadRefused, match="this type of file is not accepted"):
        check_document(upload(name, PDF), max_bytes=MB)


@pytest.mark.parametrize(
    "name, content",
    [("werkplan.pdf", EXE), ("werkplan.docx", PDF), ("foto.png", DOCX), ("verslag.pdf", b"Gewoon tekst")],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused_by_name(name, content):
    with pytest.raises(UploadRefused) as refused:
        check_document(upload(name, content), max_bytes=MB)

    suffix = name[name.rindex(".") :]
    assert (
        str(refused.value) == f"{name} does not contain what its name says ({suffix}); it was not accepted."
    )


def test_a_file_over_the_limit_is_refused_and_one_at_the_limit_accepted():
    with pytest.raises(UploadRefused) as refused:
        check_document(upload("groot.pdf", PDF + b"0" * (MB - len(PDF) + 1)), max_bytes=MB)
    assert str(refused.value) == "groot.pdf is larger than 1 MB."

    assert check_document(upload("precies.pdf", PDF + b"0" * (MB - len(PDF))), max_bytes=MB).size == MB


def test_an_empty_file_is_refused():
    with pytest.raises(UploadRefused, match="leeg.pdf is empty."):
        check_document(upload("leeg.pdf", b""), max_bytes=MB)


def test_checking_leaves_the_file_ready_to_be_stored_from_the_start():
    document = upload("werkplan.pdf", PDF)
    document.read(3)

    check_document(document, max_bytes=MB)

    assert document.read() == PDF


SUFFIXES = sorted(DOCUMENT_TYPES)


@hypothesis_settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(suffix=st.sampled_from(SUFFIXES), content=st.binary(min_size=1, max_size=64), signed=st.booleans())
def test_an_allowed_name_is_accepted_exactly_when_the_content_starts_with_its_signature(
    suffix, content, signed
):
    content_type, signatures = DOCUMENT_TYPES[suffix]
    if signed:
        content = signatures[0] + content
    name = f"bijlage{suffix}"

    matches = any(content.startswith(signature) for signature in signatures)
    try:
        checked = check_document(upload(name, content), max_bytes=MB)
    except UploadRefused as refused:
        assert not matches
        assert name in str(refused)
    else:
        assert matches
        assert checked.content_type == content_type
        assert checked.size == len(content)


@hypothesis_settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    stem=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=12),
    suffix=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=0, max_size=5),
    signature=st.sampled_from([signatures[0] for _type, signatures in DOCUMENT_TYPES.values()]),
)
def test_a_name_without_an_allowed_extension_is_refused_even_with_a_good_signature(stem, suffix, signature):
    name = f"{stem}.{suffix}" if suffix else stem
    assume(f".{suffix}" not in DOCUMENT_TYPES)

    with pytest.raises(UploadRefused, match="this type of file is not accepted"):
        check_document(upload(name, signature + b"rest"), max_bytes=MB)


@hypothesis_settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(suffix=st.sampled_from(SUFFIXES), flips=st.lists(st.booleans(), min_size=5, max_size=5))
def test_the_extension_is_read_case_insensitively(suffix, flips):
    spelled = "".join(
        letter.upper() if flip else letter for letter, flip in zip(suffix, flips + [False] * 5, strict=False)
    )
    content_type, signatures = DOCUMENT_TYPES[suffix]

    checked = check_document(upload(f"Bijlage{spelled}", signatures[0] + b"inhoud"), max_bytes=MB)

    assert checked.content_type == content_type


# -- attaching to a conversation -------------------------------------------------------------


def test_a_participant_attaches_a_document_to_the_report(cast, held_planning):
    attachment = attachment_add(
        held_planning, upload=upload("werkplan.pdf", PDF), acting_user=cast.user("employee")
    )

    stored = Attachment.objects.get(pk=attachment.pk)
    assert (stored.filename, stored.content_type, stored.size) == (
        "werkplan.pdf",
        "application/pdf",
        len(PDF),
    )
    assert stored.uploaded_by == cast.user("employee")
    with stored.file.open("rb") as handle:
        assert handle.read() == PDF
    # The stored name does not reveal the original one.
    assert "werkplan" not in stored.file.name
    assert AuditEvent.objects.filter(action="attachment.added").count() == 1


def test_both_sides_may_attach_before_and_after_the_conversation(cast, planning, hold):
    attachment_add(planning, upload=upload("agenda.docx", DOCX), acting_user=cast.user("manager"))
    hold(planning)
    attachment_add(planning, upload=upload("schema.png", PNG), acting_user=cast.user("employee"))

    assert sorted(Attachment.objects.values_list("filename", flat=True)) == ["agenda.docx", "schema.png"]


def test_a_disguised_file_is_refused_with_its_name_and_nothing_is_stored(cast, held_planning, media):
    with pytest.raises(Refused) as refused:
        attachment_add(held_planning, upload=upload("werkplan.pdf", EXE), acting_user=cast.user("employee"))

    assert (
        str(refused.value) == "werkplan.pdf does not contain what its name says (.pdf); it was not accepted."
    )
    assert not Attachment.objects.exists()
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_an_executable_is_refused(cast, held_planning):
    with pytest.raises(Refused, match="setup.exe: this type of file is not accepted"):
        attachment_add(held_planning, upload=upload("setup.exe", EXE), acting_user=cast.user("employee"))


def test_the_size_limit_comes_from_the_settings(cast, held_planning, settings):
    settings.ATTACHMENT_MAX_BYTES = 2 * MB

    with pytest.raises(Refused, match="scan.pdf is larger than 2 MB."):
        attachment_add(
            held_planning, upload=upload("scan.pdf", PDF + b"0" * (2 * MB)), acting_user=cast.user("employee")
        )
    attachment_add(held_planning, upload=upload("klein.pdf", PDF), acting_user=cast.user("employee"))

    assert list(Attachment.objects.values_list("filename", flat=True)) == ["klein.pdf"]


def test_someone_outside_the_conversation_cannot_attach(cast, held_planning):
    for name in ("colleague", "director", "hr_adviser"):
        with pytest.raises(Refused, match="Only the employee and the person conducting"):
            attachment_add(held_planning, upload=upload("werkplan.pdf", PDF), acting_user=cast.user(name))
    assert not Attachment.objects.exists()


def test_a_kind_without_attachments_refuses_them(cast, zaanstad_cycle):
    # Zaanstad assessment: recording.attachments false; the manager's initiative, due from 1 October.
    assessment = conversation_plan(
        cycle=zaanstad_cycle,
        kind="assessment",
        starts_at=at(datetime.date(2026, 10, 12)),
        location="Stadhuis",
        acting_user=cast.user("manager"),
        today=datetime.date(2026, 10, 5),
    )

    with pytest.raises(Refused) as refused:
        attachment_add(assessment, upload=upload("beoordeling.pdf", PDF), acting_user=cast.user("manager"))

    assert str(refused.value) == "This regulation does not allow attachments for this conversation."


def test_zaanstads_regular_conversation_takes_attachments(cast, zaanstad_cycle):
    check_in = conversation_plan(
        cycle=zaanstad_cycle,
        kind="check_in",
        starts_at=at(datetime.date(2026, 1, 20)),
        location="Stadhuis",
        acting_user=cast.user("employee"),
        today=datetime.date(2026, 1, 5),
    )

    attachment = attachment_add(
        check_in, upload=upload("notities.pdf", PDF), acting_user=cast.user("employee")
    )
    assert attachment.conversation == check_in


def test_an_attachment_alone_is_enough_to_finish_the_report(cast, held_planning):
    # Heemstede planning: the form is not required ("Het is niet verplicht de formulieren te
    # gebruiken"), so a scanned work plan is a report.
    attachment_add(held_planning, upload=upload("werkplan.pdf", PDF), acting_user=cast.user("employee"))

    report_finish(held_planning, acting_user=cast.user("employee"))

    held_planning.refresh_from_db()
    assert held_planning.status == Status.REPORT_WRITTEN


def test_a_participant_removes_an_attachment_and_its_file(cast, held_planning):
    attachment = attachment_add(
        held_planning, upload=upload("werkplan.pdf", PDF), acting_user=cast.user("employee")
    )
    storage, path = attachment.file.storage, attachment.file.name
    assert storage.exists(path)

    attachment_remove(attachment, acting_user=cast.user("manager"))

    assert not Attachment.objects.exists()
    assert not storage.exists(path)


def test_an_outsider_cannot_remove_an_attachment(cast, held_planning):
    attachment = attachment_add(
        held_planning, upload=upload("werkplan.pdf", PDF), acting_user=cast.user("employee")
    )

    with pytest.raises(Refused, match="Only the employee and the person conducting"):
        attachment_remove(attachment, acting_user=cast.user("director"))
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_once_ready_for_signing_attachments_neither_come_nor_go(cast, held_planning):
    attachment = attachment_add(
        held_planning, upload=upload("werkplan.pdf", PDF), acting_user=cast.user("employee")
    )
    report_save(
        held_planning,
        text="Het werkplan staat in de bijlage.",
        expected_version=1,
        acting_user=cast.user("employee"),
    )
    report_finish(held_planning, acting_user=cast.user("employee"))
    report_approve(held_planning, acting_user=cast.user("manager"))

    with pytest.raises(Refused, match="attachments can no longer be added"):
        attachment_add(held_planning, upload=upload("later.pdf", PDF), acting_user=cast.user("employee"))
    with pytest.raises(Refused, match="attachments can no longer be removed"):
        attachment_remove(attachment, acting_user=cast.user("employee"))

    stored = Attachment.objects.get()
    assert stored.filename == "werkplan.pdf"
    assert stored.file.storage.exists(stored.file.name)


def test_a_cancelled_conversation_takes_no_attachments(cast, planning):
    conversation_cancel(planning, reason="Ziek", acting_user=cast.user("employee"))

    with pytest.raises(Refused, match="attachments can no longer be added"):
        attachment_add(planning, upload=upload("werkplan.pdf", PDF), acting_user=cast.user("employee"))
