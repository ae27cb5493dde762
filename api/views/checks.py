"""Hiring checks, the status lookup and the compliance rule catalogue."""

from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api import filtersets as fs
from api.answers import stored_answer
from api.errors import ErrorSerializer
from api.idempotency import idempotent
from api.pagination import CursorPagination
from api.permissions import ADMINS, EVERYONE, SIGNED_IN
from api.serializers import checks
from registry import access
from registry.choices import Role
from registry.compliance import catalogue
from registry.filters import ID_MESSAGE, strict_id
from registry.models import Licence, LicensingAuthority
from registry.services.hiring import run_hiring_check
from registry.services.status import answer_versions, company_status

from .base import ReadOnlyRegistryViewSet, etag_for


class HiringCheckViewSet(ReadOnlyRegistryViewSet):
    """POST runs a hiring check (the compliance engine's verdict, findings and coordination
    report) and stores it; GET lists past checks the caller may see."""

    http_method_names = ["get", "post", "head", "options"]
    queryset_fn = staticmethod(access.hiring_checks)
    serializer_class = checks.HiringCheckSerializer
    filterset_class = fs.HiringCheckFilterSet
    pagination_class = CursorPagination
    ordering_fields = ["id", "asked_at"]
    read_roles = SIGNED_IN
    write_roles = ADMINS | {Role.MISSION_STAFF}

    @extend_schema(
        request=checks.ProposedHireSerializer,
        responses={201: checks.HiringCheckSerializer, 400: ErrorSerializer},
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = checks.ProposedHireSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        arguments = body.domain_arguments()
        if not access.can_run_hiring_check(
            self.viewer, mission=arguments.get("mission"), client=arguments.get("client")
        ):
            raise PermissionDenied("You may check hires for your own missions only.")
        check = run_hiring_check(**arguments, asked_by=request.user)
        data = self.get_serializer(check).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"ETag": etag_for(data)})


class RuleViewSet(viewsets.ViewSet):
    """The compliance rule catalogue (read-only)."""

    read_roles = EVERYONE
    lookup_field = "code"
    lookup_value_regex = "[A-Z0-9-]+"
    serializer_class = checks.RuleSerializer

    @staticmethod
    def _catalogue():
        return catalogue()

    @extend_schema(responses=checks.RuleSerializer(many=True))
    def list(self, request):
        return Response(checks.RuleSerializer(self._catalogue(), many=True).data)

    @extend_schema(responses={200: checks.RuleSerializer, 404: ErrorSerializer})
    def retrieve(self, request, code=None):
        for rule in self._catalogue():
            if rule.code == code:
                return Response(checks.RuleSerializer(rule).data)
        raise NotFound(f"No rule {code!r}.")


class StatusLookupView(APIView):
    """GET /status/?registration_number=…&authority=… or ?licence_number=…[&authority=…]."""

    read_roles = SIGNED_IN

    @extend_schema(
        parameters=[
            OpenApiParameter("registration_number", OpenApiTypes.STR),
            OpenApiParameter("licence_number", OpenApiTypes.STR),
            OpenApiParameter("authority", OpenApiTypes.STR, description="Authority id or acronym."),
        ],
        responses={
            200: checks.StatusSerializer,
            400: ErrorSerializer,
            401: ErrorSerializer,
            404: ErrorSerializer,
        },
        summary="Status of a company found by registration or licence number",
    )
    def get(self, request):
        params = request.query_params
        registration, licence = params.get("registration_number"), params.get("licence_number")
        authority = (params.get("authority") or "").strip()
        if bool(registration) == bool(licence):
            raise ValidationError(
                {
                    "non_field_errors": [
                        "Give registration_number (with authority) or licence_number."
                    ]
                }
            )
        if registration and not authority:
            raise ValidationError({"authority": ["Needed with registration_number."]})
        if authority.isascii() and authority.isdigit():  # an id; "²" or "①" is an acronym
            if strict_id(authority) is None:
                raise ValidationError({"authority": [ID_MESSAGE]})
            by_authority = Q(id=strict_id(authority))
        else:
            by_authority = Q(acronym__iexact=authority)
        if registration:
            where = Q(
                registration_number__iexact=registration.strip(),
                registering_authority__in=LicensingAuthority.objects.filter(by_authority),
            )
        else:
            licences = Licence.objects.filter(number__iexact=licence.strip())
            if authority:
                licences = licences.filter(
                    authority__in=LicensingAuthority.objects.filter(by_authority)
                )
            where = Q(id__in=licences.values("company_id"))
        found = answer_versions(access.viewer(request.user), where)
        if not found:
            raise NotFound("No company matches.")
        if len(found) > 1:
            raise ValidationError({"authority": ["Several companies match; name the authority."]})
        (company_id, version), *_ = found
        return stored_answer(
            request,
            "status",
            company_id,
            version,
            lambda: checks.StatusSerializer(company_status(company_id, request.user).answer()).data,
        )
