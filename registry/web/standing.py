"""Standing for lists and counts.

Lists and the dashboard read the cached Company.standing column once it exists (interfaces.md §3);
until then they derive it with company_standing() over prefetched rows, still a fixed number of
queries. Detail pages always call company_standing() for the reasons.
"""

from django.db.models import Count, prefetch_related_objects

from registry.choices import Standing
from registry.models import Company
from registry.services.standing import STANDING_PREFETCH, company_standing

HAS_STANDING_COLUMN = any(f.name == "standing" for f in Company._meta.concrete_fields)


def with_standing(companies) -> list:
    """The companies (a queryset or page) as a list, each with .standing_value set."""
    if HAS_STANDING_COLUMN:
        rows = list(companies)
        for company in rows:
            company.standing_value = company.standing
        return rows
    rows = list(companies)
    prefetch_related_objects(rows, *STANDING_PREFETCH)
    for company in rows:
        company.standing_value = company_standing(company).standing
    return rows


def standing_counts(companies) -> dict[str, int]:
    """How many of `companies` are in each standing: {standing code: count}, all codes present."""
    counts = dict.fromkeys(Standing.values, 0)
    if HAS_STANDING_COLUMN:
        for row in companies.order_by().values("standing").annotate(n=Count("id")):
            counts[row["standing"]] = row["n"]
        return counts
    for company in with_standing(companies.only("id", "insurer", "insurance_valid_until")):
        counts[company.standing_value] += 1
    return counts


def refresh_cached_standing(*company_ids) -> None:
    """Keep the cached Company.standing in step after a record about the company changes."""
    try:  # refresh_standing() comes with the compliance engine (interfaces.md §3).
        from registry.services.standing import refresh_standing
    except ImportError:
        return
    refresh_standing(sorted({pk for pk in company_ids if pk is not None}))
