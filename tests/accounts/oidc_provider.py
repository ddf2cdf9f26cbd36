"""A fake OpenID Connect provider in this process (no network): it signs ID tokens with
its own RSA key and serves its JWKS, token and userinfo answers to mozilla-django-oidc."""

import json
import time
from urllib.parse import parse_qs, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "gesprekscyclus-test"
ISSUER = "https://login.gemeente.example"


class FakeResponse:
    def __init__(self, data, status_code=200):
        self.data, self.status_code = data, status_code
        self.headers = {"Content-Type": "application/json"}

    def json(self):
        return self.data

    def raise_for_status(self):
        if self.status_code >= 400:
            raise RuntimeError(self.status_code)


class FakeProvider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.signing_key = self.key  # a test may swap in a key the JWKS does not know
        self.claims: dict = {}
        self.id_token_claims: dict = {}
        self.token_requests: list[dict] = []

    def jwks(self):
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": "key-1", "alg": "RS256", "use": "sig"}]}

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": "person-1",
            "nonce": nonce,
            "iat": now,
            "exp": now + 300,
            "auth_time": now,
            **self.id_token_claims,
        }
        return jwt.encode(claims, self.signing_key, algorithm="RS256", headers={"kid": "key-1"})

    def post(self, url, data=None, **kwargs):
        assert url == "https://login.gemeente.example/token"
        self.token_requests.append(data)
        return FakeResponse({"id_token": self.id_token(self.nonce), "access_token": "access-1"})

    def get(self, url, headers=None, **kwargs):
        if url == "https://login.gemeente.example/jwks":
            return FakeResponse(self.jwks())
        assert url == "https://login.gemeente.example/userinfo"
        assert headers["Authorization"] == "Bearer access-1"
        return FakeResponse({"sub": "person-1", **self.claims})


def install(settings, monkeypatch) -> "FakeProvider":
    """Configure single sign-on against a fresh fake provider (for a ``provider`` fixture)."""
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.gemeente.example/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://login.gemeente.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://login.gemeente.example/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://login.gemeente.example/jwks"
    settings.OIDC_OP_ISSUER = ISSUER
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid email profile"
    settings.OIDC_PROVIDER_NAME = "Gemeente-account"
    settings.OIDC_MATCH_CLAIM = "email"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "gesprekscyclus.accounts.oidc.OIDCBackend",
    ]
    fake = FakeProvider()
    monkeypatch.setattr("mozilla_django_oidc.auth.requests.post", fake.post)
    monkeypatch.setattr("mozilla_django_oidc.auth.requests.get", fake.get)
    return fake


def sign_in(client, provider, next_url=None, **start_params):
    """Start at our site, 'log in' at the provider, come back with a code."""
    params = {**({"next": next_url} if next_url else {}), **start_params}
    start = client.get(reverse("accounts:oidc_start"), params)
    assert start.status_code == 302
    query = parse_qs(urlparse(start["Location"]).query)
    provider.nonce = query["nonce"][0]
    provider.last_authorize = query
    return client.get(reverse("accounts:oidc_callback"), {"code": "code-1", "state": query["state"][0]})
