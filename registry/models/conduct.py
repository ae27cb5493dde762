from django.db import models
from django.db.models import F, Q

from registry.choices import StandardKind

from .base import TimeStampedModel
from .companies import Company


class ConductStandard(TimeStampedModel):
    """A code of conduct or a certifiable standard (ICoC, ANSI/ASIS PSC.1, ISO 18788, …)."""

    code = models.SlugField(max_length=40, unique=True, help_text="Stable short code, e.g. icoc.")
    name = models.CharField(max_length=250)
    kind = models.CharField(max_length=24, choices=StandardKind.choices)
    issuer = models.CharField(max_length=200, blank=True)
    url = models.URLField(blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "code or standard"
        verbose_name_plural = "codes and standards"

    def __str__(self):
        return self.name


class AdherenceQuerySet(models.QuerySet):
    def in_force_on(self, day):
        return self.filter(signed_on__lte=day).filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day)
        )


class Adherence(TimeStampedModel):
    """A company's commitment to a code of conduct, from signature until withdrawal."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="adherences")
    standard = models.ForeignKey(
        ConductStandard, on_delete=models.PROTECT, related_name="adherences"
    )
    signed_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    objects = AdherenceQuerySet.as_manager()

    class Meta:
        ordering = ["company_id", "-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("signed_on")),
                name="adherence_withdrawn_after_signed",
                violation_error_message="Withdrawal cannot come before signature.",
            ),
            models.UniqueConstraint(
                fields=["company", "standard", "signed_on"],
                name="adherence_unique_signature",
                violation_error_message="This adherence is already recorded.",
            ),
        ]

    def __str__(self):
        return f"{self.company} — {self.standard.code}"

    def in_force_on(self, day) -> bool:
        return self.signed_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)


class CertificationQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(issued_on__lte=day, expires_on__gte=day)


class Certification(TimeStampedModel):
    """A third-party certificate that a company meets a standard, valid between two dates."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="certifications")
    standard = models.ForeignKey(
        ConductStandard, on_delete=models.PROTECT, related_name="certifications"
    )
    certifying_body = models.CharField(max_length=200)
    certificate_number = models.CharField(max_length=80, blank=True)
    scope = models.TextField(blank=True)
    issued_on = models.DateField()
    expires_on = models.DateField(db_index=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["company_id", "-expires_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gte=F("issued_on")),
                name="certification_expires_after_issued",
                violation_error_message="A certificate cannot expire before it is issued.",
            ),
        ]

    def __str__(self):
        return f"{self.standard.code} certificate of {self.company}"
