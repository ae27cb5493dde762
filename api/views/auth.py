"""POST /auth/token/ issues a token for username and password; DELETE revokes the one in use."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.authentication import TokenAuthentication
from api.errors import ErrorSerializer
from api.models import ApiToken
from api.parsers import StrictJSONParser
from api.serializers.base import StrictSerializer
from api.throttling import LoginThrottle


class CredentialsSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`. Shown once.")
    expires_at = serializers.DateTimeField()


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
        responses={201: TokenSerializer, 400: ErrorSerializer, 401: ErrorSerializer},
        auth=[],
    )
    def post(self, request):
        body = CredentialsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = authenticate(request, **body.validated_data)
        if user is None or not user.is_active:
            raise AuthenticationFailed("Wrong username or password.")
        token, key = ApiToken.issue(user)
        data = TokenSerializer({"token": key, "expires_at": token.expires_at}).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None, 401: ErrorSerializer})
    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            raise ValidationError({"non_field_errors": ["Authenticate with the token to revoke."]})
        request.auth.revoke()
        return Response(status=status.HTTP_204_NO_CONTENT)
