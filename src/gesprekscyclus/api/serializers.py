"""Output serializers (what the API shows) and input serializers (what it accepts).

No serializer writes: input is validated here and handed to the service functions the
pages use, so a rule holds in one place."""

from rest_framework import serializers

from gesprekscyclus.agreements.models import Agreement
from gesprekscyclus.assessments.models import Assessment, Objection
from gesprekscyclus.conversations.models import Conversation
from gesprekscyclus.cycles.models import Cycle
from gesprekscyclus.dossiers.models import DossierEntry
from gesprekscyclus.feedback.models import Feedback
from gesprekscyclus.notifications.models import Notification
from gesprekscyclus.organisations.models import Appointment, Employee, Organisation, OrgUnit
from gesprekscyclus.regulations.models import RegulationVersion
from gesprekscyclus.signatures.models import ReportVersion, Signature


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name"]


class UnitSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True, allow_null=True)
    head = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = OrgUnit
        fields = ["id", "organisation", "code", "name", "parent", "parent_code", "head", "depth"]


class EmployeeSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    job_title = serializers.CharField(source="job.title", default="", read_only=True)
    manager_personnel_number = serializers.CharField(
        source="manager.personnel_number", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = Employee
        fields = [
            "id",
            "organisation",
            "personnel_number",
            "first_name",
            "last_name",
            "email",
            "unit",
            "unit_code",
            "job_title",
            "manager",
            "manager_personnel_number",
            "hours_per_week",
            "employment_start",
            "employment_end",
            "appointment",
            "probation_end",
            "updated_at",
        ]


class EmployeeUpsertSerializer(serializers.Serializer):
    """One employee as an HR core system sends it; the same columns as the import file."""

    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    unit_code = serializers.CharField(max_length=50)
    job_title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    manager_personnel_number = serializers.CharField(
        max_length=50, required=False, allow_blank=True, allow_null=True, default=""
    )
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=2, required=False, allow_null=True)
    employment_start = serializers.DateField()
    employment_end = serializers.DateField(required=False, allow_null=True)
    appointment = serializers.ChoiceField(choices=Appointment.choices, required=False, allow_blank=True)
    probation_end = serializers.DateField(required=False, allow_null=True)


class EmployeeRowSerializer(EmployeeUpsertSerializer):
    personnel_number = serializers.CharField(max_length=50)


class UnitRowSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=50)
    name = serializers.CharField(max_length=200)
    parent_code = serializers.CharField(max_length=50, required=False, allow_blank=True, allow_null=True)
    head_personnel_number = serializers.CharField(
        max_length=50, required=False, allow_blank=True, allow_null=True
    )


class ImportSerializer(serializers.Serializer):
    units = UnitRowSerializer(many=True, required=False, default=list)
    employees = EmployeeRowSerializer(many=True, required=False, default=list)
    dry_run = serializers.BooleanField(required=False, default=False)


class ImportResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    units_create = serializers.IntegerField()
    units_update = serializers.IntegerField()
    units_unchanged = serializers.IntegerField()
    employees_create = serializers.IntegerField()
    employees_update = serializers.IntegerField()
    employees_unchanged = serializers.IntegerField()


class RegulationSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegulationVersion
        fields = [
            "id",
            "organisation",
            "regulation_id",
            "version",
            "name",
            "status",
            "in_force_from",
            "scope_unit",
            "scope_job_group",
            "source_filename",
        ]


class RegulationDetailSerializer(RegulationSerializer):
    class Meta(RegulationSerializer.Meta):
        fields = [*RegulationSerializer.Meta.fields, "text"]


class CycleSerializer(serializers.ModelSerializer):
    regulation = serializers.PrimaryKeyRelatedField(source="regulation_version", read_only=True)

    class Meta:
        model = Cycle
        fields = [
            "id",
            "organisation",
            "employee",
            "year",
            "period_start",
            "period_end",
            "regulation",
            "agreed_frequency_per_year",
            "status",
            "close_reason",
            "opened_at",
            "closed_at",
        ]


