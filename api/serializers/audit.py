from rest_framework import serializers

from registry.audit.models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    at = serializers.CharField(
        source="at_canonical", read_only=True, help_text="UTC, exactly as hashed."
    )
    company = serializers.IntegerField(source="company_id", read_only=True, allow_null=True)

    class Meta:
        model = AuditEntry
        fields = [
            "seq",
            "at",
            "actor",
            "actor_label",
            "channel",
            "request_id",
            "object_type",
            "object_id",
            "company",
            "action",
            "changes",
            "event",
            "reason",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields


class AuditVerificationSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    first_broken_seq = serializers.IntegerField(allow_null=True)
    entries_checked = serializers.IntegerField()
    head_seq = serializers.IntegerField(help_text="The last entry: keep it to detect a cut tail.")
    head_hash = serializers.CharField()
