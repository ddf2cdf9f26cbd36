"""Writing the audit log. Five entry points, each one INSERT (or none, see below):

- ``audit_record``: a change (``category="write"``) made by a service, inside the
  caller's transaction, so a rolled-back change leaves no event and no log line;
- ``audit_read``: someone opened personal data they may see;
- ``audit_denied``: someone was refused (a 404 for someone else's object, a 403);
- ``audit_auth``: log in, log out, failed log-in, lock-out, password changed;
- ``audit_list_read``: a list page, an export or an API list showed other people's data
  (one event per page or download, with the people shown; a second INSERT for them).

Reads, refusals and authentication events during a request are collected by
``AuditContextMiddleware`` and written in one bulk INSERT when the response is ready,
outside the view's transaction (so a refusal is kept even when the view rolls back);
outside a request they are written at once. Every stored event is also written to the
``gesprekscyclus.audit`` logger as one JSON line (see ``docs/audit.md``).
"""

import logging
from collections.abc import Iterable

from django.db import DatabaseError, models, transaction
from django.utils import timezone

from gesprekscyclus.organisations.models import Employee, Organisation

from .context import RequestOrigin, current_origin, origin_of, pending_events
from .models import AuditEvent, Category, ListedSubject

logger = logging.getLogger("gesprekscyclus.audit")
failures = logging.getLogger(__name__ + ".failures")

# Relations followed (only when already loaded, never with a query) to find whose data
# an object is: a report or attachment belongs to the conversation's employee, and so on.
_SUBJECT_FIELDS = ("employee_id", "receiver_id")
_SUBJECT_RELATIONS = ("conversation", "cycle", "entry", "assessment", "objection")


def _loaded(obj, relation: str):
    try:
        field = obj._meta.get_field(relation)
    except Exception:  # no such field on this model
        return None
    if not getattr(field, "concrete", False) or not (field.many_to_one or field.one_to_one):
        return None
    return getattr(obj, relation) if field.is_cached(obj) else None


def subject_id_of(obj, *, depth: int = 0) -> int | None:
    """The employee ``obj`` is about, without a query: an Employee itself, else its
    ``employee``/``receiver``, else that of an already loaded conversation or cycle."""
    if obj is None or depth > 2:
        return None
    if isinstance(obj, Employee):
        return obj.pk
    for name in _SUBJECT_FIELDS:
        value = getattr(obj, name, None)
        if value is not None:
            return value
    if isinstance(obj, models.Model):
        for relation in _SUBJECT_RELATIONS:
            related = _loaded(obj, relation)
            if related is not None:
                return subject_id_of(related, depth=depth + 1)
    return None


def _organisation_id(organisation, obj, subject) -> int | None:
    if organisation is not None:
        return organisation.pk if isinstance(organisation, models.Model) else organisation
    if isinstance(obj, Organisation):
        return obj.pk
    for candidate in (obj, subject):
        value = getattr(candidate, "organisation_id", None)
        if value is not None:
            return value
    return None


