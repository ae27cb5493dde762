from django.contrib import admin

from registry.models import Adherence, Certification, Client, Contract, Mission

from .base import ServiceWritesAdmin


@admin.register(Mission)
class MissionAdmin(ServiceWritesAdmin):
    list_display = ["acronym", "name", "organisation", "start", "end"]
    list_filter = ["organisation", "countries"]
    search_fields = ["acronym", "name"]
    autocomplete_fields = ["countries"]


@admin.register(Client)
class ClientAdmin(ServiceWritesAdmin):
    list_display = ["name", "kind", "mission", "country"]
    list_filter = ["kind"]
    list_select_related = ["mission", "country"]
    search_fields = ["name"]
    autocomplete_fields = ["mission", "country"]


@admin.register(Contract)
class ContractAdmin(ServiceWritesAdmin):
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


@admin.register(Adherence)
class AdherenceAdmin(ServiceWritesAdmin):
    list_display = ["company", "standard", "signed_on", "withdrawn_on"]
    list_filter = ["standard"]
    list_select_related = ["company", "standard"]
    search_fields = ["company__legal_name", "standard__name"]
    autocomplete_fields = ["company", "standard"]


@admin.register(Certification)
class CertificationAdmin(ServiceWritesAdmin):
    list_display = ["company", "standard", "certifying_body", "issued_on", "expires_on"]
    list_filter = ["standard"]
    list_select_related = ["company", "standard"]
    search_fields = ["company__legal_name", "certifying_body", "certificate_number"]
    autocomplete_fields = ["company", "standard"]
