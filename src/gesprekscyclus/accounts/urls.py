from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import oidc, views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("inloggen/code/", views.login_code, name="login_code"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "wachtwoord-vergeten/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-instellen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-ingesteld/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path(
        "wachtwoord-wijzigen/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "wachtwoord-gewijzigd/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path("", views.account, name="account"),
    path("sessies/<int:pk>/beeindigen/", views.session_end, name="session_end"),
    path("sessies/andere-beeindigen/", views.sessions_end_others, name="sessions_end_others"),
    path(
        "medewerkers/<int:employee_pk>/sessies-beeindigen/",
        views.employee_sessions_end,
        name="employee_sessions_end",
    ),
    path("tweestapsverificatie/instellen/", views.two_factor_setup, name="two_factor_setup"),
    path("tweestapsverificatie/herstelcodes/", views.recovery_codes_renew, name="recovery_codes_renew"),
    path("tweestapsverificatie/uitzetten/", views.two_factor_disable, name="two_factor_disable"),
    path("oidc/inloggen/", oidc.start, name="oidc_start"),
    path("oidc/terug/", oidc.callback, name="oidc_callback"),
]
