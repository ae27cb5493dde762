import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.messages.storage.base import Message
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from .context import audit_context
from .models import Channel
from .transactions import ATTEMPTS, retried, write_transaction

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def channel_for(path: str) -> str:
    if path.startswith("/api/"):
        return Channel.API
    if path.startswith("/admin/"):
        return Channel.ADMIN
    return Channel.WEB


class AuditMiddleware:
    """Give each request an audit context with the request's id (echoed in X-Request-ID).

    Writing requests run their view in one transaction (like ATOMIC_REQUESTS, but reads stay out
    of it), so a change and its audit entry commit or roll back together whatever the view does.
    The transaction takes the audit chain lock first (see registry/audit/transactions.py), and
    is run again, view and all, after a deadlock or serialization failure; the body is read
    into memory first so each attempt parses it afresh.
    Place it last in MIDDLEWARE: its process_view runs after CSRF checks.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # The id registry.logs.RequestIdMiddleware gave the request (the proxy's, when sound),
        # so that the audit entry, the logs and the answer's X-Request-ID name it alike.
        request_id = getattr(request, "request_id", "") or uuid.uuid4().hex
        with audit_context(
            channel=channel_for(request.path_info), request_id=request_id, request=request
        ):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.method in SAFE_METHODS or getattr(view_func, "_non_atomic_requests", None):
            return None
        if transaction.get_connection().settings_dict.get("ATOMIC_REQUESTS"):
            return None  # Django wraps the view itself
        kept = _keep_body(request)
        messages = _queued_messages(request)
        queued = len(messages)

        def attempt() -> HttpResponseBase:
            with write_transaction():
                return view_func(request, *view_args, **view_kwargs)

        def reset() -> None:
            del messages[queued:]  # flash messages of the failed attempt
            if hasattr(request, "_files"):  # uploads parsed: read them again from the start
                for _name, uploads in request.FILES.lists():
                    for upload in uploads:
                        upload.seek(0)

        return retried(attempt, on_retry=reset, attempts=ATTEMPTS if kept else 1)


def _keep_body(request: HttpRequest) -> bool:
    """Read the body into memory (Django then serves it again from there), so a retried view
    parses it again: DRF reads `request.body` once the stream has been read. Multipart forms
    are parsed once by Django and kept (request.POST, request.FILES), and are not read here:
    their size limit is for the non-file part only. False when the body is over
    DATA_UPLOAD_MAX_MEMORY_SIZE: left to the view as before, and not retried."""
    if (request.content_type or "").startswith("multipart/"):
        return True
    try:
        request.body  # noqa: B018 (cached on the request)
    except RequestDataTooBig:
        return False
    return True


def _queued_messages(request: HttpRequest) -> list[Message]:
    storage = getattr(request, "_messages", None)
    queued: list[Message] = getattr(storage, "_queued_messages", [])
    return queued
