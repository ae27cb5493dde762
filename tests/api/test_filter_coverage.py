"""Every field a registry auditor would filter a list by has a filter: each indexed field (its own
index, unique, a foreign key, in Meta.indexes or a unique constraint), each field with choices
and each many-to-many of a router resource's model is covered by a filter of its FilterSet, or
is exempt below with the reason.

A filter covers the field its `field_name` starts with (`company_id` covers `company`,
`services__code` covers `services`); a method filter names the field it selects by in
`field_name` too; `q` covers the FilterSet's `search_fields`."""

import django_filters as df
import pytest
from django.db import models

from api.filtersets import LicenceFilterSet
from api.urls import router
from registry import models as m
from registry.filters import CountryInFilter, SearchFilterSet

# (resource, field) -> why no filter selects by it
EXEMPT = {
    ("coordination", "parent"): "not in a coordination summary; full readers use /contracts/",
    ("coordination", "value"): "values are never in a coordination summary (nor its filters)",
    ("coordination", "signed_on"): "not in a coordination summary; full readers use /contracts/",
    ("findings", "subject_key"): "the engine's own key; company, contract, person and rule say it",
    ("personnel", "identity_hash"): "a keyed hash of an identity document: never a filter",
    ("audit", "seq"): "the detail route's key (/audit/{seq}/); the cursor pages by it",
    ("audit", "actor_label"): "the actor filter takes a principal's label as well as a user id",
}

FILTERED = {
    prefix: viewset.filterset_class
    for prefix, viewset, _ in router.registry
    if getattr(viewset, "filterset_class", None) is not None
}


def filterable_fields(model) -> dict[str, str]:
    """The model's fields that a list should be filterable by, with why."""
    opts = model._meta
    in_indexes = {name.lstrip("-") for index in opts.indexes for name in index.fields}
    in_indexes |= {
        name
        for constraint in opts.constraints
        if isinstance(constraint, models.UniqueConstraint)
        for name in constraint.fields
    }
    found = {}
    for field in opts.get_fields():
        if field.auto_created and not field.concrete:
            continue  # reverse relations belong to the other model
        if field.many_to_many:
            found[field.name] = "many-to-many"
        elif field.is_relation:
            found[field.name] = "foreign key"
        elif field.choices:
            found[field.name] = "choices"
        elif field.unique or field.db_index or field.name in in_indexes:
            found[field.name] = "indexed"
    return found


def covered_fields(filterset) -> set[str]:
    covered = set()
    for name, filter_ in filterset.base_filters.items():
        first = (filter_.field_name or name).split("__")[0]
        covered |= {first, first.removesuffix("_id")}  # company_id: the foreign key company
    if "q" in filterset.base_filters and issubclass(filterset, SearchFilterSet):
        covered |= {path.split("__")[0] for path in filterset.search_fields}
    return covered


def uncovered(prefix, filterset) -> dict[str, str]:
    fields = filterable_fields(filterset._meta.model)
    covered = covered_fields(filterset)
    return {
        name: why
        for name, why in fields.items()
        if name not in covered and (prefix, name) not in EXEMPT
    }


@pytest.mark.parametrize("prefix", FILTERED)
def test_every_filterable_field_has_a_filter(prefix):
    missing = uncovered(prefix, FILTERED[prefix])
    assert not missing, f"/{prefix}/ cannot be filtered by {missing}: add a filter or exempt it"


def test_every_exemption_is_still_needed():
    stale = [
        key
        for key in EXEMPT
        if key[0] not in FILTERED
        or key[1] not in filterable_fields(FILTERED[key[0]]._meta.model)
        or key[1] in covered_fields(FILTERED[key[0]])
    ]
    assert not stale


# --- The check itself fails on an incomplete FilterSet --------------------------------------


class WithoutState(LicenceFilterSet):
    state = None  # a subclass may drop a declared filter this way


class CountryWithoutFieldName(SearchFilterSet):
    country = CountryInFilter(method="filter_country")  # names no field: covers none

    class Meta:
        model = m.Mission
        fields = ["id", "organisation", "acronym"]


class SearchWithoutFields(SearchFilterSet):
    country = CountryInFilter(field_name="country_id")  # but `q` searches no field

    class Meta:
        model = m.Client
        fields = ["id", "kind", "mission", "country"]


class OnlyIds(df.FilterSet):
    class Meta:
        model = m.Vetting
        fields = ["id"]


@pytest.mark.parametrize(
    ("prefix", "filterset", "missing"),
    [
        ("licences", WithoutState, {"state": "choices"}),
        ("missions", CountryWithoutFieldName, {"countries": "many-to-many"}),
        ("clients", SearchWithoutFields, {"name": "indexed"}),
        (
            "vetting",
            OnlyIds,
            {"person": "foreign key", "company": "foreign key", "outcome": "choices"},
        ),
    ],
)
def test_an_incomplete_filterset_fails_the_check(prefix, filterset, missing):
    assert uncovered(prefix, filterset) == missing
