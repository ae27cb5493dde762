from django import forms
from django.contrib import admin
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters

from registry.models import Country, Employment, Person, Training, Vetting, identity_hash
from registry.services import records

from .base import ServiceWritesAdmin

SECRET_FIELD = "identity_document_number"


class PersonForm(forms.ModelForm):
    """The identity document number is hashed on save and never stored, shown or logged."""

    identity_document_country = forms.ModelChoiceField(
        queryset=Country.objects.all(), required=False, label="Identity document issued by"
    )
    identity_document_number = forms.CharField(
        required=False,
        max_length=60,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Stored only as a keyed hash. Leave empty to keep the current document.",
    )

    class Meta:
        model = Person
        fields = ["full_name", "date_of_birth", "nationality"]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        country, number = data.get("identity_document_country"), data.get(SECRET_FIELD)
        needed = self.instance.pk is None or bool(number) or bool(country)
        if needed and not (country and number):
            raise forms.ValidationError("Give both the issuing country and the document number.")
        if country and number:
            digest = identity_hash(country.code, number)
            # A new person whose document is known joins the existing record
            # (records.register_person); only moving a document between records is refused.
            clash = Person.objects.filter(identity_hash=digest).exclude(pk=self.instance.pk)
            if self.instance.pk is not None and clash.exists():
                raise forms.ValidationError("This identity document cannot be recorded here.")
            self.instance.set_identity_document(country.code, number)
        return data


class EmploymentInline(admin.TabularInline):
    model = Employment
    extra = 0
    autocomplete_fields = ["company", "contract"]


class VettingInline(admin.TabularInline):
    model = Vetting
    extra = 0
    autocomplete_fields = ["company"]
    fields = ["vetted_on", "vetted_by", "outcome", "company"]


class TrainingInline(admin.TabularInline):
    model = Training
    extra = 0


@method_decorator(sensitive_post_parameters(SECRET_FIELD), name="changeform_view")
@admin.register(Person)
class PersonAdmin(ServiceWritesAdmin):
    access_rows = "people"
    form = PersonForm
    list_display = ["full_name", "nationality", "date_of_birth"]
    list_filter = ["nationality"]
    list_select_related = ["nationality"]
    search_fields = ["full_name"]
    autocomplete_fields = ["nationality"]
    inlines = [EmploymentInline, VettingInline, TrainingInline]

    fieldsets = [
        (None, {"fields": ["full_name", "date_of_birth", "nationality"]}),
        ("Identity document", {"fields": ["identity_document_country", SECRET_FIELD]}),
    ]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        # A new person is registered with their first employment, in save_related.

    def save_related(self, request, form, formsets, change):
        if not change:
            employments = [
                f.instance
                for fs in formsets
                if fs.model is Employment
                for f in fs.forms
                if f.has_changed() and not f.cleaned_data.get("DELETE")
            ]
            records.register_person(
                form.instance, actor=request.user, employment=next(iter(employments), None)
            )
        super().save_related(request, form, formsets, change)


@admin.register(Employment)
class EmploymentAdmin(ServiceWritesAdmin):
    access_rows = "employments"
    list_display = ["person", "company", "contract", "role", "armed", "origin", "start", "end"]
    list_filter = ["origin", "armed"]
    list_select_related = ["person", "company", "contract__client"]
    search_fields = ["person__full_name", "company__legal_name", "contract__reference", "role"]
    autocomplete_fields = ["person", "company", "contract"]


@admin.register(Vetting)
class VettingAdmin(ServiceWritesAdmin):
    access_rows = "vettings"
    list_display = ["person", "vetted_on", "vetted_by", "outcome", "company"]
    list_filter = [
        "outcome",
        "serving_security_forces",
        "former_security_forces",
        "ddr_participant",
        "dismissed_for_misconduct",
        "human_rights_concern",
    ]
    list_select_related = ["person", "company"]
    search_fields = ["person__full_name", "vetted_by", "conflict_affiliation"]
    autocomplete_fields = ["person", "company"]
    date_hierarchy = "vetted_on"


@admin.register(Training)
class TrainingAdmin(ServiceWritesAdmin):
    access_rows = "trainings"
    list_display = ["person", "kind", "completed_on", "expires_on", "provider"]
    list_filter = ["kind"]
    list_select_related = ["person"]
    search_fields = ["person__full_name", "provider"]
    autocomplete_fields = ["person"]
