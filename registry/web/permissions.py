"""Which role may open which page. The rows a page shows come from registry.access."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from registry import access, twofactor
from registry.choices import Role

MISSION = (Role.MISSION_STAFF, Role.ADMIN)
REGULATOR = (Role.REGULATOR, Role.ADMIN)
AUDITOR = (Role.AUDITOR, Role.ADMIN)
# Roles that read contracts in full (each only those access.contracts() gives them).
CONTRACT_READERS = (Role.MISSION_STAFF, Role.REGULATOR, Role.AUDITOR, Role.ADMIN)
SIGNED_IN = CONTRACT_READERS


def role_required(*roles):
    """Anonymous callers are sent to the login page; signed-in callers of another role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if access.viewer(request.user).role not in roles:
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        # Marks the view with the roles it admits; mypy types no attribute set on a function.
        wrapped.allowed_roles = roles  # type: ignore[attr-defined]
        return wrapped

    return decorator


# (url name, label, roles that see it); public entries have roles None.
NAVIGATION = [
    ("web:search", "Public register", None),
    ("web:dashboard", "Dashboard", SIGNED_IN),
    ("web:hiring_check", "Hiring check", MISSION),
    ("web:contracts", "Contracts", CONTRACT_READERS),
    ("web:queue", "Work queue", REGULATOR),
]


def navigation(request):
    """Context processor: the viewer and the menu entries their role may use (the public ones
    only while a role that needs a second factor has not given it)."""
    v = access.viewer(request.user)
    role = access.PUBLIC if twofactor.lacks_second_factor(request.user) else v.role
    items = [(name, label) for name, label, roles in NAVIGATION if roles is None or role in roles]
    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match and match.namespace else None
    role_label = "Public" if v.is_public else Role(v.role).label
    return {
        "viewer": v,
        "nav_items": items,
        "nav_current": current,
        "role_label": role_label,
        "has_second_factor": twofactor.needs_otp(request.user),
    }
