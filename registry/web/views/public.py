"""The public register: search and company pages, open to anyone, linkable and printable."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from registry import access
from registry.choices import ContractStatus, FindingState
from registry.services.licensing import allowed_actions
from registry.services.standing import company_standing

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
    user = request.user
    licences = access.licences(user).select_related("authority__country")
    company = get_object_or_404(
        access.companies(user)
        .select_related("home_country", "registering_authority__country", "parent")
        .prefetch_related(
            "aliases",
            "services",
            Prefetch("licences", queryset=licences),
            "licences__countries",
            "licences__services",
            Prefetch("adherences", queryset=access.adherences(user).select_related("standard")),
            Prefetch(
                "certifications",
                queryset=access.certifications(user).select_related("standard"),
            ),
        ),
        pk=pk,
    )
    today = timezone.localdate()
    v = access.viewer(user)
    may_act = access.regulates(v, company.pk) if v.can_write_register else False
    standing = company_standing(company, today)
    standing.reasons = access.standing_reasons(v, company.pk, standing.reasons, regulated=may_act)
    licence_rows = [
        {
            "licence": lic,
            "state": lic.effective_state(today),
            "actions": allowed_actions(lic) if may_act else [],
        }
        for lic in company.licences.all()
    ]
    context = {
        "company": company,
        "standing": standing,
        "licence_rows": licence_rows,
        "adherences": [(a, a.in_force_on(today)) for a in company.adherences.all()],
        "certifications": [(c, c.expires_on >= today) for c in company.certifications.all()],
        "may_act": may_act,
        "today": today,
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
