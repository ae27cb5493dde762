"""POST /auth/token/ issues a token for username and password (and, for regulators, auditors and
administrators, a two-factor code); DELETE revokes the one in use. GET /auth/tokens/ lists the
caller's own tokens (never any part of a key); DELETE /auth/tokens/{id}/ revokes one of them."""

import math

from django.contrib.auth import authenticate
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import (
    AuthenticationFailed,
    ErrorDetail,
    ParseError,
    Throttled,
    ValidationError,
)
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.authentication import TokenAuthentication
from api.errors import ErrorSerializer
from api.parsers import StrictJSONParser
from api.permissions import SIGNED_IN
from api.serializers.base import StrictSerializer
from registry import security, twofactor
from registry.models import ApiToken
from registry.security import LoginThrottle

OTP_HELP = (
    "Regulators, auditors and administrators only, and then required: the 6-digit code of "
    "their authenticator app (TOTP), or one of their one-time recovery codes. Enrol an "
    "authenticator by logging in on the web first. Ignored for mission staff."
)


class CredentialsSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"})
    otp = serializers.CharField(max_length=32, required=False, help_text=OTP_HELP)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`. Shown once.")
    expires_at = serializers.DateTimeField()


class LoginLocked(Throttled):
    default_code = "locked"

    def __init__(self, seconds):
        super().__init__(wait=seconds)
        minutes = max(1, math.ceil(seconds / 60))
        self.detail = ErrorDetail(security.locked_message(minutes), self.default_code)


class TokenView(APIView):
    throttle_classes = [LoginThrottle]
    parser_classes = [StrictJSONParser]

    def get_authenticators(self):
        # No session authentication (and so no CSRF) on the login call itself.
        if getattr(self.request, "method", None) == "POST":
            return []
        return [TokenAuthentication()]

    def get_authenticate_header(self, request):
        return TokenAuthentication.keyword  # wrong credentials answer 401, not 403

    def get_permissions(self):
        if getattr(self.request, "method", None) == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        request=CredentialsSerializer,
        responses={
            201: TokenSerializer,
            400: ErrorSerializer,
            401: ErrorSerializer,
            429: ErrorSerializer,
        },
        auth=[],
        description="Issue a token for a username and password. Regulators, auditors and "
        "administrators also send `otp`: a current code of their authenticator app or an unused "
        "recovery code. Without it, or with a wrong one, the answer is 400 with an error under "
        "`fields.otp`, and no token is issued.",
    )
    def post(self, request):
        body = CredentialsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        username = body.validated_data["username"]
        code = body.validated_data.pop("otp", "")
        user = authenticate(request, **body.validated_data)
        if security.is_locked_out(request):  # the pair or the account is locked
            raise LoginLocked(security.retry_after(request))
        if user is None or not user.is_active:
            if user is not None:  # authenticate() refused nothing: log the inactive account
                security.log_decision(request, username, security.FAILURE)
            raise AuthenticationFailed("Wrong username or password.")
        if twofactor.needs_otp(user):
            _check_second_factor(user, code)
        security.reset_failures(request, username)
        security.log_decision(request, username, security.SUCCESS)
        token, key = ApiToken.issue(user)
        data = TokenSerializer({"token": key, "expires_at": token.expires_at}).data
        return Response(data, status=status.HTTP_201_CREATED)

    def throttled(self, request, wait):
        if request.method == "POST":
            try:
                data = request.data
            except ParseError:
                data = None
            name = data.get("username") if isinstance(data, dict) else None
            security.log_decision(request, name, security.LOCKED, reason="address-rate")
        super().throttled(request, wait)

    @extend_schema(request=None, responses={204: None, 401: ErrorSerializer})
    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            raise ValidationError({"non_field_errors": ["Authenticate with the token to revoke."]})
        request.auth.revoke()
        return Response(status=status.HTTP_204_NO_CONTENT)


class OwnTokenSerializer(serializers.ModelSerializer):
    active = serializers.SerializerMethodField(help_text="Not revoked and not expired.")

    class Meta:
        model = ApiToken
        fields = ["id", "created_at", "expires_at", "last_used_at", "revoked_at", "active"]
        extra_kwargs = {
            "last_used_at": {"help_text": "Last request with the token (to within 5 minutes)."}
        }

    def get_active(self, token) -> bool:
        return token.revoked_at is None and token.expires_at > timezone.now()


class OwnTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The caller's own API tokens, newest first; DELETE revokes one (the row stays, revoked).
    Another user's token answers 404."""

    serializer_class = OwnTokenSerializer
    filter_backends = []
    read_roles = SIGNED_IN
    write_roles = SIGNED_IN

    def get_queryset(self):
        if not self.request.user.is_authenticated:  # the schema generator, anonymous callers
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=self.request.user).order_by("-created_at", "-id")

    def may_write(self, token) -> bool:
        return True  # the queryset holds only the caller's own tokens

    @extend_schema(responses={204: None, 401: ErrorSerializer, 404: ErrorSerializer})
    def destroy(self, request, *args, **kwargs):
        self.get_object().revoke()
        return Response(status=status.HTTP_204_NO_CONTENT)


def _check_second_factor(user, code: str) -> None:
    if twofactor.authenticator(user) is None:
        raise ValidationError(
            {"otp": ["Two-factor authentication is not set up: log in on the web to enrol."]}
        )
    if not twofactor.normalise(code):
        raise ValidationError({"otp": ["Your role needs a two-factor code to get a token."]})
    device, error = twofactor.check(user, code)
    if device is None:
        raise ValidationError({"otp": [error]})
