from django import forms
from django.contrib import admin

from registry import access
from registry.models import Employment, Incident, Person, Sanction, Training, Vetting

from .base import AccessAdmin


@admin.register(Incident)
class IncidentAdmin(AccessAdmin):
    access_rows = "incidents"
    list_display = ["occurred_on", "company", "category", "severity", "status", "country"]
    list_filter = ["status", "severity", "category", "country"]
    list_select_related = ["company", "country"]
    search_fields = ["company__legal_name", "summary"]
    autocomplete_fields = ["company", "contract", "country"]
    date_hierarchy = "occurred_on"


@admin.register(Sanction)
class SanctionAdmin(AccessAdmin):
    access_rows = "sanctions"
    list_display = ["company", "kind", "scope", "start", "end", "lifted_on"]
    list_filter = ["kind", "scope"]
    list_select_related = ["company"]
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


class PersonForm(forms.ModelForm):
    """The identity document is hashed on save (Person.set_identity_document), never stored."""

    document_country = forms.CharField(max_length=2, required=False, help_text="ISO 3166-1 alpha-2")
    document_number = forms.CharField(
        max_length=60, required=False, help_text="Hashed with a secret key; not stored."
    )

    class Meta:
        model = Person
        fields = ["full_name", "date_of_birth", "nationality"]

    def clean(self):
        data = super().clean()
        given = [bool(data.get("document_country")), bool(data.get("document_number"))]
        if any(given) and not all(given):
            raise forms.ValidationError("Give both the document's country and its number.")
        if self.instance.pk is None and not all(given):
            raise forms.ValidationError("A new person needs an identity document.")
        if all(given):
            self.instance.set_identity_document(data["document_country"], data["document_number"])
            clash = Person.objects.filter(identity_hash=self.instance.identity_hash)
            if clash.exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError("A person with this identity document is on record.")
        return data


class EmploymentInline(admin.TabularInline):
    model = Employment
    extra = 0
    autocomplete_fields = ["company", "contract"]


class VettingInline(admin.StackedInline):
    model = Vetting
    extra = 0
    autocomplete_fields = ["company"]


class TrainingInline(admin.TabularInline):
    model = Training
    extra = 0


@admin.register(Person)
class PersonAdmin(AccessAdmin):
    access_rows = "people"
    form = PersonForm
    list_display = ["full_name", "nationality", "date_of_birth"]
    list_filter = ["nationality"]
    search_fields = ["full_name"]
    autocomplete_fields = ["nationality"]
    inlines = [EmploymentInline, VettingInline, TrainingInline]

    def may_write(self, request, obj):
        return access.viewer(request.user).can_write_register


@admin.register(Employment)
class EmploymentAdmin(AccessAdmin):
    access_rows = "employments"
    list_display = ["person", "company", "contract", "role", "armed", "origin", "start", "end"]
    list_filter = ["armed", "origin"]
    list_select_related = ["person", "company", "contract__client"]
    search_fields = ["person__full_name", "company__legal_name", "contract__reference"]
    autocomplete_fields = ["person", "company", "contract"]


@admin.register(Vetting)
class VettingAdmin(AccessAdmin):
    access_rows = "vettings"
    list_display = ["person", "vetted_on", "outcome", "ddr_participant", "serving_security_forces"]
    list_filter = [
        "outcome",
        "ddr_participant",
        "serving_security_forces",
        "former_security_forces",
    ]
    list_select_related = ["person"]
    search_fields = ["person__full_name", "vetted_by"]
    autocomplete_fields = ["person", "company"]

    def may_write(self, request, obj):
        return obj.company_id is None or access.regulates(request.user, obj.company_id)


@admin.register(Training)
class TrainingAdmin(AccessAdmin):
    access_rows = "trainings"
    list_display = ["person", "kind", "completed_on", "expires_on", "provider"]
    list_filter = ["kind"]
    list_select_related = ["person"]
    search_fields = ["person__full_name", "provider"]
    autocomplete_fields = ["person"]

    def may_write(self, request, obj):
        return access.viewer(request.user).can_write_register
