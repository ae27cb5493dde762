from django.conf import settings
from django.db import models
from django.db.models import Q

from registry.choices import FindingState, Severity, Verdict

from .companies import Company
from .contracts import Contract
from .missions import Client, Mission
from .personnel import Person


class Finding(models.Model):
    """What a compliance rule found about a company, a contract or a person on a contract.

    One row per (rule, subject) while it is open or waived; a resolved finding stays as history
    and a recurrence opens a new row. Written only by registry.compliance.
    """

    rule_code = models.CharField(max_length=40, db_index=True)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    subject_key = models.CharField(
        max_length=80,
        help_text="What the finding is about, e.g. company:12 or contract:40:person:7.",
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="findings")
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )
    message = models.TextField()
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    state = models.CharField(max_length=10, choices=FindingState.choices, default=FindingState.OPEN)
    resolved_at = models.DateTimeField(null=True, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    waived_at = models.DateTimeField(null=True, blank=True)
    waiver_justification = models.TextField(blank=True)

    class Meta:
        ordering = ["-last_seen", "id"]
        indexes = [
            models.Index(fields=["state", "severity"], name="finding_state_severity_idx"),
            models.Index(fields=["company", "state"], name="finding_company_state_idx"),
            # The dashboard's open findings per rule and severity, counted from the index alone.
            models.Index(
                fields=["rule_code", "severity"],
                condition=Q(state=FindingState.OPEN),
                name="finding_open_rule_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_code", "subject_key"],
                condition=~Q(state=FindingState.RESOLVED),
                name="finding_one_live_per_rule_subject",
                violation_error_message="This finding is already open.",
            ),
            models.CheckConstraint(
                condition=~Q(state=FindingState.WAIVED)
                | (Q(waived_by__isnull=False) & ~Q(waiver_justification="")),
                name="finding_waiver_named_and_justified",
                violation_error_message="A waiver names who waived it and why.",
            ),
            models.CheckConstraint(
                condition=Q(last_seen__gte=models.F("first_seen")),
                name="finding_last_seen_after_first",
                violation_error_message="A finding cannot be last seen before it was first seen.",
            ),
        ]

    def __str__(self):
        return f"{self.rule_code} on {self.subject_key} ({self.state})"


class HiringCheck(models.Model):
    """A hiring check as asked and answered, kept so auditors see what was known at the time."""

    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(db_index=True)
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="hiring_checks")
    client = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.PROTECT, related_name="hiring_checks"
    )
    mission = models.ForeignKey(
        Mission, null=True, blank=True, on_delete=models.PROTECT, related_name="hiring_checks"
    )
    countries = models.JSONField(help_text="ISO 3166-1 alpha-2 codes of the places of performance.")
    services = models.JSONField(help_text="Service category codes.")
    armed = models.BooleanField()
    personnel_international = models.PositiveIntegerField(default=0)
    personnel_third_country = models.PositiveIntegerField(default=0)
    personnel_local = models.PositiveIntegerField(default=0)
    armed_personnel = models.PositiveIntegerField(default=0)
    start = models.DateField()
    end = models.DateField()
    verdict = models.CharField(max_length=24, choices=Verdict.choices)
    findings = models.JSONField(default=list)
    coordination = models.JSONField(default=dict)

    class Meta:
        ordering = ["-asked_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="hiring_check_end_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=Q(client__isnull=False) | Q(mission__isnull=False),
                name="hiring_check_names_client_or_mission",
                violation_error_message="A hiring check names the client or the mission that hires.",
            ),
        ]

    def __str__(self):
        return f"Hiring check of {self.company} ({self.verdict}) at {self.asked_at:%Y-%m-%d}"
