"""The one definition of each list filter: its name, its meaning and its validation.

Every door to a list uses these FilterSets: the API's FilterSets (api.filtersets) are these
classes, and the web pages' filter forms (registry.web.filters) derive from them, changing only
widgets, labels and which filters the page offers. So `?active_on=2026-05-01` selects the same
contracts on the contract page, in its CSV download, in the API list and in the API's CSV.

Rules every door shares: booleans are true/false (or 1/0) and anything else is an error, never
"no filter"; country codes are ISO 3166-1 alpha-2 in any case; lists of codes or ids are
comma-separated (?country=KE,so); a filter whose value is invalid is an error, never ignored.
Ids are ASCII digits within the 64-bit signed range (no "²", "①" or "١٢", nothing ≥ 2^63); dates
are YYYY-MM-DD in ASCII digits; numbers likewise. The API also refuses an empty date filter
(?active_on=, api.filtersets.StrictFilterBackend); a page's blank form field is no filter.
"""

import datetime as dt
import re

import django_filters as df
from django import forms
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from registry import models as m
from registry.choices import ContractStatus, Standing


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0); anything else is an error instead of 'no filter'."""

    widget = forms.TextInput  # the select widgets turn unknown values into None

    def to_python(self, value):
        value = value.strip().lower() if isinstance(value, str) else value
        if value in (None, ""):
            return None
        if value in (True, "true", "1"):
            return True
        if value in (False, "false", "0"):
            return False
        raise forms.ValidationError("Enter true or false.", code="invalid")


class StrictBooleanFilter(df.BooleanFilter):
    field_class = StrictBooleanField


ID_MAX = 2**63 - 1  # the largest 64-bit signed integer: the range of every id column
_ASCII_ID = re.compile(r"[0-9]{1,19}")
ID_MESSAGE = f"Enter an id: digits 0-9 only, at most {ID_MAX}."


def strict_id(value) -> int | None:
    """The id `value` spells in ASCII digits within the 64-bit signed range, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= ID_MAX else None
    if isinstance(value, str) and _ASCII_ID.fullmatch(value) and int(value) <= ID_MAX:
        return int(value)
    return None


class StrictIdField(forms.Field):
    """An id: ASCII digits, within the 64-bit signed range (a larger one overflows SQLite)."""

    def to_python(self, value):
        value = value.strip() if isinstance(value, str) else value
        if value in (None, ""):
            return None
        found = strict_id(value)
        if found is None:
            raise forms.ValidationError(ID_MESSAGE, code="invalid")
        return found


def _require_ascii(value, message):
    if isinstance(value, str) and not value.isascii():
        raise forms.ValidationError(message, code="invalid")


class StrictDecimalField(forms.DecimalField):
    """A number in ASCII digits (Decimal() alone takes "١٢" and "²"-free Unicode digits)."""

    def to_python(self, value):
        _require_ascii(value, "Enter a number (digits 0-9).")
        return super().to_python(value)


class StrictDateField(forms.DateField):
    """YYYY-MM-DD in ASCII digits (strptime alone takes other scripts' digits)."""

    def to_python(self, value):
        _require_ascii(value, "Enter a valid date (YYYY-MM-DD).")
        return super().to_python(value)


class StrictIsoDateTimeField(df.fields.IsoDateTimeField):
    def to_python(self, value):
        _require_ascii(value, "Enter a valid date and time (ISO 8601).")
        parsed = super().to_python(value)
        if parsed is not None and parsed.tzinfo is not None:
            # ISO 8601 allows any offset; PostgreSQL refuses literals beyond ±15:59. In UTC
            # the instant is the same and every database takes it.
            try:
                parsed = parsed.astimezone(dt.UTC)
            except OverflowError:
                raise forms.ValidationError(
                    "Enter a date and time within years 1 to 9999.", code="invalid"
                ) from None
        return parsed


class IdFilter(df.NumberFilter):
    """One id: ?company=7 (a NumberFilter, so the OpenAPI schema says a number)."""

    field_class = StrictIdField


