"""One JSON error shape for every error the API answers:

    {"status": 400, "code": "invalid", "detail": "Invalid input.", "fields": {"end": ["…"]}}

`fields` appears on validation errors (400) and on duplicates (409). Domain refusals map to 400,
an illegal licence transition or a write conflict to 409; nothing a caller sends should end in a
500.

A duplicate natural key (a contract reference the client already uses, a licence number the
authority already issued, a company registration number the authority already holds, a code
already taken...) answers 409 Conflict, code "conflict", with the message under the key's field:
{"status": 409, "code": "conflict", "detail": "…", "fields": {"reference": ["…"]}}. The same
whether validation saw the duplicate first or the database refused it (two requests racing), and
only when the duplicate is the request's only problem: otherwise the request is a 400 listing
everything, the duplicate too.
"""

import re
import sys
from typing import Any

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models
from django.http import Http404, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from api.parsers import PayloadTooLarge, max_body_bytes
from registry.errors import DomainError, IllegalTransition, WriteRefused
from registry.health import RETRY_AFTER_SECONDS, database_unavailable, unavailable


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the record."
    default_code = "conflict"

    def __init__(self, detail=None, code=None, fields=None):
        super().__init__(detail, code)
        self.fields = fields


DUPLICATE_DETAIL = "A record with this key already exists; nothing was saved."


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


# --- duplicate natural keys ---------------------------------------------------------------------


def unique_keys(model) -> list[tuple[str, tuple[str, ...], str]]:
    """(constraint or index name, field names, message) of each uniqueness rule of `model`:
    unique fields, unique_together and UniqueConstraints on plain fields. The message is the one
    Django's validation gives, so both paths to a duplicate word it alike."""
    probe = model()
    keys: list[tuple[str, tuple[str, ...], str]] = []
    for field in model._meta.local_concrete_fields:
        if field.unique and not field.primary_key:
            message = probe.unique_error_message(model, (field.name,))
            keys.append(("", (field.name,), str(message.message % message.params)))
    for fields in model._meta.unique_together:
        message = probe.unique_error_message(model, tuple(fields))
        keys.append(("", tuple(fields), str(message.message % message.params)))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            if constraint.violation_error_message != constraint.default_violation_error_message:
                message = str(constraint.get_violation_error_message())
            else:
                error = probe.unique_error_message(model, constraint.fields)
                message = str(error.message % error.params)
            keys.append((constraint.name, tuple(constraint.fields), message))
    return keys


def _key_field(fields: tuple[str, ...]) -> str:
    """The field a duplicate is reported on: the key itself, last after its scope (client,
    authority...), e.g. `reference` of (client, reference)."""
    return fields[-1]


def _model_of(context):
    view = (context or {}).get("view")
    if view is None:
        return None
    try:
        serializer_class = view.get_serializer_class()
    except Exception:  # a view without a serializer
        return None
    meta = getattr(serializer_class, "Meta", None)
    return getattr(meta, "model", None)


def _duplicates_only(exc: exceptions.ValidationError, model) -> dict | None:
    """{key field: [message]} when every error of `exc` is a uniqueness rule of `model` (as
    DRF's validators or the model's full_clean() word them), else None."""
    if model is None or not isinstance(exc.detail, dict) or not exc.detail:
        return None
    known = {}
    for _name, fields, message in unique_keys(model):
        probe = model()
        drf_words = {message, f"The fields {', '.join(fields)} must make a unique set."}
        if len(fields) == 1:
            field = model._meta.get_field(fields[0])
            drf_words.add(
                str(field.error_messages["unique"])
                % {"model_name": probe._meta.verbose_name, "field_label": field.verbose_name}
            )
        for words in drf_words:
            known[words] = (_key_field(fields), message)
    duplicates: dict[str, list[str]] = {}
    for messages in exc.detail.values():
        if not isinstance(messages, list):
            return None
        for text in messages:
            if str(text) not in known:
                return None
            key, message = known[str(text)]
            duplicates.setdefault(key, []).append(message)
    return duplicates


_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)")
_PG_KEY = re.compile(r"Key \((.+?)\)=")


def _duplicate_of_integrity_error(exc: IntegrityError) -> dict | None:
    """{key field: [message]} for a unique violation the database raised, else None."""
    cause = exc.__cause__
    diag = getattr(cause, "diag", None)
    if diag is not None:  # PostgreSQL (psycopg)
        if getattr(cause, "sqlstate", None) != "23505":
            return None
        table, name = diag.table_name, diag.constraint_name
        found = _PG_KEY.search(diag.message_detail or "")
        columns = {c.strip().strip('"') for c in found.group(1).split(",")} if found else set()
    else:  # SQLite: "UNIQUE constraint failed: registry_contract.client_id, registry_contract.reference"
        found = _SQLITE_UNIQUE.search(str(exc))
        if not found:
            return None
        pairs = [part.strip().rsplit(".", 1) for part in found.group(1).split(",")]
        table, name = pairs[0][0], None
        columns = {column for _table, column in pairs}
    for model in apps.get_models():
        if model._meta.db_table != table:
            continue
        for constraint_name, fields, message in unique_keys(model):
            attnames = {
                field.column
                for name in fields
                if isinstance(field := model._meta.get_field(name), models.Field)
            }
            if (name and constraint_name == name) or attnames == columns:
                return {_key_field(fields): [message]}
    return None


def _translate(exc):
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge(f"The request body is over {max_body_bytes()} bytes.")
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
        fields = _duplicate_of_integrity_error(exc)
        if fields:
            return Conflict(DUPLICATE_DETAIL, fields=fields)
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
    if isinstance(exc, exceptions.ValidationError):
        fields = _duplicates_only(exc, _model_of(context))
        if fields:
            exc = Conflict(DUPLICATE_DETAIL, fields=fields)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    body: dict[str, Any] = {"status": response.status_code}
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body.update(code="invalid", detail="Invalid input.", fields=flatten_fields(fields))
    else:
        detail = getattr(exc, "detail", str(exc))
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body.update(code=_first_code(codes), detail=str(detail))
        if getattr(exc, "fields", None):
            body["fields"] = exc.fields
    response.data = body
    return response


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    status = serializers.IntegerField(help_text="The HTTP status code.")
    code = serializers.CharField(help_text="A stable machine code, e.g. invalid, not_found.")
    detail = serializers.CharField(help_text="A message for people.")
    # The serializer's metaclass takes declared fields out of the class namespace, so this
    # does not replace Serializer.fields; mypy sees only the class attribute.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors by field (400), or the duplicated key's field (409);"
        " non_field_errors for the record.",
    )


def not_found(request, exception=None):
    """handler404: unknown paths under /api/ answer in the error shape, not as a web page."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"status": 404, "code": "not_found", "detail": "Not found."}, status=404
        )
    return defaults.page_not_found(request, exception)


def server_error(request):
    """handler500: likewise for an unexpected error under /api/. An error that means that the
    database cannot be reached (down, restarting, failing over) is a 503 with Retry-After, a
    page that needs no database on the web: the service recovers when the database returns."""
    if database_unavailable(sys.exc_info()[1]):
        if request.path.startswith("/api/"):
            return unavailable("The database is unavailable; retry shortly.")
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if request.path.startswith("/api/"):
        body = {"status": 500, "code": "error", "detail": "Server error."}
        return JsonResponse(body, status=500)
    return defaults.server_error(request)
