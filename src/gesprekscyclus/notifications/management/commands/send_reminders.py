from django.core.management.base import BaseCommand

from gesprekscyclus.core.commands import day_option
from gesprekscyclus.core.progress import ProgressPrinter
from gesprekscyclus.jobs.queue import enqueue
from gesprekscyclus.notifications.services import send_reminders
from gesprekscyclus.notifications.tasks import send_reminders_task


class Command(BaseCommand):
    help = (
        "Remind people of what the regulation and the cycle engine say is due (conversations, reports, "
        "signatures, terms, agreements, probation, feedback). Each reminder is sent once; safe to run "
        "any number of times, also at the same time. Schedule it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Treat this day (YYYY-MM-DD) as today.")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Put the run on the background queue instead of doing it now.",
        )

    def handle(self, *args, **options):
        today = day_option(options["today"])
        if options["enqueue"]:
            enqueue(send_reminders_task, today.isoformat())
            self.stdout.write(f"Reminders for {today.isoformat()}: queued.")
            return
        progress = ProgressPrinter(stream=self.stderr, enabled=not options["no_progress"])
        new, mails = send_reminders(today=today, progress=progress)
        self.stdout.write(f"{new} new reminder(s); {mails} e-mail(s) sent.")
