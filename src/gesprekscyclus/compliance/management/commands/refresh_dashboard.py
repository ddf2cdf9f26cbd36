from django.core.management.base import BaseCommand, CommandError

from gesprekscyclus.compliance.services import progress_refresh
from gesprekscyclus.core.commands import day_option
from gesprekscyclus.core.progress import ProgressPrinter
from gesprekscyclus.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Recompute the HR dashboard's figures for every open cycle. send_reminders does this every day "
        "as part of its run; use this after loading a new regulation or restoring a backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", help="Only this organisation (its name).")
        parser.add_argument("--period", type=int, help="Only the cycles of this period (e.g. 2027).")
        parser.add_argument("--today", help="Treat this day (YYYY-MM-DD) as today.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        today = day_option(options["today"])
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(name=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation named {options['organisation']!r}.")
        progress = ProgressPrinter(stream=self.stderr, enabled=not options["no_progress"])
        count = progress_refresh(
            today=today, organisation=organisation, year=options["period"], progress=progress
        )
        self.stdout.write(f"Dashboard figures recomputed for {count} cycle(s) as of {today.isoformat()}.")
