"""Response headers that depend on who asked: nothing personal or signed-in is ever stored by a
browser or a proxy (ASVS 8.2.1). Content-Security-Policy comes from django-csp (settings)."""

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
