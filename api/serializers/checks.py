"""Hiring checks, the status call and the compliance rule catalogue."""

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from registry import access
from registry import models as m
from registry.choices import LicenceAction, LicenceState, Severity, Standing, Verdict

from .base import StrictSerializer, VisibleRelatedField
from .contracts import CoordinationSerializer


class PersonnelByOriginSerializer(StrictSerializer):
    international = serializers.IntegerField(min_value=0, default=0)
    third_country = serializers.IntegerField(min_value=0, default=0)
    local = serializers.IntegerField(min_value=0, default=0)
    armed = serializers.IntegerField(min_value=0, default=0, help_text="Of which armed.")


class CheckFindingSerializer(serializers.Serializer):
    rule = serializers.CharField()
    severity = serializers.ChoiceField(choices=Severity.choices)
    title = serializers.CharField(required=False)
    message = serializers.CharField()


# The body of POST hiring-checks/: the schema calls it HiringCheckRequest, as request bodies are.
@extend_schema_serializer(component_name="HiringCheck")
class ProposedHireSerializer(StrictSerializer):
    """A proposed hire: what a mission asks the registry about before it signs."""

    company = VisibleRelatedField(access.companies, queryset=m.Company.objects.all())
    client = serializers.PrimaryKeyRelatedField(
        queryset=m.Client.objects.all(), required=False, allow_null=True
    )
    mission = serializers.PrimaryKeyRelatedField(
        queryset=m.Mission.objects.all(), required=False, allow_null=True
    )
    countries = serializers.ListField(
        child=serializers.CharField(max_length=2), allow_empty=False, help_text="ISO 3166-1"
    )
    services = serializers.ListField(
        child=serializers.CharField(max_length=40), allow_empty=False, help_text="Service codes"
    )
    armed = serializers.BooleanField()
    personnel = PersonnelByOriginSerializer(required=False)
    start = serializers.DateField()
    end = serializers.DateField()

    def domain_arguments(self) -> dict:
        """The keyword arguments of registry.services.hiring.run_hiring_check."""
        data = dict(self.validated_data)
        personnel = data.pop("personnel", None) or {}
        return {
            **data,
            "personnel_international": personnel.get("international", 0),
            "personnel_third_country": personnel.get("third_country", 0),
            "personnel_local": personnel.get("local", 0),
            "armed_personnel": personnel.get("armed", 0),
        }


class OverlapSerializer(serializers.Serializer):
    contract = serializers.IntegerField()
    reference = serializers.CharField()
    company = serializers.CharField()
    client = serializers.CharField(allow_null=True)
    mission = serializers.CharField(allow_null=True)
    countries = serializers.ListField(child=serializers.CharField())
    services = serializers.ListField(child=serializers.CharField())
    start = serializers.DateField()
    end = serializers.DateField()
    status = serializers.CharField()


class TerminationSerializer(serializers.Serializer):
    contract = serializers.IntegerField()
    reference = serializers.CharField()
    client = serializers.CharField(allow_null=True)
    mission = serializers.CharField(allow_null=True)
    end = serializers.DateField()
    termination_reason = serializers.CharField()


class SanctionSummarySerializer(serializers.Serializer):
    sanction = serializers.IntegerField()
    kind = serializers.CharField()
    scope = serializers.CharField()
    imposed_by = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)
    reason = serializers.CharField()


class CoordinationReportSerializer(serializers.Serializer):
    overlapping_contracts = OverlapSerializer(many=True)
    terminated_for_cause = TerminationSerializer(many=True)
    sanctions = SanctionSummarySerializer(many=True)


@extend_schema_field(CheckFindingSerializer(many=True))
class FindingsField(serializers.JSONField):
    """As the compliance engine stored them."""


@extend_schema_field(CoordinationReportSerializer)
class CoordinationField(serializers.JSONField):
    """As the compliance engine stored it: summaries only, never values or personnel. A check
    stored without a coordination section (the model's default, {}) answers empty lists, as
    the schema promises."""

    EMPTY = ("overlapping_contracts", "terminated_for_cause", "sanctions")

    def to_representation(self, value):
        value = super().to_representation(value)
        return {**{key: [] for key in self.EMPTY}, **(value or {})}


