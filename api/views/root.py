"""GET /api/v1/: the resources the caller may use and with which methods.

Worked out from what the views declare (`read_roles`, `write_roles`, the methods they answer)
and from the router's registry, by the same test RolePermission applies to each request, so the
root cannot promise what the resource refuses, nor leave out what it allows.
"""

from django.core.exceptions import ImproperlyConfigured
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView
from rest_framework.viewsets import ViewSetMixin

from api.permissions import EVERYONE
from registry import access
from registry.choices import Role

METHOD_ORDER = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")
_WRITE_ACTIONS = {"create": "POST", "update": "PUT", "partial_update": "PATCH", "destroy": "DELETE"}


def view_methods(view_class) -> set[str]:
    """The HTTP methods a view (or a viewset, over its routes) answers."""
    if issubclass(view_class, ViewSetMixin):
        methods = set()
        if hasattr(view_class, "list") or hasattr(view_class, "retrieve"):
            methods.add("GET")
        methods |= {m for action, m in _WRITE_ACTIONS.items() if hasattr(view_class, action)}
        for extra in view_class.get_extra_actions():
            methods |= {m.upper() for m in extra.mapping}
    else:
        methods = {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)}
        methods.discard("OPTIONS")
    if "GET" in methods:
        methods |= {"HEAD", "OPTIONS"}
    return methods & {m.upper() for m in view_class.http_method_names}


def allowed_methods(view_class, role: str, method_roles: dict | None = None) -> list[str]:
    """The methods `role` may use: safe ones by `read_roles`, the others by `write_roles`
    (RolePermission's rule), or by `method_roles` for a view that decides otherwise."""

    def may(method):
        if method_roles is not None:
            return role in method_roles.get(method, frozenset())
        declared = "read_roles" if method in SAFE_METHODS else "write_roles"
        return role in getattr(view_class, declared, frozenset())

    methods = view_methods(view_class)
    return [m for m in METHOD_ORDER if m in methods and may(m)]


class ResourceSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="Absolute URL of the list (or of the endpoint).")
    read = serializers.BooleanField(help_text="Your role may read it.")
    write = serializers.BooleanField(
        help_text="Your role may write to it (which records, the resource decides per record)."
    )
    methods = serializers.ListField(
        child=serializers.ChoiceField(choices=METHOD_ORDER),
        help_text="The HTTP methods your role may use on it and its records.",
    )


class ApiRootSerializer(serializers.Serializer):
    role = serializers.ChoiceField(
        choices=[access.PUBLIC, *Role.values], help_text="Your role ('public' when anonymous)."
    )
    resources = serializers.DictField(
        child=ResourceSerializer(), help_text="The resources your role may use, by name."
    )


class ResourceIndex(APIView):
    """A view that works out the resources the caller's role may use. `router` lists the
    resources and `endpoints` the other views: (name, URL name, view class, roles per method
    or None); api/urls.py gives both to as_view()."""

    router: BaseRouter | None = None
    endpoints: tuple = ()

    def entries(self):
        if self.router is None:
            raise ImproperlyConfigured(f"{type(self).__name__}.as_view() needs the router")
        for prefix, viewset, basename in self.router.registry:
            yield prefix, f"api:{basename}-list", viewset, None
        yield from self.endpoints

    def resources(self, request, role: str) -> dict[str, dict]:
        resources = {}
        for name, url_name, view_class, method_roles in self.entries():
            methods = allowed_methods(view_class, role, method_roles)
            if not methods:
                continue
            resources[name] = {
                "url": reverse(url_name, request=request),
                "read": any(m in SAFE_METHODS for m in methods),
                "write": any(m not in SAFE_METHODS for m in methods),
                "methods": methods,
            }
        return resources


class ApiRootView(ResourceIndex):
    """The API's index for the caller's role."""

    read_roles = EVERYONE

    @extend_schema(
        responses=ApiRootSerializer,
        summary="The resources your role may use: name → URL, and the methods it may use",
    )
    def get(self, request, *args, **kwargs):
        role = access.viewer(request.user).role
        resources = self.resources(request, role)
        return Response(ApiRootSerializer({"role": role, "resources": resources}).data)
