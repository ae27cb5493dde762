"""Session lifetime and re-authentication (ASVS 3.3, 4.3.3).

- Absolute timeout: a session ends SESSION_ABSOLUTE_HOURS after the login, whatever happens.
- Idle timeout: a session ends after SESSION_IDLE_MINUTES without a request.
- Re-authentication: sensitive forms (licence transitions, waivers) ask for the password again
  when it was last entered more than REAUTH_MINUTES ago (see password_field_if_needed()).

The times are kept in the session as POSIX timestamps: the login, the last activity (written
at most every ACTIVITY_RESOLUTION seconds, so an ordinary request does not save the session)
and the last password entry.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, authenticate, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.utils import timezone

LOGIN_AT = "_session_login_at"
SEEN_AT = "_session_seen_at"
PASSWORD_AT = "_session_password_at"
# Seconds: the last activity is saved when it is older than this (the idle timeout's precision).
ACTIVITY_RESOLUTION = 60


def _now() -> float:
    # Through django.utils.timezone so tests can travel in time by patching timezone.now.
    return timezone.now().timestamp()


def on_login(sender, request, user, **kwargs):
    """user_logged_in: the session starts now, and the password was just entered."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = _now()
    session[LOGIN_AT] = session[SEEN_AT] = session[PASSWORD_AT] = now


def expiry_reason(session, now: float) -> str | None:
    """Why the signed-in session has ended, or None while it is current."""
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    hours, minutes = settings.SESSION_ABSOLUTE_HOURS, settings.SESSION_IDLE_MINUTES
    if login_at is not None and now - login_at >= hours * 3600:
        return f"Your session ended {hours} hours after you logged in; please log in again."
    if seen_at is not None and now - seen_at >= minutes * 60:
        return f"Your session ended after {minutes} minutes without activity; please log in again."
    return None


class SessionTimeoutMiddleware:
    """Log out a session past its absolute or idle limit. Web pages go to the login page with a
    message; the API answers 401 in its error shape. Place it after AuthenticationMiddleware and
    MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.get(SESSION_KEY) is None:  # not signed in: nothing to time out
            return self.get_response(request)
        now = _now()
        reason = expiry_reason(session, now)
        if reason is not None:
            logout(request)
            if request.path_info.startswith("/api/"):
                if "HTTP_AUTHORIZATION" not in request.META:
                    body = {"status": 401, "code": "session_expired", "detail": reason}
                    return JsonResponse(body, status=401, headers={"WWW-Authenticate": "Token"})
                return self.get_response(request)  # token authentication does not need it
            messages.info(request, reason)
            if request.path_info == resolve_url(settings.LOGIN_URL):
                return self.get_response(request)
            response: HttpResponse = redirect_to_login(request.get_full_path())
            if request.headers.get("HX-Request"):
                # htmx would follow the redirect into a fragment: make it load the login page.
                response = HttpResponse(status=204, headers={"HX-Redirect": response["Location"]})
            return response
        if session.get(LOGIN_AT) is None:  # a session from before these limits: starts now
            session[LOGIN_AT] = now
        if session.get(SEEN_AT) is None or now - session[SEEN_AT] >= ACTIVITY_RESOLUTION:
            session[SEEN_AT] = now
        return self.get_response(request)


# --- re-authentication ---------------------------------------------------------------------------


def password_is_recent(request) -> bool:
    entered = request.session.get(PASSWORD_AT)
    return entered is not None and _now() - entered < settings.REAUTH_MINUTES * 60


def mark_password_entered(request) -> None:
    request.session[PASSWORD_AT] = _now()


class ReauthPasswordField(forms.CharField):
    """The signed-in user's password, checked on clean: a wrong one is this field's error.

    Checked through authenticate(), like a login: failures send user_login_failed and count
    towards a lockout (django-axes) exactly as wrong passwords at the login page do."""

    def __init__(self, user, request, **kwargs):
        self.user, self.request = user, request
        kwargs.setdefault("label", "Your password")
        kwargs.setdefault(
            "help_text",
            f"You last entered your password more than {settings.REAUTH_MINUTES} minutes ago; "
            "enter it again to confirm this change.",
        )
        kwargs.setdefault("max_length", 4096)
        super().__init__(
            widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
            strip=False,
            **kwargs,
        )

    def clean(self, value):
        value = super().clean(value)
        user = authenticate(self.request, username=self.user.get_username(), password=value)
        if user is None or user.pk != self.user.pk:
            raise forms.ValidationError("That is not your password.", code="wrong_password")
        mark_password_entered(self.request)
        return value


REAUTH_FIELD = "reauth_password"


def password_field_if_needed(form, request):
    """Add the password field to `form` when the user's last password entry is too old.

    Call it before form.is_valid(); the form is then valid only with the right password. The
    field is named REAUTH_FIELD; a form that renders its fields by iteration shows it as is.
    """
    if not password_is_recent(request):
        form.fields[REAUTH_FIELD] = ReauthPasswordField(request.user, request)
        if hasattr(form, "_describe"):  # AccessibleFormMixin: help text tied to the field
            form._describe()
    return form
