"""The signed-in user's own account pages: their API tokens, listed and revocable."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from api.models import ApiToken


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
