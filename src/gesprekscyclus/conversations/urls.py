from django.urls import path

from . import views

app_name = "conversations"

urlpatterns = [
    path("plannen/<int:cycle_pk>/<slug:kind>/", views.plan, name="plan"),
    path("gesprek/<int:pk>/", views.detail, name="detail"),
    path("gesprek/<int:pk>/agenda.ics", views.calendar_file, name="calendar"),
    path("gesprek/<int:pk>/verzetten/", views.reschedule, name="reschedule"),
    path("gesprek/<int:pk>/annuleren/", views.cancel, name="cancel"),
    path("gesprek/<int:pk>/voorbereiding/", views.preparation_save, name="preparation"),
    path("gesprek/<int:pk>/gehouden/", views.mark_held, name="held"),
    path("gesprek/<int:pk>/verslag/", views.report_save, name="report"),
    path("gesprek/<int:pk>/verslag/terugsturen/", views.report_send_back, name="report_send_back"),
    path("gesprek/<int:pk>/verslag/persoonlijk/", views.report_withhold, name="report_withhold"),
    path("gesprek/<int:pk>/verslag/akkoord/", views.report_approve, name="report_approve"),
    path("gesprek/<int:pk>/bijlagen/", views.attachment_add, name="attachment_add"),
    path("gesprek/<int:pk>/bijlagen/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path(
        "gesprek/<int:pk>/bijlagen/<int:attachment_pk>/verwijderen/",
        views.attachment_remove,
        name="attachment_remove",
    ),
]
