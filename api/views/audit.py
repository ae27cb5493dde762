"""The change history for auditors and admins: entries, exports and chain verification; the
signed chain head for everyone."""

import base64

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api import filtersets as fs
from api.errors import ErrorSerializer
from api.pagination import CursorPagination
from api.permissions import AUDITORS, EVERYONE, RolePermission
from api.serializers.audit import (
    AuditEntrySerializer,
    AuditHeadSerializer,
    AuditVerificationSerializer,
)
from registry import access
from registry.audit import exports, signing
from registry.audit.checkpoints import check, document, parse_expect
from registry.audit.models import AuditEntry, Checkpoint

from .base import Export, ReadOnlyRegistryViewSet, StreamingExportMixin


class AuditPagination(CursorPagination):
    ordering = "-seq"


class AuditEntryViewSet(StreamingExportMixin, ReadOnlyRegistryViewSet):
    """Every recorded change and domain event, newest first."""

    queryset_fn = staticmethod(access.audit_entries)
    serializer_class = AuditEntrySerializer
    filterset_class = fs.AuditEntryFilterSet
    pagination_class = AuditPagination
    exports = {
        "csv": Export(exports.stream_audit_csv, "text/csv; charset=utf-8"),
        "ndjson": Export(exports.stream_audit_ndjson, "application/x-ndjson"),
    }
    export_name = "audit"
    lookup_field = "seq"
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["seq"]
    read_roles = AUDITORS


class AuditVerifyView(APIView):
    """Recompute the whole hash chain and its signatures, check every stored checkpoint and the
    heads given as `expect`: `ok`, or the first broken sequence number and the problems."""

    permission_classes = [RolePermission]
    read_roles = AUDITORS

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "expect",
                OpenApiTypes.STR,
                many=True,
                description="SEQ:HASH of a head kept elsewhere (repeatable): entry SEQ must"
                " still exist with HASH, else the tail was cut or the chain rewritten.",
            )
        ],
        responses={200: AuditVerificationSerializer, 400: ErrorSerializer},
    )
    def get(self, request):
        values = request.query_params.getlist("expect")
        if len(values) > 20:
            raise ValidationError({"expect": ["At most 20 values."]})
        try:
            expect = [(*parse_expect(v), f"expect {v[:80]}") for v in values]
        except ValueError as exc:
            raise ValidationError({"expect": [str(exc)]}) from None
        return Response(AuditVerificationSerializer(check(expect)).data)


class AuditHeadView(APIView):
    """The chain head and the latest signed checkpoint, for anyone to keep and compare later
    (as Certificate Transparency publishes its signed tree head): hashes reveal no content."""

    permission_classes = [RolePermission]
    read_roles = EVERYONE

    @extend_schema(responses=AuditHeadSerializer)
    def get(self, request):
        row = AuditEntry.objects.order_by("-seq").values("seq", "hash", "at", "signature").first()
        head: dict[str, object]
        if row is not None:
            head = {**row, "at": AuditEntry(at=row["at"]).at_canonical}
        else:
            head = {"seq": 0, "hash": "0" * 64, "at": None, "signature": ""}
        latest = Checkpoint.objects.order_by("-id").first()
        key = signing.public_key()
        data = {
            "head": head,
            "checkpoint": document(latest) if latest else None,
            "public_key": base64.b64encode(signing.public_bytes(key)).decode(),
            "key_id": signing.key_id(key),
        }
        return Response(AuditHeadSerializer(data).data)
