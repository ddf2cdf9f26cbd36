from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "core"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="core:overview", permanent=False), name="home"),
    path("overzicht/", views.overview, name="overview"),
    path("health/", views.health, name="health"),
    path("referentie/", views.reference, name="reference"),
]
