from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from registry import access
from registry.choices import FindingState
from registry.compliance import waive_finding
from registry.errors import DomainError
from registry.models import Finding, HiringCheck, StandingChange
from registry.sessions import password_field_if_needed

from .base import AccessAdmin


class ReadOnlyMixin:
    """Written only by the compliance engine and the hiring check."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class WaiverForm(forms.Form):
    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="Why this finding may be set aside; recorded with your name.",
    )


@admin.register(Finding)
class FindingAdmin(ReadOnlyMixin, AccessAdmin):
    access_rows = "findings"
    list_display = [
        "rule_code",
        "severity",
        "state",
        "company",
        "contract",
        "subject_key",
        "first_seen",
        "last_seen",
    ]
    list_filter = ["state", "severity", "rule_code"]
    list_select_related = ["company", "contract__client"]
    search_fields = ["rule_code", "company__legal_name", "contract__reference", "message"]
    date_hierarchy = "last_seen"
    actions = ["waive"]

    def has_waive_permission(self, request):
        # Regulators waive findings of the companies they regulate (their visible rows).
        return access.viewer(request.user).can_write_register

    @admin.action(description="Waive the selected open findings…", permissions=["waive"])
    def waive(self, request, queryset):
        queryset = queryset.filter(state=FindingState.OPEN).select_related("company")
        if not queryset.exists():
            self.message_user(request, "Only open findings can be waived.", messages.WARNING)
            return None
        form = WaiverForm(request.POST if "apply" in request.POST else None)
        password_field_if_needed(form, request)
        if form.is_valid():
            waived = 0
            for finding in queryset:
                try:
                    waive_finding(
                        finding, user=request.user, justification=form.cleaned_data["justification"]
                    )
                    waived += 1
                except DomainError as exc:
                    self.message_user(request, f"{finding}: {exc}", messages.ERROR)
            self.message_user(request, f"Waived {waived} finding(s).", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Waive findings",
            "findings": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/registry/finding/waive.html", context)


@admin.register(HiringCheck)
class HiringCheckAdmin(ReadOnlyMixin, AccessAdmin):
    access_rows = "hiring_checks"
    list_display = ["asked_at", "company", "client", "mission", "verdict", "asked_by"]
    list_filter = ["verdict", "armed", "mission"]
    list_select_related = ["company", "client", "mission", "asked_by"]
    search_fields = ["company__legal_name", "client__name", "mission__acronym"]
    date_hierarchy = "asked_at"

    def get_object(self, request, object_id, from_field=None):
        # The stored findings as the caller may read them, exactly as the API renders them;
        # the admin never saves a hiring check, so the masked copy is only shown.
        check = super().get_object(request, object_id, from_field)
        if check is not None:
            check.findings = access.hiring_findings(request.user, check)
        return check


@admin.register(StandingChange)
class StandingChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The standing history, written only by the compliance engine. Its reasons may name people,
    so a regulator sees the history of the companies they regulate; auditors and admins all."""

    list_display = ["at", "company", "from_standing", "to_standing", "cause", "request_id"]
    list_filter = ["to_standing", "from_standing"]
    list_select_related = ["company"]
    search_fields = ["company__legal_name", "cause", "request_id"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        v = access.viewer(request.user)
        if v.reads_everything:
            return qs
        return qs.filter(company_id__in=v.regulated_company_ids)
