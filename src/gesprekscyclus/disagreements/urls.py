from django.urls import path

from . import views

app_name = "disagreements"

urlpatterns = [
    path("gesprek/<int:pk>/onenigheid/", views.raise_disagreement, name="raise"),
    path("onenigheid/<int:pk>/", views.detail, name="detail"),
    path("onenigheid/<int:pk>/notitie/", views.add_note, name="note"),
    path("onenigheid/<int:pk>/uitkomst/", views.resolve, name="resolve"),
    path("onenigheid/<int:pk>/beoordeling/", views.last_resort, name="last_resort"),
    path("medewerkers/<int:employee_pk>/aanwijzen/", views.delegations, name="delegations"),
    path("aanwijzing/<int:pk>/intrekken/", views.revoke, name="revoke"),
]
