from django.contrib import admin

from registry.models import ConductStandard, Country, LicensingAuthority, ServiceCategory

from .base import ServiceWritesAdmin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reference data that comes from standards or migrations, not from users."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Country)
class CountryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "armed"]
    list_filter = ["armed"]
    search_fields = ["code", "name"]


@admin.register(LicensingAuthority)
class LicensingAuthorityAdmin(ServiceWritesAdmin):
    list_display = ["name", "acronym", "country"]
    list_filter = ["country"]
    list_select_related = ["country"]
    search_fields = ["name", "acronym", "country__name"]
    autocomplete_fields = ["country"]


@admin.register(ConductStandard)
class ConductStandardAdmin(ServiceWritesAdmin):
    list_display = ["name", "code", "kind", "issuer"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "issuer"]
