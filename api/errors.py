"""One JSON error shape for every error the API answers:

    {"status": 400, "code": "invalid", "detail": "Invalid input.", "fields": {"end": ["…"]}}

`fields` appears only on validation errors (400). Domain refusals map to 400, an illegal licence
transition or a write conflict to 409; nothing a caller sends should end in a 500.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from registry.errors import DomainError, IllegalTransition, WriteRefused


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the record."
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record changed since you read it (If-Match does not match the ETag)."
    default_code = "precondition_failed"


def django_errors(exc: DjangoValidationError) -> dict | list:
    if hasattr(exc, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if k == NON_FIELD_ERRORS else k): v
            for k, v in exc.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}


def _translate(exc):
    if isinstance(exc, Http404):
        return exceptions.NotFound()  # never echo internal lookup messages
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(django_errors(exc))
    if isinstance(exc, IllegalTransition):
        return Conflict(str(exc), code="illegal_transition")
    if isinstance(exc, WriteRefused):
        return exceptions.PermissionDenied(str(exc))
    if isinstance(exc, DomainError):
        return exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [str(exc)]})
    if isinstance(exc, IntegrityError):
        return Conflict("The change conflicts with another record; nothing was saved.")
    return exc


def _first_code(codes):
    while isinstance(codes, dict | list):
        if not codes:
            return "invalid"
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return codes


def flatten_fields(errors, prefix="") -> dict[str, list[str]]:
    """Nested errors (list items, nested objects) as dotted paths, so `fields` is always
    {path: [messages]}: {"countries.0": ["…"], "personnel.armed": ["…"]}."""
    flat: dict[str, list[str]] = {}
    items = errors.items() if isinstance(errors, dict) else enumerate(errors)
    for key, value in items:
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) or (
            isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
        ):
            flat.update(flatten_fields(value, path))
        elif value:
            flat[path] = [str(v) for v in (value if isinstance(value, list) else [value])]
    return flat


def exception_handler(exc, context):
    exc = _translate(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    body = {"status": response.status_code}
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body.update(code="invalid", detail="Invalid input.", fields=flatten_fields(fields))
    else:
        detail = getattr(exc, "detail", str(exc))
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body.update(code=_first_code(codes), detail=str(detail))
    response.data = body
    return response


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    status = serializers.IntegerField(help_text="The HTTP status code.")
    code = serializers.CharField(help_text="A stable machine code, e.g. invalid, not_found.")
    detail = serializers.CharField(help_text="A message for people.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors by field (400 only); non_field_errors for the record.",
    )


def not_found(request, exception=None):
    """handler404: unknown paths under /api/ answer in the error shape, not as a web page."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"status": 404, "code": "not_found", "detail": "Not found."}, status=404
        )
    return defaults.page_not_found(request, exception)


def server_error(request):
    """handler500: likewise for an unexpected error under /api/."""
    if request.path.startswith("/api/"):
        body = {"status": 500, "code": "error", "detail": "Server error."}
        return JsonResponse(body, status=500)
    return defaults.server_error(request)
