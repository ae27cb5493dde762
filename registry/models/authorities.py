from django.db import models

from .base import Country, TimeStampedModel


class LicensingAuthority(TimeStampedModel):
    """The body of a state that registers and licenses private security companies."""

    name = models.CharField(max_length=200)
    acronym = models.CharField(max_length=30, blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="authorities")
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "licensing authorities"
        constraints = [
            models.UniqueConstraint(
                fields=["country", "name"],
                name="authority_unique_name_per_country",
                violation_error_message="This country already has an authority of that name.",
            )
        ]

    def __str__(self):
        return f"{self.acronym or self.name} ({self.country_id})"
