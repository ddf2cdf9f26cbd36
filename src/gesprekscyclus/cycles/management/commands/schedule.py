import json

from django.core.management.base import BaseCommand, CommandError

from gesprekscyclus.core.commands import day_option
from gesprekscyclus.cycles.services import employee_schedule
from gesprekscyclus.organisations.models import Employee, Organisation
from gesprekscyclus.regulations.reasons import render_reason, schedule_to_json


class Command(BaseCommand):
    help = (
        "Print what is due for one employee: each conversation with its window, status and reason. "
        "--format json prints the stable contract documented in docs/regulations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="Organisation name.")
        parser.add_argument("--employee", required=True, metavar="PERSONNEL_NUMBER")
        parser.add_argument("--as-of", help="The day to judge the status on (YYYY-MM-DD); default today.")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--language", choices=["nl", "en"], default="nl", help="Language of the text format."
        )

    def handle(self, *args, **options):
        as_of = day_option(options["as_of"], option="--as-of")
        organisation = Organisation.objects.filter(name=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation named {options['organisation']!r}.")
        employee = (
            Employee.objects.select_related("unit")
            .filter(organisation=organisation, personnel_number=options["employee"])
            .first()
        )
        if employee is None:
            raise CommandError(
                f"No employee with personnel number {options['employee']!r} in {organisation.name}."
            )
        schedule = employee_schedule(employee, as_of)
        if schedule is None:
            raise CommandError(
                f"No regulation is in force for {employee.full_name} on {as_of.isoformat()}; "
                "load one with manage.py load_regulation."
            )
        if schedule.cycle is None:
            self.stderr.write(
                f"Note: the {schedule.year} cycle has not been opened yet; this is the schedule under "
                f"{schedule.version.name} {schedule.version.version} as it would be."
            )
        if options["format"] == "json":
            self.stdout.write(json.dumps(schedule_to_json(schedule.items), ensure_ascii=False, indent=2))
            return
        language = options["language"]
        self.stdout.write(
            f"{employee.full_name} ({employee.personnel_number}), {schedule.version.name} "
            f"{schedule.version.version}, period {schedule.period.start} to {schedule.period.end}, "
            f"as of {as_of.isoformat()}"
        )
        for item in schedule.items:
            reason = render_reason(item, language)
            self.stdout.write(
                f"  {item.due_from} .. {item.due_by}  {item.status:<8} {item.kind:<12} {reason}"
            )
        if not schedule.items:
            self.stdout.write("  Nothing is due in this period.")
