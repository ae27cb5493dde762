"""Structured logs: one JSON object per line, each with the id of the request it belongs to.

The id is the client's or the proxy's `X-Request-ID` when it looks like one (letters, digits and
._:@/+=-, at most 64 of them), else a new UUID; it is echoed in the response's `X-Request-ID`, so a user's
report, the proxy's log, gunicorn's access log and the application's log meet on one value."""

import contextvars
import datetime as dt
import json
import logging
import re
import uuid

REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
_VALID_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,64}")  # the audit entry keeps 64
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


class RequestIdMiddleware:
    """First in MIDDLEWARE: every log line written while the request runs carries its id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get(REQUEST_ID_HEADER, "")
        value = given if _VALID_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = value
        token = request_id.set(value)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = value
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id.get()
        return True


# What a LogRecord always has; anything else on it was passed in `extra=` and is logged too.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
    "request",  # django.request's HttpRequest: not serialisable, and the path is in the message
    "server_time",
}


class JsonFormatter(logging.Formatter):
    """time (UTC), level, logger, message, request_id, the `extra=` fields, the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or None,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)
