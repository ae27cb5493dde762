"""The change history for auditors and admins: entries, exports and chain verification."""

from drf_spectacular.utils import extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api import filtersets as fs
from api.pagination import CursorPagination
from api.permissions import AUDITORS, RolePermission
from api.renderers import CSVRenderer, NDJSONRenderer
from api.serializers.audit import AuditEntrySerializer, AuditVerificationSerializer
from registry import access
from registry.audit import exports
from registry.audit.chain import chain_head, verify

from .base import ReadOnlyRegistryViewSet, StreamingExportMixin


class AuditPagination(CursorPagination):
    ordering = "-seq"


class AuditEntryViewSet(StreamingExportMixin, ReadOnlyRegistryViewSet):
    """Every recorded change and domain event, newest first."""

    queryset_fn = staticmethod(access.audit_entries)
    serializer_class = AuditEntrySerializer
    filterset_class = fs.AuditEntryFilterSet
    pagination_class = AuditPagination
    renderer_classes = [JSONRenderer, CSVRenderer, NDJSONRenderer]
    exports = {
        "csv": (exports.stream_audit_csv, "text/csv; charset=utf-8"),
        "ndjson": (exports.stream_audit_ndjson, "application/x-ndjson"),
    }
    export_name = "audit"
    lookup_field = "seq"
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["seq"]
    read_roles = AUDITORS


class AuditVerifyView(APIView):
    """Recompute the whole hash chain: `ok`, or the first sequence number that does not verify."""

    permission_classes = [RolePermission]
    read_roles = AUDITORS

    @extend_schema(responses=AuditVerificationSerializer)
    def get(self, request):
        ok, broken, checked = verify()
        head_seq, head_hash = chain_head()
        data = {
            "ok": ok,
            "first_broken_seq": broken,
            "entries_checked": checked,
            "head_seq": head_seq,
            "head_hash": head_hash,
        }
        return Response(AuditVerificationSerializer(data).data)
