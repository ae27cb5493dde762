"""One permission class; views declare who may read (`read_roles`) and write (`write_roles`),
and for writes the record's rule in registry.access.WRITE_RULES decides per record."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from registry import access
from registry.choices import Role

PUBLIC = access.PUBLIC
EVERYONE = frozenset({PUBLIC, Role.MISSION_STAFF, Role.REGULATOR, Role.AUDITOR, Role.ADMIN})
SIGNED_IN = EVERYONE - {PUBLIC}
OVERSIGHT = frozenset({Role.REGULATOR, Role.AUDITOR, Role.ADMIN})
REGULATORS = frozenset({Role.REGULATOR, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})
AUDITORS = frozenset({Role.AUDITOR, Role.ADMIN})


class RolePermission(BasePermission):
    def has_permission(self, request, view):
        method = request.method.lower()
        if method not in view.http_method_names or not hasattr(view, method):
            return True  # let the view answer 405
        role = access.viewer(request.user).role
        if request.method in SAFE_METHODS:
            return role in getattr(view, "read_roles", frozenset())
        return role in getattr(view, "write_roles", frozenset())

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True  # visibility was decided by the queryset
        return view.may_write(obj)
