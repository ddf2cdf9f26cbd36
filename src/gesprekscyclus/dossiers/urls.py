from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("", views.my_file, name="mine"),
    path("export/", views.export, name="export"),
    path("medewerkers/<int:employee_pk>/", views.employee_file, name="employee"),
    path("stuk/<int:pk>/", views.entry_pdf, name="entry_pdf"),
    path("stuk/<int:pk>/json/", views.entry_json, name="entry_json"),
]
