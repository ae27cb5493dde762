"""Incidents, sanctions and compliance findings."""

from rest_framework import serializers

from registry import access
from registry import models as m

from .base import HiddenFieldsMixin, StrictSerializer, ValidatedModelSerializer, VisibleRelatedField


class IncidentSerializer(ValidatedModelSerializer):
    contract = VisibleRelatedField(
        access.contracts, queryset=m.Contract.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = m.Incident
        fields = [
            "id",
            "company",
            "contract",
            "occurred_on",
            "country",
            "category",
            "severity",
            "status",
            "summary",
            "outcome",
            "created_at",
            "updated_at",
        ]


class SanctionSerializer(ValidatedModelSerializer):
    person = VisibleRelatedField(
        access.people, queryset=m.Person.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = m.Sanction
        fields = [
            "id",
            "company",
            "person",
            "imposed_by_authority",
            "imposed_by_mission",
            "imposed_by_client",
            "kind",
            "scope",
            "scope_country",
            "scope_mission",
            "start",
            "end",
            "reason",
            "lifted_on",
            "lifted_reason",
            "created_at",
            "updated_at",
        ]


class FindingSerializer(HiddenFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = m.Finding
        fields = [
            "id",
            "rule_code",
            "severity",
            "subject_key",
            "company",
            "contract",
            "person",
            "message",
            "first_seen",
            "last_seen",
            "state",
            "resolved_at",
            "waived_by",
            "waived_at",
            "waiver_justification",
        ]
        read_only_fields = fields


class WaiverSerializer(StrictSerializer):
    justification = serializers.CharField(max_length=4000)
