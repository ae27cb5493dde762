import datetime as dt
from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from registry.choices import TERMINATED_STATUSES, ContractStatus
from registry.validators import validate_currency

from .base import Country, ServiceCategory, TimeStampedModel
from .companies import Company
from .missions import Client, Mission


class ContractQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> Self:
        return self.filter(
            status__in=[ContractStatus.PLANNED, ContractStatus.ACTIVE], start__lte=day, end__gte=day
        )

    def overlapping(self, start, end):
        return self.filter(start__lte=end, end__gte=start)


class Contract(TimeStampedModel):
    """A contract between a client and a company for security services."""

    reference = models.CharField(max_length=80)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="contracts")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="contracts")
    mission = models.ForeignKey(
        Mission, null=True, blank=True, on_delete=models.PROTECT, related_name="contracts"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subcontracts",
        help_text="The prime contract, when this is a subcontract.",
    )
    title = models.CharField(max_length=250, blank=True)
    services = models.ManyToManyField(ServiceCategory, related_name="contracts")
    countries = models.ManyToManyField(Country, related_name="contracts")
    armed = models.BooleanField(default=False)
    personnel_international = models.PositiveIntegerField(default=0)
    personnel_third_country = models.PositiveIntegerField(default=0)
    personnel_local = models.PositiveIntegerField(default=0)
    armed_personnel = models.PositiveIntegerField(default=0)
    value = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, validators=[validate_currency])
    signed_on = models.DateField(null=True, blank=True, db_index=True)
    start = models.DateField(db_index=True)
    end = models.DateField(db_index=True)
    status = models.CharField(
        max_length=24, choices=ContractStatus.choices, default=ContractStatus.PLANNED
    )
    termination_reason = models.TextField(blank=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "id"]
        indexes = [
            models.Index(fields=["status", "end"], name="contract_status_end_idx"),
            models.Index(fields=["value"], name="contract_value_idx"),
            models.Index(fields=["company", "start"], name="contract_company_start_idx"),
            # A company's current or terminated contracts (the compliance facts, the hiring
            # check): without it PostgreSQL ANDs the company index with the status index, and
            # reads every current contract of the registry to keep a company's few.
            models.Index(fields=["company", "status", "end"], name="contract_company_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "reference"],
                name="contract_unique_reference_per_client",
                violation_error_message="This client already has a contract with that reference.",
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="contract_end_after_start",
                violation_error_message="A contract cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="contract_value_not_negative",
                violation_error_message="A contract value cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | ~Q(currency=""),
                name="contract_value_has_currency",
                violation_error_message="A contract value needs its currency.",
            ),
            models.CheckConstraint(
                condition=Q(
                    armed_personnel__lte=F("personnel_international")
                    + F("personnel_third_country")
                    + F("personnel_local")
                ),
                name="contract_armed_within_personnel",
                violation_error_message="Armed personnel cannot exceed the planned personnel.",
            ),
            models.CheckConstraint(
                condition=Q(armed=True) | Q(armed_personnel=0),
                name="contract_unarmed_has_no_armed_personnel",
                violation_error_message="An unarmed contract cannot plan armed personnel.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=TERMINATED_STATUSES) | ~Q(termination_reason=""),
                name="contract_termination_has_reason",
                violation_error_message="A terminated contract needs the reason for termination.",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("id")),
                name="contract_not_own_parent",
                violation_error_message="A contract cannot be its own prime contract.",
            ),
        ]

    def __str__(self):
        return f"{self.reference} ({self.client})"

    def clean(self):
        super().clean()
        # A mission's client contracts for that mission only: otherwise mission staff could
        # file a contract under their mission in another mission's name.
        if self.client_id is not None:
            client_mission = self.client.mission_id
            if client_mission is not None and client_mission != self.mission_id:
                raise ValidationError(
                    {"client": "This client belongs to another mission than the contract's."}
                )

    @property
    def personnel_total(self) -> int:
        return self.personnel_international + self.personnel_third_country + self.personnel_local


class ContractTally(models.Model):
    """How many contracts, and their value, per mission, start year and currency: what the
    dashboard charts, kept by database triggers on the contract table (migration 0008) so
    that every write keeps it, set-based ones and COPY included, and no request counts a
    million contracts. Rows whose contracts fell to zero stay, with zeros."""

    mission_key = models.BigIntegerField(help_text="The mission's id; 0 for no mission.")
    year = models.IntegerField(help_text="Year of the contracts' start.")
    currency = models.CharField(max_length=3, blank=True)
    contracts = models.BigIntegerField(default=0)
    valued = models.BigIntegerField(default=0, help_text="How many of them have a value.")
    value = models.DecimalField(max_digits=24, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mission_key", "year", "currency"], name="contract_tally_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mission_key}/{self.year}/{self.currency or '-'}: {self.contracts}"
