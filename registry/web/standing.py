"""Standing for lists and counts: the cached Company.standing column, kept fresh by the domain
services (registry.services.standing.refresh_standing). Detail pages call company_standing() for
the reasons."""

from django.db.models import Count

from registry.choices import Standing


def standing_counts(companies) -> dict[str, int]:
    """How many of `companies` are in each standing: {standing code: count}, all codes present."""
    counts = dict.fromkeys(Standing.values, 0)
    for row in companies.order_by().values("standing").annotate(n=Count("id")):
        counts[row["standing"]] = row["n"]
    return counts
