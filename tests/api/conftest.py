"""API test helpers: a client with a token issued by the cast's HR administrator."""

import pytest
from rest_framework.test import APIClient

from gesprekscyclus.api.models import Scope
from gesprekscyclus.api.services import api_token_issue


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def token_client(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def issue_token(cast):
    """``issue_token(*scopes) -> (token, client)`` held by the cast's HR administrator."""

    def issue(*scopes: str, **kwargs):
        token, secret = api_token_issue(
            organisation=cast.organisation,
            name=kwargs.pop("name", "HR-systeem"),
            scopes=list(scopes or [Scope.READ]),
            acting_user=cast.user("hr_admin"),
            **kwargs,
        )
        return token, token_client(secret)

    return issue


@pytest.fixture
def as_user():
    """``as_user(user) -> APIClient`` with a session, as the pages' own calls use."""

    def login(user) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def english():
    """Service messages in English, so assertions do not depend on the Dutch catalogue."""
    from django.utils import translation

    with translation.override("en"):
        yield
