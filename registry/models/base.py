from django.db import models


class TimeStampedModel(models.Model):
    """Every registry record knows when it was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True


class Country(models.Model):
    """An ISO 3166-1 country. Rows come from a data migration; the code is the key."""

    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return f"{self.name} ({self.code})"


class ServiceCategory(models.Model):
    """One entry of the fixed service catalogue (registry.choices.SERVICE_CATALOGUE)."""

    code = models.CharField(max_length=40, primary_key=True)
    name = models.CharField(max_length=100)
    armed = models.BooleanField(help_text="The service by nature involves armed personnel.")
    description = models.TextField()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "service categories"

    def __str__(self):
        return self.name
