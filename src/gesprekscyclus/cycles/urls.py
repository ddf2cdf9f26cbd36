from django.urls import path

from . import views

app_name = "cycles"

urlpatterns = [
    path("", views.my_schedule, name="my_schedule"),
    path("team/", views.team_schedule, name="team_schedule"),
    path("medewerkers/<int:pk>/", views.employee_schedule_view, name="employee_schedule"),
]
