from django.db import models

from registry.choices import Standing

from .companies import Company


class StandingChange(models.Model):
    """One change of a company's cached standing: from what, to what, why, when and what caused
    it. Written only by registry.compliance.standing_cache.write_standing, never edited."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="standing_changes")
    from_standing = models.CharField(
        max_length=12,
        choices=Standing.choices,
        null=True,
        blank=True,
        help_text="Empty for the first standing computed for the company.",
    )
    to_standing = models.CharField(max_length=12, choices=Standing.choices)
    reasons = models.JSONField(
        default=list,
        blank=True,
        help_text="The reasons at that moment: [{code, severity, message}].",
    )
    at = models.DateTimeField()
    on = models.DateField(help_text="The date the standing was evaluated for.")
    cause = models.CharField(
        max_length=200, help_text="The write or event that caused it, e.g. 'licence.suspend'."
    )
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["company_id", "at", "id"]
        indexes = [models.Index(fields=["company", "at"], name="standing_change_company_at")]

    def __str__(self):
        return f"{self.company_id}: {self.from_standing or '—'} → {self.to_standing} ({self.at:%Y-%m-%d})"
