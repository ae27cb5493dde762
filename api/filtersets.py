"""One FilterSet per resource, each with `q` text search and id filters on foreign keys.

Contracts and companies use the FilterSets the web pages share (registry.filters); the others
are built from the same pieces, so every list follows the same rules.

The filter backend refuses query parameters no filter knows (400), so a filter that a role's
representation leaves out (e.g. contract values on coordination summaries) can never be
silently ignored and widen a result.
"""

import django_filters as df
from django.db.models import Exists, OuterRef
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from registry import access
from registry import filters as shared
from registry import models as m
from registry.audit.models import Action as AuditAction
from registry.audit.models import AuditEntry
from registry.audit.models import Channel as AuditChannel
from registry.choices import (
    FindingState,
    IncidentSeverity,
    IncidentStatus,
    LicenceState,
    SanctionKind,
    Severity,
    Verdict,
    VettingOutcome,
)
from registry.filters import (
    DATE_FILTERS,
    CodeInFilter,
    CountryInFilter,
    DateFilter,
    FilterSet,
    IdFilter,
    IsoDateTimeFilter,
    MultipleChoiceFilter,
    NumberInFilter,
    OnDayFilter,
    RelatedCodesFilter,
    RelatedCountriesFilter,
    SearchFilterSet,
    strict_id,
)

CONTROL_PARAMS = frozenset({"format", "page", "page_size", "cursor", "ordering"})


class StrictFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        known = set(filterset_class.base_filters) if filterset_class else set()
        unknown = sorted(set(request.query_params) - known - CONTROL_PARAMS)
        if unknown and getattr(view, "action", None) == "list":
            offered = ", ".join(sorted(known)) or "none"
            message = f"Unknown filter; this list offers {offered}."
            raise ValidationError({name: [message] for name in unknown})
        if filterset_class is not None:
            self.refuse_empty(request, filterset_class)
        return super().filter_queryset(request, queryset, view)

    @staticmethod
    def refuse_empty(request, filterset_class):
        """?active_on= (a date filter given no value) is a 400 naming it."""
        empty = {}
        for name, filter_ in filterset_class.base_filters.items():
            values = request.query_params.getlist(name)
            if isinstance(filter_, DATE_FILTERS) and any(not v.strip() for v in values):
                empty[name] = ["Give a value, or leave the parameter out."]
        if empty:
            raise ValidationError(empty)


