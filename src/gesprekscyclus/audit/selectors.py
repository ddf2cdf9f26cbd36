"""Reads of the audit log for the pages, always narrowed to what the viewer may see."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from gesprekscyclus.access.actor import actor_for

from .models import AuditEvent, Category, ListedSubject


def events_visible_to(user) -> QuerySet[AuditEvent]:
    """Every event of the organisations ``user`` administers (HR administrator)."""
    organisations = actor_for(user).hr_admin_organisation_ids
    return AuditEvent.objects.filter(organisation_id__in=organisations).select_related(
        "actor", "subject", "organisation"
    )


def listed_event_ids(employee_id: int) -> list[int]:
    """The list reads (team overview, employee search, exports, ...) that showed this
    person, as ids (one indexed query; a list, so the page's query can use the event's
    primary key and subject indexes side by side instead of scanning the log)."""
    return list(ListedSubject.objects.filter(employee_id=employee_id).values_list("event_id", flat=True))


def events_about_me(user) -> QuerySet[AuditEvent]:
    """Every event about the user's own employee record, except their own looking at it
    (which would bury the rest): what others viewed or changed, every log-in."""
    employee_id = actor_for(user).employee_id
    if employee_id is None:
        return AuditEvent.objects.none()
    return (
        AuditEvent.objects.filter(Q(subject_id=employee_id) | Q(pk__in=listed_event_ids(employee_id)))
        .exclude(actor_id=user.pk, category=Category.READ)
        .select_related("actor")
        .order_by("-at", "-id")
    )


def _words(text: str) -> list[str]:
    return [word for word in text.split() if word][:5]


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def events_search(events: QuerySet[AuditEvent], *, filters: dict) -> QuerySet[AuditEvent]:
    """Narrow ``events`` by the search form's cleaned data; each word of a name must match."""
    if filters.get("date_from"):
        events = events.filter(at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        events = events.filter(at__lt=_day_start(filters["date_to"] + datetime.timedelta(days=1)))
    for word in _words(filters.get("actor", "")):
        events = events.filter(
            Q(actor__email__icontains=word)
            | Q(actor__first_name__icontains=word)
            | Q(actor__last_name__icontains=word)
            | Q(details__username__icontains=word)
        )
    subject_words = _words(filters.get("subject", ""))
    if subject_words:
        # The person the event is about, or one of the people a list read showed.
        named = Q()
        listed = ListedSubject.objects.all()
        for word in subject_words:
            named &= (
                Q(subject__personnel_number__iexact=word)
                | Q(subject__first_name__icontains=word)
                | Q(subject__last_name__icontains=word)
            )
            listed = listed.filter(
                Q(employee__personnel_number__iexact=word)
                | Q(employee__first_name__icontains=word)
                | Q(employee__last_name__icontains=word)
            )
        events = events.filter(named | Q(pk__in=listed.values("event_id")))
    if filters.get("category"):
        events = events.filter(category=filters["category"])
    if filters.get("action"):
        events = events.filter(action__icontains=filters["action"].strip())
    if filters.get("ip"):
        events = events.filter(ip_address__startswith=filters["ip"])
    return events.order_by("-at", "-id")
