"""The change history of one object, from the audit trail. Auditors and admins only."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from registry import access
from registry.audit.queries import entries

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
HISTORY_LIMIT = 500


@role_required(*AUDITOR)
def object_history(request, kind, pk):
    if kind not in KINDS:
        raise Http404("No history for this kind of record.")
    obj = get_object_or_404(KINDS[kind](request.user), pk=pk)
    # Built in parallel by the audit engineer (interfaces.md §5).

    # A company's history includes what belongs to it: licences, contracts, incidents ...
    found = entries(company=obj) if kind == "company" else entries(obj=obj)
    rows = [
        {"entry": e, "changes": sorted((e.changes or {}).items())}
        for e in found.select_related("actor")[:HISTORY_LIMIT]
    ]
    return render(
        request,
        "registry/history.html",
        {"object": obj, "kind": kind, "rows": rows, "limit": HISTORY_LIMIT},
    )
