"""Filters of the contract list page. The rows they narrow come from registry.access."""

import django_filters as df
from django import forms
from django.db.models import Q

from registry.choices import ContractStatus
from registry.models import Contract, Country, Mission, ServiceCategory

from .forms_base import DateInput


class ContractFilter(df.FilterSet):
    q = df.CharFilter(method="search", label="Reference, title, company or client")
    mission = df.ModelChoiceFilter(queryset=Mission.objects.none(), empty_label="Any mission")
    status = df.ChoiceFilter(choices=ContractStatus.choices, empty_label="Any status")
    country = df.ModelChoiceFilter(
        field_name="countries",
        queryset=Country.objects.all(),
        label="Country",
        empty_label="Any country",
    )
    service = df.ModelChoiceFilter(
        field_name="services",
        queryset=ServiceCategory.objects.all(),
        label="Service",
        empty_label="Any service",
    )
    armed = df.BooleanFilter(
        widget=forms.Select(choices=[("", "Armed or not"), ("true", "Armed"), ("false", "Unarmed")])
    )
    active_on = df.DateFilter(method="filter_active_on", label="Active on", widget=DateInput())

    class Meta:
        model = Contract
        fields = ["q", "mission", "status", "country", "service", "armed", "active_on"]

    def __init__(self, *args, missions, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["mission"].queryset = missions

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(title__icontains=value)
            | Q(company__legal_name__icontains=value)
            | Q(client__name__icontains=value)
        )

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(start__lte=value, end__gte=value)
