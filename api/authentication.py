"""`Authorization: Token <key>` authentication against hashed, expiring, revocable tokens."""

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from registry import twofactor
from registry.models.tokens import ApiToken, hash_key
from registry.sessions import password_is_recent


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Use the header `Authorization: Token <key>`.")
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        token = (
            ApiToken.objects.select_related("user__profile")
            .filter(key_hash=hash_key(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed("This token has expired; request a new one.")
        token.touch()
        return token.user, token

    def authenticate_header(self, request):
        # Makes unauthenticated requests answer 401 (with this challenge) rather than 403.
        return self.keyword


def require_recent_password(request) -> None:
    """For licence transitions and waivers: a browser session (session authentication) follows
    the web pages' rule and is refused while the password was entered more than REAUTH_MINUTES
    ago; tokens are issued after a full login and are not affected."""
    by_session = isinstance(request.successful_authenticator, authentication.SessionAuthentication)
    if by_session and not password_is_recent(request._request):
        raise exceptions.PermissionDenied(
            "Enter your password again on the web page (or use a token) for this change.",
            code="reauth_required",
        )


class OTPSessionAuthentication(authentication.SessionAuthentication):
    """Session authentication (with its CSRF check) that ignores a session of a regulator,
    auditor or administrator who has not given their second factor: such a caller is anonymous
    to the API until the session is verified (registry.twofactor)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None or twofactor.lacks_second_factor(result[0]):
            return None
        return result


class OTPSessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.OTPSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "The web session; regulators, auditors and administrators need a "
            "session verified with their second factor.",
        }


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`; get a key from POST /api/v1/auth/token/.",
        }
