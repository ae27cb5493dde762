"""The change history of one object, from the audit trail. Auditors and admins only."""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from registry import access

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
    from registry.audit.models import AuditEntry

    entries = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
        .select_related("actor")
        .order_by("-seq")[:HISTORY_LIMIT]
    )
    return render(
        request,
        "registry/history.html",
        {"object": obj, "kind": kind, "entries": list(entries), "limit": HISTORY_LIMIT},
    )
