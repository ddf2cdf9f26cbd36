from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("gesprek/<int:conversation_pk>/afspraken/", views.agreement_create, name="create"),
    path("afspraken/<int:pk>/", views.agreement_detail, name="detail"),
    path("werkplan/<int:cycle_pk>/", views.work_plan, name="work_plan"),
]
