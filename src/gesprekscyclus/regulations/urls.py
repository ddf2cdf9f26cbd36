from django.urls import path

from . import views

app_name = "regulations"

urlpatterns = [
    path("<int:organisation_pk>/", views.regulation_list, name="list"),
    path("versie/<int:pk>/", views.version_detail, name="version_detail"),
    path("versie/<int:pk>/activeren/", views.version_activate, name="version_activate"),
    path("versie/<int:pk>/weggooien/", views.version_discard, name="version_discard"),
]
