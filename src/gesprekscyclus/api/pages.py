"""The HR administrator's page for API tokens: issue (the secret is shown once) and revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gesprekscyclus.access.shortcuts import require_permission
from gesprekscyclus.conversations.services import Refused
from gesprekscyclus.organisations.models import Organisation

from . import services
from .forms import TokenForm
from .models import ApiToken


def _organisation(request, organisation_pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    require_permission(request.user, "organisations.import_organisation", organisation)
    request.navigation_section = "admin"
    return organisation


NEW_SECRET = "api_token_secret"  # noqa: S105  (the session key, not a secret)


@never_cache
@login_required
def tokens(request, organisation_pk: int):
    """Issuing answers with a redirect (a reload issues nothing twice); the secret waits
    in the session for that one next page and is removed from it when shown."""
    organisation = _organisation(request, organisation_pk)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _, secret = services.api_token_issue(
                organisation=organisation,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_on=form.cleaned_data["expires_on"],
                acting_user=request.user,
            )
        except Refused as error:
            form.add_error(None, str(error))
        else:
            request.session[NEW_SECRET] = secret
            return redirect("api_tokens:list", organisation_pk=organisation.pk)
    issued = (
        ApiToken.objects.filter(organisation=organisation)
        .select_related("created_by", "revoked_by")
        .order_by("revoked_at", "-created_at")
    )
    return render(
        request,
        "api/tokens.html",
        {
            "organisation": organisation,
            "form": form,
            "tokens": issued,
            "secret": request.session.pop(NEW_SECRET, None) if request.method == "GET" else None,
        },
    )


@login_required
@require_POST
def revoke(request, organisation_pk: int, pk: int):
    organisation = _organisation(request, organisation_pk)
    token = get_object_or_404(ApiToken, organisation=organisation, pk=pk)
    services.api_token_revoke(token, acting_user=request.user)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("api_tokens:list", organisation_pk=organisation.pk)
