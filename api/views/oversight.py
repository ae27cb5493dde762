"""Incidents, sanctions and compliance findings (with the waiver action)."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from api import filtersets as fs
from api.authentication import require_recent_password
from api.pagination import CursorPagination
from api.permissions import REGULATORS, SIGNED_IN
from api.serializers import oversight
from registry import access
from registry.compliance import waive_finding

from .base import ReadOnlyRegistryViewSet, RegistryViewSet, etag_for


class IncidentViewSet(RegistryViewSet):
    """Incidents under investigation are visible to regulators of the company, auditors and
    admins only; others see closed, substantiated and unsubstantiated ones."""

    queryset_fn = staticmethod(access.incidents)
    serializer_class = oversight.IncidentSerializer
    filterset_class = fs.IncidentFilterSet
    pagination_class = CursorPagination
    ordering_fields = ["id", "occurred_on"]
    read_roles = SIGNED_IN
    write_roles = REGULATORS


class SanctionViewSet(RegistryViewSet):
    queryset_fn = staticmethod(access.sanctions)
    serializer_class = oversight.SanctionSerializer
    filterset_class = fs.SanctionFilterSet
    pagination_class = CursorPagination
    ordering_fields = ["id", "start"]
    read_roles = SIGNED_IN
    write_roles = REGULATORS


class FindingViewSet(ReadOnlyRegistryViewSet):
    """Findings are written by the compliance engine; people may only waive them."""

    http_method_names = ["get", "post", "head", "options"]
    queryset_fn = staticmethod(access.findings)
    serializer_class = oversight.FindingSerializer
    filterset_class = fs.FindingFilterSet
    pagination_class = CursorPagination
    ordering_fields = ["id", "last_seen", "first_seen"]
    read_roles = SIGNED_IN
    write_roles = REGULATORS
    write_rule = staticmethod(access.can_write_company_record)

    @extend_schema(request=oversight.WaiverSerializer, responses=oversight.FindingSerializer)
    @action(detail=True, methods=["post"])
    def waive(self, request, pk=None):
        finding = self.get_object()
        self.check_write(finding)
        require_recent_password(request)
        body = oversight.WaiverSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        waive_finding(finding, user=request.user, **body.validated_data)
        data = self.get_serializer(self.get_object()).data
        return Response(data, headers={"ETag": etag_for(data)})
