"""The public register: authorities, companies, licences, codes, adherences, certifications."""

from rest_framework import serializers

from registry import models as m
from registry.choices import Standing
from registry.services.licensing import allowed_actions

from .base import CountryCodes, ServiceCodes, StrictSerializer, ValidatedModelSerializer


class ServiceCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = m.ServiceCategory
        fields = ["code", "name", "armed", "description"]


class AuthoritySerializer(ValidatedModelSerializer):
    country = CountryCodes()

    class Meta:
        model = m.LicensingAuthority
        fields = ["id", "name", "acronym", "country", "website", "created_at", "updated_at"]


class CompanySerializer(ValidatedModelSerializer):
    home_country = CountryCodes()
    services = ServiceCodes(many=True, required=False)
    aliases: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True, help_text="Trading names."
    )
    standing = serializers.ChoiceField(
        choices=Standing.choices, read_only=True, help_text="good / restricted / not_cleared."
    )
    confirm_similar_name = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="true to register a legal name that looks like another company's (the 400"
        " without it names the look-alikes).",
    )

    class Meta:
        model = m.Company
        fields = [
            "id",
            "legal_name",
            "confirm_similar_name",
            "aliases",
            "home_country",
            "registering_authority",
            "registration_number",
            "lei",
            "address",
            "website",
            "parent",
            "services",
            "insurer",
            "insurance_cover",
            "insurance_currency",
            "insurance_valid_until",
            "standing",
            "standing_since",
            "created_at",
            "updated_at",
        ]

    def prepare_instance(self, instance, attrs):
        if "confirm_similar_name" in attrs:
            instance.confirm_similar_name = attrs["confirm_similar_name"]

    def split(self, instance, validated_data):
        # Not a column: the model's clean() reads it (registry.names).
        instance.confirm_similar_name = validated_data.pop("confirm_similar_name", False)
        return super().split(instance, validated_data)


class LicenceSerializer(ValidatedModelSerializer):
    countries = CountryCodes(many=True)
    services = ServiceCodes(many=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = m.Licence
        fields = [
            "id",
            "number",
            "authority",
            "company",
            "countries",
            "subdivisions",
            "services",
            "weapons_authorised",
            "max_armed_personnel",
            "conditions",
            "valid_from",
            "valid_until",
            "state",
            "state_changed_at",
            "allowed_actions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["state", "state_changed_at"]

    def get_allowed_actions(self, obj) -> list[str]:
        return allowed_actions(obj)


class LicenceTransitionSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=4000, help_text="Why; recorded with the change.")
    valid_from = serializers.DateField(
        required=False, help_text="Renewal only: new start date (defaults to the current one)."
    )
    valid_until = serializers.DateField(required=False, help_text="Renewal only: new end date.")


class ConductStandardSerializer(ValidatedModelSerializer):
    class Meta:
        model = m.ConductStandard
        fields = ["id", "code", "name", "kind", "issuer", "url", "description"]


class AdherenceSerializer(ValidatedModelSerializer):
    class Meta:
        model = m.Adherence
        fields = ["id", "company", "standard", "signed_on", "withdrawn_on", "notes"]


class CertificationSerializer(ValidatedModelSerializer):
    class Meta:
        model = m.Certification
        fields = [
            "id",
            "company",
            "standard",
            "certifying_body",
            "certificate_number",
            "scope",
            "issued_on",
            "expires_on",
        ]
