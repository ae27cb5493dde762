"""The second sign-in step for regulators, auditors and administrators (registry.twofactor):
verify a code, or enrol an authenticator app and receive recovery codes."""

import io

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from registry import twofactor

from ..forms_base import AccessibleFormMixin


class CodeForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class EnrolForm(CodeForm):
    code = forms.CharField(
        label="Code",
        max_length=16,
        help_text="The 6-digit code your authenticator app shows after adding the secret.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


WRONG_NEW_CODE = "That code is wrong or has expired: check the secret and try again."


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return settings.LOGIN_REDIRECT_URL


def _pending(request):
    """None when the request has nothing to do here; else the redirect to send it away with."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    if not twofactor.lacks_second_factor(request.user):
        return redirect(_next_url(request))
    return None


class LoginView(auth_views.LoginView):
    """The password step. Users whose role needs a second factor go on to it."""

    redirect_authenticated_user = True

    def get_success_url(self):
        url = super().get_success_url()
        if twofactor.lacks_second_factor(self.request.user):
            return twofactor.step_url(self.request.user, url)
        return url


@twofactor.otp_exempt
@sensitive_post_parameters("code")
@never_cache
@csrf_protect
def verify(request):
    away = _pending(request)
    if away is not None:
        return away
    user = request.user
    if twofactor.authenticator(user) is None:
        return redirect(twofactor.step_url(user, _next_url(request)))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, error = twofactor.check(user, form.cleaned_data["code"])
        if device is not None:
            twofactor.mark_verified(request, device)
            if twofactor.is_recovery(device):
                left = twofactor.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"You signed in with a recovery code; it cannot be used again. {left} left. "
                    "If you lost your authenticator app, set up a new one on your Two-factor page.",
                )
            return redirect(_next_url(request))
        form.add_error("code", error)
    return render(
        request, "registration/otp_verify.html", {"form": form, "next": _next_url(request)}
    )


@twofactor.otp_exempt
@sensitive_post_parameters("code")
@never_cache
@csrf_protect
def enrol(request):
    away = _pending(request)
    if away is not None:
        return away
    user = request.user
    if twofactor.authenticator(user) is not None:
        return redirect(twofactor.step_url(user, _next_url(request)))
    device = twofactor.start_enrolment(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("code", twofactor.THROTTLED)
        elif device.verify_token(twofactor.normalise(form.cleaned_data["code"])):
            codes = twofactor.confirm_enrolment(device)
            twofactor.mark_verified(request, device)
            return render(
                request,
                "registration/otp_recovery_codes.html",
                {"codes": [twofactor.display_code(c) for c in codes], "next": _next_url(request)},
            )
        else:
            form.add_error("code", WRONG_NEW_CODE)
    context = {
        "form": form,
        "next": _next_url(request),
        "secret": twofactor.display_secret(device),
    }
    return render(request, "registration/otp_enrol.html", context)


@twofactor.otp_exempt
@never_cache
def enrol_qr(request):
    """The QR code of the secret being enrolled (at the first sign-in, or replacing the
    authenticator from the Two-factor page), as SVG: an image, so no script or inline style."""
    if not twofactor.needs_otp(request.user):
        raise Http404
    device = twofactor.authenticator(request.user, confirmed=False)
    if device is None:
        raise Http404
    if twofactor.lacks_second_factor(request.user) and twofactor.authenticator(request.user):
        raise Http404  # a password-only session replaces nothing: it verifies first
    qr, out = segno.make(device.config_url, error="m"), io.BytesIO()
    qr.save(out, kind="svg", scale=5, border=2)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")
