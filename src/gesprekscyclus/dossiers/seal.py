"""Sealing archived PDFs with the organisation's certificate (PAdES, with pyHanko) and
checking a seal.

Configure ``SEAL_CERTIFICATE`` and ``SEAL_PRIVATE_KEY`` (PEM files; ``SEAL_KEY_PASSWORD``
when the key is encrypted). ``manage.py make_seal_certificate`` writes a self-signed pair
for a demo or a test installation; production uses a certificate from a trusted CA
(for Dutch government: a PKIoverheid organisation certificate).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import functools
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SEAL_FIELD = "Zegel"


def _outside_event_loop(function, *args, **kwargs):
    """pyHanko runs its own asyncio loop; inside a running loop (an async server, or a
    browser test driving the live server) do the work in a worker thread instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def _paths() -> tuple[Path, Path]:
    return Path(settings.SEAL_CERTIFICATE), Path(settings.SEAL_PRIVATE_KEY)


@functools.lru_cache(maxsize=4)
def _signer(certificate: str, key: str, password: str):
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load(
        key_file=key, cert_file=certificate, key_passphrase=password.encode() if password else None
    )
    if signer is None:
        raise ImproperlyConfigured(f"could not load the sealing key {key} with certificate {certificate}")
    return signer


def seal_pdf(pdf: bytes, *, reason: str) -> bytes:
    """The PDF with a PAdES seal over all of it."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    certificate, key = _paths()
    if not certificate.is_file() or not key.is_file():
        raise ImproperlyConfigured(
            f"No sealing certificate at {certificate} / {key}: set SEAL_CERTIFICATE and SEAL_PRIVATE_KEY, "
            "or run manage.py make_seal_certificate (see docs/configuration.md)."
        )
    signer = _signer(str(certificate), str(key), settings.SEAL_KEY_PASSWORD)
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
    )
    return _outside_event_loop(signers.sign_pdf, writer, metadata, signer=signer).getvalue()


@dataclass(frozen=True)
class SealCheck:
    ok: bool
    problem: str = ""


def check_seal(pdf: bytes) -> SealCheck:
    """Is the PDF sealed by our certificate, over the whole file, and unchanged?"""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    trusted = _trusted_certificates()
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        seals = reader.embedded_signatures
    except Exception as error:  # damaged bytes surface as many different errors
        return SealCheck(False, f"the PDF cannot be read: {type(error).__name__}: {error}")
    if not seals:
        return SealCheck(False, "the PDF carries no seal")
    moment = datetime.datetime.now(datetime.UTC)
    try:
        status = _outside_event_loop(
            validate_pdf_signature, seals[0], ValidationContext(trust_roots=trusted, moment=moment)
        )
    except Exception as error:  # any failure to validate means the seal does not hold
        return SealCheck(False, f"the seal cannot be validated: {error}")
    if not status.intact:
        return SealCheck(False, "the sealed content was changed (the digest does not match)")
    if not status.valid:
        return SealCheck(False, "the seal's signature is not valid")
    if not status.trusted:
        return SealCheck(False, "the seal was not made with the organisation's certificate")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SealCheck(False, "bytes were added to or changed in the PDF outside the seal")
    return SealCheck(True)


def _trusted_certificates() -> list:
    """The organisation's certificate and the ones it sealed with before
    (``SEAL_PREVIOUS_CERTIFICATES``), so files sealed before a renewal still verify."""
    from pyhanko.keys import load_cert_from_pemder

    certificate, _key = _paths()
    return [load_cert_from_pemder(str(path)) for path in [certificate, *settings.SEAL_PREVIOUS_CERTIFICATES]]


def make_self_signed(certificate: Path, key: Path, *, common_name: str, days: int = 3650) -> None:
    """A self-signed sealing certificate and its key (PEM), for demos and tests."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    private_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, common_name),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{common_name} — zegel personeelsdossier"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .sign(private_key, hashes.SHA256())
    )
    certificate.parent.mkdir(parents=True, exist_ok=True)
    key.parent.mkdir(parents=True, exist_ok=True)
    key.write_bytes(
        private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key.chmod(0o600)
    certificate.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _signer.cache_clear()
