"""OpenAPI: every operation documents the errors it can answer, in the one error shape."""

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema

from .errors import ErrorSerializer

ERRORS = {
    "400": "Invalid input or filter; `fields` says which and why.",
    "401": "No or invalid credentials.",
    "403": "Your role may not do this.",
    "404": "No such record, or none you may know of.",
    "409": "Conflicts with the record's current state (e.g. an illegal licence transition).",
    "412": "If-Match does not match the record's current ETag; nothing was changed.",
    "415": "Send JSON (Content-Type: application/json).",
    "429": "Too many requests; see the Retry-After header.",
}


class AutoSchema(BaseAutoSchema):
    def _error_codes(self) -> list[str]:
        method = self.method.upper()
        codes = ["401", "429"]
        if method in ("POST", "PUT", "PATCH"):
            codes += ["400", "403", "409", "415"]
        if method in ("PUT", "PATCH"):
            codes.append("412")
        if self._is_list_view():
            codes.append("400")
        if "{" in self.path:
            codes.append("404")
        return sorted(set(codes))

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        ref = self.resolve_serializer(ErrorSerializer, "response").ref
        for code in self._error_codes():
            responses.setdefault(
                code,
                {"description": ERRORS[code], "content": {"application/json": {"schema": ref}}},
            )
        return responses
