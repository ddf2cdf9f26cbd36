from django.core.management.base import BaseCommand, CommandError

from gesprekscyclus.core.commands import day_option
from gesprekscyclus.dossiers.services import dossier_purge
from gesprekscyclus.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Remove personnel-file entries whose retention term has passed (per the regulation's archiving "
        "rules), leaving a tombstone so the chain still verifies."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", help="Organisation name; default: every organisation.")
        parser.add_argument("--today", help="Treat this day (YYYY-MM-DD) as today.")

    def handle(self, *args, **options):
        today = day_option(options["today"])
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(name=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation named {options['organisation']!r}.")
        purged = dossier_purge(today=today, organisation=organisation)
        for entry in purged:
            number = entry.employee.personnel_number
            self.stdout.write(f"{number} #{entry.sequence} {entry.title}: removed ({entry.purge_reason})")
        self.stdout.write(
            self.style.SUCCESS(f"{len(purged)} entries removed; tombstones keep the chains intact.")
        )
