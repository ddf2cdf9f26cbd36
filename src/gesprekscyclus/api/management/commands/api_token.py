from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from gesprekscyclus.accounts.models import User
from gesprekscyclus.api.models import ApiToken, Scope
from gesprekscyclus.api.services import api_token_issue, api_token_revoke
from gesprekscyclus.conversations.services import Refused
from gesprekscyclus.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Issue an API token held by an HR administrator (the secret is printed once), or revoke one "
        "by its prefix. The token acts as its holder; see docs/api.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True)
        parser.add_argument("--holder", required=True, help="E-mail address of the HR administrator.")
        parser.add_argument("--name", help="What the token is for.")
        parser.add_argument(
            "--scope", action="append", choices=Scope.values, help="Repeat for several (default: read)."
        )
        parser.add_argument("--revoke", metavar="PREFIX", help="Revoke the token with this prefix instead.")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(name=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation named {options['organisation']!r}.")
        holder = User.objects.filter(email__iexact=options["holder"], is_active=True).first()
        if holder is None:
            raise CommandError(f"No active user with e-mail address {options['holder']!r}.")
        try:
            if options["revoke"]:
                token = ApiToken.objects.filter(organisation=organisation, prefix=options["revoke"]).first()
                if token is None:
                    raise CommandError(f"No token with prefix {options['revoke']!r} in {organisation.name}.")
                api_token_revoke(token, acting_user=holder)
                self.stdout.write(f"Revoked {token.name} (gc_{token.prefix}_…).")
                return
            if not options["name"]:
                raise CommandError("Give the token a --name that says what it is for.")
            token, secret = api_token_issue(
                organisation=organisation,
                name=options["name"],
                scopes=options["scope"] or [Scope.READ],
                acting_user=holder,
            )
        except PermissionDenied:
            raise CommandError(f"{holder.email} is not an HR administrator of {organisation.name}.") from None
        except Refused as error:
            raise CommandError(str(error)) from None
        self.stderr.write(f"Issued {token.name} with scopes {', '.join(token.scopes)}; the token follows.")
        self.stdout.write(secret)
