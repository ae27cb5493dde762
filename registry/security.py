"""Login protection shared by every login door (web /login/, admin /admin/login/, API token).

- `client_ip`: the client's address, from X-Forwarded-For only behind TRUSTED_PROXY_COUNT
  trusted proxies; used by django-axes (AXES_CLIENT_IP_CALLABLE) and by the API throttles.
- django-axes counts failures per username and address in the database (shared by every worker)
  and locks that pair out for LOGIN_COOLOFF_MINUTES after LOGIN_FAILURE_LIMIT failures.
- `AccountLockoutBackend`: whatever the addresses, an account with LOGIN_ACCOUNT_FAILURE_LIMIT
  failures (axes' failure log) in the last LOGIN_ACCOUNT_WINDOW_MINUTES accepts no login.
- `LoginThrottleMiddleware`: the per-address login rate (the API's "login" throttle rate) on the
  web and admin login forms too, counted in the shared cache under the same key as the API's.
- Every decision is logged on the `registry.security` logger: door, result, username, address;
  never a password or a token.
"""

import datetime as dt
import ipaddress
import logging
import math
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from rest_framework import throttling

logger = logging.getLogger("registry.security")

SUCCESS, FAILURE, LOCKED = "success", "failure", "locked"


def client_ip(request) -> str:
    """The address of the client: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT = n > 0 proxies in
    front, the address the outermost trusted proxy saw (the n-th entry from the right of
    X-Forwarded-For). Entries left of it are the client's own words and are ignored, so a
    client cannot pick its address by sending the header."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            candidate = hops[-min(proxies, len(hops))]
            if _valid(candidate):
                return candidate
    return remote


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


USERNAME_MAX = 150  # django.contrib.auth's User.username


def axes_username(request, credentials=None):
    """AXES_USERNAME_CALLABLE: the username axes counts under, cut to a length the database
    keeps (axes' column is 255; the login form does not enforce the username's max_length),
    so an over-long name is a failure like any other, not a database error."""
    if credentials:
        name = credentials.get("username")
    else:
        try:
            data = getattr(request, "data", None)
            name = (data if isinstance(data, dict) else request.POST).get("username")
        except Exception:  # an unreadable body: no username
            name = None
    return None if name is None else str(name)[:USERNAME_MAX]


def door(request) -> str:
    path = getattr(request, "path", "") or ""
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/admin/"):
        return "admin"
    return "web"


def log_decision(request, username, result: str, reason: str = "") -> None:
    """One line per authentication decision. The username is logged with repr() so a name
    with line breaks cannot forge log lines; it is cut to 150 characters."""
    level = logging.INFO if result == SUCCESS else logging.WARNING
    logger.log(
        level,
        "login door=%s result=%s user=%r address=%s%s",
        door(request),
        result,
        str(username or "")[:USERNAME_MAX],
        client_ip(request),
        f" reason={reason}" if reason else "",
        extra={"door": door(request), "result": result},
    )


def cooloff_minutes() -> int:
    return settings.LOGIN_COOLOFF_MINUTES


def cooloff(request=None) -> dt.timedelta:
    """AXES_COOLOFF_TIME: read from LOGIN_COOLOFF_MINUTES, so the lockout and its message agree."""
    return dt.timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)


def failure_limit(request=None, credentials=None) -> int:
    """AXES_FAILURE_LIMIT: read from LOGIN_FAILURE_LIMIT."""
    return settings.LOGIN_FAILURE_LIMIT


def locked_message(minutes: int) -> str:
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed login attempts. Try again in {minutes} {unit}."


def locked_page(request, seconds: int):
    """The web and admin answer to a locked or throttled login: 429 with Retry-After. The
    same for every username, existing or not."""
    minutes = max(1, math.ceil(seconds / 60))
    response = render(
        request,
        "registration/locked.html",
        {"message": locked_message(minutes), "minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(int(seconds))
    return response


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the answer once a username and address pair (axes) or an account
    (AccountLockoutBackend) is locked."""
    return locked_page(request, retry_after(request))


def is_locked_out(request) -> bool:
    """After authenticate(): whether axes or AccountLockoutBackend refused or locked it."""
    return bool(getattr(request, "axes_locked_out", False))


def retry_after(request) -> int:
    """Seconds until a locked-out attempt may be tried again."""
    return getattr(request, "account_retry_after", None) or cooloff_minutes() * 60


def account_retry_after(username: str, now: dt.datetime | None = None) -> int:
    """0 if the account may try to log in; else the seconds until its failures in the window
    fall below LOGIN_ACCOUNT_FAILURE_LIMIT (when the limit-th newest leaves the window)."""
    from axes.models import AccessFailureLog

    now = now or timezone.now()
    window = dt.timedelta(minutes=settings.LOGIN_ACCOUNT_WINDOW_MINUTES)
    limit = settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    failures = AccessFailureLog.objects.filter(
        username=str(username)[:USERNAME_MAX], attempt_time__gt=now - window
    ).order_by("-attempt_time")
    oldest_counted = failures.values_list("attempt_time", flat=True)[limit - 1 : limit].first()
    if oldest_counted is None:
        return 0
    return max(1, math.ceil((oldest_counted + window - now).total_seconds()))


