from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gesprekscyclus.organisations.exporter import organisation_export_files
from gesprekscyclus.organisations.models import Organisation


class Command(BaseCommand):
    help = "Write an organisation's units and employees in the import format (units.csv, employees.csv)."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True)
        parser.add_argument("--output", default=".", help="Directory to write to (default: current).")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(name=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation named {options['organisation']!r}.")
        output = Path(options["output"])
        output.mkdir(parents=True, exist_ok=True)
        for filename, content in organisation_export_files(
            organisation=organisation, file_format=options["format"]
        ).items():
            (output / filename).write_bytes(content)
            self.stdout.write(f"Wrote {output / filename}")
