from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("vragen/", views.ask, name="ask"),
    path("geven/", views.give, name="give"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/beantwoorden/", views.answer, name="answer"),
    path("<int:pk>/gebruiken/", views.bring_into, name="bring_into"),
    path("ontwikkelscan/", views.scan, name="scan"),
    path("ontwikkelscan/<int:pk>/delen/", views.scan_share, name="scan_share"),
    path("beheer/vragen/", views.question_sets, name="question_sets"),
    path("beheer/ontwikkelscan/", views.scan_settings, name="scan_settings"),
]
