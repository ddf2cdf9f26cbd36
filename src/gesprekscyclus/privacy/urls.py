from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("mijn-gegevens/", views.my_data, name="mine"),
    path("mijn-gegevens/export/", views.my_export, name="my_export"),
    path("medewerkers/<int:employee_pk>/export/", views.employee_export, name="employee_export"),
    path("beheer/", views.admin, name="admin"),
    path(
        "beheer/medewerkers/<int:employee_pk>/pseudonimiseren/",
        views.pseudonymise,
        name="pseudonymise",
    ),
]
