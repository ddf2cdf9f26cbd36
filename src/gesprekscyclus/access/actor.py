"""What the access rules need to know about the person asking, loaded once per request.

``actor_for(user)`` costs at most two queries the first time and none afterwards: the
result is cached on the user object, which Django keeps for the whole request.
"""

from dataclasses import dataclass, field

from gesprekscyclus.organisations.models import Employee, Role, RoleAssignment

_CACHE_ATTRIBUTE = "_gesprekscyclus_actor"


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    employee_id: int | None = None
    employee_organisation_id: int | None = None
    employee_unit_id: int | None = None
    # (organisation_id, unit path) per unit-scoped role
    director_scopes: tuple[tuple[int, str], ...] = ()
    hr_adviser_scopes: tuple[tuple[int, str], ...] = ()
    hr_admin_organisation_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    @property
    def organisation_ids(self) -> frozenset[int]:
        ids = set(self.hr_admin_organisation_ids)
        ids.update(org for org, _ in self.director_scopes)
        ids.update(org for org, _ in self.hr_adviser_scopes)
        if self.employee_organisation_id:
            ids.add(self.employee_organisation_id)
        return frozenset(ids)


ANONYMOUS = Actor(user_id=None)


def actor_for(user) -> Actor:
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    employee = Employee.objects.filter(user_id=user.pk).values("id", "organisation_id", "unit_id").first()
    director, adviser, admin = [], [], set()
    for role, organisation_id, path in RoleAssignment.objects.filter(user_id=user.pk).values_list(
        "role", "organisation_id", "unit__path"
    ):
        if role == Role.DIRECTOR:
            director.append((organisation_id, path))
        elif role == Role.HR_ADVISER:
            adviser.append((organisation_id, path))
        elif role == Role.HR_ADMIN:
            admin.add(organisation_id)
    actor = Actor(
        user_id=user.pk,
        employee_id=employee["id"] if employee else None,
        employee_organisation_id=employee["organisation_id"] if employee else None,
        employee_unit_id=employee["unit_id"] if employee else None,
        director_scopes=tuple(director),
        hr_adviser_scopes=tuple(adviser),
        hr_admin_organisation_ids=frozenset(admin),
    )
    setattr(user, _CACHE_ATTRIBUTE, actor)
    return actor


def forget_actor(user) -> None:
    """Drop the cached actor, after the user's roles changed within one request."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)
