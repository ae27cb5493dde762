from django.conf import settings
from django.db import models
from django.db.models import Q

from registry.choices import Role

from .authorities import LicensingAuthority
from .missions import Mission


class Profile(models.Model):
    """A user's role in the registry and what it is bound to (an authority or missions)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    authority = models.ForeignKey(
        LicensingAuthority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="regulators",
        help_text="For regulators: the authority they act for.",
    )
    missions = models.ManyToManyField(
        Mission, blank=True, related_name="staff", help_text="For mission staff: their missions."
    )

    class Meta:
        ordering = ["user__username"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.REGULATOR) | Q(authority__isnull=False),
                name="profile_regulator_has_authority",
                violation_error_message="A regulator must be bound to a licensing authority.",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.REGULATOR) | Q(authority__isnull=True),
                name="profile_only_regulator_has_authority",
                violation_error_message="Only regulators are bound to an authority.",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"
