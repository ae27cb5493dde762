from django.contrib import admin

from registry.models import Incident, Sanction

from .base import ServiceWritesAdmin


@admin.register(Incident)
class IncidentAdmin(ServiceWritesAdmin):
    access_rows = "incidents"
    list_display = ["occurred_on", "company", "category", "severity", "status", "country"]
    list_filter = ["status", "severity", "category", "country"]
    list_select_related = ["company", "country"]
    search_fields = ["company__legal_name", "summary", "contract__reference"]
    autocomplete_fields = ["company", "contract", "country"]
    date_hierarchy = "occurred_on"


@admin.register(Sanction)
class SanctionAdmin(ServiceWritesAdmin):
    access_rows = "sanctions"
    list_display = ["company", "kind", "scope", "start", "end", "lifted_on", "imposed_by"]
    list_filter = ["kind", "scope"]
    list_select_related = [
        "company",
        "imposed_by_authority__country",
        "imposed_by_mission",
        "imposed_by_client",
    ]
    search_fields = ["company__legal_name", "reason"]
    autocomplete_fields = [
        "company",
        "person",
        "imposed_by_authority",
        "imposed_by_mission",
        "imposed_by_client",
        "scope_country",
        "scope_mission",
    ]
    date_hierarchy = "start"
    fieldsets = [
        (None, {"fields": ["company", "person", "kind", "reason"]}),
        (
            "Imposed by (exactly one)",
            {"fields": ["imposed_by_authority", "imposed_by_mission", "imposed_by_client"]},
        ),
        ("Scope", {"fields": ["scope", "scope_country", "scope_mission"]}),
        ("Period", {"fields": ["start", "end", "lifted_on", "lifted_reason"]}),
    ]
