from django.contrib import admin
from django.core.exceptions import PermissionDenied

from registry import access
from registry.models import Adherence, Certification, Client, Contract, Mission

from .base import AccessAdmin
from .oversight import RefreshStandingMixin


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ["acronym", "name", "organisation", "start", "end"]
    list_filter = ["organisation", "countries"]
    search_fields = ["acronym", "name"]
    autocomplete_fields = ["countries"]


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "mission", "country"]
    list_filter = ["kind"]
    list_select_related = ["mission", "country"]
    search_fields = ["name"]
    autocomplete_fields = ["mission", "country"]


@admin.register(Contract)
class ContractAdmin(AccessAdmin):
    list_display = [
        "reference",
        "company",
        "client",
        "mission",
        "status",
        "start",
        "end",
        "value",
        "currency",
    ]
    list_filter = ["status", "armed", "mission", "services", "countries"]
    list_select_related = ["company", "client", "mission"]
    search_fields = ["reference", "title", "company__legal_name", "client__name"]
    autocomplete_fields = ["client", "company", "mission", "parent", "countries"]
    filter_horizontal = ["services"]
    date_hierarchy = "start"
    access_rows = "contracts"

    def may_write(self, request, obj):
        return access.can_write_contract(request.user, obj)

    def save_model(self, request, obj, form, change):
        if not access.can_write_contract(request.user, mission_id=obj.mission_id):
            raise PermissionDenied("You may only record contracts of your own missions.")
        super().save_model(request, obj, form, change)


@admin.register(Adherence)
class AdherenceAdmin(RefreshStandingMixin, AccessAdmin):
    list_display = ["company", "standard", "signed_on", "withdrawn_on"]
    list_filter = ["standard"]
    list_select_related = ["company", "standard"]
    search_fields = ["company__legal_name", "standard__name"]
    autocomplete_fields = ["company", "standard"]


@admin.register(Certification)
class CertificationAdmin(RefreshStandingMixin, AccessAdmin):
    list_display = ["company", "standard", "certifying_body", "issued_on", "expires_on"]
    list_filter = ["standard"]
    list_select_related = ["company", "standard"]
    search_fields = ["company__legal_name", "certifying_body", "certificate_number"]
    autocomplete_fields = ["company", "standard"]
