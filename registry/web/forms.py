"""Forms of the web pages. Validation lives in the models (full_clean) and the domain services."""

from django import forms

from registry.choices import LicenceAction
from registry.forms import LicenceTransitionForm, form_field, model_choice_field
from registry.models import (
    Client,
    Company,
    Contract,
    Country,
    Incident,
    LicensingAuthority,
    Mission,
    Sanction,
    ServiceCategory,
)

from .forms_base import AccessibleFormMixin, DateInput
from .picker import use_picker


class LicenceActionForm(AccessibleFormMixin, LicenceTransitionForm):
    RENEWAL_FIELDS = ("valid_from", "valid_until")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actions = form_field(self, "action", forms.ChoiceField).choices
        # django-stubs types the choices getter as all that the setter accepts; the field holds
        # the (value, label) pairs LicenceTransitionForm set.
        if LicenceAction.RENEW in dict(actions):  # type: ignore[arg-type]
            self.fields["valid_from"].widget = DateInput()
            self.fields["valid_until"].widget = DateInput()
        else:
            for name in self.RENEWAL_FIELDS:
                del self.fields[name]
        self._describe()  # the new widgets need their aria-describedby

    def renewal_fields(self):
        return [self[name] for name in self.RENEWAL_FIELDS if name in self.fields]

    def other_fields(self):
        return [self[name] for name in self.fields if name not in self.RENEWAL_FIELDS]


class IncidentForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Incident
        fields = [
            "occurred_on",
            "country",
            "contract",
            "category",
            "severity",
            "status",
            "summary",
            "outcome",
        ]
        widgets = {
            "occurred_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "contract").queryset = contracts.select_related("client")


class SanctionForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Sanction
        fields = [
            "imposed_by_authority",
            "kind",
            "scope",
            "scope_country",
            "scope_mission",
            "start",
            "end",
            "reason",
        ]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"imposed_by_authority": "Imposed by (authority)"}

    def __init__(self, *args, authority_fixed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if authority_fixed:
            # A regulator imposes sanctions in the name of their own authority.
            del self.fields["imposed_by_authority"]
        else:
            self.fields["imposed_by_authority"].required = True
            model_choice_field(
                self, "imposed_by_authority"
            ).queryset = LicensingAuthority.objects.select_related("country")


class WaiveForm(AccessibleFormMixin, forms.Form):
    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="Why the finding may be set aside; kept in the record and shown to auditors.",
    )


class ContractForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "reference",
            "title",
            "mission",
            "client",
            "company",
            "parent",
            "countries",
            "services",
            "armed",
            "personnel_international",
            "personnel_third_country",
            "personnel_local",
            "armed_personnel",
            "value",
            "currency",
            "signed_on",
            "start",
            "end",
            "status",
            "termination_reason",
        ]
        widgets = {
            "signed_on": DateInput(),
            "start": DateInput(),
            "end": DateInput(),
            "services": forms.CheckboxSelectMultiple,
            "countries": forms.SelectMultiple(attrs={"size": 6}),
            "termination_reason": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"parent": "Prime contract (if this is a subcontract)"}
        help_texts = {"currency": "ISO 4217 code, e.g. USD.", "countries": "Places of performance."}

    def __init__(self, *args, missions, companies, contracts, company_query="", **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "mission").queryset = missions
        self.fields["mission"].required = True
        model_choice_field(self, "company").queryset = companies.only("id", "legal_name")
        use_picker(self.fields["company"], companies, company_query)
        model_choice_field(self, "client").queryset = Client.objects.all()
        model_choice_field(self, "parent").queryset = contracts.select_related("client")
        model_choice_field(self, "countries").queryset = Country.objects.all()
        model_choice_field(self, "services").queryset = ServiceCategory.objects.all()


class HiringCheckForm(AccessibleFormMixin, forms.Form):
    company = forms.ModelChoiceField(
        queryset=Company.objects.none(), empty_label="Choose a company"
    )
    mission = forms.ModelChoiceField(queryset=Mission.objects.none(), required=False)
    client = forms.ModelChoiceField(
        queryset=Client.objects.all(),
        required=False,
        help_text="Name the mission, the client, or both.",
    )
    countries = forms.ModelMultipleChoiceField(
        queryset=Country.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Places of performance. Hold Ctrl (or ⌘) to choose several.",
    )
    services = forms.ModelMultipleChoiceField(
        queryset=ServiceCategory.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    armed = forms.BooleanField(required=False, label="Armed services requested")
    personnel_international = forms.IntegerField(min_value=0, initial=0, label="International")
    personnel_third_country = forms.IntegerField(min_value=0, initial=0, label="Third-country")
    personnel_local = forms.IntegerField(min_value=0, initial=0, label="Local")
    armed_personnel = forms.IntegerField(
        min_value=0, initial=0, label="Armed", help_text="Of the above, how many carry arms."
    )
    start = forms.DateField(widget=DateInput())
    end = forms.DateField(widget=DateInput())

    def __init__(self, *args, companies, missions, company_query="", **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "company").queryset = companies.only("id", "legal_name")
        use_picker(self.fields["company"], companies, company_query)
        model_choice_field(self, "mission").queryset = missions

    def service_kwargs(self) -> dict:
        """The cleaned data as run_hiring_check() keyword arguments."""
        d = self.cleaned_data
        return {
            "company": d["company"],
            "mission": d.get("mission"),
            "client": d.get("client"),
            "countries": [c.code for c in d["countries"]],
            "services": [s.code for s in d["services"]],
            "armed": d["armed"],
            "personnel_international": d["personnel_international"],
            "personnel_third_country": d["personnel_third_country"],
            "personnel_local": d["personnel_local"],
            "armed_personnel": d["armed_personnel"],
            "start": d["start"],
            "end": d["end"],
        }
