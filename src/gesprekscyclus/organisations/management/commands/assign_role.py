from django.core.management.base import BaseCommand, CommandError

from gesprekscyclus.organisations.forms import RoleAssignmentForm
from gesprekscyclus.organisations.models import Organisation, RoleAssignment
from gesprekscyclus.organisations.services import role_assign, role_revoke


class Command(BaseCommand):
    help = "Assign (or with --revoke, take away) a director, HR adviser or HR administrator role."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True)
        parser.add_argument(
            "--email", required=True, help="E-mail address of an employee of the organisation."
        )
        parser.add_argument("--role", required=True, choices=["director", "hr_adviser", "hr_admin"])
        parser.add_argument("--unit", default="", help="Unit code (director and HR adviser).")
        parser.add_argument("--revoke", action="store_true")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(name=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation named {options['organisation']!r}.")
        form = RoleAssignmentForm(
            {"email": options["email"], "role": options["role"], "unit_code": options["unit"]},
            organisation=organisation,
        )
        if not form.is_valid():
            errors = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in form.errors.items())
            raise CommandError(errors)
        user, role, unit = form.cleaned_data["user"], form.cleaned_data["role"], form.cleaned_data["unit"]
        if options["revoke"]:
            assignment = RoleAssignment.objects.filter(user=user, role=role, unit=unit).first()
            if assignment is None:
                self.stdout.write("Nothing to revoke.")
                return
            role_revoke(assignment=assignment)
            self.stdout.write(self.style.SUCCESS(f"Revoked {role} from {user.email}."))
            return
        role_assign(user=user, organisation=organisation, role=role, unit=unit)
        where = f" over {unit.code}" if unit else ""
        self.stdout.write(self.style.SUCCESS(f"{user.email} is {role}{where}."))