class HiringCheckSerializer(serializers.ModelSerializer):
    personnel = serializers.SerializerMethodField()
    findings = FindingsField(read_only=True)
    coordination = CoordinationField(read_only=True)
    verdict = serializers.ChoiceField(choices=Verdict.choices, read_only=True)

    class Meta:
        model = m.HiringCheck
        fields = [
            "id",
            "asked_at",
            "asked_by",
            "company",
            "client",
            "mission",
            "countries",
            "services",
            "armed",
            "personnel",
            "start",
            "end",
            "verdict",
            "findings",
            "coordination",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        # Messages naming people or open investigations read as the rule's explanation for
        # callers below that threshold (registry.access, as on the pages).
        data["findings"] = access.hiring_findings(getattr(request, "user", None), instance)
        return data

    @extend_schema_field(PersonnelByOriginSerializer)
    def get_personnel(self, obj) -> dict[str, int]:
        return {
            "international": obj.personnel_international,
            "third_country": obj.personnel_third_country,
            "local": obj.personnel_local,
            "armed": obj.armed_personnel,
        }


class RuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=Severity.choices)
    subject = serializers.ChoiceField(choices=["company", "hire", "personnel"])
    title = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # a field named "source", not Field.source
    explanation = serializers.CharField()


class StatusLicenceSerializer(serializers.ModelSerializer):
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    countries: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    services: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = m.Licence
        fields = [
            "id",
            "number",
            "authority",
            "authority_name",
            "countries",
            "subdivisions",
            "services",
            "weapons_authorised",
            "max_armed_personnel",
            "valid_from",
            "valid_until",
            "state",
        ]
        read_only_fields = fields


class StatusConductSerializer(serializers.Serializer):
    standard = serializers.CharField(source="standard.code")
    standard_name = serializers.CharField(source="standard.name")
    since = serializers.DateField()
    expires_on = serializers.DateField(allow_null=True)
    certifying_body = serializers.CharField(allow_null=True)


class StatusSanctionSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.Sanction
        fields = ["id", "kind", "scope", "scope_country", "scope_mission", "start", "end"]
        read_only_fields = fields


class StatusFindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.Finding
        fields = ["id", "rule_code", "severity", "contract", "message", "first_seen"]
        read_only_fields = fields


class MissionContractsSerializer(serializers.Serializer):
    mission = serializers.IntegerField(allow_null=True)
    mission_acronym = serializers.CharField(allow_null=True)
    contracts = CoordinationSerializer(many=True)


class ReasonSerializer(serializers.Serializer):
    """One reason for a standing, as the caller may read it."""

    code = serializers.CharField(help_text="Compliance rule code, e.g. LIC-NONE.")
    severity = serializers.ChoiceField(choices=Severity.choices)
    message = serializers.CharField()


class StandingChangeSerializer(serializers.Serializer):
    from_standing = serializers.ChoiceField(
        choices=Standing.choices, allow_null=True, help_text="Null for the first standing computed."
    )
    to_standing = serializers.ChoiceField(choices=Standing.choices)
    at = serializers.DateTimeField(help_text="When the standing took this value.")
    on = serializers.DateField(help_text="The date it was evaluated for.")
    reasons = ReasonSerializer(many=True, help_text="The reasons at that moment.")
    cause = serializers.CharField(
        allow_null=True, help_text="The write or event that caused it (e.g. licence.suspend)."
    )


class LicenceHistorySerializer(serializers.Serializer):
    licence = serializers.IntegerField()
    licence_number = serializers.CharField()
    action = serializers.ChoiceField(choices=LicenceAction.choices)
    from_state = serializers.ChoiceField(choices=LicenceState.choices)
    to_state = serializers.ChoiceField(choices=LicenceState.choices)
    at = serializers.DateTimeField()
    actor_label = serializers.CharField(allow_null=True)
    reason = serializers.CharField(allow_null=True)


class StatusSerializer(serializers.Serializer):
    """Everything mission staff need to decide about a company, in one answer."""

    company = serializers.IntegerField()
    legal_name = serializers.CharField()
    registration_number = serializers.CharField()
    registering_authority = serializers.IntegerField()
    on = serializers.DateField()
    standing = serializers.CharField()
    standing_since = serializers.DateTimeField(
        allow_null=True,
        help_text="When the current standing took effect (null if not yet recorded).",
    )
    reasons = ReasonSerializer(many=True)
    standing_history = StandingChangeSerializer(
        many=True, help_text="The latest 20 changes of standing, newest first."
    )
    licence_history = LicenceHistorySerializer(
        many=True, help_text="The latest 20 licence state changes, newest first."
    )
    licences = StatusLicenceSerializer(many=True)
    codes = StatusConductSerializer(many=True)
    certifications = StatusConductSerializer(many=True)
    sanctions = StatusSanctionSerializer(many=True)
    open_findings = StatusFindingSerializer(many=True)
    contracts_by_mission = MissionContractsSerializer(many=True)


class StandingHistorySerializer(serializers.Serializer):
    """A company's current standing, since when, and how it got there. Open to everyone: reasons
    read at the caller's threshold; causes, actors and reasons of licence changes only for
    signed-in callers."""

    company = serializers.IntegerField()
    standing = serializers.ChoiceField(choices=Standing.choices)
    standing_since = serializers.DateTimeField(allow_null=True)
    standing_history = StandingChangeSerializer(many=True)
    licence_history = LicenceHistorySerializer(many=True)
