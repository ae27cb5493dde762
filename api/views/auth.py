"""POST /auth/token/ issues a token for username and password (and, for regulators, auditors and
administrators, a two-factor code); DELETE revokes the one in use."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.authentication import TokenAuthentication
from api.errors import ErrorSerializer
from api.models import ApiToken
from api.throttling import LoginThrottle
from registry import twofactor

OTP_HELP = (
    "Regulators, auditors and administrators only, and then required: the 6-digit code of "
    "their authenticator app (TOTP), or one of their one-time recovery codes. Enrol an "
    "authenticator by logging in on the web first. Ignored for mission staff."
)


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"})
    otp = serializers.CharField(max_length=32, required=False, help_text=OTP_HELP)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`. Shown once.")
    expires_at = serializers.DateTimeField()


class TokenView(APIView):
    throttle_classes = [LoginThrottle]
    parser_classes = [JSONParser]

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
        responses={201: TokenSerializer, 400: ErrorSerializer, 401: ErrorSerializer},
        auth=[],
        description="Issue a token for a username and password. Regulators, auditors and "
        "administrators also send `otp`: a current code of their authenticator app or an unused "
        "recovery code. Without it, or with a wrong one, the answer is 400 with an error under "
        "`fields.otp`, and no token is issued.",
    )
    def post(self, request):
        body = CredentialsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        code = body.validated_data.pop("otp", "")
        user = authenticate(request, **body.validated_data)
        if user is None or not user.is_active:
            raise AuthenticationFailed("Wrong username or password.")
        if twofactor.needs_otp(user):
            _check_second_factor(user, code)
        token, key = ApiToken.issue(user)
        data = TokenSerializer({"token": key, "expires_at": token.expires_at}).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None, 401: ErrorSerializer})
    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            raise ValidationError({"non_field_errors": ["Authenticate with the token to revoke."]})
        request.auth.revoke()
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
