from django.core.management.base import BaseCommand

from gesprekscyclus.core.commands import day_option
from gesprekscyclus.core.progress import ProgressPrinter
from gesprekscyclus.notifications.services import send_reminders


class Command(BaseCommand):
    help = (
        "Remind people of what the regulation and the cycle engine say is due (conversations, reports, "
        "signatures, terms, agreements, probation, feedback). Each reminder is sent once; safe to run "
        "any number of times, also at the same time. Schedule it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Treat this day (YYYY-MM-DD) as today.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        today = day_option(options["today"])
        progress = ProgressPrinter(stream=self.stderr, enabled=not options["no_progress"])
        new, mails = send_reminders(today=today, progress=progress)
        self.stdout.write(f"{new} new reminder(s); {mails} e-mail(s) sent.")
