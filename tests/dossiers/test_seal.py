"""The seal on an archived PDF (PAdES, the organisation's certificate): it holds over the
whole file, and ``check_seal`` fails as soon as one signed byte changes, bytes are
appended, the seal is missing or made with another certificate."""

import datetime
import re
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from gesprekscyclus.dossiers.archive import render_pdf
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.dossiers.seal import check_seal, make_self_signed, seal_pdf
from tests.dossiers.conftest import document, sealed

CHANGED = "the sealed content was changed (the digest does not match)"
OUTSIDE = "bytes were added to or changed in the PDF outside the seal"


@pytest.fixture
def pdf(cast) -> bytes:
    return sealed(document(cast.employee, "Planningsgesprek 2026", datetime.date(2026, 1, 15)))


def byte_range(pdf: bytes) -> tuple[int, int, int, int]:
    found = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert found, "the PDF has no signature byte range"
    return tuple(int(number) for number in found.groups())


def flip(pdf: bytes, position: int) -> bytes:
    changed = bytearray(pdf)
    changed[position] ^= 0x01
    return bytes(changed)


def test_the_archived_report_is_sealed_over_the_whole_file(cast, signed):
    pdf = bytes(DossierEntry.objects.get().pdf)

    assert check_seal(pdf).ok
    start, first_length, second_start, second_length = byte_range(pdf)
    # Everything is signed except the signature value itself (the hex between < and >).
    assert start == 0
    assert second_start + second_length == len(pdf)
    gap = pdf[first_length:second_start]
    assert gap.startswith(b"<") and gap.endswith(b">")
    assert re.fullmatch(rb"<[0-9a-fA-F]+>", gap)
    [seal] = PdfFileReader(BytesIO(pdf)).embedded_signatures
    assert seal.sig_object["/Reason"] == "Personeelsdossier: Resultaatgerichte afspraken / POP-gesprek"


def test_one_changed_byte_in_the_document_breaks_the_seal(pdf):
    _start, first_length, _second_start, _second_length = byte_range(pdf)
    inside_a_stream = pdf.index(b"stream\n") + len(b"stream\n") + 20
    assert inside_a_stream < first_length

    result = check_seal(flip(pdf, inside_a_stream))

    assert (result.ok, result.problem) == (False, CHANGED)


@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.5, 0.7])
def test_a_changed_byte_anywhere_in_the_document_breaks_the_seal(pdf, fraction):
    _start, first_length, _second_start, _second_length = byte_range(pdf)

    assert not check_seal(flip(pdf, int(first_length * fraction))).ok


def test_a_changed_byte_in_the_cross_reference_stream_fails_the_check(pdf):
    """BUG: a damaged (compressed) cross-reference stream makes pyHanko's reader raise
    ``zlib.error``, which ``check_seal`` (seal.py, the ``except`` around
    ``PdfFileReader``) does not catch: the check crashes instead of answering "not ok",
    and so does ``verify_dossiers`` (see test_tampering)."""
    _start, first_length, _second_start, _second_length = byte_range(pdf)
    xref = re.search(rb"/Type\s*/XRef", pdf).start()
    position = pdf.index(b"stream\n", xref) + len(b"stream\n") + 5
    assert position < first_length  # the document's own xref stream, inside the signed range

    result = check_seal(flip(pdf, position))

    assert not result.ok
    assert result.problem.startswith("the PDF cannot be read")


def test_a_changed_letter_in_the_seals_own_reason_breaks_the_seal(pdf):
    """The seal dictionary (its reason, its time) lies after the signature value, in the
    second signed range: it is covered too."""
    _start, _first_length, second_start, _second_length = byte_range(pdf)
    position = pdf.index(b"/Reason (Personeelsdossier") + len(b"/Reason (Personeelsdossi")
    assert position > second_start
    changed = pdf[:position] + b"a" + pdf[position + 1 :]
    assert [seal.sig_object["/Reason"] for seal in PdfFileReader(BytesIO(changed)).embedded_signatures] == [
        "Personeelsdossiar: Planningsgesprek 2026"
    ]

    result = check_seal(changed)

    assert (result.ok, result.problem) == (False, CHANGED)


def test_a_changed_signature_value_breaks_the_seal(pdf):
    _start, first_length, _second_start, _second_length = byte_range(pdf)
    position = first_length + 100  # a hex digit of the signature value
    changed = bytearray(pdf)
    changed[position] = ord("0") if changed[position] != ord("0") else ord("1")

    assert not check_seal(bytes(changed)).ok


@pytest.mark.parametrize("tail", [b"\n", b"% aangevuld\n", b"\x00" * 16])
def test_appended_bytes_break_the_seal(pdf, tail):
    result = check_seal(pdf + tail)

    assert (result.ok, result.problem) == (False, OUTSIDE)


