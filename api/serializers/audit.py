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
            "signature",
        ]
        read_only_fields = fields


class AuditVerificationSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    first_broken_seq = serializers.IntegerField(allow_null=True)
    entries_checked = serializers.IntegerField()
    head_seq = serializers.IntegerField(help_text="The last entry: keep it to detect a cut tail.")
    head_hash = serializers.CharField()
    unsigned_entries = serializers.IntegerField(
        help_text="Entries written before signing began (a prefix); a checkpoint must cover them."
    )
    checkpoints_checked = serializers.IntegerField(help_text="Stored checkpoints verified.")
    problems = serializers.ListField(
        child=serializers.CharField(),
        help_text="What does not verify, one sentence each; empty when ok.",
    )


class HeadSerializer(serializers.Serializer):
    seq = serializers.IntegerField(help_text="The last entry (0: none yet).")
    hash = serializers.CharField()
    at = serializers.CharField(allow_null=True, help_text="UTC time of the last entry.")
    signature = serializers.CharField(
        allow_blank=True, help_text="Ed25519 signature of the entry (docs/audit.md)."
    )


class CheckpointSerializer(serializers.Serializer):
    type = serializers.CharField()
    v = serializers.IntegerField()
    seq = serializers.IntegerField()
    hash = serializers.CharField()
    at = serializers.CharField(help_text="UTC, as signed.")
    key_id = serializers.CharField(help_text="Lower-case hex SHA-256 of the raw public key.")
    signature = serializers.CharField(help_text="Ed25519 over the checkpoint message, base64.")
    public_key = serializers.CharField(allow_null=True, help_text="Raw Ed25519 key, base64.")


class AuditHeadSerializer(serializers.Serializer):
    head = HeadSerializer(help_text="The chain's current head.")
    checkpoint = CheckpointSerializer(
        allow_null=True, help_text="The latest signed checkpoint, as audit_checkpoint --out writes."
    )
    public_key = serializers.CharField(help_text="The registry's signing key (raw, base64).")
    key_id = serializers.CharField()
