from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("gesprek/<int:pk>/beoordeling/", views.detail, name="detail"),
    path("gesprek/<int:pk>/beoordeling/opslaan/", views.save, name="save"),
    path("gesprek/<int:pk>/beoordeling/zienswijze/", views.respond, name="respond"),
    path("gesprek/<int:pk>/beoordeling/bezwaar/", views.object_, name="object"),
    path("gesprek/<int:pk>/beoordeling/bezwaar/<int:objection_pk>/horen/", views.hear, name="hear"),
    path("gesprek/<int:pk>/beoordeling/bezwaar/<int:objection_pk>/besluit/", views.decide, name="decide"),
    path("aanvragen/<int:cycle_pk>/<slug:kind>/", views.request_conversation, name="request"),
]
