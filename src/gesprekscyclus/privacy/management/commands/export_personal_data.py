from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gesprekscyclus.organisations.models import Employee, Organisation
from gesprekscyclus.privacy.services import export_filename, personal_data_export_zip


class Command(BaseCommand):
    help = (
        "Write everything the application keeps about one person to a ZIP file (export.json in the "
        "format gesprekscyclus-subject-export/1, and the files); recorded in the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="Organisation name.")
        parser.add_argument("--personnel-number", required=True, help="The employee's personnel number.")
        parser.add_argument(
            "--output", help="The ZIP file to write; default: mijn-gegevens-<number>.zip here."
        )

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(name=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation named {options['organisation']!r}.")
        employee = Employee.objects.filter(
            organisation=organisation, personnel_number=options["personnel_number"]
        ).first()
        if employee is None:
            raise CommandError(
                f"No employee with personnel number {options['personnel_number']!r} in {organisation.name}."
            )
        output = Path(options["output"] or export_filename(employee))
        data = personal_data_export_zip(employee, acting_user=None, source="command")
        output.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"{output}: {len(data)} bytes written."))
