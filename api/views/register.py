"""The public register: service categories, authorities, companies, licences, codes,
adherences and certifications."""

from django.db.models import Q
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api import filtersets as fs
from api.answers import stored_answer
from api.authentication import require_recent_password
from api.errors import ErrorSerializer
from api.idempotency import idempotent
from api.permissions import ADMINS, EVERYONE, REGULATORS, SIGNED_IN
from api.serializers import checks, register
from registry import access
from registry import models as m
from registry.choices import LicenceAction
from registry.filters import strict_id
from registry.services.licensing import transition
from registry.services.standing import STANDING_PREFETCH
from registry.services.status import answer_versions, company_status

from .base import RegistryViewSet, etag_for


class ServiceCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = m.ServiceCategory.objects.all()
    serializer_class = register.ServiceCategorySerializer
    filterset_class = fs.ServiceCategoryFilterSet
    lookup_field = "code"
    lookup_value_regex = "[a-z0-9_]+"
    read_roles = EVERYONE
    ordering_fields = ["code", "name"]


class AuthorityViewSet(RegistryViewSet):
    queryset_fn = staticmethod(lambda v: m.LicensingAuthority.objects.all())
    select_related = ("country",)
    serializer_class = register.AuthoritySerializer
    filterset_class = fs.AuthorityFilterSet
    ordering_fields = ["name", "acronym", "country"]
    write_roles = ADMINS


class CompanyViewSet(RegistryViewSet):
    queryset_fn = staticmethod(access.companies)
    prefetch_related = (*STANDING_PREFETCH, "aliases", "services")
    serializer_class = register.CompanySerializer
    filterset_class = fs.CompanyFilterSet
    ordering_fields = ["legal_name", "registration_number", "created_at"]
    write_roles = REGULATORS

    @extend_schema(
        responses={200: checks.StatusSerializer, 401: ErrorSerializer, 404: ErrorSerializer},
        summary="Status of a company: standing, reasons, licences, codes, sanctions, findings, "
        "active contracts by mission",
    )
    @action(detail=True, methods=["get"], url_path="status")
    def status(self, request, pk=None):
        company_id, version = self._version(pk)
        return stored_answer(
            request,
            "status",
            company_id,
            version,
            lambda: checks.StatusSerializer(self._status(company_id).answer()).data,
        )

    def _version(self, pk) -> tuple[int, str]:
        company_id = strict_id(pk)
        found = answer_versions(self.viewer, Q(pk=company_id)) if company_id is not None else []
        if not found:
            raise NotFound()
        return found[0]

    def _status(self, company_id: int):
        """company_status() loads the company as the caller may see it, with what the answer
        reads, once: not get_object() first with the record's own prefetches."""
        try:
            return company_status(company_id, self.request.user)
        except m.Company.DoesNotExist:
            raise NotFound() from None

    @extend_schema(
        responses={200: checks.StandingHistorySerializer, 404: ErrorSerializer},
        summary="History of a company's standing and licence states (latest 20 of each)",
    )
    @action(detail=True, methods=["get"], url_path="standing-history", url_name="standing-history")
    def standing_history(self, request, pk=None):
        company_id, version = self._version(pk)
        return stored_answer(
            request,
            "standing-history",
            company_id,
            version,
            lambda: (
                checks.StandingHistorySerializer(self._status(company_id).history_answer()).data
            ),
        )

    def get_permissions(self):
        if self.action == "status":
            self.read_roles = SIGNED_IN
        return super().get_permissions()


def _transition_action(licence_action: LicenceAction):
    name = str(licence_action)

    def handler(self, request, pk=None):
        licence = self.get_object()
        self.check_write(licence)
        self.check_if_match(licence)
        require_recent_password(request)
        body = register.LicenceTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        transition(licence, name, actor=request.user, **body.validated_data)
        data = self.get_serializer(self.get_object()).data
        return Response(data, headers={"ETag": etag_for(data)})

    handler.__name__ = name
    handler = idempotent(handler)
    handler = action(detail=True, methods=["post"], url_path=name, url_name=name)(handler)
    return extend_schema(
        request=register.LicenceTransitionSerializer,
        responses={
            200: register.LicenceSerializer,
            412: OpenApiResponse(
                ErrorSerializer, description="If-Match does not match the licence's ETag."
            ),
            409: OpenApiResponse(
                ErrorSerializer, description="Not allowed from the current state."
            ),
        },
        summary=f"{name.capitalize()} the licence (a reason is required; renew takes new dates)",
    )(handler)


class LicenceViewSet(RegistryViewSet):
    queryset_fn = staticmethod(access.licences)
    select_related = ("authority",)
    prefetch_related = ("countries", "services")
    serializer_class = register.LicenceSerializer
    filterset_class = fs.LicenceFilterSet
    ordering_fields = ["number", "valid_from", "valid_until", "state"]
    write_roles = REGULATORS

    # One POST endpoint per licence action a person takes (USER_ACTIONS; expiry is the
    # scheduled job's).
    grant = _transition_action(LicenceAction.GRANT)
    refuse = _transition_action(LicenceAction.REFUSE)
    suspend = _transition_action(LicenceAction.SUSPEND)
    reinstate = _transition_action(LicenceAction.REINSTATE)
    revoke = _transition_action(LicenceAction.REVOKE)
    surrender = _transition_action(LicenceAction.SURRENDER)
    renew = _transition_action(LicenceAction.RENEW)


class ConductStandardViewSet(RegistryViewSet):
    queryset_fn = staticmethod(lambda v: m.ConductStandard.objects.all())
    serializer_class = register.ConductStandardSerializer
    filterset_class = fs.ConductStandardFilterSet
    ordering_fields = ["code", "name"]
    write_roles = ADMINS


class AdherenceViewSet(RegistryViewSet):
    queryset_fn = staticmethod(access.adherences)
    serializer_class = register.AdherenceSerializer
    filterset_class = fs.AdherenceFilterSet
    ordering_fields = ["signed_on", "withdrawn_on"]
    write_roles = REGULATORS


class CertificationViewSet(RegistryViewSet):
    queryset_fn = staticmethod(access.certifications)
    serializer_class = register.CertificationSerializer
    filterset_class = fs.CertificationFilterSet
    ordering_fields = ["issued_on", "expires_on"]
    write_roles = REGULATORS
