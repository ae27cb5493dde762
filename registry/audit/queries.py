"""Finding entries: the filters the API, pages and admin offer, and links to an object's history."""

import datetime as dt
from urllib.parse import urlencode

from django.db import models
from django.urls import reverse

from .models import AuditEntry, AuditEntryQuerySet


def entries(
    *,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: object = None,
    actor: models.Model | int | str | None = None,
    channel: str | None = None,
    action: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    company: models.Model | int | None = None,
    request_id: str | None = None,
) -> AuditEntryQuerySet:
    """Audit entries matching every given filter, newest first. Each filter uses an index.

    `obj` is a model instance (or give object_type "app_label.model" and optionally object_id);
    `actor` a user, user id or system label; `since`/`until` a half-open time range;
    `company` a company or its id: the company itself and everything belonging to it.
    """
    qs = AuditEntry.objects.all()
    if obj is not None:
        qs = qs.for_object(obj)
    elif object_type:
        qs = qs.filter(object_type=object_type.lower())
        if object_id is not None:
            qs = qs.filter(object_id=str(object_id))
    if actor is not None:
        qs = qs.by_actor(actor)
    if channel:
        qs = qs.filter(channel=channel)
    if action:
        qs = qs.filter(action=action)
    if since is not None or until is not None:
        qs = qs.between(since, until)
    if company is not None:
        qs = qs.for_company(company)
    if request_id:
        qs = qs.filter(request_id=request_id)
    return qs.order_by("-seq")


def history_params(obj: models.Model) -> dict[str, str]:
    return {"object_type": obj._meta.label_lower, "object_id": str(obj.pk)}


def history_url(obj: models.Model) -> str:
    """The admin list of `obj`'s audit entries. (The API adds its own link from history_params.)"""
    return reverse("admin:audit_auditentry_changelist") + "?" + urlencode(history_params(obj))


def company_history_url(company: models.Model | int) -> str:
    """All entries about a company and what belongs to it."""
    pk = getattr(company, "pk", company)
    return reverse("admin:audit_auditentry_changelist") + "?" + urlencode({"company_id": pk})
