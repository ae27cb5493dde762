"""`Idempotency-Key` on the API's creates and licence transitions, after Stripe's model.

A caller who sends `Idempotency-Key: <key>` (1 to 255 printable ASCII characters) with a POST
may send the same request again after a timeout or a dropped connection without writing twice:

- the same key, by the same user, to the same method and path with the same body (byte for
  byte) gets the first answer again (its status, JSON body and ETag) with
  `Idempotent-Replayed: true`, and nothing is written;
- the same key with another body or path gets 422 `idempotency_key_reused`, nothing written;
- the same key while its first request has not answered yet gets 409
  `idempotency_key_in_progress` with Retry-After, instead of running twice;
- a key that is empty, too long or not printable ASCII gets 400 naming the header.

Only 2xx answers and 4xx answers other than 409 and 429 are kept: after a 5xx, a conflict or a
throttle the key is free, and a retry runs again. Keys are per user (another user's same key is
another key), and a replay is the caller's own earlier answer, so it shows nothing the caller
could not read. They last IDEMPOTENCY_KEY_HOURS; the daily run deletes older ones. Without the
header nothing changes.

Decorate the view method that handles the POST with `idempotent` (RegistryViewSet.create,
HiringCheckViewSet.create, the licence transitions of api/views/register.py); api.schema then
documents the header and the 422 on those operations. The storage is
registry/services/idempotency.py.
"""

import functools
import json

from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http.request import RawPostDataException
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from registry.services import idempotency

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
MAX_LENGTH = 255
RETRY_AFTER = 1  # seconds
# The headers of the first answer that a replay repeats (the others are made afresh).
KEPT_HEADERS = ("ETag", "Location")
FLAG = "idempotent"  # set on a decorated view method

KEY_MESSAGE = f"An {HEADER} is 1 to {MAX_LENGTH} printable ASCII characters."


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = (
        f"This {HEADER} was used for another request (another path or body); nothing was "
        "changed. Send a new key with a new request."
    )
    default_code = "idempotency_key_reused"


class IdempotencyKeyInProgress(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = (
        f"A request with this {HEADER} has not answered yet; nothing was changed. Retry "
        "after it has."
    )
    default_code = "idempotency_key_in_progress"

    def __init__(self, detail=None, code=None):
        super().__init__(detail, code)
        self.wait = RETRY_AFTER  # DRF's exception handler answers it as Retry-After


PARAMETER = OpenApiParameter(
    HEADER,
    {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH, "pattern": "^[ -~]+$"},
    location=OpenApiParameter.HEADER,
    required=False,
    description="A key of your choice, new for each new request (a UUID, say). A retry with the "
    "same key, path and body within the key's lifetime (24 hours by default) gets the first "
    "answer again, with `Idempotent-Replayed: true`, and writes nothing; the same key with "
    "another path or body gets 422, and while its first request is still running 409.",
)


def _key(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_LENGTH or not all(" " <= char <= "~" for char in key):
        raise exceptions.ValidationError({HEADER: [KEY_MESSAGE]})
    return key


def _stored(code: int) -> bool:
    return 200 <= code < 300 or (400 <= code < 500 and code not in (409, 429))


def _replay(row, fingerprint: str) -> Response:
    if row.fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    if row.status is None:
        raise IdempotencyKeyInProgress()
    data = json.loads(row.body) if row.body else None
    return Response(data, status=row.status, headers={**row.headers, REPLAYED: "true"})


def idempotent(handler):
    """Make a view method that handles a POST honour `Idempotency-Key` (see the module)."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = _key(request)
        if key is None or not request.user.is_authenticated:
            return handler(view, request, *args, **kwargs)
        try:
            body = request.body
        except (RequestDataTooBig, RawPostDataException):
            return handler(view, request, *args, **kwargs)  # the parser answers 413
        fingerprint = idempotency.fingerprint(request.method, request.get_full_path(), body)
        row, owned = idempotency.claim(request.user.pk, key, fingerprint)
        if not owned:
            return _replay(row, fingerprint)
        connection = transaction.get_connection()
        try:
            try:
                response = handler(view, request, *args, **kwargs)
            except Exception as exc:
                response = view.handle_exception(exc)  # the error shape, or raised again
        except BaseException:
            if not connection.needs_rollback:  # in a failed transaction the row goes with it
                idempotency.release(row)
            raise
        if connection.needs_rollback:
            return response  # nothing can be stored; the row is rolled back with the rest
        if isinstance(response, Response) and _stored(response.status_code):
            data = response.data
            text = "" if data is None else json.dumps(data, cls=JSONEncoder, ensure_ascii=False)
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            idempotency.finish(row, response.status_code, text, headers)
        else:
            idempotency.release(row)
        return response

    setattr(wrapper, FLAG, True)
    return wrapper


def is_idempotent(view) -> bool:
    """Whether the view's current action honours Idempotency-Key (for the schema)."""
    action = getattr(view, "action", None)
    handler = getattr(view, action, None) if isinstance(action, str) else None
    return bool(getattr(handler, FLAG, False))
