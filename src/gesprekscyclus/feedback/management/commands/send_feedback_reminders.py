from django.core.management.base import BaseCommand

from gesprekscyclus.core.commands import day_option
from gesprekscyclus.feedback.services import feedback_remind


class Command(BaseCommand):
    help = "Remind people of feedback they were asked for, once, two days before the answer-by date."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Treat this day (YYYY-MM-DD) as today.")

    def handle(self, *args, **options):
        today = day_option(options["today"])
        count = feedback_remind(today=today)
        self.stdout.write(f"{count} reminder(s) sent.")
