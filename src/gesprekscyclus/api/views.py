"""The API's views: thin. Lists come from the selectors in ``access.selectors`` (the
permission model as database filters); single objects from ``get_permitted_or_404`` with
the same named permission as the page; every write goes through the app's service."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action, api_view, authentication_classes, permission_classes
from rest_framework.response import Response
from rest_framework.views import APIView

from gesprekscyclus.access import selectors
from gesprekscyclus.access.actor import actor_for
from gesprekscyclus.access.shortcuts import get_permitted_or_404, require_permission
from gesprekscyclus.accounts.sessions import authenticated_at
from gesprekscyclus.agreements.models import Agreement
from gesprekscyclus.assessments.models import Assessment
from gesprekscyclus.audit.services import audit_list_read
from gesprekscyclus.conversations.models import Conversation, Status
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.cycles.services import employee_schedule
from gesprekscyclus.disagreements.models import Delegation
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.feedback.models import Feedback
from gesprekscyclus.feedback.services import feedback_visible_to
from gesprekscyclus.notifications.models import Notification
from gesprekscyclus.organisations import importer
from gesprekscyclus.organisations.models import Employee, Organisation, OrgUnit
from gesprekscyclus.organisations.tabular import Table
from gesprekscyclus.regulations.models import RegulationVersion
from gesprekscyclus.regulations.reasons import schedule_to_json
from gesprekscyclus.signatures import services as signature_services
from gesprekscyclus.signatures.models import VersionState

from . import filters, serializers
from .models import ApiToken, Scope
from .problems import Conflict, RowErrors

ID = "[0-9]+"


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([])
def unknown_path(request):
    raise exceptions.NotFound(_("There is no such address in the API; see /api/v1/docs/."))


class PermittedViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only resource: the list is ``visible(user)``, a single object is checked
    with ``permission`` exactly as its page does."""

    permission: str
    lookup_value_regex = ID
    select_related: tuple[str, ...] = ()
    ordering = ["-id"]

    def visible(self, user):
        raise NotImplementedError

    def base_queryset(self):
        return self.queryset.model.objects.select_related(*self.select_related)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return self.visible(self.request.user).select_related(*self.select_related).order_by(*self.ordering)

    def get_object(self):
        return get_permitted_or_404(
            self.request.user, self.permission, self.base_queryset(), pk=self.kwargs[self.lookup_field]
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        objects = list(page if page is not None else queryset)
        data = self.get_serializer(objects, many=True).data
        response = self.get_paginated_response(data) if page is not None else Response(data)
        # One audit event per page read: who read which rows (and so whose data), with
        # which filters; the same shape as the pages' list reads (docs/audit.md).
        audit_list_read(
            request,
            f"read:api.{self.basename}.list",
            subjects=objects,
            ids=[obj.pk for obj in objects],
            query=dict(request.query_params.lists()),
            always=True,
        )
        return response


class OrganisationViewSet(PermittedViewSet):
    """The organisations you work in or have a role in."""

    queryset = Organisation.objects.none()
    serializer_class = serializers.OrganisationSerializer
    ordering = ["name"]
    filterset_class = filters.OrganisationFilter
    ordering_fields = ["name"]

    def visible(self, user):
        return Organisation.objects.filter(pk__in=actor_for(user).organisation_ids)

    def get_object(self):
        return self.get_queryset().filter(pk=self.kwargs["pk"]).first() or _not_found()


def _not_found():
    raise exceptions.NotFound()


class UnitViewSet(PermittedViewSet):
    queryset = OrgUnit.objects.none()
    serializer_class = serializers.UnitSerializer
    permission = "organisations.view_orgunit"
    filterset_class = filters.UnitFilter
    select_related = ("parent",)
    ordering = ["path"]
    ordering_fields = ["code", "name", "path"]

    def visible(self, user):
        return selectors.units_visible_to(user)


EMPLOYEE_RELATED = ("unit__organisation", "job", "manager__unit")


class EmployeeViewSet(PermittedViewSet):
    queryset = Employee.objects.none()
    serializer_class = serializers.EmployeeSerializer
    permission = "organisations.view_employee"
    filterset_class = filters.EmployeeFilter
    select_related = EMPLOYEE_RELATED
    ordering = ["last_name", "first_name", "id"]
    ordering_fields = ["last_name", "personnel_number", "employment_start", "updated_at"]

    def visible(self, user):
        return selectors.employees_visible_to(user)

    @extend_schema(
        parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE, description="The day (default: today).")],
        responses=serializers.ScheduleSerializer,
    )
    @action(detail=True, methods=["get"])
    def schedule(self, request, pk=None):
        """What is due for the employee under their regulation: ``schedule --format json``."""
        employee = get_permitted_or_404(
            request.user, "cycles.view_schedule", Employee.objects.select_related("unit", "manager"), pk=pk
        )
        as_of = _date_param(request, "as_of") or timezone.localdate()
        schedule = employee_schedule(employee, as_of)
        if schedule is None:
            raise exceptions.NotFound(
                _("No regulation applies to this employee on %(day)s.") % {"day": as_of}
            )
        return Response(
            {
                "employee": employee.pk,
                "as_of": as_of,
                "cycle": schedule.cycle.pk if schedule.cycle else None,
                "regulation": schedule.version.pk,
                "period_start": schedule.period.start,
                "period_end": schedule.period.end,
                "items": schedule_to_json(schedule.items),
            }
        )


