"""The signed-in user's own account pages: their API tokens, listed and revocable, and their
second factor (recovery codes renewed, authenticator replaced)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from registry import twofactor
from registry.models import ApiToken
from registry.sessions import REAUTH_FIELD, password_field_if_needed

from ..forms_base import AccessibleFormMixin
from .twofactor import WRONG_NEW_CODE, EnrolForm


def _signed_in(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@_signed_in
def tokens(request):
    """The user's tokens, newest first: times and state only, never any part of a key."""
    rows = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id")
    return render(request, "registry/tokens.html", {"tokens": rows, "now": timezone.now()})


@require_POST
@_signed_in
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # another user's: 404
    if token.revoked_at is None:
        token.revoke()
        messages.success(request, f"API token {token.pk} is revoked.")
    return redirect("web:tokens")


class ConfirmForm(AccessibleFormMixin, forms.Form):
    """Nothing to fill in but, when it was entered long ago, the password (password_field_if_needed)."""


@_signed_in
def two_factor(request):
    """The user's second factor: their authenticator app and how many recovery codes are left;
    new recovery codes (the old ones stop working) and a link to replace the authenticator."""
    user = request.user
    if not twofactor.needs_otp(user):
        raise Http404
    form = password_field_if_needed(ConfirmForm(request.POST or None), request)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.new_recovery_codes(user)
        return render(
            request,
            "registration/otp_recovery_codes.html",
            {
                "codes": [twofactor.display_code(c) for c in codes],
                "next": reverse("web:two_factor"),
                "renewed": True,
            },
        )
    context = {
        "authenticator": twofactor.authenticator(user),
        "codes_left": twofactor.recovery_codes_left(user),
        "form": form,
    }
    return render(request, "registry/two_factor.html", context)


@sensitive_post_parameters("code", REAUTH_FIELD)
@_signed_in
def two_factor_replace(request):
    """Set up a new authenticator app (say, after losing the phone and signing in with a
    recovery code). The old one keeps working until the new one is confirmed."""
    user = request.user
    if not twofactor.needs_otp(user):
        raise Http404
    device = twofactor.start_enrolment(user)
    form = password_field_if_needed(EnrolForm(request.POST or None), request)
    if request.method == "POST" and form.is_valid():
        code = twofactor.normalise(form.cleaned_data["code"])
        if not device.verify_is_allowed()[0]:
            form.add_error("code", twofactor.THROTTLED)
        elif device.verify_token(code):
            codes = twofactor.confirm_enrolment(device)
            twofactor.mark_verified(request, device)
            return render(
                request,
                "registration/otp_recovery_codes.html",
                {
                    "codes": [twofactor.display_code(c) for c in codes],
                    "next": reverse("web:two_factor"),
                    "replaced": True,
                },
            )
        else:
            form.add_error("code", WRONG_NEW_CODE)
    context = {"form": form, "secret": twofactor.display_secret(device), "replacing": True}
    return render(request, "registration/otp_enrol.html", context)
