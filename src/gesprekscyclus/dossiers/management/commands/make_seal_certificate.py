from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from gesprekscyclus.dossiers.seal import make_self_signed


class Command(BaseCommand):
    help = (
        "Write a self-signed sealing certificate and key to SEAL_CERTIFICATE and SEAL_PRIVATE_KEY "
        "(for a demo or test installation; production uses a certificate from a trusted CA)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", default="Gesprekscyclus", help="Organisation name in the certificate.")
        parser.add_argument("--force", action="store_true", help="Replace an existing certificate.")

    def handle(self, *args, **options):
        certificate, key = Path(settings.SEAL_CERTIFICATE), Path(settings.SEAL_PRIVATE_KEY)
        if certificate.exists() and key.exists() and not options["force"]:
            self.stdout.write(f"A sealing certificate already exists at {certificate}; nothing changed.")
            return
        make_self_signed(certificate, key, common_name=options["name"])
        self.stdout.write(
            self.style.SUCCESS(f"Self-signed sealing certificate written to {certificate} and {key}.")
        )
