"""Regulator pages: the work queue, licence actions, incidents, sanctions and waivers."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from registry import access
from registry.access import OPEN_INVESTIGATION
from registry.choices import FindingState, LicenceState, Role, Severity
from registry.compliance import waive_finding
from registry.errors import DomainError
from registry.models import Incident, Sanction
from registry.sessions import password_field_if_needed

from ..forms import IncidentForm, LicenceActionForm, SanctionForm, WaiveForm
from ..permissions import REGULATOR, role_required
from ..writes import save_form

QUEUE_LIMIT = 50


def _regulated(v, queryset):
    """Narrow a queryset to the companies the regulator's authority regulates (admins: all)."""
    if v.role == Role.ADMIN:
        return queryset
    return queryset.filter(company_id__in=v.regulated_company_ids)


def _require_regulates(v, company_id):
    if not access.regulates(v, company_id):
        raise PermissionDenied("Your authority does not regulate this company.")


@role_required(*REGULATOR)
def queue(request):
    v = access.viewer(request.user)
    today = timezone.localdate()
    horizon = today + dt.timedelta(days=settings.LICENCE_EXPIRY_WARNING_DAYS)
    licences = _regulated(v, access.licences(v)).select_related("company", "authority")
    sections = {
        "applications": licences.filter(state=LicenceState.APPLIED).order_by("created_at", "id"),
        "expiring": licences.filter(
            state=LicenceState.ACTIVE, valid_until__gte=today, valid_until__lte=horizon
        ).order_by("valid_until", "id"),
        "blockers": _regulated(v, access.findings(v))
        .filter(state=FindingState.OPEN, severity=Severity.BLOCKER)
        .select_related("company")
        .order_by("first_seen", "id"),
        "incidents": _regulated(v, access.incidents(v))
        .filter(status__in=OPEN_INVESTIGATION)
        .select_related("company", "country")
        .order_by("occurred_on", "id"),
    }
    context: dict[str, Any] = {
        name: {"rows": list(qs[:QUEUE_LIMIT]), "total": qs.count()} for name, qs in sections.items()
    }
    context.update(horizon=horizon, limit=QUEUE_LIMIT)
    return render(request, "registry/queue.html", context)


@role_required(*REGULATOR)
def licence_action(request, pk):
    v = access.viewer(request.user)
    licence = get_object_or_404(access.licences(v).select_related("company", "authority"), pk=pk)
    if not access.can_write_licence(v, licence):
        raise PermissionDenied(access.LICENCE_WRITE_REFUSAL)
    form = LicenceActionForm(request.POST or None, licence=licence)
    password_field_if_needed(form, request)  # asks again for a password entered long ago
    if request.method == "POST" and form.is_valid() and form.apply(request.user):
        messages.success(request, form.success_message())
        return redirect("web:company", licence.company_id)
    events = licence.events.order_by("-at", "-id")[:20]
    return render(
        request,
        "registry/licence_action.html",
        {"licence": licence, "form": form, "events": events},
    )


@role_required(*REGULATOR)
def incident_new(request, company_pk):
    v = access.viewer(request.user)
    company = get_object_or_404(access.companies(v), pk=company_pk)
    _require_regulates(v, company.pk)
    return _incident_form(request, v, company, Incident(company=company))


@role_required(*REGULATOR)
def incident_edit(request, pk):
    v = access.viewer(request.user)
    incident = get_object_or_404(access.incidents(v).select_related("company"), pk=pk)
    _require_regulates(v, incident.company_id)
    return _incident_form(request, v, incident.company, incident)


def _record_form(request, form, company, what: str):
    """Save an oversight record about `company` through its write service."""
    if request.method == "POST" and form.is_valid() and save_form(request, form):
        messages.success(request, f"The {what} is recorded.")
        return redirect("web:company", company.pk)
    return render(
        request, "registry/record_form.html", {"form": form, "company": company, "what": what}
    )


def _incident_form(request, v, company, incident):
    contracts = access.contracts(v).filter(company=company)
    form = IncidentForm(request.POST or None, instance=incident, contracts=contracts)
    return _record_form(request, form, company, "incident")


@role_required(*REGULATOR)
def sanction_new(request, company_pk):
    v = access.viewer(request.user)
    company = get_object_or_404(access.companies(v), pk=company_pk)
    _require_regulates(v, company.pk)
    sanction = Sanction(company=company, imposed_by_authority_id=v.authority_id)
    form = SanctionForm(
        request.POST or None, instance=sanction, authority_fixed=bool(v.authority_id)
    )
    return _record_form(request, form, company, "sanction")


@role_required(*REGULATOR)
def finding_waive(request, pk):
    v = access.viewer(request.user)
    finding = get_object_or_404(access.findings(v).select_related("company"), pk=pk)
    _require_regulates(v, finding.company_id)
    form = WaiveForm(request.POST or None)
    password_field_if_needed(form, request)
    if request.method == "POST" and form.is_valid():
        try:
            waive_finding(
                finding, user=request.user, justification=form.cleaned_data["justification"]
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Finding {finding.rule_code} is waived.")
            return redirect("web:company", finding.company_id)
    return render(request, "registry/finding_waive.html", {"finding": finding, "form": form})
