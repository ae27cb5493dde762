import logging
from typing import TYPE_CHECKING

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import BooleanField, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE

from registry.validators import validate_no_control_characters

# Type checkers see the model the mixin goes into; at run time it is a plain mixin.
if TYPE_CHECKING:
    _ModelBase = models.Model
else:
    _ModelBase = object


class CleanTextMixin(_ModelBase):
    """Text fields refuse control characters (NUL and the like; tab and line breaks only in
    multi-line TextFields): checked in clean_fields(), so every door that validates the model
    (the write service, the API's serializers, the pages' and the admin's forms) refuses them."""

    def clean_fields(self, exclude=None):
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            if (exclude and field.name in exclude) or field.name in errors:
                continue
            try:
                validate_no_control_characters(
                    getattr(self, field.attname), multiline=isinstance(field, models.TextField)
                )
            except ValidationError as exc:
                errors[field.name] = exc.error_list
        if errors:
            raise ValidationError(errors)


logger = logging.getLogger(__name__)


class BatchedChecksMixin(_ModelBase):
    """validate_constraints() with every CheckConstraint evaluated in one query.

    Django checks each CheckConstraint with a query of its own, inside a savepoint of its own
    when a transaction is open: three statements per constraint (21 for a contract, on every
    full_clean()). Here the conditions are the columns of one SELECT over the instance's
    values, with Django's semantics kept: a condition that is NULL passes (as in SQL), one
    naming an excluded field is skipped, a database error lets the save decide (logged). The
    other constraints (unique ones) are Django's."""

    def validate_constraints(self, exclude=None):
        checks: list[tuple[type[models.Model], models.CheckConstraint]] = []
        others: list[tuple[type[models.Model], models.BaseConstraint]] = []
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                if isinstance(constraint, models.CheckConstraint):
                    checks.append((model_class, constraint))
                else:
                    others.append((model_class, constraint))
        errors: dict = {}
        try:
            self._validate_other_constraints(others, exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for constraint in self._failed_checks(checks, exclude):
            error = ValidationError(
                constraint.get_violation_error_message(), code=constraint.violation_error_code
            )
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _validate_other_constraints(self, constraints, exclude) -> None:
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict = {}
        for model_class, constraint in constraints:
            try:
                constraint.validate(model_class, self, exclude=exclude, using=using)
            except ValidationError as e:
                if getattr(e, "code", None) == "unique" and len(constraint.fields) == 1:
                    errors.setdefault(constraint.fields[0], []).append(e)
                else:
                    errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _failed_checks(self, checks, exclude) -> list[models.CheckConstraint]:
        if not checks:
            return []
        using = router.db_for_write(self.__class__, instance=self)
        query = Query(None)
        against = self._get_field_expression_map(  # type: ignore[attr-defined]  # Django's
            meta=self._meta, exclude=exclude
        )
        for name, value in against.items():
            if not hasattr(value, "resolve_expression"):
                value = Value(value)
            query.add_annotation(value, name, select=False)
        tested: list[models.CheckConstraint] = []
        for _, constraint in checks:
            passes = Coalesce(Q(constraint.condition), True, output_field=BooleanField())
            try:
                query.add_annotation(passes, f"_check_{len(tested)}")
            except FieldError:
                continue  # it names an excluded field: Django skips it too
            tested.append(constraint)
        if not tested:
            return []
        connection = connections[using]
        atomic = transaction.atomic(using=using) if connection.in_atomic_block else None
        try:
            if atomic is None:
                row = query.get_compiler(using=using).execute_sql(SINGLE)
            else:
                with atomic:
                    row = query.get_compiler(using=using).execute_sql(SINGLE)
        except DatabaseError as exc:
            logger.warning("Checking the constraints of %r failed: %s", self, exc)
            return []
        return [constraint for constraint, passed in zip(tested, row, strict=True) if not passed]


class TimeStampedModel(BatchedChecksMixin, CleanTextMixin, models.Model):
    """Every registry record knows when it was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True


class Country(models.Model):
    """An ISO 3166-1 country. Rows come from a data migration; the code is the key."""

    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return f"{self.name} ({self.code})"


class ServiceCategory(models.Model):
    """One entry of the fixed service catalogue (registry.choices.SERVICE_CATALOGUE)."""

    code = models.CharField(max_length=40, primary_key=True)
    name = models.CharField(max_length=100)
    armed = models.BooleanField(help_text="The service by nature involves armed personnel.")
    description = models.TextField()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "service categories"

    def __str__(self):
        return self.name
