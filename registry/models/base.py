from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models

from registry.validators import validate_no_control_characters

# Type checkers see the model the mixin goes into; at run time it is a plain mixin.
if TYPE_CHECKING:
    _ModelBase = models.Model
else:
    _ModelBase = object


class CleanTextMixin(_ModelBase):
    """Text fields refuse control characters (NUL and the like; tab and line breaks only in
    multi-line TextFields): checked in clean_fields(), so every door that validates the model
    (the write service, the API's serializers, the pages' and the admin's forms) refuses them."""

    def clean_fields(self, exclude=None):
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            if (exclude and field.name in exclude) or field.name in errors:
                continue
            try:
                validate_no_control_characters(
                    getattr(self, field.attname), multiline=isinstance(field, models.TextField)
                )
            except ValidationError as exc:
                errors[field.name] = exc.error_list
        if errors:
            raise ValidationError(errors)


class TimeStampedModel(CleanTextMixin, models.Model):
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
