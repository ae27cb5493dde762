"""The public register: search and company pages, open to anyone, linkable and printable."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from registry import access
from registry.choices import ContractStatus, FindingState
from registry.models import Company
from registry.services.licensing import allowed_actions
from registry.services.status import company_status

from ..filters import RegisterSearch

PAGE_SIZE = 25


def search(request):
    found = RegisterSearch(request.GET, queryset=access.companies(request.user))
    q = found.text
    companies = (
        found.rows.select_related("home_country", "registering_authority")
        .prefetch_related("aliases")
        .order_by("legal_name", "id")
    )
    page = Paginator(companies, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"q": q, "page": page, "companies": page.object_list}
    partial = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "registry/includes/company_results.html" if partial else "registry/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def company_detail(request, pk):
    # The same read model as the API status answer: one standing, one history, one threshold.
    try:
        status = company_status(pk, request.user, profile=True)
    except Company.DoesNotExist:
        raise Http404("No company matches.") from None
    company, v, today = status.company, status.viewer, status.on
    may_act = status.regulated if v.can_write_register else False
    licence_rows = [
        {
            "licence": lic,
            "state": lic.effective_state(today),
            "actions": allowed_actions(lic) if access.can_write_licence(v, lic) else [],
        }
        for lic in status.licences
    ]
    context = {
        "company": company,
        "standing": status.standing,
        "licence_rows": licence_rows,
        "adherences": [(a, a.in_force_on(today)) for a in status.adherences],
        "certifications": [(c, c.expires_on >= today) for c in status.certifications],
        "may_act": may_act,
        "licence_actions": v.can_write_register,
        "today": today,
        "standing_since": status.standing_since,
        "standing_history": status.standing_history,
        "licence_history": status.licence_history,
    }
    if not v.is_public:
        context.update(_oversight(v, company))
    return render(request, "registry/company_detail.html", context)


def _oversight(v, company) -> dict:
    """What a signed-in role sees beyond the register, each list from its access function."""
    active = [ContractStatus.PLANNED, ContractStatus.ACTIVE]
    return {
        "sanctions": list(
            access.sanctions(v)
            .filter(company=company)
            .select_related(
                "imposed_by_authority",
                "imposed_by_mission",
                "imposed_by_client",
                "scope_country",
                "scope_mission",
            )
        ),
        "incidents": list(
            access.incidents(v).filter(company=company).select_related("country", "contract")
        ),
        "findings": list(
            access.findings(v)
            .filter(company=company, state__in=[FindingState.OPEN, FindingState.WAIVED])
            .select_related("contract")
            .order_by("state", "severity", "rule_code", "id")
        ),
        "coordination": list(
            access.coordination_contracts(v)
            .filter(company=company, status__in=active)
            .select_related("client", "mission")
            .prefetch_related("countries", "services")
            .order_by("start", "id")[:100]
        ),
    }
