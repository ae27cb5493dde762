import datetime as dt
from typing import Self

from django.db import models
from django.db.models import F, Q

from registry.choices import (
    IncidentCategory,
    IncidentSeverity,
    IncidentStatus,
    SanctionKind,
    SanctionScope,
)

from .authorities import LicensingAuthority
from .base import Country, TimeStampedModel
from .companies import Company
from .contracts import Contract
from .missions import Client, Mission


class Incident(TimeStampedModel):
    """An incident involving a company's personnel, reported to the registry."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="incidents")
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    occurred_on = models.DateField(db_index=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="incidents")
    category = models.CharField(max_length=24, choices=IncidentCategory.choices)
    severity = models.CharField(max_length=10, choices=IncidentSeverity.choices)
    status = models.CharField(
        max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.REPORTED
    )
    summary = models.TextField()
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["-occurred_on", "id"]
        indexes = [models.Index(fields=["status", "severity"], name="incident_status_severity_idx")]

    def __str__(self):
        return f"{self.get_category_display()} — {self.company} ({self.occurred_on})"


class SanctionQuerySet(models.QuerySet):
    def in_force_on(self, day: dt.date) -> Self:
        return self.filter(start__lte=day, lifted_on__isnull=True).filter(
            Q(end__isnull=True) | Q(end__gte=day)
        )


class Sanction(TimeStampedModel):
    """A sanction or exclusion imposed on a company (and optionally one of its people)."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="sanctions")
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="sanctions"
    )
    imposed_by_authority = models.ForeignKey(
        LicensingAuthority, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imposed_by_mission = models.ForeignKey(
        Mission, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imposed_by_client = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=24, choices=SanctionKind.choices)
    scope = models.CharField(
        max_length=10, choices=SanctionScope.choices, default=SanctionScope.GLOBAL
    )
    scope_country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scope_mission = models.ForeignKey(
        Mission, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField(db_index=True)
    end = models.DateField(null=True, blank=True, help_text="Empty for open-ended.")
    reason = models.TextField()
    lifted_on = models.DateField(null=True, blank=True)
    lifted_reason = models.TextField(blank=True)

    objects = SanctionQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        imposed_by_authority__isnull=False,
                        imposed_by_mission__isnull=True,
                        imposed_by_client__isnull=True,
                    )
                    | Q(
                        imposed_by_authority__isnull=True,
                        imposed_by_mission__isnull=False,
                        imposed_by_client__isnull=True,
                    )
                    | Q(
                        imposed_by_authority__isnull=True,
                        imposed_by_mission__isnull=True,
                        imposed_by_client__isnull=False,
                    )
                ),
                name="sanction_one_imposer",
                violation_error_message="A sanction is imposed by exactly one authority, mission or client.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        scope=SanctionScope.GLOBAL,
                        scope_country__isnull=True,
                        scope_mission__isnull=True,
                    )
                    | Q(
                        scope=SanctionScope.COUNTRY,
                        scope_country__isnull=False,
                        scope_mission__isnull=True,
                    )
                    | Q(
                        scope=SanctionScope.MISSION,
                        scope_country__isnull=True,
                        scope_mission__isnull=False,
                    )
                ),
                name="sanction_scope_matches_target",
                violation_error_message="A country scope names a country, a mission scope a mission, a global scope neither.",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="sanction_end_after_start",
                violation_error_message="A sanction cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | ~Q(lifted_reason=""),
                name="sanction_lifted_has_reason",
                violation_error_message="Lifting a sanction needs a reason.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.company} from {self.start}"

    @property
    def imposed_by(self):
        return self.imposed_by_authority or self.imposed_by_mission or self.imposed_by_client

    def in_force_on(self, day) -> bool:
        return (
            self.start <= day and self.lifted_on is None and (self.end is None or self.end >= day)
        )
