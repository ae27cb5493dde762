import datetime as dt
from typing import Self

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    WEB = "web", "Web"
    API = "api", "API"
    ADMIN = "admin", "Admin"
    COMMAND = "command", "Command"
    FIXTURE = "fixture", "Fixture load"
    IMPORT = "import", "Import"
    SYSTEM = "system", "System"


class Action(models.TextChoices):
    CREATE = "create", "Create"
    UPDATE = "update", "Update"
    DELETE = "delete", "Delete"
    EVENT = "event", "Domain event"


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def for_object(
        self,
        obj: models.Model | None = None,
        *,
        object_type: str | None = None,
        object_id: object = None,
    ) -> Self:
        if obj is not None:
            object_type, object_id = obj._meta.label_lower, obj.pk
        return self.filter(object_type=object_type, object_id=str(object_id))

    def for_company(self, company: models.Model | int) -> Self:
        """Entries about the company and everything that belongs to it (licences, contracts...)."""
        return self.filter(company_id=getattr(company, "pk", company))

    def by_actor(self, actor: models.Model | int | str) -> Self:
        """A user (or user id), or a system principal's label such as 'command:expire_licences'."""
        if isinstance(actor, str):
            return self.filter(actor_label=actor)
        return self.filter(actor_id=getattr(actor, "pk", actor))

    def between(self, since: dt.datetime | None = None, until: dt.datetime | None = None) -> Self:
        qs = self
        if since is not None:
            qs = qs.filter(at__gte=since)
        if until is not None:
            qs = qs.filter(at__lt=until)
        return qs


class AuditEntry(models.Model):
    """One recorded change or domain event. Append-only, linked to the previous entry by hash.

    The hash covers every field below except `hash` itself; registry.audit.chain defines the
    exact serialisation. On PostgreSQL a trigger refuses UPDATE and DELETE on this table.
    """

    seq = models.PositiveBigIntegerField("sequence number", primary_key=True)
    at = models.DateTimeField("time")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # audit_actor_idx (actor, seq) serves it
        help_text="The user, when a person acted.",
    )
    actor_label = models.CharField(
        max_length=150, help_text="The username, or the system principal (e.g. a command)."
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    request_id = models.CharField(max_length=64, blank=True)
    object_type = models.CharField(
        max_length=100, help_text="app_label.model, e.g. registry.licence"
    )
    object_id = models.CharField(max_length=64)
    company_id = models.BigIntegerField(
        null=True, blank=True, help_text="The company the object belongs to, if any."
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    changes = models.JSONField(
        default=dict, blank=True, help_text='{"field": [old, new]}; secrets are masked.'
    )
    event = models.CharField(max_length=100, blank=True, help_text="e.g. licence.suspend")
    reason = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # Ed25519 signature (base64) of {"type": "pmsc-registry/audit-entry", "v": 1, "seq", "hash"}
    # with AUDIT_SIGNING_KEY; not part of the hash. Empty only on entries written before signing.
    signature = models.CharField(max_length=88, blank=True, default="")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"], name="audit_object_idx"),
            models.Index(fields=["company_id", "seq"], name="audit_company_idx"),
            # The latest entry about shared records (registry.services.status.answer_version).
            models.Index(
                fields=["seq"], condition=models.Q(company_id__isnull=True), name="audit_shared_idx"
            ),
            models.Index(fields=["actor", "seq"], name="audit_actor_idx"),
            models.Index(fields=["actor_label", "seq"], name="audit_actor_label_idx"),
            models.Index(fields=["channel", "seq"], name="audit_channel_idx"),
            models.Index(fields=["action", "seq"], name="audit_action_idx"),
            models.Index(fields=["at"], name="audit_at_idx"),
            models.Index(fields=["request_id"], name="audit_request_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=Action.values),
                name="audit_action_valid",
                violation_error_message="Unknown audit action.",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values),
                name="audit_channel_valid",
                violation_error_message="Unknown audit channel.",
            ),
        ]

    def __str__(self) -> str:
        what = self.event or self.action
        return f"#{self.seq} {what} {self.object_type}:{self.object_id} by {self.actor_label}"

    @property
    def at_canonical(self) -> str:
        """`at` exactly as hashed (UTC, six fractional digits): what exports should show."""
        return self.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Checkpoint(models.Model):
    """A signed statement of the chain head: "entry `seq` has hash `hash`", at time `at`.

    Written by `manage.py audit_checkpoint` (and the daily run). Keep copies off-site
    (`--out`): with one, a truncated tail or a rewritten chain is detected (docs/audit.md).
    On PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE, as on audit entries.
    """

    seq = models.PositiveBigIntegerField("head sequence number")
    hash = models.CharField("head hash", max_length=64)
    at = models.DateTimeField("time")
    key_id = models.CharField(max_length=64, help_text="SHA-256 (hex) of the public key.")
    signature = models.CharField(max_length=88, help_text="Ed25519, base64.")

    class Meta:
        ordering = ["-id"]
        get_latest_by = "id"

    def __str__(self) -> str:
        return f"checkpoint #{self.seq} {self.hash[:12]}… at {self.at_canonical}"

    @property
    def at_canonical(self) -> str:
        return self.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
