"""Recording: signals for ordinary saves, deletes and many-to-many changes of every registry
model; record_bulk() for set-based writes (bulk_create, queryset.update); record_event() for
domain events. Entries go into the caller's transaction through chain.append().

`changes` is {"field": [old, new]} (old is null on create, new is null on delete); a
many-to-many change is {"field": {"added": [ids], "removed": [ids]}}. Foreign keys appear as
ids. Secrets and identity values are replaced by "[masked]".
"""

import contextlib
import datetime as dt
import decimal
import functools
import uuid
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias, cast

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from . import chain
from .actors import Actor
from .context import current
from .models import Action, AuditEntry, Channel

if TYPE_CHECKING:
    from django.contrib.contenttypes.fields import GenericForeignKey

# What _jsonable() makes of a value: JSON without floats.
Json: TypeAlias = None | bool | int | str | list["Json"] | dict[str, "Json"]

MASK = "[masked]"
# A field whose name contains one of these never has its value recorded.
MASKED_NAME_PARTS = ("password", "secret", "token", "identity_hash", "api_key", "key_hash")
# Bookkeeping that changes on every save; not worth an entry on its own.
IGNORED_ON_UPDATE = {"updated_at", "last_login"}
EXTRA_AUDITED_MODELS = ["auth.User", "auth.Group", "api.ApiToken", "otp_totp.TOTPDevice"]
# Registry models that are transport or derived, not registry data, and so are not audited: the
# stored answers of API retries (Idempotency-Key; registry/models/idempotency.py) and the
# contract tally the database's triggers keep from the audited contracts. Each is named here on
# purpose: every other model of the registry app is audited.
UNAUDITED_MODELS = {"registry.idempotencykey", "registry.contracttally"}
# Models whose entries show only these fields in clear; every other field is masked, so no part
# of a credential (an API token's key, its hash, a TOTP secret, a recovery code's digest)
# reaches the trail or its exports.
SECOND_FACTOR_CLEAR = {"user", "name", "confirmed", "created_at"}
CLEAR_FIELDS_ONLY = {
    "api.apitoken": {"user", "created_at", "expires_at", "revoked_at", "last_used_at"},
    "otp_totp.totpdevice": SECOND_FACTOR_CLEAR,
    "registry.recoverycodes": SECOND_FACTOR_CLEAR,
}
# Per model, bookkeeping of each use of a second factor: a sign-in, not a change (enrolment,
# confirmation, removal and a recovery code used up are recorded).
SECOND_FACTOR_USE = {"throttling_failure_timestamp", "throttling_failure_count", "last_used_at"}
IGNORED_ON_UPDATE_OF = {
    # The standing cache's bookkeeping: StandingChange rows (audited) record each change.
    "registry.company": {"standing_reasons", "standing_on"},
    "otp_totp.totpdevice": SECOND_FACTOR_USE | {"last_t", "drift"},
    "registry.recoverycodes": SECOND_FACTOR_USE,
}


class Change(NamedTuple):
    """One row for record_bulk()."""

    model: type[models.Model]
    object_id: object
    action: str
    changes: dict[str, Any]
    company_id: int | None = None
    event: str = ""
    reason: str = ""


def audited_models() -> list[type[models.Model]]:
    registry = [
        model
        for model in apps.get_app_config("registry").get_models()
        if model._meta.label_lower not in UNAUDITED_MODELS
    ]
    return registry + [apps.get_model(label) for label in EXTRA_AUDITED_MODELS]


def check_model_tables() -> None:
    """A misspelt label in CLEAR_FIELDS_ONLY or IGNORED_ON_UPDATE_OF would silently stop
    masking a credential, and one in UNAUDITED_MODELS would be a stale exception: refuse to
    start instead."""
    registry = {model._meta.label_lower for model in apps.get_app_config("registry").get_models()}
    if unknown := UNAUDITED_MODELS - registry:
        raise ImproperlyConfigured(f"audit: UNAUDITED_MODELS names no model {sorted(unknown)}")
    audited = {model._meta.label_lower: model for model in audited_models()}
    for table in (CLEAR_FIELDS_ONLY, IGNORED_ON_UPDATE_OF):
        for label, names in table.items():
            model = audited.get(label)
            if model is None:
                raise ImproperlyConfigured(f"audit: {label!r} is not an audited model")
            fields = {f.name for f in model._meta.concrete_fields}
            if unknown := set(names) - fields:
                raise ImproperlyConfigured(f"audit: {label} has no field {sorted(unknown)}")