def _date_param(request, name: str) -> datetime.date | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise exceptions.ValidationError({name: _("Give a date as YYYY-MM-DD.")}) from None


def _administered_organisation(user, organisation_id) -> Organisation:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or organisation.pk not in actor_for(user).organisation_ids:
        raise exceptions.NotFound()
    require_permission(user, "organisations.import_organisation", organisation)
    return organisation


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _table(name: str, columns: list[str], rows: list[dict]) -> Table:
    return Table(
        filename=name,
        columns=columns,
        rows=[
            (index, {column: _text(row.get(column)) for column in columns})
            for index, row in enumerate(rows, 1)
        ],
    )


def _plan(organisation: Organisation, *, units: list[dict], employees: list[dict]) -> importer.ImportPlan:
    plan = importer.organisation_import_plan_tables(
        organisation_name=organisation.name,
        units_table=_table("units", importer.UNIT_COLUMNS, units),
        employees_table=_table("employees", importer.EMPLOYEE_COLUMNS, employees),
    )
    if not plan.is_valid:
        raise RowErrors(
            [
                {
                    "field": f"{error.file}.{error.column}" if error.file and error.column else error.column,
                    "row": error.row,
                    "message": str(error.message),
                }
                for error in plan.errors
            ]
        )
    return plan


class EmployeeUpsertView(APIView):
    """An employee of one organisation by personnel number, for HR core systems."""

    write_scope = Scope.EMPLOYEES_WRITE

    def _employee(self, organisation, personnel_number):
        return (
            Employee.objects.select_related(*EMPLOYEE_RELATED)
            .filter(organisation=organisation, personnel_number=personnel_number)
            .first()
        )

    @extend_schema(responses=serializers.EmployeeSerializer, operation_id="organisations_employees_retrieve")
    def get(self, request, organisation_id: int, personnel_number: str):
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        employee = self._employee(organisation, personnel_number) if organisation else None
        if employee is None:
            raise exceptions.NotFound()
        employee = get_permitted_or_404(
            request.user,
            "organisations.view_employee",
            Employee.objects.select_related(*EMPLOYEE_RELATED),
            pk=employee.pk,
        )
        return Response(serializers.EmployeeSerializer(employee).data)

    @extend_schema(
        request=serializers.EmployeeUpsertSerializer,
        responses={200: serializers.EmployeeSerializer, 201: serializers.EmployeeSerializer},
        operation_id="organisations_employees_upsert",
        description=(
            "Create the employee, or update them when the personnel number exists. The same checks "
            "as the organisation import (units, managers, dates); nothing is written when one fails."
        ),
    )
    def put(self, request, organisation_id: int, personnel_number: str):
        organisation = _administered_organisation(request.user, organisation_id)
        data = serializers.EmployeeUpsertSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = {**data.validated_data, "personnel_number": personnel_number}
        existed = self._employee(organisation, personnel_number) is not None
        with transaction.atomic():
            plan = _plan(organisation, units=[], employees=[row])
            importer.organisation_import_apply(plan=plan, acting_user=request.user)
        employee = self._employee(organisation, personnel_number)
        return Response(
            serializers.EmployeeSerializer(employee).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )


class OrganisationImportView(APIView):
    """Units and employees in bulk, as the import files: each row an upsert."""

    write_scope = Scope.EMPLOYEES_WRITE

    @extend_schema(
        request=serializers.ImportSerializer,
        responses=serializers.ImportResultSerializer,
        operation_id="organisations_import",
        description=(
            "Upsert units and employees in one transaction: all rows are checked first and nothing is "
            "written when one fails (each error names its list, row and field). Rows that are not "
            "sent are left alone. With dry_run, only the counts of what would change are returned."
        ),
    )
    def post(self, request, organisation_id: int):
        organisation = _administered_organisation(request.user, organisation_id)
        data = serializers.ImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = _plan(
            organisation, units=data.validated_data["units"], employees=data.validated_data["employees"]
        )
        if not data.validated_data["dry_run"]:
            with transaction.atomic():
                importer.organisation_import_apply(plan=plan, acting_user=request.user)
        summary = plan.summary()
        return Response(
            {"dry_run": data.validated_data["dry_run"]}
            | {key: summary[key] for key in serializers.ImportResultSerializer().fields if key != "dry_run"}
        )


