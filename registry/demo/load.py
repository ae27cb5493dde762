"""Load fixtures/demo.json into an empty database, moving every date to today's frame."""

import datetime as dt
import json

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from registry.audit import recorder as audit
from registry.audit.models import Action as AuditAction
from registry.compliance import run_compliance
from registry.errors import DomainError
from registry.models import Person, Profile
from registry.roles import apply_role_group


class NotEmpty(DomainError):
    """The tables the demo fills already hold rows; loading would mix or overwrite records."""


def read_fixture(path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def demo_models(data: dict) -> list:
    seen = dict.fromkeys(row["model"] for row in data["objects"])
    return [apps.get_model(label) for label in seen]


def occupied_models(data: dict) -> list[str]:
    return [m._meta.label for m in demo_models(data) if m._default_manager.exists()]


def shift_dates(row: dict, model, days: int) -> None:
    """Move every date and datetime of a fixture row by `days` days."""
    delta = dt.timedelta(days=days)
    for field in model._meta.concrete_fields:
        value = row["fields"].get(field.name)
        if value is None or not isinstance(field, models.DateField):
            continue
        if isinstance(field, models.DateTimeField):
            row["fields"][field.name] = (dt.datetime.fromisoformat(value) + delta).isoformat()
        else:
            row["fields"][field.name] = (dt.date.fromisoformat(value) + delta).isoformat()


def load_demo(path, today: dt.date | None = None) -> int:
    """Insert the demo records, dated relative to `today`, in one transaction. Returns the count.

    Raises NotEmpty, changing nothing, when any table the demo fills already has rows.
    """
    data = read_fixture(path)
    today = today or timezone.localdate()
    days = (today - dt.date.fromisoformat(data["anchor"])).days
    with transaction.atomic():
        occupied = occupied_models(data)
        if occupied:
            more = " …" if len(occupied) > 3 else ""
            raise NotEmpty(f"The database already holds data ({', '.join(occupied[:3])}{more}).")
        rows = data["objects"]
        for row in rows:
            shift_dates(row, apps.get_model(row["model"]), days)
        by_model: dict = {}
        m2m_rows: dict = {}
        for row, obj in zip(rows, serializers.deserialize("python", rows), strict=True):
            instance = obj.object
            if "identity_document" in row:  # the builder gives it to people only
                assert isinstance(instance, Person), row["model"]
                instance.set_identity_document(*row["identity_document"])
            if "demo_password" in row:  # and this to users only
                assert isinstance(instance, AbstractBaseUser), row["model"]
                instance.set_password(row["demo_password"])
            by_model.setdefault(type(instance), []).append(instance)
            for name, values in (obj.m2m_data or {}).items():
                field = type(instance)._meta.get_field(name)
                m2m_rows.setdefault(field, []).extend((instance.pk, v) for v in values)
        # Set-based: one INSERT per table. Foreign keys are checked at commit, so order is free.
        for model, instances in by_model.items():
            model._default_manager.bulk_create(instances)
        for field, pairs in m2m_rows.items():
            through = field.remote_field.through
            source = through._meta.get_field(field.m2m_field_name()).attname
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            through.objects.bulk_create(through(**{source: a, target: b}) for a, b in pairs)
        _record(by_model, m2m_rows)
        for profile in by_model.get(Profile, []):
            apply_role_group(profile.user, profile.role)
        _reset_sequences(demo_models(data))
        # Findings and the cached standing are derived: compute them as of the day of loading.
        run_compliance(on=today, cause="demo load")
    return len(rows)


def _record(by_model: dict, m2m_rows: dict) -> None:
    """Bulk inserts send no signals: write their audit entries in bulk (one per row, and one per
    record for its many-to-many links). The channel and actor come from the command's context."""
    audited = set(audit.audited_models())  # not, e.g., the demo's two-factor devices
    changes = [
        audit.created(obj)
        for model, instances in by_model.items()
        if model in audited
        for obj in instances
    ]
    owners = {(type(obj), obj.pk): obj for instances in by_model.values() for obj in instances}
    for field, pairs in m2m_rows.items():
        targets: dict = {}
        for owner_pk, target in pairs:
            targets.setdefault(owner_pk, []).append(target)
        for owner_pk, ids in targets.items():
            owner = owners[(field.model, owner_pk)]
            changes.append(
                audit.Change(
                    field.model,
                    owner_pk,
                    AuditAction.UPDATE,
                    {field.name: {"added": sorted(ids, key=str)}},
                    audit.company_of(owner, query=False),
                )
            )
    audit.record_bulk(changes)


def _reset_sequences(model_list) -> None:
    """Explicit primary keys leave PostgreSQL sequences behind; move them past the demo rows."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
