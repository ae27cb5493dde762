"""Contracts: the filtered list, a contract's page, registering a contract and the CSV download."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from registry import access
from registry.choices import Role
from registry.exports import stream_contracts_csv
from registry.models import Mission
from registry.replica import on_replica

from ..filters import ContractFilter
from ..forms import ContractForm
from ..paging import keyset_page
from ..permissions import CONTRACT_READERS, MISSION, role_required
from ..writes import save_form

PAGE_SIZE = 50


def _missions(v):
    """Missions the caller's filters and forms offer: their own, or all for other roles."""
    if v.role == Role.MISSION_STAFF:
        return Mission.objects.filter(id__in=v.mission_ids)
    return Mission.objects.all()


def _filtered(request, v, queryset):
    return ContractFilter(request.GET or None, queryset=queryset, missions=_missions(v))


@role_required(*CONTRACT_READERS)
def contract_list(request):
    v = access.viewer(request.user)
    contracts = (
        access.contracts(v)
        .select_related("client", "company", "mission")
        .prefetch_related("countries", "services")
        .order_by("-start", "id")
    )
    filterset = _filtered(request, v, contracts)
    page = keyset_page(filterset.rows, request.GET, PAGE_SIZE, day_field="start")
    context = {"filter": filterset, "page": page, "may_register": v.role in MISSION}
    return render(request, "registry/contract_list.html", context)


@role_required(*CONTRACT_READERS)
def contract_detail(request, pk):
    v = access.viewer(request.user)
    contract = get_object_or_404(
        access.contracts(v)
        .select_related("client", "company", "mission", "parent")
        .prefetch_related("countries", "services"),
        pk=pk,
    )
    may_edit = v.role in MISSION and access.can_write_contract(v, contract)
    return render(
        request, "registry/contract_detail.html", {"contract": contract, "may_edit": may_edit}
    )


@role_required(*MISSION)
def contract_new(request):
    return _contract_form(request, access.viewer(request.user), None)


@role_required(*MISSION)
def contract_edit(request, pk):
    v = access.viewer(request.user)
    contract = get_object_or_404(access.contracts(v), pk=pk)
    if not access.can_write_contract(v, contract):
        raise PermissionDenied("You may change contracts only of your own missions.")
    return _contract_form(request, v, contract)


def _contract_form(request, v, contract):
    form = ContractForm(
        request.POST or None,
        instance=contract,
        missions=_missions(v),
        companies=access.companies(v),
        company_query=request.GET.get("company_q", ""),
        contracts=access.contracts(v).exclude(pk=getattr(contract, "pk", None)),
    )
    if request.method == "POST" and form.is_valid() and (saved := save_form(request, form)):
        verb = "updated" if contract else "registered"
        messages.success(request, f"Contract {saved.reference} is {verb}.")
        return redirect("web:contract", saved.pk)
    return render(request, "registry/contract_form.html", {"form": form, "contract": contract})


@role_required(*CONTRACT_READERS)
def contract_csv(request):
    v = access.viewer(request.user)
    filterset = _filtered(request, v, access.contracts(v).order_by("-start", "id"))
    if filterset.is_bound and not filterset.is_valid():
        # A download of more rows than asked for would be worse than none.
        problems = "\n".join(
            f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()
        )
        return HttpResponse(
            f"The filters are not valid, so nothing was exported.\n{problems}\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = StreamingHttpResponse(
        stream_contracts_csv(on_replica(filterset.qs)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="contracts-{stamp}.csv"'
    return response