class RegulationViewSet(PermittedViewSet):
    """The regulations of your organisations (read only; HR administrators load them)."""

    queryset = RegulationVersion.objects.none()
    serializer_class = serializers.RegulationSerializer
    filterset_class = filters.RegulationFilter
    ordering = ["regulation_id", "-in_force_from", "id"]
    ordering_fields = ["in_force_from", "name"]

    def visible(self, user):
        return RegulationVersion.objects.filter(organisation_id__in=actor_for(user).organisation_ids)

    def get_serializer_class(self):
        return serializers.RegulationDetailSerializer if self.action == "retrieve" else self.serializer_class

    def get_object(self):
        return self.get_queryset().filter(pk=self.kwargs["pk"]).first() or _not_found()


class CycleViewSet(PermittedViewSet):
    queryset = Cycle.objects.none()
    serializer_class = serializers.CycleSerializer
    permission = "cycles.view_schedule"
    filterset_class = filters.CycleFilter
    select_related = ("employee__unit", "employee__manager")
    ordering = ["-year", "employee_id", "id"]
    ordering_fields = ["year", "period_start"]

    def visible(self, user):
        actor = actor_for(user)
        today = timezone.localdate()
        designated = list(
            Delegation.objects.filter(
                delegate_id=actor.employee_id,
                conversation__isnull=True,
                revoked_at__isnull=True,
                starts_on__lte=today,
                ends_on__gte=today,
            ).values_list("employee_id", flat=True)
        )
        # A plain semi-join unless there are designations: an OR with them makes the
        # database test every cycle instead of joining from the visible employees.
        visible = Q(employee__in=selectors.employees_visible_to(user))
        if designated:
            visible |= Q(employee_id__in=designated)
        return Cycle.objects.filter(visible)

    def get_object(self):
        cycle = Cycle.objects.select_related(*self.select_related).filter(pk=self.kwargs["pk"]).first()
        if cycle is None:
            raise exceptions.NotFound()
        get_permitted_or_404(
            self.request.user,
            self.permission,
            Employee.objects.select_related("unit", "manager"),
            pk=cycle.employee_id,
        )
        return cycle


CONVERSATION_RELATED = ("employee__unit", "employee__manager", "conductor", "cycle__regulation_version")


