import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

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


class RecoveryCodes(TimestampMixin, ThrottlingMixin, Device):
    """A user's one-time recovery codes, a django-otp device: SHA-256 digests only, so the codes
    cannot be read back from the database (each is 120 random bits, too many to guess from a
    digest; registry.twofactor issues them). Using a code removes its digest."""

    digests = models.JSONField(default=list)

    class Meta:
        verbose_name = "recovery codes"
        verbose_name_plural = "recovery codes"

    @staticmethod
    def digest(code: str) -> str:
        return hashlib.sha256(code.encode()).hexdigest()

    def get_throttle_factor(self):
        return settings.OTP_RECOVERY_THROTTLE_FACTOR

    def verify_token(self, token) -> bool:
        if not self.verify_is_allowed()[0]:
            return False
        wanted = self.digest(str(token))
        kept = [d for d in self.digests if not hmac.compare_digest(d, wanted)]
        if len(kept) == len(self.digests):
            self.throttle_increment()
            return False
        self.digests = kept
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True

    def remaining(self) -> int:
        return len(self.digests)
