"""Print the single sign-on settings of an OpenID Connect provider, read from its
discovery document, as lines for the environment file (.env)."""

import requests
from django.core.management.base import BaseCommand, CommandError

SETTINGS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_ISSUER": "issuer",
}


class Command(BaseCommand):
    help = "Print the OIDC_OP_* settings from a provider's .well-known/openid-configuration."

    def add_arguments(self, parser):
        parser.add_argument("url", help="the issuer URL or its .well-known/openid-configuration URL")

    def handle(self, *args, url: str, **options):
        if not url.startswith("https://"):
            raise CommandError("The provider's URL must start with https://")
        if not url.rstrip("/").endswith("/.well-known/openid-configuration"):
            url = url.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=10)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise CommandError(f"Could not read {url}: {error}") from error
        missing = [key for key in SETTINGS.values() if not document.get(key)]
        if missing:
            raise CommandError(f"The discovery document lacks {', '.join(missing)}")
        for name, key in SETTINGS.items():
            self.stdout.write(f"{name}={document[key]}")
        algorithms = document.get("id_token_signing_alg_values_supported") or []
        self.stdout.write(
            f"OIDC_RP_SIGN_ALGO={'RS256' if 'RS256' in algorithms or not algorithms else algorithms[0]}"
        )
