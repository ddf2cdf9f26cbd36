from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Delivery, Notification, NotificationPreference


@login_required
def inbox(request):
    """My reminders: what, why, and a link to where it can be done."""
    request.navigation_section = "notifications"
    notifications = list(Notification.objects.filter(user=request.user)[:100])
    preference = NotificationPreference.objects.filter(user=request.user).first()
    return render(
        request,
        "notifications/inbox.html",
        {
            "notifications": notifications,
            "delivery": preference.delivery if preference else Delivery.SINGLE,
            "choices": Delivery.choices,
        },
    )


@login_required
@require_POST
def mark_read(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications:inbox")


@login_required
@require_POST
def preference(request):
    delivery = request.POST.get("delivery")
    if delivery in Delivery.values:
        NotificationPreference.objects.update_or_create(user=request.user, defaults={"delivery": delivery})
        messages.success(request, _("Your choice is saved."))
    return redirect("notifications:inbox")
