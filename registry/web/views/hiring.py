"""The mission officer's hiring check: ask, then read the verdict, its reasons and who else hires."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from registry import access
from registry.choices import SERVICE_CATALOGUE, ContractStatus, Role, SanctionKind
from registry.models import Mission
from registry.services.hiring import run_hiring_check

from .. import picker, readable
from ..errors import add_validation_error
from ..forms import HiringCheckForm
from ..permissions import MISSION, SIGNED_IN, role_required


@role_required(*MISSION)
def hiring_check(request):
    v = access.viewer(request.user)
    missions = (
        Mission.objects.filter(id__in=v.mission_ids)
        if v.role == Role.MISSION_STAFF
        else Mission.objects.all()
    )
    form = HiringCheckForm(
        request.POST or None,
        companies=access.companies(v),
        company_query=request.GET.get("company_q", ""),
        missions=missions,
        initial={
            "company": request.GET.get("company"),
            "mission": next(iter(v.mission_ids)) if len(v.mission_ids) == 1 else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            check = run_hiring_check(**form.service_kwargs(), asked_by=request.user)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            return redirect("web:hiring_result", check.pk)
    return render(request, "registry/hiring_check.html", {"form": form})


@role_required(*MISSION)
def company_options(request):
    """The options of a company picker matching `company_q`, keeping the chosen `company`."""
    query = request.GET.get("company_q", "").strip()
    selected = request.GET.get("company", "")
    options, more = picker.matches(access.companies(request.user), query, selected)
    context = {"options": options, "more": more, "query": query, "selected": selected}
    return render(request, "registry/includes/company_options.html", context)


@role_required(*SIGNED_IN)
def hiring_result(request, pk):
    v = access.viewer(request.user)
    check = get_object_or_404(
        access.hiring_checks(v).select_related("company", "mission", "client", "asked_by"), pk=pk
    )
    names = {s.code: s.name for s in SERVICE_CATALOGUE}
    services = [names.get(code, code) for code in check.services]
    findings = access.hiring_findings(v, check)
    coordination = check.coordination or {}
    codes = set(check.countries)
    codes.update(c for o in coordination.get("overlapping_contracts", []) for c in o["countries"])
    codes.update(s["scope_target"] for s in coordination.get("sanctions", []))
    codes.update(c for f in findings for c in readable.codes_in(f["message"]))
    return render(
        request,
        "registry/hiring_result.html",
        {
            "check": check,
            "services": services,
            "service_names": names,
            "findings": findings,
            "country_names": readable.country_names(codes),
            "contract_statuses": dict(ContractStatus.choices),
            "sanction_kinds": dict(SanctionKind.choices),
        },
    )
