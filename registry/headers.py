"""Response headers that depend on who asked: nothing personal or signed-in is ever stored by a
browser or a proxy (ASVS 8.2.1). Content-Security-Policy comes from django-csp (settings)."""

from django.middleware.gzip import GZipMiddleware
from django.utils.cache import add_never_cache_headers

# Answers about people (personnel, vetting, hiring checks) and token answers are never stored,
# whoever asked.
NO_STORE_PREFIXES = (
    "/api/v1/auth/",  # token answers carry the secret
    "/api/v1/personnel/",
    "/api/v1/vetting/",
    "/api/v1/hiring-checks/",
    "/hiring-check",
)


class NoStoreMiddleware:
    """`Cache-Control: no-store` (and private, no-cache, max-age=0) on every response to a
    request made with credentials: a session (web, admin, API) or an API token (DRF puts the
    token's user on the request once the view has authenticated it), or one that carries an
    Authorization header at all. Public register pages keep whatever caching they had."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            (user is not None and user.is_authenticated)
            or "HTTP_AUTHORIZATION" in request.META
            or request.path.startswith(NO_STORE_PREFIXES)
        ):
            add_never_cache_headers(response)
        return response


COMPRESSED_TYPES = frozenset({"text/html", "application/json", "application/problem+json"})


class CompressionMiddleware(GZipMiddleware):
    """GZip for HTML and JSON answers where BREACH cannot read a secret through it: anonymous
    requests (the public register) and API calls with a token in the Authorization header,
    which another site cannot make a victim's browser send. Answers to a signed-in browser
    session stay uncompressed, since a page another site makes the browser load can reflect
    its input next to personal data; so does the token endpoint, whose answer is the secret.
    (Django also pads every gzip body at random and masks each CSRF token.) The streamed exports
    stay as they are: bulk clients and proxies compress those as they choose."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").partition(";")[0].strip()
        user = getattr(request, "user", None)
        session_signed_in = (
            user is not None and user.is_authenticated and "HTTP_AUTHORIZATION" not in request.META
        )
        if (
            response.streaming
            or content_type not in COMPRESSED_TYPES
            or session_signed_in
            or request.path.startswith("/api/v1/auth/")
        ):
            return response
        return super().process_response(request, response)
