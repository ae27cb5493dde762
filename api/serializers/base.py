"""Serializers validate through the model (full_clean), so a rule lives once, in registry/."""

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, PrimaryKeyRelatedField

from api.errors import django_errors
from registry import access
from registry.filters import ID_MAX, INTEGER_FIELDS
from registry.models import Country, ServiceCategory
from registry.services import records
from registry.validators import control_character, control_character_message

NUMBER_EXPECTED = "A whole number is expected (a JSON number, not a string)."
ID_EXPECTED = "An id is expected (a JSON number, not a string)."


def _strict_problem(field, value) -> str | None:
    """Why `value` (as the JSON body gives it) is not of `field`'s JSON type, else None.

    DRF by default takes "5" for a number, "yes" for true and an object for a list (its keys);
    the API takes the JSON types only. Decimals stay strings or numbers (DRF answers them as
    strings)."""
    if value is None:
        return None
    if isinstance(
        field, ManyRelatedField | serializers.ListField | serializers.MultipleChoiceField
    ):
        if not isinstance(value, list):
            return f'Expected a list of items but got type "{type(value).__name__}".'
        if isinstance(field, ManyRelatedField):
            for item in value:
                problem = _strict_problem(field.child_relation, item)
                if problem:
                    return problem
        return None
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else "Must be true or false (a JSON boolean)."
    if isinstance(field, serializers.IntegerField):
        if isinstance(value, bool) or not isinstance(value, int):
            return NUMBER_EXPECTED
        return None if abs(value) <= ID_MAX else "This number is out of range."
    if isinstance(field, PrimaryKeyRelatedField) and field.pk_field is None and _integer_pk(field):
        if isinstance(value, bool) or not isinstance(value, int):
            return ID_EXPECTED
        return None if 0 <= value <= ID_MAX else "This id is out of range."
    if isinstance(field, serializers.CharField) and isinstance(value, str):
        char = control_character(value, multiline=True)
        if char is not None:
            return control_character_message(char, multiline=True)
    return None


def _integer_pk(field) -> bool:
    try:
        pk = field.get_queryset().model._meta.pk
    except Exception:  # no queryset to tell: leave the value to DRF
        return False
    return isinstance(pk, INTEGER_FIELDS)


# Type checkers see the serializers the mixins go into; at run time they are plain mixins.
if TYPE_CHECKING:
    _SerializerBase = serializers.Serializer
    _BaseSerializerBase = serializers.BaseSerializer
else:
    _SerializerBase = _BaseSerializerBase = object


class StrictInputMixin(_SerializerBase):
    """JSON types as the schema says them: numbers, ids and booleans are not strings, lists are
    not objects, text has no control characters. Every field's problem is listed, with DRF's
    own errors for the other fields."""

    def to_internal_value(self, data):
        errors = {}
        if isinstance(data, Mapping):
            for name, field in self.fields.items():
                if not field.read_only and name in data:
                    problem = _strict_problem(field, data[name])
                    if problem:
                        errors[name] = [problem]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if errors and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **errors}) from None
            raise
        if errors:
            raise serializers.ValidationError(errors)
        return value


class StrictSerializer(StrictInputMixin, serializers.Serializer):
    """A plain (not model) serializer of a request body, with the API's strict JSON types."""


class HiddenFieldsMixin(_BaseSerializerBase):
    """Fields the caller may not read (registry.access.hidden_fields) answer null."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for name in access.hidden_fields(user, type(instance), instance):
            if name in data:
                data[name] = None
        return data


class ValidatedModelSerializer(StrictInputMixin, HiddenFieldsMixin, serializers.ModelSerializer):
    """NetBox-style: build the would-be instance and run the model's full_clean() on it."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model: type[models.Model] = self.Meta.model
        concrete = {f.name for f in model._meta.concrete_fields}
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            if name in concrete:
                setattr(instance, name, value)
        self.prepare_instance(instance, attrs)
        try:
            instance.full_clean(exclude=getattr(self.Meta, "clean_exclude", None))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(django_errors(exc)) from None
        return attrs

    def prepare_instance(self, instance, attrs):
        """Hook for values derived before validation (e.g. a hashed identity document)."""

    # Writes go through the one write service (registry.services.records), like every channel.

    def actor(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def split(self, instance, validated_data):
        """Set the concrete fields on `instance`; return the many-to-many values."""
        many = {f.name for f in instance._meta.many_to_many}
        m2m = {}
        for name, value in validated_data.items():
            if name in many:
                m2m[name] = value
            else:
                setattr(instance, name, value)
        return m2m

    def create(self, validated_data):
        model: type[models.Model] = self.Meta.model
        instance = model()
        m2m = self.split(instance, validated_data)
        self.prepare_instance(instance, validated_data)
        return records.save(
            instance, actor=self.actor(), m2m=m2m, clean_exclude=self.clean_exclude()
        )

    def update(self, instance, validated_data):
        m2m = self.split(instance, validated_data)
        self.prepare_instance(instance, validated_data)
        return records.save(
            instance, actor=self.actor(), m2m=m2m, clean_exclude=self.clean_exclude()
        )

    def clean_exclude(self):
        return getattr(self.Meta, "clean_exclude", None)


class CountryCodes(serializers.PrimaryKeyRelatedField):
    """ISO 3166-1 alpha-2 codes."""

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Country.objects.all())
        kwargs.setdefault("pk_field", serializers.CharField(max_length=2))
        super().__init__(**kwargs)


class ServiceCodes(serializers.PrimaryKeyRelatedField):
    """Service category codes (see /api/v1/service-categories/)."""

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", ServiceCategory.objects.all())
        kwargs.setdefault("pk_field", serializers.CharField(max_length=40))
        super().__init__(**kwargs)


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """An id among the rows the caller may see (a registry.access function), so an id the caller
    may not know answers 'does not exist' like any other unknown id."""

    def __init__(self, access_fn, **kwargs):
        self.access_fn = access_fn
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.access_fn(access.viewer(getattr(request, "user", None)))
