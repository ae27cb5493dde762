from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from registry import access
from registry.choices import LicenceState
from registry.forms import LicenceTransitionForm
from registry.models import Licence, LicenceEvent
from registry.services.licensing import allowed_actions
from registry.sessions import password_field_if_needed

from .base import ServiceWritesAdmin


class LicenceEventInline(admin.TabularInline):
    model = LicenceEvent
    extra = 0
    fields = ("at", "action", "from_state", "to_state", "actor_label", "reason", "valid_until")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Licence)
class LicenceAdmin(ServiceWritesAdmin):
    list_display = [
        "number",
        "company",
        "authority",
        "state",
        "valid_from",
        "valid_until",
        "weapons_authorised",
    ]
    list_filter = ["state", "authority", "weapons_authorised", "services", "countries"]
    list_select_related = ["company", "authority__country"]
    search_fields = ["number", "company__legal_name", "company__aliases__name"]
    autocomplete_fields = ["authority", "company", "countries"]
    filter_horizontal = ["services"]
    readonly_fields = ["state", "state_changed_at", "change_state_link"]
    inlines = [LicenceEventInline]
    date_hierarchy = "valid_until"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.state != LicenceState.APPLIED:
            fields += list(Licence.FIXED_ONCE_DECIDED)
        return fields

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Change state")
    def change_state_link(self, obj):
        if obj is None or obj.pk is None or not allowed_actions(obj):
            return "—"
        url = reverse("admin:registry_licence_transition", args=[obj.pk])
        return format_html('<a class="button" href="{}">Grant, suspend, renew, revoke…</a>', url)

    def get_urls(self):
        return [
            path(
                "<int:pk>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="registry_licence_transition",
            )
        ] + super().get_urls()

    def transition_view(self, request, pk):
        licence = get_object_or_404(Licence.objects.select_related("company", "authority"), pk=pk)
        if not self.has_change_permission(request, licence):
            raise PermissionDenied(access.LICENCE_WRITE_REFUSAL)
        form = LicenceTransitionForm(request.POST or None, licence=licence)
        password_field_if_needed(form, request)  # asks again for a password entered long ago
        if request.method == "POST" and form.is_valid() and form.apply(request.user):
            messages.success(request, form.success_message())
            return redirect("admin:registry_licence_change", licence.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": licence,
            "title": f"Change the state of licence {licence.number}",
            "form": form,
        }
        return TemplateResponse(request, "admin/registry/licence/transition.html", context)


@admin.register(LicenceEvent)
class LicenceEventAdmin(admin.ModelAdmin):
    list_display = ["licence", "action", "from_state", "to_state", "actor_label", "at"]
    list_filter = ["action", "to_state"]
    list_select_related = ["licence__authority__country"]
    search_fields = ["licence__number", "actor_label", "reason"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
