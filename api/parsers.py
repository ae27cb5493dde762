"""The API's one JSON parser: bounded in size and nesting depth, so a hostile body answers a
400 or a 413 in the error shape (api.errors) instead of a RecursionError and a 500.

Limits (settings): API_MAX_BODY_BYTES (default DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB) and
API_MAX_JSON_DEPTH (default 32 levels of arrays/objects)."""

import codecs
import json
import re

from django.conf import settings
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.settings import api_settings

# A JSON string (with its escapes), so the brackets counted below are structural ones only.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


def max_body_bytes() -> int:
    limit = getattr(settings, "API_MAX_BODY_BYTES", None) or settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit or 2_621_440  # DATA_UPLOAD_MAX_MEMORY_SIZE=None does not make the API unbounded


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text`, counted without recursion."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class StrictJSONParser(JSONParser):
    """JSONParser with a size and a depth limit; NaN and Infinity are refused too."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = max_body_bytes()
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and str(declared).isdigit() and int(declared) > limit:
            raise PayloadTooLarge(f"The request body is over {limit} bytes.")
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge(f"The request body is over {limit} bytes.")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(raw, encoding)
        except (UnicodeDecodeError, LookupError):
            raise exceptions.ParseError("The JSON body is not valid text.") from None
        deepest = getattr(settings, "API_MAX_JSON_DEPTH", 32)
        if json_depth(text) > deepest:
            raise exceptions.ParseError(f"The JSON body is nested deeper than {deepest} levels.")
        try:
            return json.loads(text, **_strict())
        except (ValueError, RecursionError) as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None


def _strict() -> dict:
    def refuse(constant):
        raise ValueError(f"{constant} is not valid JSON")

    return {"parse_constant": refuse} if api_settings.STRICT_JSON else {}