def connect_signals() -> None:
    check_model_tables()
    # Connected per model (not globally) so unaudited models keep Django's fast paths.
    for model in audited_models():
        uid = f"audit:{model._meta.label_lower}"
        pre_save.connect(_pre_save, sender=model, dispatch_uid=uid)
        post_save.connect(_post_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_post_delete, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_m2m_changed, sender=field.remote_field.through, dispatch_uid=uid)


_buffer: ContextVar[list[AuditEntry] | None] = ContextVar("audit_buffer", default=None)


# --- public API -------------------------------------------------------------------------------


@contextlib.contextmanager
def collect() -> Iterator[None]:
    """Hold the entries of ordinary saves and deletes made in the block and write them in one
    insert at its end, e.g. an import saving row by row. Use it inside the transaction that does
    the writes, so the entries still commit with them.
    """
    if _buffer.get() is not None:
        yield
        return
    entries: list[AuditEntry] = []
    token = _buffer.set(entries)
    try:
        yield
    except BaseException:
        _buffer.reset(token)
        connection = transaction.get_connection(router.db_for_write(AuditEntry))
        # Writes that stay (autocommit, or a caller that goes on) keep their entries.
        if not (connection.in_atomic_block and connection.needs_rollback):
            chain.append(entries)
        raise
    _buffer.reset(token)
    chain.append(entries)


def buffer_mark() -> int | None:
    """Where the collect() buffer ends now (None outside collect()), for buffer_rewind()."""
    buffer = _buffer.get()
    return None if buffer is None else len(buffer)


def buffer_rewind(mark: int | None) -> None:
    """Forget the entries collected since buffer_mark(): a retried transaction's failed attempt."""
    buffer = _buffer.get()
    if buffer is not None and mark is not None:
        del buffer[mark:]


