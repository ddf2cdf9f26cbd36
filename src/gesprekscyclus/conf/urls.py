from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("gesprekscyclus.core.urls")),
    path("account/", include("gesprekscyclus.accounts.urls")),
    path("organisatie/", include("gesprekscyclus.organisations.urls")),
    path("organisatie/dashboard/", include("gesprekscyclus.compliance.urls")),
    path("organisatie/beheer/regelingen/", include("gesprekscyclus.regulations.urls")),
    path("organisatie/beheer/", include("gesprekscyclus.api.page_urls")),
    path("gesprekken/", include("gesprekscyclus.cycles.urls")),
    path("gesprekken/", include("gesprekscyclus.conversations.urls")),
    path("gesprekken/", include("gesprekscyclus.agreements.urls")),
    path("gesprekken/", include("gesprekscyclus.signatures.urls")),
    path("gesprekken/", include("gesprekscyclus.assessments.urls")),
    path("gesprekken/", include("gesprekscyclus.disagreements.urls")),
    path("dossier/", include("gesprekscyclus.dossiers.urls")),
    path("feedback/", include("gesprekscyclus.feedback.urls")),
    path("meldingen/", include("gesprekscyclus.notifications.urls")),
    path("auditlog/", include("gesprekscyclus.audit.urls")),
    path("privacy/", include("gesprekscyclus.privacy.urls")),
    path("api/v1/", include("gesprekscyclus.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