class NumberFilter(df.NumberFilter):
    field_class = StrictDecimalField


class DateFilter(df.DateFilter):
    field_class = StrictDateField


class IsoDateTimeFilter(df.IsoDateTimeFilter):
    field_class = StrictIsoDateTimeField


# The filters whose empty value the API refuses (?active_on= is a mistake, not "no filter"); the
# pages' forms send blank fields, so there an empty value stays "no filter".
DATE_FILTERS = (DateFilter, IsoDateTimeFilter)

INTEGER_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveBigIntegerField,
    models.PositiveSmallIntegerField,
)


class FilterSet(df.FilterSet):
    FILTER_DEFAULTS = {
        **df.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
        **{field: {"filter_class": IdFilter} for field in INTEGER_FIELDS},
        models.DecimalField: {"filter_class": NumberFilter},
        models.FloatField: {"filter_class": NumberFilter},
        models.DateField: {"filter_class": DateFilter},
        models.DateTimeField: {"filter_class": IsoDateTimeFilter},
    }


class CodeInFilter(df.BaseInFilter, df.CharFilter):
    """Comma-separated codes: ?service=armed_escort,close_protection."""


class UpperCaseField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return value.upper() if value is not None else None


class CountryInFilter(CodeInFilter):
    """Comma-separated ISO 3166-1 alpha-2 codes, any case: ?country=KE,so."""

    field_class = UpperCaseField


class NumberInFilter(df.BaseInFilter, IdFilter):
    """Comma-separated ids: ?company=3,7 (each an id as StrictIdField takes it)."""


class RepeatedValues(forms.SelectMultiple):
    """?status=a&status=b. An empty value (?status=) is no filter, as for every other filter."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return [value for value in values if value not in (None, "")]


class MultipleChoiceFilter(df.MultipleChoiceFilter):
    """Any of the given choices (repeat the parameter); an empty value is no filter."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", RepeatedValues)
        super().__init__(*args, **kwargs)


class RelatedCodesFilter(CodeInFilter):
    """Records linked through the many-to-many `field_name` to any of the codes (the related
    model's keys): one EXISTS over the link table, so no record is listed twice."""

    def filter(self, qs, value):
        if not value:
            return qs
        field = self.model._meta.get_field(self.field_name)
        links = field.remote_field.through.objects.filter(
            **{field.m2m_field_name(): OuterRef("pk"), f"{field.m2m_reverse_name()}__in": value}
        )
        return qs.filter(Exists(links))


class RelatedCountriesFilter(RelatedCodesFilter):
    """Records linked through `field_name` to any of the countries: ?country=KE,so."""

    field_class = UpperCaseField


