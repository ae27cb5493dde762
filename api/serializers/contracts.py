"""Missions, clients, contracts in full, and the coordination summary of any contract."""

from rest_framework import serializers

from registry import access
from registry import models as m

from .base import CountryCodes, ServiceCodes, ValidatedModelSerializer, VisibleRelatedField


class MissionSerializer(ValidatedModelSerializer):
    countries = CountryCodes(many=True)

    class Meta:
        model = m.Mission
        fields = ["id", "organisation", "name", "acronym", "countries", "start", "end"]


class ClientSerializer(ValidatedModelSerializer):
    country = CountryCodes(required=False, allow_null=True)

    class Meta:
        model = m.Client
        fields = ["id", "name", "kind", "mission", "country"]


class ContractSerializer(ValidatedModelSerializer):
    """A contract as its own mission, its regulator, auditors and admins read it."""

    countries = CountryCodes(many=True)
    services = ServiceCodes(many=True)
    # The serializer's metaclass takes declared fields out of the class namespace, so this does
    # not replace Field.parent (the serializer a field is bound to); mypy sees only the name.
    parent = VisibleRelatedField(  # type: ignore[assignment]
        access.contracts,
        queryset=m.Contract.objects.all(),
        required=False,
        allow_null=True,
        help_text="The prime contract, when this is a subcontract.",
    )

    class Meta:
        model = m.Contract
        fields = [
            "id",
            "reference",
            "client",
            "company",
            "mission",
            "parent",
            "title",
            "countries",
            "services",
            "armed",
            "personnel_international",
            "personnel_third_country",
            "personnel_local",
            "armed_personnel",
            "value",
            "currency",
            "signed_on",
            "start",
            "end",
            "status",
            "termination_reason",
            "created_at",
            "updated_at",
        ]


class CoordinationSerializer(serializers.ModelSerializer):
    """Who, where, what, when and status — never values or personnel."""

    company_name = serializers.CharField(source="company.legal_name", read_only=True)
    client_name = serializers.CharField(source="client.name", read_only=True)
    mission_acronym = serializers.CharField(
        source="mission.acronym", read_only=True, allow_null=True, default=None
    )
    countries = CountryCodes(many=True, read_only=True)
    services = ServiceCodes(many=True, read_only=True)

    class Meta:
        model = m.Contract
        fields = [
            "id",
            "reference",
            "company",
            "company_name",
            "client",
            "client_name",
            "mission",
            "mission_acronym",
            "countries",
            "services",
            "armed",
            "start",
            "end",
            "status",
        ]
        read_only_fields = fields
