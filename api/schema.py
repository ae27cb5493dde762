"""OpenAPI: every operation documents the errors it can answer, in the one error shape, the
credentials it needs, and foreign-key filters as integers.

The answers and the security of an operation are worked out from what its view declares
(`read_roles`, `write_roles`, or the roles per method in api.urls.OTHER_ENDPOINTS), by the rule
RolePermission applies, so the schema cannot promise what the view refuses:

- 401 everywhere (wrong or expired credentials are refused even where none are needed), 429
  everywhere (throttles);
- 403 where a signed-in role can be refused: writes to records (and their write rules), and
  calls that not every signed-in role may make;
- 404 on paths with a record in them and on paginated lists (a page or cursor that does not
  exist); 400 on lists (strict filters) and writes with a body;
- 409 on writes to records (state conflicts, duplicate natural keys, an Idempotency-Key still
  in flight), 412 on PUT and PATCH (If-Match), 415 on writes with a JSON body;
- the optional `Idempotency-Key` header and its 422 on the creates and licence transitions
  (the view methods decorated with api.idempotency.idempotent);
- `security` lists the token and the session, plus `{}` (no credentials) where anonymous
  callers are served: register reads, the API root, POST /auth/token/ (only `{}`).
"""

from django_filters import ModelChoiceFilter, ModelMultipleChoiceFilter
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from rest_framework.permissions import SAFE_METHODS

from registry import access
from registry.filters import NumberInFilter

from .errors import ErrorSerializer
from .idempotency import PARAMETER as IDEMPOTENCY_KEY
from .idempotency import is_idempotent
from .permissions import SIGNED_IN

ERRORS = {
    "400": "Invalid input or filter; `fields` says which and why.",
    "401": "No or invalid credentials.",
    "403": "Your role may not do this.",
    "404": "No such record, or none you may know of (on a list: no such page or cursor).",
    "409": "Conflicts with the record's current state (e.g. an illegal licence transition, or a "
    "record with the same natural key).",
    "412": "If-Match does not match the record's current ETag; nothing was changed.",
    "415": "Send JSON (Content-Type: application/json).",
    "422": "The Idempotency-Key was already used for another path or body; nothing was changed.",
    "429": "Too many requests; see the Retry-After header.",
}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def method_roles(view_class, method: str) -> frozenset:
    """The roles that may call `method` on the view: RolePermission's rule, or the roles per
    method that api.urls declares for a view that decides otherwise (the token view)."""
    from .urls import OTHER_ENDPOINTS  # the URL conf is loaded before any schema is generated

    for _route, cls, _name, per_method in OTHER_ENDPOINTS:
        if cls is view_class and per_method is not None:
            return frozenset(per_method.get(method, ()))
    declared = "read_roles" if method in SAFE_METHODS else "write_roles"
    return frozenset(getattr(view_class, declared, ()))


def _is_record_view(view) -> bool:
    from .views.base import RegistryMixin

    return isinstance(view, RegistryMixin)


class AutoSchema(BaseAutoSchema):
    def _error_codes(self) -> list[str]:
        method = self.method.upper()
        roles = method_roles(type(self.view), method)
        codes = ["401", "429"]
        if (method in WRITES and _is_record_view(self.view)) or not roles >= SIGNED_IN:
            codes.append("403")  # a record's write rule, or a role that may not call it
        if method in ("POST", "PUT", "PATCH"):
            codes += ["400", "415"]
        if method in WRITES and _is_record_view(self.view):
            codes.append("409")
        if method in ("PUT", "PATCH") and _is_record_view(self.view):
            codes.append("412")
        if self._is_list_view():
            codes.append("400")
            if getattr(self.view, "pagination_class", None) is not None:
                codes.append("404")  # a page or cursor that does not exist
        if "{" in self.path:
            codes.append("404")
        if is_idempotent(self.view):
            codes.append("422")
        return sorted(set(codes))

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if is_idempotent(self.view):
            parameters = [*parameters, IDEMPOTENCY_KEY]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        exports = getattr(self.view, "exports", None)
        if exports and self._is_list_view() and "200" in responses:
            for name, export in exports.items():
                responses["200"]["content"][export.media_type] = {
                    "schema": {
                        "type": "string",
                        "description": f"The whole filtered set as {name.upper()}, streamed.",
                    }
                }
        ref = self.resolve_serializer(ErrorSerializer, "response").ref
        for code in self._error_codes():
            responses.setdefault(
                code,
                {"description": ERRORS[code], "content": {"application/json": {"schema": ref}}},
            )
        return responses


# Ids are 64-bit (BigAutoField): the API knows no others.
INT64 = {"minimum": -(2**63), "maximum": 2**63 - 1}


def _integer(schema: dict) -> None:
    target = schema["items"] if schema.get("type") == "array" else schema
    if target.get("type") in ("number", "integer"):
        target.update(type="integer", format="int64", **INT64)


def _is_id_filter(filter_) -> bool:
    if isinstance(filter_, NumberInFilter):  # ids, comma-separated (registry.filters)
        return True
    if isinstance(filter_, ModelChoiceFilter | ModelMultipleChoiceFilter):
        model = getattr(filter_.queryset, "model", None)
        return model is not None and model._meta.pk.get_internal_type().endswith("AutoField")
    return False


def _foreign_key_filters(view_class) -> set[str]:
    filterset = getattr(view_class, "filterset_class", None)
    if filterset is None:
        return set()
    return {name for name, filter_ in filterset.base_filters.items() if _is_id_filter(filter_)}


def postprocess(result, generator, request, public):
    """SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]: per operation, `security` with `{}` where
    anonymous callers are served; foreign-key filters and digit-only path keys typed as
    integers (django-filter's number filters are otherwise documented as `number`)."""
    for path, _regex, method, callback in generator.endpoints:
        path = path.replace("{pk}", "{id}")  # as SCHEMA_COERCE_PATH_PK writes it
        operation = result["paths"].get(path, {}).get(method.lower())
        if operation is None:
            continue
        view_class = callback.cls
        roles = method_roles(view_class, method)
        if access.PUBLIC in roles:
            security = [s for s in operation.get("security", []) if s]
            operation["security"] = [*security, {}]
        foreign_keys = _foreign_key_filters(view_class)
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] in foreign_keys:
                _integer(parameter["schema"])
            elif parameter["in"] == "path" and parameter["schema"].get("pattern") in (
                r"^\d+$",
                "^[0-9]+$",
            ):
                parameter["schema"] = {"type": "integer"}  # lookup_value_regex \d+ (audit seq)
            if parameter["in"] == "path" and parameter["schema"].get("type") == "integer":
                _integer(parameter["schema"])
    return result
