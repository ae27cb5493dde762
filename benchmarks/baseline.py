"""The plain views the API calls are measured against, in the same run on the same machine
(the exports' baseline, COPY of the same rows, is benchmarks/copy_baseline.py).

They do the same job as the API calls they stand beside, the way a hand-written view would:
authenticate the token (one query), read with `.values()`, answer with `JsonResponse`. No DRF,
no serializers, no access layer, no throttle. They are served from the same gunicorn process as
the registry (benchmarks/settings.py, benchmarks/urls.py), behind the same middleware.
"""

from django.db.models import Q
from django.http import JsonResponse

from registry.models import ApiToken, Company, Contract, Finding
from registry.models.tokens import hash_key

COMPANY_FIELDS = (
    "id",
    "legal_name",
    "registration_number",
    "registering_authority_id",
    "standing",
    "standing_since",
    "standing_on",
    "standing_reasons",
)
FINDING_FIELDS = (
    "id",
    "rule_code",
    "severity",
    "subject_key",
    "message",
    "first_seen",
    "last_seen",
)
CONTRACT_FIELDS = (
    "id",
    "reference",
    "client_id",
    "company_id",
    "mission_id",
    "parent_id",
    "title",
    "armed",
    "personnel_international",
    "personnel_third_country",
    "personnel_local",
    "armed_personnel",
    "value",
    "currency",
    "signed_on",
    "start",
    "end",
    "status",
    "termination_reason",
    "created_at",
    "updated_at",
)


def _caller(request) -> int | None:
    """The user id of a usable `Authorization: Token <key>`, else None (one query)."""
    scheme, _, key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme != "Token" or not key.strip():
        return None
    tokens = ApiToken.objects.usable().filter(key_hash=hash_key(key.strip()))
    return tokens.values_list("user_id", flat=True).first()


def _refused() -> JsonResponse:
    return JsonResponse({"status": 401, "code": "not_authenticated"}, status=401)


def _status_of(company: dict | None) -> JsonResponse:
    if company is None:
        return JsonResponse({"status": 404, "code": "not_found"}, status=404)
    findings = Finding.objects.filter(company_id=company["id"], state="open")
    return JsonResponse(
        {**company, "findings": list(findings.order_by("-last_seen", "id").values(*FINDING_FIELDS))}
    )


def company_status(request, pk: int) -> JsonResponse:
    """GET /bench/companies/{id}/status/: the stored standing and reasons, the open findings."""
    if _caller(request) is None:
        return _refused()
    return _status_of(Company.objects.filter(pk=pk).values(*COMPANY_FIELDS).first())


def status_lookup(request) -> JsonResponse:
    """GET /bench/status/?registration_number=…&authority=… (an id or an acronym)."""
    if _caller(request) is None:
        return _refused()
    number = request.GET.get("registration_number", "").strip()
    authority = request.GET.get("authority", "").strip()
    by_authority = (
        Q(registering_authority_id=int(authority))
        if authority.isdigit()
        else Q(registering_authority__acronym__iexact=authority)
    )
    companies = Company.objects.filter(by_authority, registration_number__iexact=number)
    return _status_of(companies.values(*COMPANY_FIELDS).first())


def contract_page(request) -> JsonResponse:
    """GET /bench/contracts/?page_size=n: the newest contracts as values, with their country
    and service codes (three queries after the token's)."""
    if _caller(request) is None:
        return _refused()
    size = min(int(request.GET.get("page_size") or 50), 500)
    rows = list(Contract.objects.order_by("-id").values(*CONTRACT_FIELDS)[:size])
    ids = [row["id"] for row in rows]
    codes: dict[int, dict[str, list[str]]] = {i: {"countries": [], "services": []} for i in ids}
    through = Contract.countries.through.objects.filter(contract_id__in=ids)
    for contract, code in through.values_list("contract_id", "country_id"):
        codes[contract]["countries"].append(code)
    through = Contract.services.through.objects.filter(contract_id__in=ids)
    for contract, code in through.values_list("contract_id", "servicecategory_id"):
        codes[contract]["services"].append(code)
    return JsonResponse({"results": [{**row, **codes[row["id"]]} for row in rows]})
