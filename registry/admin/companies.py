from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from registry import access
from registry.audit import context as audit_context
from registry.models import Adherence, Certification, Company, CompanyAlias, Licence
from registry.services.standing import STANDING_PREFETCH, company_standing

from .base import ServiceWritesAdmin


class ConfirmSimilarNameForm(forms.ModelForm):
    """A name that looks like another company's is refused unless this box is ticked."""

    confirm_similar_name = forms.BooleanField(
        required=False,
        label="Confirm a look-alike name",
        help_text="Tick to register a name that looks like another company's.",
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        self.instance.confirm_similar_name = cleaned.get("confirm_similar_name", False)
        return cleaned


class CompanyAliasInline(admin.TabularInline):
    model = CompanyAlias
    form = ConfirmSimilarNameForm
    extra = 0


class LicenceInline(admin.TabularInline):
    """Licences are shown here; they are created and changed on their own page (state machine)."""

    model = Licence
    extra = 0
    fields = (
        "number_link",
        "authority",
        "state",
        "valid_from",
        "valid_until",
        "weapons_authorised",
    )
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="number")
    def number_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:registry_licence_change", args=[obj.pk]),
            obj.number,
        )


class AdherenceInline(admin.TabularInline):
    model = Adherence
    extra = 0
    autocomplete_fields = ["standard"]


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0
    autocomplete_fields = ["standard"]


@admin.register(Company)
class CompanyAdmin(ServiceWritesAdmin):
    form = ConfirmSimilarNameForm
    list_display = [
        "legal_name",
        "home_country",
        "registering_authority",
        "registration_number",
        "standing",
    ]
    list_filter = ["standing", "home_country", "registering_authority", "services"]
    search_fields = [
        "legal_name",
        "aliases__name",
        "registration_number",
        "lei",
        "licences__number",
    ]
    autocomplete_fields = ["home_country", "registering_authority", "parent"]
    filter_horizontal = ["services"]
    readonly_fields = ["standing_and_reasons", "created_at", "updated_at"]
    inlines = [CompanyAliasInline, LicenceInline, AdherenceInline, CertificationInline]
    fieldsets = [
        (None, {"fields": ["standing_and_reasons"]}),
        (
            "Identity",
            {
                "fields": [
                    "legal_name",
                    "confirm_similar_name",
                    "home_country",
                    "registering_authority",
                    "registration_number",
                    "lei",
                    "parent",
                    "address",
                    "website",
                    "services",
                ]
            },
        ),
        (
            "Liability insurance",
            {
                "fields": [
                    "insurer",
                    "insurance_cover",
                    "insurance_currency",
                    "insurance_valid_until",
                ]
            },
        ),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("home_country", "registering_authority__country")
            .prefetch_related(*STANDING_PREFETCH)
        )

    @admin.display(description="Standing")
    def standing_and_reasons(self, obj):
        if obj is None or obj.pk is None:
            return "Computed once the company is saved."
        result = company_standing(obj)
        # A display callable gets no request; the audit context holds the current one.
        request = audit_context.current().request
        shown = access.standing_reasons(getattr(request, "user", None), obj.pk, result.reasons)
        reasons = format_html_join(
            "",
            "<li><code>{}</code> ({}) {}</li>",
            ((r.code, r.severity, r.message) for r in shown),
        )
        return format_html("<strong>{}</strong><ul>{}</ul>", result.label, reasons or "")
