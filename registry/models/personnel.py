import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from registry.choices import PersonnelOrigin, TrainingKind, VettingOutcome

from .base import Country, TimeStampedModel
from .companies import Company
from .contracts import Contract


def identity_hash(document_country: str, document_number: str) -> str:
    """Keyed hash of an identity document: the same person matches across companies, yet the
    number itself is never stored. Normalised so spacing and case do not split one person in two."""
    normalised = f"{document_country.strip().upper()}:{''.join(document_number.split()).upper()}"
    key = settings.IDENTITY_HASH_KEY.encode()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


class Person(TimeStampedModel):
    """Someone a company deploys. Sensitive: visible only above the personnel threshold."""

    full_name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    nationality = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    identity_hash = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text="HMAC-SHA256 of the identity document; the number is never stored.",
    )

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.full_name

    def set_identity_document(self, document_country: str, document_number: str) -> None:
        self.identity_hash = identity_hash(document_country, document_number)


class Employment(TimeStampedModel):
    """A person's employment by a company, optionally on a given contract."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="employments")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="employments")
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.PROTECT, related_name="employments"
    )
    role = models.CharField(max_length=120)
    armed = models.BooleanField(default=False)
    origin = models.CharField(max_length=16, choices=PersonnelOrigin.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="employment_end_after_start",
                violation_error_message="An employment cannot end before it starts.",
            )
        ]

    def __str__(self):
        return f"{self.person} at {self.company}"


class Vetting(TimeStampedModel):
    """The result of vetting a person, with the red flags the vetting found."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="vettings")
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.PROTECT, related_name="vettings"
    )
    vetted_on = models.DateField()
    vetted_by = models.CharField(max_length=200)
    outcome = models.CharField(max_length=10, choices=VettingOutcome.choices)
    serving_security_forces = models.BooleanField(default=False)
    former_security_forces = models.BooleanField(default=False)
    left_security_forces_on = models.DateField(null=True, blank=True)
    ddr_participant = models.BooleanField("DDR programme participant", default=False)
    dismissed_for_misconduct = models.BooleanField(
        default=False, help_text="Dismissed for misconduct by an earlier employer."
    )
    human_rights_concern = models.BooleanField(default=False)
    conflict_affiliation = models.CharField(
        max_length=200,
        blank=True,
        help_text="The party to the conflict the person is affiliated with.",
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-vetted_on", "id"]
        verbose_name_plural = "vettings"
        constraints = [
            models.CheckConstraint(
                condition=Q(left_security_forces_on__isnull=True) | Q(former_security_forces=True),
                name="vetting_left_forces_means_former",
                violation_error_message="A date of leaving the forces means the person is a former member.",
            )
        ]

    def __str__(self):
        return f"Vetting of {self.person} on {self.vetted_on}: {self.outcome}"


class Training(TimeStampedModel):
    """A training course a person completed."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="trainings")
    kind = models.CharField(max_length=20, choices=TrainingKind.choices)
    completed_on = models.DateField()
    provider = models.CharField(max_length=200, blank=True)
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-completed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("completed_on")),
                name="training_expires_after_completed",
                violation_error_message="Training cannot expire before it is completed.",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.person}"
