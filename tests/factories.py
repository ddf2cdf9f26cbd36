"""factory_boy factories, one trait per state."""

import datetime

import factory
from factory.django import DjangoModelFactory

from gesprekscyclus.accounts.models import User
from gesprekscyclus.organisations.models import (
    Appointment,
    Competence,
    DepartmentPlan,
    Employee,
    Job,
    Organisation,
    OrgUnit,
    Role,
    RoleAssignment,
)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Gemeente {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.django.Password("correct horse battery staple")


class OrgUnitFactory(DjangoModelFactory):
    class Meta:
        model = OrgUnit
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"U{n}")
    name = factory.Sequence(lambda n: f"Unit {n}")
    parent = None

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        """Keep the materialised path right for units made in tests."""
        if not create:
            return
        parent_path = obj.parent.path if obj.parent_id else "/"
        obj.path = f"{parent_path}{obj.pk}/"
        obj.depth = obj.parent.depth + 1 if obj.parent_id else 0
        OrgUnit.objects.filter(pk=obj.pk).update(path=obj.path, depth=obj.depth)


class JobFactory(DjangoModelFactory):
    class Meta:
        model = Job

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Functie {n}")
    description = "Voert taken uit binnen het team."


class CompetenceFactory(DjangoModelFactory):
    class Meta:
        model = Competence

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Competentie {n}")


class EmployeeFactory(DjangoModelFactory):
    """An employee with a user account. Call ``services.employees_refresh_managers``
    (or use the ``cast`` fixture) to derive managers from unit heads."""

    class Meta:
        model = Employee

    organisation = factory.LazyAttribute(lambda o: o.unit.organisation)
    unit = factory.SubFactory(OrgUnitFactory)
    personnel_number = factory.Sequence(lambda n: f"{100000 + n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"employee{n}@example.org")
    user = factory.SubFactory(
        UserFactory,
        email=factory.SelfAttribute("..email"),
        first_name=factory.SelfAttribute("..first_name"),
        last_name=factory.SelfAttribute("..last_name"),
    )
    hours_per_week = 36
    employment_start = datetime.date(2020, 1, 1)
    appointment = Appointment.PERMANENT

    class Params:
        on_probation = factory.Trait(
            appointment=Appointment.PROBATION,
            employment_start=datetime.date(2026, 3, 1),
            probation_end=datetime.date(2027, 3, 1),
        )
        leaver = factory.Trait(employment_end=datetime.date(2025, 6, 30))
        without_account = factory.Trait(user=None)


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda o: o.unit.organisation if o.unit else OrganisationFactory())
    role = Role.DIRECTOR
    unit = factory.SubFactory(OrgUnitFactory)

    class Params:
        hr_admin = factory.Trait(role=Role.HR_ADMIN, unit=None)
        hr_adviser = factory.Trait(role=Role.HR_ADVISER)


class DepartmentPlanFactory(DjangoModelFactory):
    class Meta:
        model = DepartmentPlan

    unit = factory.SubFactory(OrgUnitFactory)
    year = 2026
    text = "Iedere aanvraag binnen acht weken afgehandeld."
