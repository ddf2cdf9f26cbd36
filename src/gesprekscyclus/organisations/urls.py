from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("medewerkers/", views.employee_list, name="employee_list"),
    path("medewerkers/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("eenheden/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("eenheden/<int:unit_pk>/afdelingsplan/", views.department_plan_edit, name="department_plan_add"),
    path(
        "eenheden/<int:unit_pk>/afdelingsplan/<int:year>/",
        views.department_plan_edit,
        name="department_plan_edit",
    ),
    path(
        "afdelingsplannen/<int:pk>/bijlage/", views.department_plan_download, name="department_plan_download"
    ),
    path("beheer/", views.admin_home, name="admin_home"),
    path("beheer/functies/", views.jobs_list, name="jobs_list"),
    path("beheer/functies/<int:pk>/profiel/", views.job_profile, name="job_profile"),
    path("beheer/competenties/", views.competences, name="competences"),
    path("beheer/competenties/<int:pk>/", views.competence_edit, name="competence_edit"),
    path("beheer/<int:organisation_pk>/rollen/", views.roles, name="roles"),
    path(
        "beheer/<int:organisation_pk>/rollen/<int:pk>/intrekken/",
        views.role_revoke_view,
        name="role_revoke",
    ),
    path("beheer/import/", views.import_upload, name="import_upload"),
    path("beheer/import/<int:pk>/", views.import_preview, name="import_preview"),
    path("beheer/import/<int:pk>/bevestigen/", views.import_confirm, name="import_confirm"),
    path("beheer/import/<int:pk>/annuleren/", views.import_discard, name="import_discard"),
    path(
        "beheer/export/<int:organisation_pk>/<str:file_format>/",
        views.export_download,
        name="export_download",
    ),
]
