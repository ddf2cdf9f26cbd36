from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.accounts.oidc_provider import FakeResponse

DOCUMENT = {
    "issuer": "https://login.gemeente.example",
    "authorization_endpoint": "https://login.gemeente.example/authorize",
    "token_endpoint": "https://login.gemeente.example/token",
    "userinfo_endpoint": "https://login.gemeente.example/userinfo",
    "jwks_uri": "https://login.gemeente.example/jwks",
    "id_token_signing_alg_values_supported": ["RS256", "ES256"],
}


def test_the_provider_settings_are_printed_from_its_discovery_document(monkeypatch):
    asked = []
    monkeypatch.setattr(
        "gesprekscyclus.accounts.management.commands.oidc_discover.requests.get",
        lambda url, **kwargs: asked.append(url) or FakeResponse(DOCUMENT),
    )
    out = StringIO()
    call_command("oidc_discover", "https://login.gemeente.example/", stdout=out)
    assert asked == ["https://login.gemeente.example/.well-known/openid-configuration"]
    lines = out.getvalue().splitlines()
    assert "OIDC_OP_TOKEN_ENDPOINT=https://login.gemeente.example/token" in lines
    assert "OIDC_OP_JWKS_ENDPOINT=https://login.gemeente.example/jwks" in lines
    assert "OIDC_OP_ISSUER=https://login.gemeente.example" in lines
    assert "OIDC_RP_SIGN_ALGO=RS256" in lines


def test_an_incomplete_document_or_plain_http_is_refused(monkeypatch):
    monkeypatch.setattr(
        "gesprekscyclus.accounts.management.commands.oidc_discover.requests.get",
        lambda url, **kwargs: FakeResponse({"issuer": "https://login.gemeente.example"}),
    )
    with pytest.raises(CommandError, match="lacks"):
        call_command("oidc_discover", "https://login.gemeente.example")
    with pytest.raises(CommandError, match="https://"):
        call_command("oidc_discover", "http://login.gemeente.example")