def test_an_appended_revision_breaks_the_seal(pdf):
    """A valid incremental update (what a PDF editor saves) is not covered by the seal."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    assert out.getvalue().startswith(pdf)

    result = check_seal(out.getvalue())

    assert (result.ok, result.problem) == (False, OUTSIDE)


def test_an_unsealed_pdf_fails(cast):
    unsealed = render_pdf(document(cast.employee, "Ongezegeld", datetime.date(2026, 1, 15)))

    result = check_seal(unsealed)

    assert (result.ok, result.problem) == (False, "the PDF carries no seal")


def test_something_that_is_not_a_pdf_fails():
    result = check_seal(b"dit is geen pdf")

    assert not result.ok
    assert result.problem.startswith("the PDF cannot be read")


def test_a_seal_made_with_another_certificate_fails(cast, settings, tmp_path):
    ours = (settings.SEAL_CERTIFICATE, settings.SEAL_PRIVATE_KEY)
    make_self_signed(tmp_path / "other.pem", tmp_path / "other-key.pem", common_name="Gemeente Teststad")
    settings.SEAL_CERTIFICATE, settings.SEAL_PRIVATE_KEY = (
        str(tmp_path / "other.pem"),
        str(tmp_path / "other-key.pem"),
    )
    forged = seal_pdf(render_pdf(document(cast.employee, "Vervalst", datetime.date(2026, 1, 15))), reason="x")
    assert check_seal(forged).ok  # a good seal, by the other certificate
    settings.SEAL_CERTIFICATE, settings.SEAL_PRIVATE_KEY = ours

    result = check_seal(forged)

    assert (result.ok, result.problem) == (False, "the seal was not made with the organisation's certificate")


def test_files_sealed_before_a_certificate_renewal_still_verify(cast, settings, tmp_path):
    old = (str(tmp_path / "old.pem"), str(tmp_path / "old-key.pem"))
    make_self_signed(Path(old[0]), Path(old[1]), common_name="Gemeente Teststad")
    ours = (settings.SEAL_CERTIFICATE, settings.SEAL_PRIVATE_KEY)
    settings.SEAL_CERTIFICATE, settings.SEAL_PRIVATE_KEY = old
    sealed_before = seal_pdf(
        render_pdf(document(cast.employee, "Oud", datetime.date(2024, 1, 15))), reason="x"
    )
    settings.SEAL_CERTIFICATE, settings.SEAL_PRIVATE_KEY = ours  # renewed

    settings.SEAL_PREVIOUS_CERTIFICATES = [old[0]]
    assert check_seal(sealed_before).ok
    settings.SEAL_PREVIOUS_CERTIFICATES = []
    assert not check_seal(sealed_before).ok


def test_make_seal_certificate_writes_a_pair_once(settings, tmp_path):
    settings.SEAL_CERTIFICATE = str(tmp_path / "seal" / "certificate.pem")
    settings.SEAL_PRIVATE_KEY = str(tmp_path / "seal" / "private-key.pem")

    stdout = StringIO()
    call_command("make_seal_certificate", "--name", "Gemeente Teststad", stdout=stdout)
    certificate = Path(settings.SEAL_CERTIFICATE).read_bytes()
    assert certificate.startswith(b"-----BEGIN CERTIFICATE-----")
    assert Path(settings.SEAL_PRIVATE_KEY).stat().st_mode & 0o777 == 0o600
    assert "Self-signed sealing certificate written to" in stdout.getvalue()

    stdout = StringIO()
    call_command("make_seal_certificate", stdout=stdout)
    assert "already exists" in stdout.getvalue()
    assert Path(settings.SEAL_CERTIFICATE).read_bytes() == certificate

    call_command("make_seal_certificate", "--force", stdout=StringIO())
    assert Path(settings.SEAL_CERTIFICATE).read_bytes() != certificate


def structure_types(element, found=None) -> set[str]:
    """The structure types (/S) in a tagged PDF's structure tree."""
    found = set() if found is None else found
    element = element.get_object()
    if isinstance(element, generic.ArrayObject):
        for kid in element:
            structure_types(kid, found)
    elif isinstance(element, generic.DictionaryObject):
        if "/S" in element:
            found.add(str(element["/S"]))
        if "/K" in element:
            structure_types(element["/K"], found)
    return found


def test_the_archived_pdf_is_tagged_for_screen_readers(cast):
    """PDF/A-3a: marked content, a language, and a structure tree with headings and text, so a
    screen reader reads the archived report in order."""
    pdf = render_pdf(document(cast.employee, "Jaargesprek", datetime.date(2026, 1, 15)))
    root = PdfFileReader(BytesIO(pdf)).root
    assert root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]).startswith("nl")
    types = structure_types(root["/StructTreeRoot"])
    assert {"/H1", "/P"} <= types, types
    metadata = root["/Metadata"].get_object().data
    assert b"<pdfaid:conformance>A</pdfaid:conformance>" in metadata or b'pdfaid:conformance="A"' in metadata
