"""Two-factor authentication (TOTP, with one-time recovery codes) for the roles that read
investigation material and personnel records: regulators, auditors and administrators.

django-otp keeps the devices (otp_totp: the authenticator app; registry.RecoveryCodes: the
recovery codes, kept as digests) and marks a session verified (django_otp.login stores the device in the session; its
OTPMiddleware puts it back on request.user, and user.is_verified() says so). This module decides
who needs a second factor and holds the one check every door uses:

- web pages and the admin: SecondFactorMiddleware sends a password-only session of those roles
  to /login/verify/ (or /login/enrol/ when they have no authenticator yet);
- the admin site's has_permission also refuses such a session (registry/admin/accounts.py);
- the API: session authentication ignores such a session (api.authentication), and the token
  endpoint asks for a code in its `otp` field before it issues a token.

Mission staff keep password-only sign-in.

A user who lost their authenticator signs in with a recovery code and replaces it on their
"Two-factor" page (`confirm_enrolment` retires the old one); without codes left, an
administrator resets their second factor (`reset`), and they enrol again at their next sign-in.
Enrolment, replacement, a used recovery code and a reset are audit entries (the device models
are audited with their secrets masked; registry.audit.recorder).
"""

import secrets
from base64 import b32encode
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry import access
from registry.audit import recorder as audit
from registry.choices import Role
from registry.credentials import end_sessions
from registry.models import RecoveryCodes

OTP_ROLES = frozenset({Role.REGULATOR, Role.AUDITOR, Role.ADMIN})
TOTP_DEVICE_NAME = "authenticator app"
RECOVERY_DEVICE_NAME = "recovery codes"
RECOVERY_CODE_COUNT = 10
# 24 characters of the base32 alphabet (no 0, 1, 8 or 9 to misread): 120 random bits, over the
# 112 ASVS 2.6.2 asks of a lookup secret kept as a plain digest.
RECOVERY_CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
RECOVERY_CODE_LENGTH = 24


def needs_otp(user) -> bool:
    """True for a signed-in user whose role requires a second factor."""
    return bool(user is not None and user.is_authenticated) and (
        access.viewer(user).role in OTP_ROLES
    )


def is_verified(user) -> bool:
    """True when this request's session was verified with a second factor (OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def lacks_second_factor(user) -> bool:
    """Signed in with a password only, in a role that needs a second factor."""
    return needs_otp(user) and not is_verified(user)


def authenticator(user, confirmed=True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def normalise(code: str) -> str:
    """Codes as people type them: spaces and dashes dropped, recovery codes in lower case."""
    return "".join(ch for ch in (code or "") if ch not in " -\t").lower()


WRONG_CODE = "That code is wrong or has expired."
THROTTLED = "Too many wrong codes: wait a few seconds and try again."


def _model_for(code: str):
    return TOTPDevice if code.isdigit() else RecoveryCodes


def verify(user, code: str):
    """The device that accepts `code` (a 6-digit TOTP code or an unused recovery code), or None.

    A recovery code's digest is deleted as it is accepted; a TOTP code is not accepted twice (django-otp
    remembers the last time step). Each wrong code doubles a delay during which the device
    accepts nothing (django-otp's throttling, OTP_*_THROTTLE_FACTOR).
    """
    code = normalise(code)
    if not code:
        return None
    with transaction.atomic():
        devices = _model_for(code).objects.devices_for_user(user, confirmed=True)
        for device in devices.select_for_update():
            if device.verify_token(code):
                return device
    return None


def check(user, code: str):
    """(device, None) when `code` verifies, else (None, why): wrong, or refused unseen because a
    wrong-code delay is running on the kind of device the code is for."""
    code = normalise(code)
    model = _model_for(code) if code else TOTPDevice
    for device in model.objects.devices_for_user(user, confirmed=True):
        if not device.verify_is_allowed()[0]:
            return None, THROTTLED
    device = verify(user, code)
    return (device, None) if device is not None else (None, WRONG_CODE)


def recovery_codes_left(user) -> int:
    codes = RecoveryCodes.objects.filter(user=user, confirmed=True).first()
    return codes.remaining() if codes else 0


def is_recovery(device) -> bool:
    return isinstance(device, RecoveryCodes)


def mark_verified(request, device) -> None:
    """The session is verified from now on; its key changes (as on any sign-in)."""
    request.session.cycle_key()
    otp_login(request, device)


def start_enrolment(user) -> TOTPDevice:
    """The user's unconfirmed authenticator (a new secret if there is none yet)."""
    device = authenticator(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def confirm_enrolment(device: TOTPDevice) -> list[str]:
    """Confirm the authenticator and issue fresh recovery codes, returned once (shown to the user,
    never again). Every other authenticator of the user (a replaced one, unconfirmed ones) and
    the older recovery codes stop working."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        for old in TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk):
            old.delete()  # one by one, so each removal is an audit entry
        return new_recovery_codes(device.user)


def new_recovery_codes(user) -> list[str]:
    """RECOVERY_CODE_COUNT new codes, returned once; only their digests are kept, and the
    user's earlier codes stop working."""
    codes = [
        "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    with transaction.atomic():
        device = RecoveryCodes.objects.select_for_update().filter(user=user).first()
        if device is None:
            device = RecoveryCodes(user=user, name=RECOVERY_DEVICE_NAME)
        device.confirmed = True
        device.digests = [RecoveryCodes.digest(code) for code in codes]
        device.throttle_reset(commit=False)
        device.save()
    return codes


def reset(user, reason: str = "") -> None:
    """Remove the user's authenticators and recovery codes and end their sessions: they set up
    a new authenticator at their next sign-in (for a user who lost their device and codes)."""
    with transaction.atomic():
        for device in [
            *TOTPDevice.objects.filter(user=user),
            *RecoveryCodes.objects.filter(user=user),
        ]:
            device.delete()
        audit.record_event(user, "second_factor.reset", reason=reason)
    end_sessions(user)


def display_code(code: str) -> str:
    """abcd-efgh-ijkl-mnop-…: easier to copy by hand; the dashes are ignored when typed back."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def display_secret(device: TOTPDevice) -> str:
    """The secret in base32, as authenticator apps take it, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def step_url(user, next_url: str = "") -> str:
    """Where a password-only session of an OTP role goes next: verification, or enrolment."""
    name = "otp_verify" if authenticator(user) is not None else "otp_enrol"
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def otp_exempt(view):
    """Views a password-only session may open: the sign-in steps and logging out."""
    view.otp_exempt = True
    return view


class SecondFactorMiddleware:
    """Until a regulator, auditor or administrator has given their second factor, every page
    (the admin included) sends them to the verification (or enrolment) step. The API is left to
    its own authentication (see api.authentication.OTPSessionAuthentication and the token
    endpoint). Place it after django_otp.middleware.OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "otp_exempt", False):
            return None
        path = request.path_info
        if path.startswith(("/api/", "/" + settings.STATIC_URL.lstrip("/"))):
            return None
        if not lacks_second_factor(request.user):
            return None
        url = step_url(request.user, request.get_full_path())
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
