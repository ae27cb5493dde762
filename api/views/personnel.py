"""Personnel and vetting: regulators (for their companies), auditors and admins only."""

from django.db.models import Prefetch

from api import filtersets as fs
from api.pagination import CursorPagination
from api.permissions import OVERSIGHT, REGULATORS
from api.serializers import personnel
from registry import access

from .base import RegistryViewSet


class PersonViewSet(RegistryViewSet):
    queryset_fn = staticmethod(access.people)
    serializer_class = personnel.PersonSerializer
    filterset_class = fs.PersonFilterSet
    pagination_class = CursorPagination
    ordering_fields = ["id", "full_name"]
    read_roles = OVERSIGHT
    write_roles = REGULATORS

    def get_queryset(self):
        # Only the employments the caller may see (a regulator: at the companies it regulates).
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("employments", queryset=access.employments(self.viewer)))
        )


class VettingViewSet(RegistryViewSet):
    queryset_fn = staticmethod(access.vettings)
    serializer_class = personnel.VettingSerializer
    filterset_class = fs.VettingFilterSet
    pagination_class = CursorPagination
    ordering_fields = ["id", "vetted_on"]
    read_roles = OVERSIGHT
    write_roles = REGULATORS
