"""Missions, clients, contracts (with CSV and NDJSON exports) and coordination summaries."""

from api import filtersets as fs
from api.pagination import CursorPagination
from api.permissions import ADMINS, SIGNED_IN
from api.serializers import contracts
from registry import access, exports
from registry import models as m
from registry.choices import Role

from .base import Export, ReadOnlyRegistryViewSet, RegistryViewSet, StreamingExportMixin

EXPORTS = {
    "csv": Export(exports.stream_contracts_csv, "text/csv; charset=utf-8"),
    "ndjson": Export(exports.stream_contracts_ndjson, "application/x-ndjson"),
}


class MissionViewSet(RegistryViewSet):
    queryset_fn = staticmethod(lambda v: m.Mission.objects.all())
    prefetch_related = ("countries",)
    serializer_class = contracts.MissionSerializer
    filterset_class = fs.MissionFilterSet
    ordering_fields = ["acronym", "start"]
    read_roles = SIGNED_IN
    write_roles = ADMINS


class ClientViewSet(RegistryViewSet):
    queryset_fn = staticmethod(lambda v: m.Client.objects.all())
    serializer_class = contracts.ClientSerializer
    filterset_class = fs.ClientFilterSet
    ordering_fields = ["name", "kind"]
    read_roles = SIGNED_IN
    write_roles = ADMINS


class ContractViewSet(StreamingExportMixin, RegistryViewSet):
    """Contracts the caller may read in full. Mission staff see other missions' contracts
    only at /api/v1/coordination/."""

    queryset_fn = staticmethod(access.contracts)
    prefetch_related = ("countries", "services")
    serializer_class = contracts.ContractSerializer
    filterset_class = fs.ContractFilterSet
    pagination_class = CursorPagination
    exports = EXPORTS
    export_name = "contracts"
    ordering_fields = ["id", "start", "end", "reference"]
    read_roles = frozenset({Role.MISSION_STAFF, Role.REGULATOR, Role.AUDITOR, Role.ADMIN})
    write_roles = frozenset({Role.MISSION_STAFF, Role.REGULATOR, Role.ADMIN})


class CoordinationViewSet(ReadOnlyRegistryViewSet):
    """Any contract as a coordination summary: who, where, what, when, status."""

    queryset_fn = staticmethod(access.coordination_contracts)
    select_related = ("company", "client", "mission")
    prefetch_related = ("countries", "services")
    serializer_class = contracts.CoordinationSerializer
    filterset_class = fs.CoordinationFilterSet
    pagination_class = CursorPagination
    ordering_fields = ["id", "start", "end"]
    read_roles = SIGNED_IN
