"""GET /api/v1/me/: who the caller is to the registry: username, role, authority, missions,
the token in use and what the caller's role may write (as the API root works it out)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api.authentication import TokenAuthentication
from api.permissions import SIGNED_IN
from registry import access
from registry.choices import Role
from registry.models import LicensingAuthority, Mission

from .root import ResourceIndex


class AuthoritySummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = LicensingAuthority
        fields = ["id", "name", "acronym", "country"]


class MissionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Mission
        fields = ["id", "acronym", "name"]


class TokenSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.values)
    authority = AuthoritySummarySerializer(
        allow_null=True, help_text="The licensing authority a regulator acts for; else null."
    )
    missions = MissionSummarySerializer(
        many=True, help_text="The missions whose contracts mission staff read and write."
    )
    token = TokenSummarySerializer(
        allow_null=True,
        help_text="The API token this call used (never any part of its key); null for a "
        "browser session.",
    )
    writes = serializers.ListField(
        child=serializers.CharField(),
        help_text="The resources your role may write to, by the names of the API root "
        "(GET /api/v1/); which records, each resource decides per record.",
    )


class MeView(ResourceIndex):
    read_roles = SIGNED_IN

    @extend_schema(responses=MeSerializer, summary="Who you are to the registry")
    def get(self, request, *args, **kwargs):
        v = access.viewer(request.user)
        profile = getattr(request.user, "profile", None)
        authority = profile.authority if profile is not None and v.authority_id else None
        missions = Mission.objects.filter(id__in=v.mission_ids).order_by("acronym")
        token = None
        if isinstance(request.successful_authenticator, TokenAuthentication):
            token = request.auth
        resources = self.resources(request, v.role)
        data = {
            "username": request.user.get_username(),
            "role": v.role,
            "authority": authority,
            "missions": list(missions),
            "token": token,
            "writes": [name for name, resource in resources.items() if resource["write"]],
        }
        return Response(MeSerializer(data).data)