def _authenticated(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _cached_actor_organisation(user) -> int | None:
    """The actor's own organisation when the access rules already loaded it (no query)."""
    from gesprekscyclus.access.actor import _CACHE_ATTRIBUTE

    actor = getattr(user, _CACHE_ATTRIBUTE, None) if user is not None else None
    return actor.employee_organisation_id if actor is not None else None


def _build(
    *,
    category: str,
    action: str,
    actor=None,
    organisation=None,
    obj: models.Model | None = None,
    subject=None,
    details: dict | None = None,
    origin: RequestOrigin | None = None,
    path: str = "",
) -> AuditEvent:
    origin = origin or current_origin.get()
    subject_id = subject.pk if isinstance(subject, models.Model) else subject
    if subject_id is None:
        subject_id = subject_id_of(obj)
    subject_object = subject if isinstance(subject, models.Model) else None
    if subject_object is None and isinstance(obj, Employee):
        subject_object = obj
    actor = _authenticated(actor)
    return AuditEvent(
        at=timezone.now(),
        category=category,
        action=action[:100],
        actor=actor,
        organisation_id=_organisation_id(organisation, obj, subject_object),
        subject_id=subject_id,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        details=details or {},
        ip_address=(origin.ip_address or None) if origin else None,
        user_agent=origin.user_agent[:300] if origin else "",
        path=(path or (origin.path if origin else ""))[:300],
    )


def event_line(event: AuditEvent, *, method: str = "") -> dict:
    """The event as the JSON line written to stdout (the fields ``docs/audit.md`` lists)."""
    actor = event.actor if event.actor_id else None
    return {
        "event": "audit",
        "id": event.pk,
        "at": event.at.isoformat(),
        "category": event.category,
        "action": event.action,
        "actor_id": event.actor_id,
        "actor": actor.email if actor is not None else "",
        "organisation_id": event.organisation_id,
        "subject_id": event.subject_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
        "method": method,
        "path": event.path,
        "details": event.details,
    }


def _emit(events: Iterable[AuditEvent], method: str = "") -> None:
    for event in events:
        logger.info("audit", extra={"audit": event_line(event, method=method)})


def _method() -> str:
    origin = current_origin.get()
    return origin.method if origin else ""


def _store(event: AuditEvent) -> AuditEvent:
    """Reads, refusals and authentication: collected during a request, else written now."""
    pending = pending_events.get()
    if pending is not None:
        pending.append(event)
        return event
    _insert([event])
    _emit([event], _method())
    return event


def _insert(events: list[AuditEvent]) -> None:
    """One INSERT for the events, and one for the people their list reads showed (if any);
    both or neither (no savepoint: inside a transaction a failure fails that)."""
    if not any(getattr(event, "listed_ids", None) for event in events):
        AuditEvent.objects.bulk_create(events)
        return
    with transaction.atomic(savepoint=False):
        AuditEvent.objects.bulk_create(events)
        ListedSubject.objects.bulk_create(
            [
                ListedSubject(event_id=event.pk, employee_id=employee_id)
                for event in events
                for employee_id in getattr(event, "listed_ids", ())
            ]
        )


def write_pending(events: list[AuditEvent], *, method: str = "") -> None:
    """Called by the middleware at the end of a request: one INSERT for all of them (and
    one for the people list reads showed). Should the database refuse, the events still
    reach stdout (with ``"id": null``)."""
    if not events:
        return
    try:
        _insert(events)
    except DatabaseError:
        for event in events:
            event.pk = None
        failures.exception("audit events could not be stored; they follow on stdout")
    _emit(events, method)


def audit_record(
    *,
    action: str,
    actor=None,
    organisation=None,
    obj: models.Model | None = None,
    details: dict | None = None,
    subject=None,
    category: str = Category.WRITE,
) -> AuditEvent:
    """Append one event to the audit log. A change (the default) is written inside the
    caller's transaction and logged to stdout on commit, so a rolled-back change leaves
    no trace; other categories go the way of ``audit_read``."""
    event = _build(
        category=category,
        action=action,
        actor=actor,
        organisation=organisation,
        obj=obj,
        subject=subject,
        details=details,
    )
    if category != Category.WRITE:
        return _store(event)
    event.save(force_insert=True)
    method = _method()
    transaction.on_commit(lambda: _emit([event], method))
    return event


def audit_read(*, actor, obj: models.Model, permission: str, details: dict | None = None) -> AuditEvent:
    """``actor`` opened ``obj`` (personal data) under ``permission``."""
    return _store(
        _build(
            category=Category.READ,
            action=f"read:{permission}",
            actor=actor,
            obj=obj,
            details=details,
            organisation=_organisation_id(None, obj, None) or _cached_actor_organisation(actor),
        )
    )


def audit_denied(*, actor, permission: str, obj: models.Model | None = None, path: str = "") -> AuditEvent:
    """``actor`` asked for ``obj`` (or a page needing ``permission``) and was refused."""
    return _store(
        _build(
            category=Category.DENIED,
            action=f"denied:{permission}",
            actor=actor,
            obj=obj,
            path=path,
            organisation=_organisation_id(None, obj, None) or _cached_actor_organisation(actor),
        )
    )


def _account_owner(*, user=None, email: str = "") -> tuple[int | None, int | None]:
    """(employee id, organisation id) of the account, with at most one query."""
    from gesprekscyclus.access.actor import _CACHE_ATTRIBUTE

    cached = getattr(user, _CACHE_ATTRIBUTE, None) if user is not None else None
    if cached is not None:
        return cached.employee_id, cached.employee_organisation_id
    if user is not None and user.pk is not None:
        found = Employee.objects.filter(user_id=user.pk).values_list("pk", "organisation_id").first()
    elif email:
        found = (
            Employee.objects.filter(user__email__iexact=email).values_list("pk", "organisation_id").first()
        )
    else:
        found = None
    return found or (None, None)


_ACCOUNT = object()  # "the actor is the account itself"


def audit_auth(
    action: str,
    *,
    user=None,
    email: str = "",
    details: dict | None = None,
    actor=_ACCOUNT,
    request=None,
) -> AuditEvent:
    """An authentication event (``auth.login``, ``auth.login_failed``, ...) for the account
    ``user`` (or the attempted ``email`` when there is no such user; never a password).
    The actor is ``user`` unless given (``None``: nobody logged in); the subject is the
    account's employee."""
    subject_id, organisation_id = _account_owner(user=user, email=email)
    details = dict(details or {})
    if email:
        details.setdefault("username", email[:254])
    return _store(
        _build(
            category=Category.AUTH,
            action=action,
            actor=user if actor is _ACCOUNT else actor,
            organisation=organisation_id,
            obj=user if user is not None and user.pk is not None else None,
            subject=subject_id,
            details=details,
            origin=origin_of(request) if request is not None and current_origin.get() is None else None,
        )
    )


# At most this many subject ids go into an event's ``details`` (and so its JSON line, which
# log shippers split above some 16 KB); ``ListedSubject`` always holds every one of them.
LISTED_IN_DETAILS = 1000


def _subject_key(item) -> tuple[int | None, int | None]:
    """(employee id, organisation id) of an Employee, of an object about one, or of an id."""
    if isinstance(item, int):
        return item, None
    if isinstance(item, Employee):
        return item.pk, item.organisation_id
    return subject_id_of(item), getattr(item, "organisation_id", None)


def query_of(request) -> dict:
    """A request's query string as the list event records it: ``{"q": ["jan"], ...}``."""
    return dict(request.GET.lists())


def audit_list_read(
    request,
    action: str,
    *,
    subjects: Iterable,
    rows: int | None = None,
    ids: Iterable | None = None,
    query: dict | None = None,
    organisation=None,
    obj: models.Model | None = None,
    always: bool = False,
) -> AuditEvent | None:
    """One event for a list page, an export or an API list page that showed personal data:
    who (``request.user``), from where (the request), what (``action``, e.g.
    ``read:cycles.team.list``), the filters (``query``, default the query string), how many
    rows, and the people shown (``subjects``: Employees, objects about one, or employee
    ids), each of whom finds the event among "who viewed my data". ``ids``: the rows'
    own ids when they are not employees (API lists, audit events); ``obj``: what the list
    belongs to (a unit, an organisation), if anything.

    A list that shows nobody but the viewer records nothing (unless ``always``: the API
    and the audit log's own pages record every page they serve). No query of its own (the
    access rules have loaded the viewer already): the event and its people are inserted
    with the request's other events (one INSERT each), or at once outside a request."""
    from gesprekscyclus.access.actor import actor_for

    actor = _authenticated(getattr(request, "user", None))
    own = actor_for(actor).employee_id if actor is not None else None
    people: dict[int, int | None] = {}
    count = 0
    for item in subjects:
        count += 1
        employee_id, organisation_id = _subject_key(item)
        if employee_id is not None:
            people.setdefault(employee_id, organisation_id)
    if not always and not (set(people) - {own}):
        return None
    listed = sorted(people)
    if organisation is None and obj is None:
        organisations = set(people.values())
        if len(organisations) == 1 and None not in organisations:
            organisation = organisations.pop()
        else:
            organisation = _cached_actor_organisation(actor)
    details = {
        "rows": count if rows is None else rows,
        "subject_count": len(listed),
        "subjects": listed[:LISTED_IN_DETAILS],
        "query": query_of(request) if query is None else query,
    }
    if ids is not None:
        details["ids"] = list(ids)
    event = _build(
        category=Category.READ,
        action=action,
        actor=actor,
        organisation=organisation,
        obj=obj,
        details=details,
    )
    event.listed_ids = listed
    return _store(event)