class ScheduleItemSerializer(serializers.Serializer):
    """One entry of ``manage.py schedule --format json`` (docs/regulations.md)."""

    kind = serializers.CharField()
    sequence = serializers.IntegerField()
    count = serializers.IntegerField()
    due_from = serializers.DateField()
    due_by = serializers.DateField()
    status = serializers.CharField()
    initiative = serializers.CharField()
    reason = serializers.CharField()
    reason_nl = serializers.CharField()
    held_on = serializers.DateField(allow_null=True)


class ScheduleSerializer(serializers.Serializer):
    employee = serializers.IntegerField()
    as_of = serializers.DateField()
    cycle = serializers.IntegerField(allow_null=True)
    regulation = serializers.IntegerField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    items = ScheduleItemSerializer(many=True)


class ConversationSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.full_name", read_only=True)
    conductor_name = serializers.CharField(source="conductor.full_name", default=None, read_only=True)

    class Meta:
        model = Conversation
        fields = [
            "id",
            "organisation",
            "cycle",
            "employee",
            "employee_name",
            "conductor",
            "conductor_name",
            "kind",
            "combined_with",
            "status",
            "starts_at",
            "duration_minutes",
            "location",
            "online_url",
            "held_on",
            "follow_up_of",
            "created_at",
            "updated_at",
        ]


class SignatureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Signature
        fields = [
            "role",
            "statement",
            "signer_name",
            "content_hash",
            "remark",
            "refused",
            "refusal_reason",
            "signed_at",
        ]


class ReportVersionSerializer(serializers.ModelSerializer):
    signatures = SignatureSerializer(many=True, read_only=True)

    class Meta:
        model = ReportVersion
        fields = [
            "number",
            "state",
            "content",
            "content_hash",
            "created_at",
            "completed_at",
            "voided_at",
            "void_reason",
            "signatures",
        ]


class SignInputSerializer(serializers.Serializer):
    expected_hash = serializers.CharField(
        max_length=64, help_text="The content_hash of the version you read; signing fails if it changed."
    )
    password = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        style={"input_type": "password"},
        help_text="Your password again, as on the signing page (not needed after a fresh single sign-on).",
    )
    refuse = serializers.BooleanField(required=False, default=False, help_text="Refuse to sign instead.")
    remark = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why you refuse (required then).",
    )


class AgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agreement
        fields = [
            "id",
            "organisation",
            "employee",
            "cycle",
            "kind",
            "description",
            "indicator",
            "target",
            "deadline",
            "status",
            "made_in",
            "version",
            "created_at",
            "updated_at",
        ]


class ObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = [
            "id",
            "filed_at",
            "grounds",
            "status",
            "heard_at",
            "hearing_notes",
            "decision",
            "decision_motivation",
            "decided_at",
        ]


class AssessmentSerializer(serializers.ModelSerializer):
    employee = serializers.IntegerField(source="conversation.employee_id", read_only=True)
    objections = ObjectionSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "conversation",
            "employee",
            "ratings",
            "overall",
            "motivation",
            "response",
            "responded_at",
            "shown_at",
            "replaces",
            "updated_at",
            "objections",
        ]


class FeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Feedback
        fields = [
            "id",
            "receiver",
            "giver",
            "kind",
            "status",
            "message",
            "questions",
            "answers",
            "text",
            "answer_by",
            "created_at",
            "given_at",
        ]


class DossierEntrySerializer(serializers.ModelSerializer):
    has_pdf = serializers.SerializerMethodField()

    class Meta:
        model = DossierEntry
        fields = [
            "id",
            "employee",
            "sequence",
            "document",
            "title",
            "document_date",
            "conversation",
            "pdf_hash",
            "entry_hash",
            "created_at",
            "purged_at",
            "has_pdf",
        ]

    def get_has_pdf(self, entry) -> bool:
        return entry.purged_at is None and bool(entry.pdf_hash)


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "subject", "reason", "url", "created_at", "read_at"]
