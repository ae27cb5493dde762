"""Create, update and delete of every record users write: the one path for the API, the pages,
the admin and the management commands.

save() and delete() each
1. check the caller's write rule (registry.access.WRITE_RULES) on the record as stored and on
   the new values,
2. validate (full_clean),
3. write inside one transaction (the audit signals record each change in it), and
4. re-evaluate compliance for every company the write touches, the old and the new one when a
   record moves, before the transaction commits: the answer to the write already shows the new
   findings and standing.

Several writes that belong together (a company page with its inlines) run in `writes()`, which
re-evaluates the companies they touched once, at its end.
"""

import contextlib
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from django import forms
from django.db import models

from registry import access
from registry.audit.transactions import write_transaction
from registry.compliance import run_compliance
from registry.compliance.standing_cache import standing_cause
from registry.errors import WriteRefused
from registry.models import (
    Client,
    Company,
    Contract,
    Employment,
    Licence,
    Mission,
    Person,
    Training,
    Vetting,
)

# Inside writes(): the companies to re-check at its end, and what the writes were.
_pending: ContextVar[tuple[set[int], list[str]] | None] = ContextVar(
    "records_pending", default=None
)


def refusal(model: type[models.Model]) -> str:
    if model is Licence:
        return access.LICENCE_WRITE_REFUSAL
    if model is Person:
        return (
            "Register a person with their employment by a company your authority regulates;"
            " change only the people you may see."
        )
    return f"Your role may not make this change to this {model._meta.verbose_name}."


def companies_touched(obj: models.Model | None) -> set[int]:
    """The companies whose compliance can change when `obj` is written."""
    if obj is None:
        return set()
    if isinstance(obj, Company):
        return {obj.pk} if obj.pk else set()
    if isinstance(obj, Mission | Client):
        field = "mission" if isinstance(obj, Mission) else "client"
        return set(Contract.objects.filter(**{field: obj}).values_list("company_id", flat=True))
    ids: set[int] = set()
    if company_id := getattr(obj, "company_id", None):
        ids.add(company_id)
    if isinstance(obj, Contract) and obj.parent_id:
        # A subcontract is checked on its prime contract too (SUB-UNLICENSED).
        ids.update(Contract.objects.filter(pk=obj.parent_id).values_list("company_id", flat=True))
    person_id = obj.pk if isinstance(obj, Person) else getattr(obj, "person_id", None)
    if isinstance(obj, Person | Vetting | Training | Employment) and person_id:
        ids.update(
            Employment.objects.filter(person_id=person_id).values_list("company_id", flat=True)
        )
    return ids


def _values(instance: models.Model, m2m: Mapping[str, Any] | None) -> dict[str, Any]:
    """The new values as the write rules read them: field name -> id or value."""
    data = {f.name: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
    data.update(m2m or {})
    return data


def _stored(instance: models.Model) -> models.Model | None:
    if instance._state.adding or instance.pk is None:
        return None
    return type(instance)._default_manager.select_for_update().filter(pk=instance.pk).first()


def _check(
    actor: access.Who,
    model: type[models.Model],
    stored: models.Model | None,
    data: Mapping[str, Any] | None,
) -> None:
    if not access.may_write(actor, model, stored, data):
        raise WriteRefused(refusal(model))


def _what(instance: models.Model, verb: str) -> str:
    """The write as the standing history names its cause: `registry.sanction 12 create`."""
    return f"{instance._meta.label_lower} {instance.pk} {verb}"


def _recheck(company_ids: Iterable[int | None], what: str) -> None:
    ids = {c for c in company_ids if c}
    if not ids:
        return
    pending = _pending.get()
    if pending is not None:
        pending[0].update(ids)
        pending[1].append(what)
    else:
        run_compliance(sorted(ids), cause=_cause([what]))


def _cause(whats: list[str]) -> str:
    shown = ", ".join(whats[:3]) + (f" and {len(whats) - 3} more" if len(whats) > 3 else "")
    return f"{shown} ({standing_cause()})"


@contextlib.contextmanager
def writes() -> Iterator[None]:
    """Group several writes: one transaction, one compliance re-check of what they touched."""
    if _pending.get() is not None:
        yield
        return
    companies: set[int] = set()
    whats: list[str] = []
    token = _pending.set((companies, whats))
    pending = True
    try:
        with write_transaction():
            yield
            _pending.reset(token)
            pending = False
            if companies:
                run_compliance(sorted(companies), cause=_cause(whats))
    finally:
        if pending:
            _pending.reset(token)


def save(
    instance: models.Model,
    *,
    actor: access.Who,
    m2m: Mapping[str, Any] | None = None,
    clean_exclude: Collection[str] | None = None,
) -> models.Model:
    """Create or update `instance` (its fields already set) and its many-to-many `m2m`
    ({field name: objects or ids}) for `actor` (a user or a SystemActor)."""
    model = type(instance)
    with write_transaction():
        stored = _stored(instance)
        _check(actor, model, stored, _values(instance, m2m))
        instance.full_clean(exclude=clean_exclude)
        before = companies_touched(stored)
        instance.save()
        for name, values in (m2m or {}).items():
            related = getattr(instance, name)
            # A new record has no links yet: add() skips set()'s read of the current ones.
            if stored:
                related.set(values)
            else:
                related.add(*values)
        _recheck(
            before | companies_touched(instance), _what(instance, "update" if stored else "create")
        )
    return instance


def delete(instance: models.Model, *, actor: access.Who) -> None:
    model = type(instance)
    with write_transaction():
        stored = _stored(instance)
        if stored is None:
            return
        _check(actor, model, stored, None)
        touched = companies_touched(stored)
        what = _what(stored, "delete")
        instance.delete()
        _recheck(touched, what)


def register_person(person: Person, *, actor: access.Who, employment: Employment | None) -> Person:
    """Register a person with their first employment.

    A person whose identity document is already on record is not registered twice: the new
    employment joins the existing record. The caller is not told either way, so the register
    cannot be used to learn whether a document number is known.
    """
    company_id = employment.company_id if employment is not None else None
    data = {"employment": {"company": company_id}, **_values(person, None)}
    with write_transaction():
        _check(actor, Person, None, data)
        existing = Person.objects.select_for_update().filter(identity_hash=person.identity_hash)
        known = existing.first() if person.identity_hash else None
        if known is None:
            person.full_clean()
            person.save()
        else:
            person.pk, person._state.adding = known.pk, False
            person.refresh_from_db()
        if employment is not None:
            employment.person = person
            employment.full_clean()
            _check(actor, Employment, None, _values(employment, None))
            employment.save()
        _recheck(companies_touched(person), _what(person, "register"))
    return person


def save_form(form: "forms.ModelForm[Any]", *, actor: access.Who) -> models.Model:
    """Save a valid ModelForm (pages, admin) through save(): its instance and many-to-many."""
    instance = form.instance
    m2m = {
        f.name: form.cleaned_data[f.name]
        for f in instance._meta.many_to_many
        if f.name in form.cleaned_data
    }
    return save(instance, actor=actor, m2m=m2m)
