import datetime as dt
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from registry.choices import LicenceAction, LicenceState
from registry.validators import validate_subdivision_list

from .authorities import LicensingAuthority
from .base import Country, ServiceCategory, TimeStampedModel
from .companies import Company


class LicenceQuerySet(models.QuerySet):
    def active_on(self, day):
        """Licences in force on `day`: granted, not suspended or ended, and within their dates."""
        return self.filter(state=LicenceState.ACTIVE, valid_from__lte=day, valid_until__gte=day)

    def lapsed_by(self, day: dt.date) -> Self:
        """Active or suspended licences whose end date is before `day`: due to expire."""
        return self.filter(
            state__in=[LicenceState.ACTIVE, LicenceState.SUSPENDED], valid_until__lt=day
        )


class Licence(TimeStampedModel):
    """A licence an authority grants a company for given services in given countries.

    The state changes only through registry.services.licensing, which records a LicenceEvent.
    """

    authority = models.ForeignKey(
        LicensingAuthority, on_delete=models.PROTECT, related_name="licences"
    )
    number = models.CharField(max_length=60)
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="licences")
    services = models.ManyToManyField(ServiceCategory, related_name="licences")
    countries = models.ManyToManyField(Country, related_name="licences")
    subdivisions = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_subdivision_list],
        help_text="Optional ISO 3166-2 codes narrowing the licence within its countries.",
    )
    weapons_authorised = models.BooleanField(default=False)
    max_armed_personnel = models.PositiveIntegerField(null=True, blank=True)
    conditions = models.TextField(blank=True)
    valid_from = models.DateField()
    valid_until = models.DateField()
    state = models.CharField(
        max_length=12, choices=LicenceState.choices, default=LicenceState.APPLIED, editable=False
    )
    state_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LicenceQuerySet.as_manager()

    class Meta:
        ordering = ["authority_id", "number"]
        indexes = [
            models.Index(fields=["state", "valid_until"], name="licence_state_until_idx"),
            models.Index(fields=["valid_until"], name="licence_valid_until_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "number"],
                name="licence_unique_number_per_authority",
                violation_error_message="This authority already issued a licence with that number.",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")),
                name="licence_valid_until_after_from",
                violation_error_message="A licence cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(weapons_authorised=True)
                | Q(max_armed_personnel__isnull=True)
                | Q(max_armed_personnel=0),
                name="licence_armed_cap_needs_weapons",
                violation_error_message="Armed personnel are only allowed when weapons are authorised.",
            ),
            models.CheckConstraint(
                condition=Q(state__in=LicenceState.values),
                name="licence_state_valid",
                violation_error_message="Unknown licence state.",
            ),
        ]

    # Once granted or refused, these change only through a transition (renew), so the event log
    # tells the whole story.
    FIXED_ONCE_DECIDED = ("authority", "number", "company", "valid_from", "valid_until")

    def __str__(self):
        return f"{self.number} ({self.authority})"

    def clean(self):
        super().clean()
        if self.pk and self.state != LicenceState.APPLIED:
            columns = [
                field.attname
                for name in self.FIXED_ONCE_DECIDED
                if isinstance(field := self._meta.get_field(name), models.Field)
            ]
            stored = Licence.objects.filter(pk=self.pk).values(*columns).first() or {}
            changed = {
                name: "Fixed once the licence is decided; dates change by renewal."
                for name, column in zip(self.FIXED_ONCE_DECIDED, columns, strict=True)
                if column in stored and stored[column] != getattr(self, column)
            }
            if changed:
                raise ValidationError(changed)
        if self.subdivisions and self.pk:
            countries = set(self.countries.values_list("code", flat=True))
            stray = [s for s in self.subdivisions if s.split("-")[0] not in countries]
            if stray:
                raise ValidationError(
                    {"subdivisions": f"Not within the licence's countries: {', '.join(stray)}."}
                )

    def effective_state(self, on) -> str:
        """The state as of `on`: an active or suspended licence past its end date is expired."""
        if self.state in (LicenceState.ACTIVE, LicenceState.SUSPENDED) and self.valid_until < on:
            return LicenceState.EXPIRED
        return self.state

    def is_active_on(self, day) -> bool:
        return self.state == LicenceState.ACTIVE and self.valid_from <= day <= self.valid_until


class LicenceEvent(models.Model):
    """One state change of a licence: who did what, when, and why. Never edited."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=LicenceAction.choices)
    from_state = models.CharField(max_length=12, choices=LicenceState.choices)
    to_state = models.CharField(max_length=12, choices=LicenceState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(
        max_length=150, help_text="The user's name, or the system principal (e.g. a command)."
    )
    at = models.DateTimeField(db_index=True)
    reason = models.TextField()
    valid_from = models.DateField(null=True, blank=True, help_text="New start date (renewal).")
    valid_until = models.DateField(null=True, blank=True, help_text="New end date (renewal).")

    class Meta:
        ordering = ["licence_id", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="licence_event_has_reason",
                violation_error_message="Every licence state change needs a reason.",
            )
        ]

    def __str__(self):
        return f"{self.licence.number}: {self.from_state} → {self.to_state} ({self.action})"
