"""Per-user and per-client throttles. Rates are read on each request so settings overrides apply."""

from django.conf import settings
from rest_framework import throttling


class _SettingsRate:
    def get_rate(self):
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get(self.scope)


class AnonThrottle(_SettingsRate, throttling.AnonRateThrottle):
    pass


class UserThrottle(_SettingsRate, throttling.UserRateThrottle):
    pass


class LoginThrottle(_SettingsRate, throttling.AnonRateThrottle):
    """Slows password guessing on the token endpoint, per client address."""

    scope = "login"
