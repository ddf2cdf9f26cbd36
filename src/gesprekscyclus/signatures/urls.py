from django.urls import path

from . import views

app_name = "signatures"

urlpatterns = [
    path("gesprek/<int:pk>/ondertekenen/", views.sign, name="sign"),
    path("gesprek/<int:pk>/ondertekenen/tekenen/", views.sign_post, name="sign_post"),
    path("gesprek/<int:pk>/ondertekenen/weigeren/", views.refuse, name="refuse"),
    path("gesprek/<int:pk>/ondertekenen/weigering/", views.record_refusal, name="record_refusal"),
    path("gesprek/<int:pk>/ondertekenen/heropenen/", views.reopen, name="reopen"),
]
