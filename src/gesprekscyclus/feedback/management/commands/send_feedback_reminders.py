import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gesprekscyclus.feedback.services import feedback_remind


class Command(BaseCommand):
    help = "Remind people of feedback they were asked for, once, two days before the answer-by date."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Treat this day (YYYY-MM-DD) as today.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today {options['today']!r}: expected YYYY-MM-DD.") from exc
        count = feedback_remind(today=today)
        self.stdout.write(f"{count} reminder(s) sent.")
