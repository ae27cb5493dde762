"""Per-user and per-client throttles (the login throttle is registry.security.LoginThrottle). Rates are read on each request so settings overrides apply.

The client is identified by registry.security.client_ip (X-Forwarded-For only behind
TRUSTED_PROXY_COUNT trusted proxies), the same address django-axes uses, so a client cannot
escape its budget by sending a new X-Forwarded-For. Counts live in the default cache, which is
shared by every worker in production (CACHE_URL), three integers per client and scope
(registry.security.SlidingWindowThrottle).
"""

from typing import TYPE_CHECKING

from rest_framework import throttling

from registry.security import SlidingWindowThrottle, client_ip, throttle_rate

# Type checkers see the throttle the mixin goes into; at run time it is a plain mixin.
if TYPE_CHECKING:
    _ThrottleBase = throttling.SimpleRateThrottle
else:
    _ThrottleBase = object


class _SettingsRate(_ThrottleBase):
    def get_rate(self):
        return throttle_rate(self.scope or "")

    def get_ident(self, request):
        return client_ip(request)


class AnonThrottle(_SettingsRate, SlidingWindowThrottle, throttling.AnonRateThrottle):
    pass


class UserThrottle(_SettingsRate, SlidingWindowThrottle, throttling.UserRateThrottle):
    pass