class OnDayFilter(DateFilter):
    """Records in force on a day, in the one meaning their queryset gives it: the queryset
    method `by` (active_on, in_force_on, valid_on) defined with the model."""

    def __init__(self, *args, by: str = "active_on", **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by

    def filter(self, qs, value):
        return qs if value is None else getattr(qs, self.by)(value)


class SearchFilterSet(FilterSet):
    """`q`: part of any of `search_fields`, in any case.

    A method filter names the model field it selects by in `field_name` (django-filter passes
    it to the method), and `q` covers its `search_fields`: tests/api/test_filter_coverage.py
    reads both to check that every indexed or enumerated field of a list can be filtered."""

    q = df.CharFilter(method="search", label="Text search")
    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


ACTIVE_ON_HELP = (
    "Contracts in force on this day (YYYY-MM-DD): the day lies within the contract's period"
    " (start ≤ day ≤ end) and the contract is planned or active. Completed and terminated"
    " contracts are left out whatever their dates."
)


class CoordinationFilters(FilterSet):
    """Filters over what a coordination summary shows: who, where, what, when, status."""

    company = NumberInFilter(field_name="company_id", help_text="Company ids, comma-separated.")
    client = NumberInFilter(field_name="client_id", help_text="Client ids, comma-separated.")
    mission = NumberInFilter(field_name="mission_id", help_text="Mission ids, comma-separated.")
    country = RelatedCountriesFilter(
        field_name="countries",
        help_text="Countries the contract covers: ISO 3166-1 alpha-2 codes, comma-separated,"
        " any case (KE,so).",
    )
    service = RelatedCodesFilter(
        field_name="services",
        help_text="Services the contract covers: service category codes, comma-separated.",
    )
    armed = StrictBooleanFilter(help_text="Armed contracts (true) or unarmed ones (false).")
    status = MultipleChoiceFilter(
        choices=ContractStatus.choices, help_text="Any of these statuses (repeat the parameter)."
    )
    active_on = OnDayFilter(help_text=ACTIVE_ON_HELP)
    start_after = DateFilter(
        field_name="start", lookup_expr="gte", help_text="Starting on or after this day."
    )
    end_before = DateFilter(
        field_name="end", lookup_expr="lte", help_text="Ending on or before this day."
    )

    class Meta:
        model = m.Contract
        fields = ["id", "reference"]


class ContractFilters(CoordinationFilters, SearchFilterSet):
    """Contracts as their readers in full filter them (the coordination filters and more)."""

    q = df.CharFilter(
        method="search",
        label="Text search",
        help_text="Part of the reference, title, company legal name or client name (any case).",
    )
    parent = NumberInFilter(field_name="parent_id", help_text="Prime contract ids.")
    signed_after = DateFilter(
        field_name="signed_on", lookup_expr="gte", help_text="Signed on or after this day."
    )
    signed_before = DateFilter(
        field_name="signed_on", lookup_expr="lte", help_text="Signed on or before this day."
    )
    value_min = NumberFilter(
        field_name="value",
        lookup_expr="gte",
        help_text="Value at least this (in the contract's currency; contracts without a value"
        " are left out).",
    )
    value_max = NumberFilter(
        field_name="value",
        lookup_expr="lte",
        help_text="Value at most this (in the contract's currency; contracts without a value"
        " are left out).",
    )
    currency = df.CharFilter(lookup_expr="iexact", help_text="ISO 4217 code, any case.")
    search_fields = ("reference", "title", "company__legal_name", "client__name")

    class Meta:
        model = m.Contract
        fields = ["id", "reference"]


class CompanyFilters(SearchFilterSet):
    """Companies of the public register."""

    q = df.CharFilter(
        method="search",
        label="Text search",
        help_text="Part of the legal name or of a trading name, or the exact registration"
        " number, LEI or licence number (any case).",
    )
    country = CountryInFilter(
        field_name="home_country_id",
        label="Home country codes",
        help_text="Home countries: ISO 3166-1 alpha-2 codes, comma-separated, any case.",
    )
    registering_authority = NumberInFilter(field_name="registering_authority_id")
    registration_number = df.CharFilter(lookup_expr="iexact")
    parent = NumberInFilter(field_name="parent_id")
    service = RelatedCodesFilter(field_name="services", label="Service codes the company offers")
    licensed_in = CountryInFilter(
        method="filter_licensed_in", label="Countries where an active licence is in force today"
    )
    # The cached column the compliance engine keeps fresh (registry.services.standing).
    standing = MultipleChoiceFilter(choices=Standing.choices)
    # What `q` matches (CompanyQuerySet.search, which `search` below calls).
    search_fields = (
        "legal_name",
        "aliases__name",
        "registration_number",
        "lei",
        "licences__number",
    )

    class Meta:
        model = m.Company
        fields = ["id", "lei"]

    def search(self, queryset, name, value):
        """The register's one search (CompanyQuerySet.search)."""
        return queryset.search(value)

    def filter_licensed_in(self, queryset, name, value):
        active = m.Licence.objects.active_on(timezone.localdate()).filter(
            company_id=OuterRef("pk"), countries__code__in=value
        )
        return queryset.filter(Exists(active))
