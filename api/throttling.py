"""Per-user and per-client throttles (the login throttle is registry.security.LoginThrottle). Rates are read on each request so settings overrides apply.

The client is identified by registry.security.client_ip (X-Forwarded-For only behind
TRUSTED_PROXY_COUNT trusted proxies), the same address django-axes uses, so a client cannot
escape its budget by sending a new X-Forwarded-For. Counts live in the default cache, which is
shared by every worker in production (CACHE_URL).
"""

from rest_framework import throttling

from registry.security import client_ip, throttle_rate


class _SettingsRate:
    def get_rate(self):
        return throttle_rate(self.scope)

    def get_ident(self, request):
        return client_ip(request)


class AnonThrottle(_SettingsRate, throttling.AnonRateThrottle):
    pass


class UserThrottle(_SettingsRate, throttling.UserRateThrottle):
    pass