class StrictOrderingFilter(OrderingFilter):
    """`ordering=` on a field the list does not offer is a 400, like an unknown filter, rather
    than a silently unsorted answer."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        invalid = [term for term in fields if term and term not in valid]
        if invalid:
            context = {"request": request}
            offered = ", ".join(name for name, _ in self.get_valid_fields(queryset, view, context))
            raise ValidationError(
                {self.ordering_param: [f"Cannot order by {', '.join(invalid)}; use {offered}."]}
            )
        return valid


class AuthorityFilterSet(SearchFilterSet):
    country = CountryInFilter(field_name="country_id")
    search_fields = ("name", "acronym")

    class Meta:
        model = m.LicensingAuthority
        fields = ["id"]


class ServiceCategoryFilterSet(SearchFilterSet):
    code = CodeInFilter()
    search_fields = ("code", "name", "description")

    class Meta:
        model = m.ServiceCategory
        fields = ["armed"]


class LicenceFilterSet(SearchFilterSet):
    state = MultipleChoiceFilter(choices=LicenceState.choices)
    authority = NumberInFilter(field_name="authority_id")
    company = NumberInFilter(field_name="company_id")
    country = RelatedCountriesFilter(field_name="countries")
    service = RelatedCodesFilter(field_name="services")
    expires_before = DateFilter(field_name="valid_until", lookup_expr="lt")
    expires_after = DateFilter(field_name="valid_until", lookup_expr="gte")
    active_on = OnDayFilter()
    search_fields = ("number", "company__legal_name")

    class Meta:
        model = m.Licence
        fields = ["id", "number", "weapons_authorised"]


class ConductStandardFilterSet(SearchFilterSet):
    search_fields = ("code", "name", "issuer")

    class Meta:
        model = m.ConductStandard
        fields = ["id", "code", "kind"]


class AdherenceFilterSet(FilterSet):
    company = NumberInFilter(field_name="company_id")
    standard = NumberInFilter(field_name="standard_id")
    signed_after = DateFilter(field_name="signed_on", lookup_expr="gte")
    signed_before = DateFilter(field_name="signed_on", lookup_expr="lte")
    in_force_on = OnDayFilter(by="in_force_on")

    class Meta:
        model = m.Adherence
        fields = ["id"]


class CertificationFilterSet(SearchFilterSet):
    company = NumberInFilter(field_name="company_id")
    standard = NumberInFilter(field_name="standard_id")
    expires_before = DateFilter(field_name="expires_on", lookup_expr="lt")
    valid_on = OnDayFilter(by="valid_on")
    search_fields = ("certifying_body", "certificate_number")

    class Meta:
        model = m.Certification
        fields = ["id"]


class MissionFilterSet(SearchFilterSet):
    country = RelatedCountriesFilter(field_name="countries")
    search_fields = ("acronym", "name")

    class Meta:
        model = m.Mission
        fields = ["id", "organisation", "acronym"]


class ClientFilterSet(SearchFilterSet):
    mission = NumberInFilter(field_name="mission_id")
    country = CountryInFilter(field_name="country_id")
    search_fields = ("name",)

    class Meta:
        model = m.Client
        fields = ["id", "kind"]


# The contract and company filters are shared with the web pages: one definition of each.
CoordinationFilterSet = shared.CoordinationFilters
ContractFilterSet = shared.ContractFilters
CompanyFilterSet = shared.CompanyFilters


class IncidentFilterSet(SearchFilterSet):
    company = NumberInFilter(field_name="company_id")
    contract = NumberInFilter(field_name="contract_id")
    country = CountryInFilter(field_name="country_id")
    status = MultipleChoiceFilter(choices=IncidentStatus.choices)
    severity = MultipleChoiceFilter(choices=IncidentSeverity.choices)
    occurred_after = DateFilter(field_name="occurred_on", lookup_expr="gte")
    occurred_before = DateFilter(field_name="occurred_on", lookup_expr="lte")
    search_fields = ("summary", "outcome")

    class Meta:
        model = m.Incident
        fields = ["id", "category"]


class PersonLinkFilterSet(SearchFilterSet):
    """`person`: the records naming these people, among those on which the caller may see the
    person (registry.access.hidden_fields): a filter must not reveal a hidden name."""

    person = NumberInFilter(field_name="person", method="filter_person")

    def filter_person(self, queryset, name, value):
        viewer = access.viewer(getattr(self.request, "user", None))
        return queryset.filter(
            access.person_link_visible(viewer, queryset.model), person_id__in=value
        )


class SanctionFilterSet(PersonLinkFilterSet):
    company = NumberInFilter(field_name="company_id")
    kind = MultipleChoiceFilter(choices=SanctionKind.choices)
    imposed_by_authority = NumberInFilter(field_name="imposed_by_authority_id")
    imposed_by_mission = NumberInFilter(field_name="imposed_by_mission_id")
    imposed_by_client = NumberInFilter(field_name="imposed_by_client_id")
    scope_country = CountryInFilter(field_name="scope_country_id")
    scope_mission = NumberInFilter(field_name="scope_mission_id")
    start_after = DateFilter(field_name="start", lookup_expr="gte")
    start_before = DateFilter(field_name="start", lookup_expr="lte")
    in_force_on = OnDayFilter(by="in_force_on")
    search_fields = ("reason",)

    class Meta:
        model = m.Sanction
        fields = ["id", "scope"]


class PersonFilterSet(SearchFilterSet):
    nationality = CountryInFilter(field_name="nationality_id")
    company = NumberInFilter(method="filter_company")
    search_fields = ("full_name",)

    class Meta:
        model = m.Person
        fields = ["id"]

    def filter_company(self, queryset, name, value):
        employed = m.Employment.objects.filter(person_id=OuterRef("pk"), company_id__in=value)
        return queryset.filter(Exists(employed))


class VettingFilterSet(FilterSet):
    person = NumberInFilter(field_name="person_id")
    company = NumberInFilter(field_name="company_id")
    outcome = MultipleChoiceFilter(choices=VettingOutcome.choices)
    vetted_after = DateFilter(field_name="vetted_on", lookup_expr="gte")

    class Meta:
        model = m.Vetting
        fields = [
            "id",
            "serving_security_forces",
            "former_security_forces",
            "ddr_participant",
            "dismissed_for_misconduct",
            "human_rights_concern",
        ]


class FindingFilterSet(PersonLinkFilterSet):
    company = NumberInFilter(field_name="company_id")
    contract = NumberInFilter(field_name="contract_id")
    rule = CodeInFilter(field_name="rule_code")
    severity = MultipleChoiceFilter(choices=Severity.choices)
    state = MultipleChoiceFilter(choices=FindingState.choices)
    waived_by = NumberInFilter(field_name="waived_by_id", help_text="User ids, comma-separated.")
    search_fields = ("message",)

    class Meta:
        model = m.Finding
        fields = ["id"]


class HiringCheckFilterSet(FilterSet):
    company = NumberInFilter(field_name="company_id")
    client = NumberInFilter(field_name="client_id")
    mission = NumberInFilter(field_name="mission_id")
    asked_by = NumberInFilter(field_name="asked_by_id", help_text="User ids, comma-separated.")
    verdict = MultipleChoiceFilter(choices=Verdict.choices)
    asked_after = IsoDateTimeFilter(field_name="asked_at", lookup_expr="gte")
    asked_before = IsoDateTimeFilter(field_name="asked_at", lookup_expr="lte")

    class Meta:
        model = m.HiringCheck
        fields = ["id"]


class AuditEntryFilterSet(FilterSet):
    """The change history: by object, actor, channel, action, time range, company or request."""

    object_type = df.CharFilter(method="filter_object_type", label="app_label.model")
    object_id = df.CharFilter()
    actor = df.CharFilter(method="filter_actor", label="User id or system principal label")
    channel = MultipleChoiceFilter(choices=AuditChannel.choices)
    action = MultipleChoiceFilter(choices=AuditAction.choices)
    since = IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = IsoDateTimeFilter(field_name="at", lookup_expr="lt")
    company = IdFilter(field_name="company_id", label="A company and everything that belongs to it")
    request_id = df.CharFilter()

    class Meta:
        model = AuditEntry
        fields = ["event"]

    def filter_object_type(self, queryset, name, value):
        return queryset.filter(object_type=value.strip().lower())

    def filter_actor(self, queryset, name, value):
        value = value.strip()
        if value.isascii() and value.isdigit():
            actor = strict_id(value)
            if actor is None:
                raise ValidationError({"actor": [shared.ID_MESSAGE]})
            return queryset.by_actor(actor)
        return queryset.by_actor(value)
