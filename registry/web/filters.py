"""The pages' filter forms: the shared filters of registry.filters (names, meaning, validation),
dressed with the page's widgets and labels. The rows they narrow come from registry.access."""

from typing import TYPE_CHECKING

from django import forms
from django.utils.choices import BaseChoiceIterator
from django_filters.widgets import BaseCSVWidget

from registry import filters as shared
from registry.choices import ContractStatus
from registry.models import Company, Contract, Country, ServiceCategory

from .forms_base import AccessibleFormMixin, DateInput


class FilterForm(AccessibleFormMixin, forms.Form):
    pass


class CSVSelect(BaseCSVWidget, forms.Select):
    """A select for a filter that takes a comma-separated list (it offers one value; a link
    with several shows them as text)."""


class CountrySelect(CSVSelect):
    """Codes in any case, as the filter reads them: ?country=so selects Somalia (SO)."""

    def format_value(self, value):
        return [code.upper() for code in super().format_value(value)]


class AnyOfSelect(forms.Select):
    """A select for a filter that takes repeated values (?status=a&status=b); it offers one,
    and its empty option means no filter (read as the shared filter reads them)."""

    value_from_datadict = shared.RepeatedValues.value_from_datadict


class Options(BaseChoiceIterator):
    """(value, label) pairs for a select, an empty option first; queried when it renders
    (a BaseChoiceIterator, so Django does not read it when the widget is built)."""

    def __init__(self, empty_label, queryset):
        self.empty_label = empty_label
        self.queryset = queryset

    def __iter__(self):
        yield "", self.empty_label
        for obj in self.queryset.all():
            yield obj.pk, str(obj)


# Type checkers see the FilterSet the mixin goes into; at run time it is a plain mixin.
if TYPE_CHECKING:
    _FilterSetBase = shared.FilterSet
else:
    _FilterSetBase = object


class PageFilters(_FilterSetBase):
    """Mixin over a shared FilterSet. `field_order` lists the filters the page offers (set the
    others to None in the class body); `dress(fields)` sets the page's widgets and labels."""

    field_order: tuple[str, ...] = ()

    def get_form_class(self):
        form_class = super().get_form_class()
        # The fields are this FilterSet instance's own copies: dressing them changes no other.
        self.dress(form_class.base_fields)
        form_class.field_order = list(self.field_order)
        return form_class

    def dress(self, fields):
        pass

    @property
    def rows(self):
        """The filtered rows; none while a filter is invalid (its form error says why), never
        the rows unfiltered."""
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return self.qs


class ContractFilter(PageFilters, shared.ContractFilters):
    # API-only filters (ids and a few more) that the page does not offer. (None removes a
    # declared filter in django-filter; mypy sees a filter replaced by None.)
    company = client = parent = currency = start_after = end_before = None  # type: ignore[assignment]
    field_order = (
        "q",
        "mission",
        "status",
        "country",
        "service",
        "armed",
        "active_on",
        "signed_after",
        "signed_before",
        "value_min",
        "value_max",
    )

    class Meta:
        model = Contract
        fields: list[str] = []
        form = FilterForm

    def __init__(self, *args, missions, **kwargs):
        super().__init__(*args, **kwargs)
        self.missions = missions

    def dress(self, fields):
        def dress(name, label, widget=None, help_text=""):
            fields[name].label = label
            fields[name].help_text = help_text
            if widget is not None:
                fields[name].widget = widget

        dress("q", "Reference, title, company or client")
        dress("mission", "Mission", CSVSelect(choices=Options("Any mission", self.missions)))
        dress(
            "status",
            "Status",
            AnyOfSelect(choices=[("", "Any status"), *ContractStatus.choices]),
        )
        dress("country", "Country", CountrySelect(choices=Options("Any country", Country.objects)))
        dress(
            "service",
            "Service",
            CSVSelect(choices=Options("Any service", ServiceCategory.objects)),
        )
        armed = [("", "Armed or not"), ("true", "Armed"), ("false", "Unarmed")]
        dress("armed", "Armed", forms.Select(choices=armed))
        dress("active_on", "Active on", DateInput(), help_text=fields["active_on"].help_text)
        dress("signed_after", "Signed from", DateInput())
        dress("signed_before", "Signed until", DateInput())
        dress("value_min", "Value at least")
        dress("value_max", "Value at most")


class RegisterSearch(PageFilters, shared.CompanyFilters):
    """The public register's search box: the API's `q` on companies."""

    # The other filters of the API (None removes a declared filter in django-filter).
    country = registering_authority = registration_number = parent = None  # type: ignore[assignment]
    service = licensed_in = standing = None  # type: ignore[assignment]
    field_order = ("q",)

    class Meta:
        model = Company
        fields: list[str] = []
        form = FilterForm

    @property
    def text(self) -> str:
        """The search text as the filter reads it ('' when none)."""
        return self.form.cleaned_data.get("q", "") if self.is_valid() else ""
