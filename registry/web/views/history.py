"""The change history of one object, from the audit trail. Auditors and admins only."""

import datetime as dt
import re

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import date_format

from registry import access
from registry.audit.models import Action, Channel
from registry.audit.queries import entries
from registry.audit.recorder import MASK

from .. import readable
from ..permissions import AUDITOR, role_required

# kind in the URL -> the access function that gives the caller's rows of that kind.
KINDS = {
    "company": access.companies,
    "licence": access.licences,
    "contract": access.contracts,
    "incident": access.incidents,
    "sanction": access.sanctions,
    "finding": access.findings,
}
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
PAGE_SIZE = 25
CHANGES_SHOWN = 4  # a created record lists every field: the rest fold under "n more"


class HistoryFilter(forms.Form):
    action = forms.ChoiceField(
        choices=[("", "Any action"), *Action.choices], required=False, label="Action"
    )
    channel = forms.ChoiceField(
        choices=[("", "Any channel"), *Channel.choices], required=False, label="Channel"
    )


@role_required(*AUDITOR)
def object_history(request, kind, pk):
    if kind not in KINDS:
        raise Http404("No history for this kind of record.")
    obj = get_object_or_404(KINDS[kind](request.user), pk=pk)
    filters = HistoryFilter(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    narrowed = {k: v for k, v in chosen.items() if v}
    # A company's history includes what belongs to it: licences, contracts, incidents ...
    found = entries(company=obj, **narrowed) if kind == "company" else entries(obj=obj, **narrowed)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_row(e) for e in page]
    return render(
        request,
        "registry/history.html",
        {
            "object": obj,
            "kind": kind,
            "page": page,
            "rows": rows,
            "filters": filters,
            "filtered": bool(narrowed),
        },
    )


def _row(entry) -> dict:
    # Bookkeeping timestamps last: what a person changed comes first.
    names = sorted(entry.changes or {}, key=lambda name: (name.endswith("_at"), name))
    changes = [_change(name, entry.changes[name]) for name in names]
    model = entry.object_type.partition(".")[2]
    return {
        "entry": entry,
        "created": entry.action == Action.CREATE,
        "record": f"{model.replace('_', ' ').capitalize()} #{entry.object_id}",
        "url": _object_url(model, entry),
        "changes": changes[:CHANGES_SHOWN],
        "more_changes": changes[CHANGES_SHOWN:],
    }


def _change(name, pair) -> dict:
    change = {"field": name.replace("_", " ")}
    if isinstance(pair, dict):  # a many-to-many set: {"added": [...], "removed": [...]}
        change["added"] = _value(pair.get("added"))
        change["removed"] = _value(pair.get("removed"))
        change["set"] = True
        return change
    old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
    change["old"], change["new"] = _value(old), _value(new)
    return change


def _value(value):
    """One side of a change for display: MASK stays a marker the template shows as masked."""
    if value is None or value == "" or value == []:
        return None
    if value == MASK:
        return MASK
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and ISO_TIME.match(value):
        try:
            return date_format(dt.datetime.fromisoformat(value), "j M Y, H:i")
        except ValueError:
            return value
    if isinstance(value, str) and readable.ISO_DATE.fullmatch(value):
        return readable.show_date(value)
    return str(value)


def _object_url(model, entry):
    """The page of the record an entry is about, where the web app has one."""
    oid = entry.object_id
    if not oid.isdigit():
        return None
    if model == "company":
        return reverse("web:company", args=[oid])
    if model == "contract":
        return reverse("web:contract", args=[oid])
    if model == "hiringcheck":
        return reverse("web:hiring_result", args=[oid])
    if model in KINDS and entry.company_id:
        # Licences, incidents, sanctions and findings are shown on their company's page.
        return reverse("web:company", args=[entry.company_id]) + f"#{model}-{oid}"
    return None
