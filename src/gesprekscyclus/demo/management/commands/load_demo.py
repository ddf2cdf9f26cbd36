from django.conf import settings
from django.core.management.base import BaseCommand

from gesprekscyclus.core.progress import ProgressPrinter
from gesprekscyclus.demo.municipality import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load (or refresh) the demo municipality and print one login per role. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        organisation, logins = load_demo(
            progress=ProgressPrinter(stream=self.stderr, enabled=not options["no_progress"])
        )
        count = organisation.employees.count()
        self.stdout.write(
            self.style.SUCCESS(f"{organisation.name}: {count} employees, {organisation.units.count()} units.")
        )
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        width = max(len(login.email) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.email.ljust(width)}  {login.name} — {login.description}")
        self.stdout.write("")
        if settings.TOTP_REQUIRED_FOR_HR_ADMINS:
            self.stdout.write(
                "The HR administrator sets up two-step verification at the first login: scan the QR code "
                "with any authenticator app (or type the code shown under it)."
            )
            self.stdout.write("")
