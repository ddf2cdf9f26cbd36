"""``/api/v1/``: the public API (docs/api.md), its schema and interactive docs."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("units", views.UnitViewSet, basename="unit")
router.register("employees", views.EmployeeViewSet, basename="employee")
router.register("regulations", views.RegulationViewSet, basename="regulation")
router.register("cycles", views.CycleViewSet, basename="cycle")
router.register("conversations", views.ConversationViewSet, basename="conversation")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("feedback", views.FeedbackViewSet, basename="feedback")
router.register("dossier-entries", views.DossierEntryViewSet, basename="dossier-entry")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path(
        "organisations/<int:organisation_id>/employees/<str:personnel_number>/",
        views.EmployeeUpsertView.as_view(),
        name="organisation-employee",
    ),
    path(
        "organisations/<int:organisation_id>/import/", views.OrganisationImportView.as_view(), name="import"
    ),
    *router.urls,
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Anything else under /api/v1/ is a problem document too, not the HTML 404 page.
    re_path(r"^[\s\S]*$", views.unknown_path, name="unknown"),
]
