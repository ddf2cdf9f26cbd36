from django.urls import path

from . import pages

app_name = "api_tokens"

urlpatterns = [
    path("<int:organisation_pk>/api-sleutels/", pages.tokens, name="list"),
    path("<int:organisation_pk>/api-sleutels/<int:pk>/intrekken/", pages.revoke, name="revoke"),
]