class ConversationViewSet(PermittedViewSet):
    queryset = Conversation.objects.none()
    serializer_class = serializers.ConversationSerializer
    permission = "conversations.view_conversation"
    filterset_class = filters.ConversationFilter
    select_related = CONVERSATION_RELATED
    ordering = ["-starts_at", "-id"]
    ordering_fields = ["starts_at", "status", "updated_at"]

    def visible(self, user):
        return selectors.conversations_visible_to(user)

    def _readable(self, pk):
        return get_permitted_or_404(
            self.request.user, "conversations.read_report", self.base_queryset(), pk=pk
        )

    @extend_schema(responses=serializers.ReportVersionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def report(self, request, pk=None):
        """The versions of the report put up for signing, newest first, with their signatures.
        Not paginated: one report has few versions (a new one only when it is put up for signing again)."""
        conversation = self._readable(pk)
        if conversation.status in (Status.READY_FOR_SIGNING, Status.COMPLETED):
            with transaction.atomic():  # the open version is made on first use, as on the signing page
                signature_services.version_for_signing(conversation)
        versions = conversation.report_versions.prefetch_related("signatures").order_by("-number")
        return Response(serializers.ReportVersionSerializer(versions, many=True).data)

    @extend_schema(
        request=serializers.SignInputSerializer,
        responses={201: serializers.SignatureSerializer, 200: serializers.SignatureSerializer},
        description=(
            "Sign (or refuse to sign) the open version of the report, with the same rules as the signing "
            "page: your password again (or a fresh single sign-on) and the content_hash you read. "
            "A changed report or a wrong password is refused with 409. Sending the same request again "
            "(a retry) answers 200 with the signature that stands: nobody signs twice."
        ),
    )
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def sign(self, request, pk=None):
        conversation = self._readable(pk)
        data = serializers.SignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        with transaction.atomic():
            version = signature_services.version_for_signing(conversation)
            if version.state != VersionState.OPEN:
                raise Conflict(_("This report has already been signed by everyone."))
            already = set(version.signatures.filter(signer=request.user).values_list("pk", flat=True))
            # A fresh single sign-on counts for a session, never for a token.
            fresh = None if isinstance(request.auth, ApiToken) else authenticated_at(request._request)
            if values["refuse"]:
                signature = signature_services.signature_refuse(
                    version,
                    user=request.user,
                    password=values["password"],
                    expected_hash=values["expected_hash"],
                    reason=values["reason"],
                    authenticated_at=fresh,
                )
            else:
                signature = signature_services.signature_sign(
                    version,
                    user=request.user,
                    password=values["password"],
                    expected_hash=values["expected_hash"],
                    remark=values["remark"],
                    authenticated_at=fresh,
                )
        # A repeated request (a double click, a retry) answers with the signature that stands.
        created = signature.pk not in already
        return Response(
            serializers.SignatureSerializer(signature).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class AgreementViewSet(PermittedViewSet):
    queryset = Agreement.objects.none()
    serializer_class = serializers.AgreementSerializer
    permission = "agreements.view_agreement"
    filterset_class = filters.AgreementFilter
    select_related = ("employee__unit", "employee__manager", "cycle__regulation_version")
    ordering = ["deadline", "id"]
    ordering_fields = ["deadline", "status", "updated_at"]

    def visible(self, user):
        return selectors.agreements_visible_to(user)


class AssessmentViewSet(PermittedViewSet):
    """Assessments with the employee's response and any objection, for those who may
    read the assessment report."""

    queryset = Assessment.objects.none()
    serializer_class = serializers.AssessmentSerializer
    permission = "conversations.read_report"
    filterset_class = filters.AssessmentFilter
    ordering = ["-id"]
    ordering_fields = ["updated_at"]

    def visible(self, user):
        return Assessment.objects.filter(
            conversation__in=selectors.reports_readable_by(user)
        ).prefetch_related("objections")

    def get_object(self):
        assessment = (
            Assessment.objects.prefetch_related("objections").filter(pk=self.kwargs["pk"]).first()
            or _not_found()
        )
        get_permitted_or_404(
            self.request.user,
            self.permission,
            Conversation.objects.select_related(*CONVERSATION_RELATED),
            pk=assessment.conversation_id,
        )
        return assessment


class FeedbackViewSet(PermittedViewSet):
    queryset = Feedback.objects.none()
    serializer_class = serializers.FeedbackSerializer
    filterset_class = filters.FeedbackFilter
    ordering = ["-created_at", "-id"]
    ordering_fields = ["created_at", "given_at"]

    def visible(self, user):
        return feedback_visible_to(user)

    def get_object(self):
        return self.get_queryset().filter(pk=self.kwargs["pk"]).first() or _not_found()


class DossierEntryViewSet(PermittedViewSet):
    queryset = DossierEntry.objects.none()
    serializer_class = serializers.DossierEntrySerializer
    permission = "dossiers.read_entry"
    filterset_class = filters.DossierEntryFilter
    select_related = ("employee__unit", "employee__manager", "conversation__cycle__regulation_version")
    ordering = ["employee_id", "-sequence"]
    ordering_fields = ["document_date", "sequence"]

    def visible(self, user):
        return selectors.dossier_entries_visible_to(user).defer("pdf", "content_json")

    def base_queryset(self):
        return super().base_queryset().defer("pdf", "content_json")

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The sealed PDF/A."),
        }
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def pdf(self, request, pk=None):
        """The archived, sealed PDF of the entry."""
        entry = get_permitted_or_404(
            request.user, self.permission, DossierEntry.objects.select_related(*self.select_related), pk=pk
        )
        if entry.purged_at is not None or not entry.pdf:
            raise exceptions.NotFound(_("This entry's document was removed when its retention term ended."))
        response = HttpResponse(bytes(entry.pdf), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="dossier-{entry.employee_id}-{entry.sequence}.pdf"'
        )
        response["Cache-Control"] = "no-store"
        return response


@extend_schema_view(read=extend_schema(request=None, responses=serializers.NotificationSerializer))
class NotificationViewSet(PermittedViewSet):
    """Your own notifications (reminders and messages), newest first."""

    queryset = Notification.objects.none()
    serializer_class = serializers.NotificationSerializer
    filterset_class = filters.NotificationFilter
    ordering = ["-created_at", "-id"]
    ordering_fields = ["created_at"]

    def visible(self, user):
        return Notification.objects.filter(user_id=user.pk)

    def get_object(self):
        return self.get_queryset().filter(pk=self.kwargs["pk"]).first() or _not_found()

    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def read(self, request, pk=None):
        """Mark the notification as read."""
        notification = self.get_object()
        if notification.read_at is None:
            Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
                read_at=timezone.now()
            )
            notification.refresh_from_db(fields=["read_at"])
        return Response(serializers.NotificationSerializer(notification).data)