class AccountLockoutBackend:
    """Placed after axes' backend: refuses every login of an account over its failure limit,
    the right password included, so guessing spread over many addresses stops too. It marks
    the request as axes does, so each door answers it as a lockout (429, Retry-After). It has
    no get_user(): it never signs anyone in, so sessions never name it as their backend."""

    def authenticate(self, request, username=None, **credentials):
        if request is None or username is None:
            return None
        wait = account_retry_after(username)
        if wait:
            request.axes_locked_out = True
            request.account_retry_after = wait
            raise PermissionDenied
        return None


def delete_old_failures(now: dt.datetime | None = None) -> int:
    """Failed-login rows older than LOGIN_FAILURE_LOG_DAYS (the daily run calls this)."""
    from axes.models import AccessFailureLog

    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.LOGIN_FAILURE_LOG_DAYS)
    deleted, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    return deleted


def reset_failures(request, username: str) -> None:
    """A successful login clears the failures of that username from that address (the web
    and admin doors do this through axes' user_logged_in handler; the API issues a token
    without logging in, so it calls this)."""
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.update_request(request)
    AxesProxyHandler.get_implementation().reset_user_attempts(request, {"username": username})


class SlidingWindowThrottle(throttling.SimpleRateThrottle):
    """DRF's throttle, counting in constant space: the "sliding window counter" (as in nginx and
    Cloudflare's rate limiters) instead of DRF's list of every request's time.

    DRF's SimpleRateThrottle reads, prunes, pickles and writes back the time of every request
    in the window, on every request: at a rate of thousands an hour that is a list of thousands
    of floats per call, in the shared cache. Here the cache holds (window number, requests in
    that fixed window, requests in the one before), and the count of the sliding window is
    estimated as this window's requests plus the previous window's weighted by the share of
    it the sliding window still covers. One read and one write of three integers per request.
    """

    num_requests: int
    duration: int

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window, into = divmod(self.now, self.duration)
        self.current = self.previous = 0
        stored = self.cache.get(self.key)
        if isinstance(stored, tuple) and len(stored) == 3:
            if stored[0] == window:
                self.current, self.previous = stored[1], stored[2]
            elif stored[0] == window - 1:
                self.previous = stored[1]
        self.into = into
        if self._estimate(into) >= self.num_requests:
            return self.throttle_failure()
        self.cache.set(self.key, (window, self.current + 1, self.previous), 2 * self.duration)
        return True

    def _estimate(self, into: float) -> float:
        return self.current + self.previous * (1 - into / self.duration)

    def wait(self) -> float | None:
        """Seconds until the estimate is below the rate again: while this window lasts, as the
        previous window's share fades; else from the next window, as this one's does."""
        left = self.duration - self.into
        if self.current < self.num_requests and self.previous:
            excess = self._estimate(self.into) - self.num_requests
            seconds = excess * self.duration / self.previous
            if seconds <= left:
                return max(seconds, 0.0)
        return left + self.duration * max(0.0, 1 - self.num_requests / max(self.current, 1))


class LoginThrottle(SlidingWindowThrottle):
    """Slows password guessing per client address: the API token endpoint and the web and admin
    login forms (LoginThrottleMiddleware) share one count per address, in the shared cache. The
    rate is the API's "login" throttle rate, read on each request so settings overrides apply."""

    scope = "login"

    def get_rate(self):
        return throttle_rate(self.scope)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


def throttle_rate(scope: str) -> str | None:
    """The rate of a throttle scope in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], read when used."""
    return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get(scope)


class LoginThrottleMiddleware:
    """The per-address login rate on the web and admin login forms (POST), in the shared cache,
    the same bucket as the API token endpoint's LoginThrottle."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path_info in _login_paths():
            throttle = LoginThrottle()
            # No DRF view here: LoginThrottle keys on the client address alone.
            if not throttle.allow_request(request, None):
                username = request.POST.get("username", "")
                log_decision(request, username, LOCKED, reason="address-rate")
                return locked_page(request, math.ceil(throttle.wait() or 60))
        return self.get_response(request)


def _login_paths() -> set[str]:
    return {reverse("login"), reverse("admin:login")}


def _logged_in(sender, request, user, **kwargs):
    if request is not None:
        log_decision(request, user.get_username(), SUCCESS)


def _login_failed(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    result = LOCKED if is_locked_out(request) else FAILURE
    reason = "account" if getattr(request, "account_retry_after", None) else ""
    log_decision(request, credentials.get("username"), result, reason=reason)


def connect_signals() -> None:
    """Called from RegistryConfig.ready(). Axes is installed before `registry`, so its
    receivers run first and `axes_locked_out` is known when the failure is logged."""
    user_logged_in.connect(_logged_in, dispatch_uid="registry_security_logged_in")
    user_login_failed.connect(_login_failed, dispatch_uid="registry_security_login_failed")
