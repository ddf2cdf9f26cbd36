"""Filters of the API's lists (``?employee=12&status=planned``)."""

import django_filters as filters

from gesprekscyclus.agreements.models import Agreement
from gesprekscyclus.assessments.models import Assessment
from gesprekscyclus.conversations.models import Conversation
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.feedback.models import Feedback
from gesprekscyclus.notifications.models import Notification
from gesprekscyclus.organisations.models import Employee, Organisation, OrgUnit
from gesprekscyclus.regulations.models import RegulationVersion


class OrganisationFilter(filters.FilterSet):
    name = filters.CharFilter(lookup_expr="iexact", help_text="The whole name, in any case.")
    search = filters.CharFilter(field_name="name", lookup_expr="icontains", help_text="Part of the name.")

    class Meta:
        model = Organisation
        fields = ["name", "search"]


class UnitFilter(filters.FilterSet):
    class Meta:
        model = OrgUnit
        fields = ["organisation", "parent", "code"]


class EmployeeFilter(filters.FilterSet):
    search = filters.CharFilter(method="filter_search", help_text="Part of the name or the personnel number.")
    in_service_on = filters.DateFilter(method="filter_in_service", help_text="Employed on this day.")
    unit_code = filters.CharFilter(field_name="unit__code")

    class Meta:
        model = Employee
        fields = ["organisation", "unit", "unit_code", "personnel_number", "manager", "appointment"]

    def filter_search(self, queryset, name, value):
        from django.db.models import Q

        for word in value.split():
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(personnel_number__iexact=word)
            )
        return queryset

    def filter_in_service(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(employment_start__lte=value).filter(
            Q(employment_end__isnull=True) | Q(employment_end__gte=value)
        )


class RegulationFilter(filters.FilterSet):
    class Meta:
        model = RegulationVersion
        fields = ["organisation", "regulation_id", "status"]


class CycleFilter(filters.FilterSet):
    class Meta:
        model = Cycle
        fields = ["organisation", "employee", "year", "status"]


class ConversationFilter(filters.FilterSet):
    starts_after = filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Conversation
        fields = ["organisation", "employee", "conductor", "cycle", "kind", "status"]


class AgreementFilter(filters.FilterSet):
    deadline_after = filters.DateFilter(field_name="deadline", lookup_expr="gte")
    deadline_before = filters.DateFilter(field_name="deadline", lookup_expr="lte")

    class Meta:
        model = Agreement
        fields = ["organisation", "employee", "cycle", "kind", "status", "made_in"]


class AssessmentFilter(filters.FilterSet):
    employee = filters.NumberFilter(field_name="conversation__employee")

    class Meta:
        model = Assessment
        fields = ["conversation", "employee", "overall"]


class FeedbackFilter(filters.FilterSet):
    class Meta:
        model = Feedback
        fields = ["receiver", "giver", "kind", "status"]


class DossierEntryFilter(filters.FilterSet):
    class Meta:
        model = DossierEntry
        fields = ["employee", "document", "conversation"]


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ["unread"]
