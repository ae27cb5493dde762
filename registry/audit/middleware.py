import uuid

from django.db import transaction

from .context import audit_context
from .models import Channel

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def channel_for(path: str) -> str:
    if path.startswith("/api/"):
        return Channel.API
    if path.startswith("/admin/"):
        return Channel.ADMIN
    return Channel.WEB


class AuditMiddleware:
    """Give each request an id (echoed in the X-Request-ID header) and an audit context.

    Writing requests run their view in one transaction (like ATOMIC_REQUESTS, but reads stay out
    of it), so a change and its audit entry commit or roll back together whatever the view does.
    Place it last in MIDDLEWARE: its process_view runs after CSRF checks.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = uuid.uuid4().hex
        with audit_context(
            channel=channel_for(request.path_info), request_id=request.id, request=request
        ):
            response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS or getattr(view_func, "_non_atomic_requests", ()):
            return None
        if transaction.get_connection().settings_dict.get("ATOMIC_REQUESTS"):
            return None  # Django wraps the view itself
        with transaction.atomic():
            return view_func(request, *view_args, **view_kwargs)
