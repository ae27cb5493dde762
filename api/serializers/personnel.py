"""Personnel and vetting: the most sensitive records (regulators, auditors, admins only)."""

from rest_framework import serializers

from registry import access
from registry import models as m
from registry.services import records

from .base import CountryCodes, ValidatedModelSerializer, VisibleRelatedField


class EmploymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.Employment
        fields = ["id", "company", "contract", "role", "armed", "origin", "start", "end"]
        read_only_fields = fields


class EmploymentWriteSerializer(ValidatedModelSerializer):
    """The employment that ties a newly registered person to a company."""

    contract = VisibleRelatedField(
        access.contracts, queryset=m.Contract.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = m.Employment
        fields = ["company", "contract", "role", "armed", "origin", "start", "end"]
        clean_exclude = ["person"]  # validated by the outer serializer


class PersonSerializer(ValidatedModelSerializer):
    nationality = CountryCodes()
    document_country = serializers.CharField(
        write_only=True, max_length=2, help_text="Issuing country of the identity document."
    )
    document_number = serializers.CharField(
        write_only=True,
        max_length=60,
        help_text="Identity document number; only a keyed hash of it is stored.",
    )
    employments = EmploymentSerializer(many=True, read_only=True)
    employment = EmploymentWriteSerializer(
        write_only=True,
        required=False,
        help_text="On creation: the employment by one of your authority's companies.",
    )

    class Meta:
        model = m.Person
        fields = [
            "id",
            "full_name",
            "date_of_birth",
            "nationality",
            "document_country",
            "document_number",
            "employments",
            "employment",
            "created_at",
            "updated_at",
        ]
        # A known document is not an error (registry.services.records.register_person).
        clean_exclude = ["identity_hash"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            for name in ("document_country", "document_number"):
                fields[name].required = False
        return fields

    def prepare_instance(self, instance, attrs):
        if "document_number" in attrs:
            instance.set_identity_document(
                attrs.get("document_country", ""), attrs["document_number"]
            )

    def _fields(self, instance, validated_data):
        employment = validated_data.pop("employment", None)
        country = validated_data.pop("document_country", None)
        number = validated_data.pop("document_number", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        if number:
            instance.set_identity_document(country or "", number)
        return m.Employment(**employment) if employment else None

    def create(self, validated_data):
        person = m.Person()
        employment = self._fields(person, validated_data)
        return records.register_person(person, actor=self.actor(), employment=employment)

    def update(self, instance, validated_data):
        self._fields(instance, validated_data)
        return records.save(instance, actor=self.actor())


class VettingSerializer(ValidatedModelSerializer):
    person = VisibleRelatedField(access.people, queryset=m.Person.objects.all())

    class Meta:
        model = m.Vetting
        fields = [
            "id",
            "person",
            "company",
            "vetted_on",
            "vetted_by",
            "outcome",
            "serving_security_forces",
            "former_security_forces",
            "left_security_forces_on",
            "ddr_participant",
            "dismissed_for_misconduct",
            "human_rights_concern",
            "conflict_affiliation",
            "notes",
            "created_at",
            "updated_at",
        ]