def record_event(
    obj: models.Model,
    event: str,
    reason: str = "",
    actor: Actor = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record a domain event about `obj`, e.g. record_event(licence, "licence.suspend", reason=...).

    `actor` (a user or SystemActor) overrides the context's actor; the channel and request id
    still come from the context.
    """
    change = Change(
        type(obj), obj.pk, Action.EVENT, changes or {}, company_of(obj), event, reason or ""
    )
    return record_bulk([change], actor=actor)[0]


def record_bulk(changes: Iterable[Change], actor: Actor = None) -> list[AuditEntry]:
    """Record many changes at once: one entry per row, three queries at most whatever the count.

    Services call it after bulk_create() or queryset.update(), which send no signals.
    """
    return _write(_entries(changes, actor=actor))


def created(obj: models.Model, company_id: int | None = None) -> Change:
    """The Change for an object just written by bulk_create() (its pk must be set)."""
    # Masked here, made JSON once by _entry(): the same values as _value() gives, in one pass.
    changes = {}
    for name, attname, masked in _create_plan(type(obj)):
        value = getattr(obj, attname)
        changes[name] = [None, MASK if masked and value not in (None, "") else value]
    company = company_id if company_id is not None else company_of(obj, query=False)
    return Change(type(obj), obj.pk, Action.CREATE, changes, company)


def updated(
    model: type[models.Model],
    object_id: object,
    old: dict[str, Any],
    new: dict[str, Any],
    company_id: int | None = None,
) -> Change:
    """The Change for a row written by queryset.update(); `old` and `new` map field names to values."""
    changes = {
        name: [
            _value(model._meta.get_field(name), old.get(name)),
            _value(model._meta.get_field(name), value),
        ]
        for name, value in new.items()
        if name not in IGNORED_ON_UPDATE and old.get(name) != value
    }
    return Change(model, object_id, Action.UPDATE, changes, company_id)


def event(
    model: type[models.Model],
    object_id: object,
    name: str,
    reason: str = "",
    company_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> Change:
    return Change(model, object_id, Action.EVENT, changes or {}, company_id, name, reason)


def company_of(obj: models.Model, query: bool = True) -> int | None:
    """The id of the company `obj` belongs to (the company itself for a Company), or None."""
    opts = obj._meta
    if opts.label_lower == "registry.company":
        pk: int = obj.pk
        return pk
    if hasattr(obj, "company_id"):
        own: int | None = obj.company_id
        return own
    for name in ("licence", "contract"):
        try:
            # On every audited model that has one, `licence` or `contract` is a foreign key.
            field = cast("models.ForeignKey[Any, Any]", opts.get_field(name))
        except FieldDoesNotExist:
            continue
        if field.is_cached(obj):
            parent = getattr(obj, name)
            return getattr(parent, "company_id", None) if parent is not None else None
        parent_id = getattr(obj, field.attname)
        related = cast(type[models.Model], field.related_model)  # resolved once apps are ready
        if query and parent_id is not None and hasattr(related, "company_id"):
            manager = related._base_manager
            company_id: int | None
            company_id = manager.filter(pk=parent_id).values_list("company_id", flat=True).first()
            return company_id
    return None


# --- signal receivers ---------------------------------------------------------------------------


def _ignored_on_update(model: type[models.Model]) -> set[str]:
    return IGNORED_ON_UPDATE | IGNORED_ON_UPDATE_OF.get(model._meta.label_lower, set())


def _pre_save(
    sender: type[models.Model],
    instance: models.Model,
    raw: bool,
    using: str,
    update_fields: Iterable[str] | None,
    **kwargs: Any,
) -> None:
    instance.__dict__["_audit_old"] = None
    if instance.pk is None:
        return
    if update_fields is not None and set(update_fields) <= _ignored_on_update(sender):
        return  # e.g. a login touching last_login
    attnames = [f.attname for f in _fields(sender, update_fields)]
    instance.__dict__["_audit_old"] = (
        sender._base_manager.using(using).filter(pk=instance.pk).values(*attnames).first()
    )


def _post_save(
    sender: type[models.Model],
    instance: models.Model,
    created: bool,
    raw: bool,
    using: str,
    update_fields: Iterable[str] | None,
    **kwargs: Any,
) -> None:
    old = instance.__dict__.pop("_audit_old", None)
    ignored = _ignored_on_update(sender)
    if not created and update_fields is not None and set(update_fields) <= ignored:
        return
    fields = _fields(sender, update_fields)
    if created or old is None:
        action = Action.CREATE
        changes = {f.name: [None, _value(f, getattr(instance, f.attname))] for f in fields}
    else:
        action, changes = Action.UPDATE, {}
        for f in fields:
            before, after = old[f.attname], _to_python(f, getattr(instance, f.attname))
            if f.name not in ignored and before != after:
                changes[f.name] = [_value(f, before), _value(f, after)]
        if not changes:
            return
    change = Change(sender, instance.pk, action, changes, company_of(instance))
    _write([_entry(change, channel=Channel.FIXTURE if raw else None)])


def _post_delete(
    sender: type[models.Model], instance: models.Model, using: str, **kwargs: Any
) -> None:
    changes = {f.name: [_value(f, getattr(instance, f.attname)), None] for f in _fields(sender)}
    change = Change(sender, instance.pk, Action.DELETE, changes, company_of(instance))
    _write([_entry(change)])


def _m2m_changed(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[Any] | None,
    using: str,
    **kwargs: Any,
) -> None:
    if action == "pre_clear":
        instance.__dict__["_audit_cleared"] = _current_m2m_ids(sender, instance, reverse, model)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        pk_set = instance.__dict__.pop("_audit_cleared", [])
    if not pk_set:
        return
    key = "added" if action == "post_add" else "removed"
    if not reverse:
        field = _m2m_field(type(instance), sender)
        ids = sorted(pk_set, key=str)
        changes = {field.name: {key: [_jsonable(i) for i in ids]}}
        rows = [Change(type(instance), instance.pk, Action.UPDATE, changes, company_of(instance))]
    else:
        # e.g. service.licences.add(...): the change belongs to each licence.
        field = _m2m_field(model, sender)
        companies: dict[Any, int | None] = {}
        if hasattr(model, "company_id"):
            companies = dict(
                model._base_manager.using(using)
                .filter(pk__in=pk_set)
                .values_list("pk", "company_id")
            )
        changes = {field.name: {key: [_jsonable(instance.pk)]}}
        rows = [
            Change(model, pk, Action.UPDATE, changes, companies.get(pk))
            for pk in sorted(pk_set, key=str)
        ]
    record_bulk(rows)


# --- helpers -------------------------------------------------------------------------------------


def _write(entries: list[AuditEntry]) -> list[AuditEntry]:
    buffer = _buffer.get()
    if buffer is None:
        return chain.append(entries)
    buffer.extend(entries)
    return entries


def _entry(change: Change, actor: Actor = None, channel: str | None = None) -> AuditEntry:
    return _entries([change], actor, channel)[0]


def _entries(
    changes: Iterable[Change], actor: Actor = None, channel: str | None = None
) -> list[AuditEntry]:
    """The entries of `changes`, all by the same actor through the same channel."""
    ctx = current()
    actor_id, label = ctx.resolve_actor(actor)
    label, channel = label[:150], channel or ctx.channel
    return [
        AuditEntry(
            actor_id=actor_id,
            actor_label=label,
            channel=channel,
            request_id=ctx.request_id,
            object_type=change.model._meta.label_lower,
            object_id=str(change.object_id),
            company_id=change.company_id,
            action=change.action,
            changes=_jsonable(change.changes),
            event=change.event,
            reason=change.reason,
        )
        for change in changes
    ]


def _fields(
    model: type[models.Model], update_fields: Iterable[str] | None = None
) -> "list[models.Field[Any, Any]]":
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if update_fields is not None:
        wanted = set(update_fields)
        fields = [f for f in fields if f.name in wanted or f.attname in wanted]
    return fields


@functools.cache
def _create_plan(model: type[models.Model]) -> tuple[tuple[str, str, bool], ...]:
    """(name, attname, masked) of each field a "create" entry records, as _value() masks it."""
    return tuple(
        (f.name, f.attname, _masked(f.name, getattr(f, "model", None))) for f in _fields(model)
    )


def _m2m_field(
    model: type[models.Model], through: type[models.Model]
) -> "models.ManyToManyField[Any, Any]":
    return next(f for f in model._meta.many_to_many if f.remote_field.through is through)


def _current_m2m_ids(
    through: type[models.Model], instance: models.Model, reverse: bool, model: type[models.Model]
) -> list[Any]:
    field = _m2m_field(model if reverse else type(instance), through)
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    if reverse:
        source, target = target, source
    ids = through._base_manager.filter(**{source: instance.pk}).values_list(
        f"{target}_id", flat=True
    )
    return list(ids)


def _masked(name: str, model: type[models.Model] | None = None) -> bool:
    clear = CLEAR_FIELDS_ONLY.get(model._meta.label_lower) if model is not None else None
    if clear is not None and name not in clear:
        return True
    return any(part in name for part in MASKED_NAME_PARTS)


def _value(
    field: "models.Field[Any, Any] | models.ForeignObjectRel | GenericForeignKey", value: object
) -> Json:
    if _masked(field.name, getattr(field, "model", None)) and value not in (None, ""):
        return MASK
    return _jsonable(value)


def _to_python(field: "models.Field[Any, Any]", value: object) -> object:
    try:
        return field.to_python(value)
    except Exception:
        return value


# Values _jsonable() returns as they are; checked before the call, which costs more.
_PLAIN = frozenset({type(None), bool, int, str})


def _jsonable(value: object) -> Json:
    """Only JSON types without floats, so the chain's canonical form is unambiguous."""
    if type(value) in _PLAIN:
        return cast(Json, value)
    if isinstance(value, list | tuple):
        return [v if type(v) in _PLAIN else _jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float | decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): v if type(v) in _PLAIN else _jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((_jsonable(v) for v in value), key=str)
    if isinstance(value, models.Model):
        return _jsonable(value.pk)
    if isinstance(value, bytes | memoryview):
        return MASK
    return str(value)
