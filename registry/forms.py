"""Forms shared by the admin and the web pages. Validation lives in the models and services."""

from typing import TypeVar

from django import forms

from registry.choices import LicenceAction
from registry.errors import DomainError
from registry.services.licensing import allowed_actions, transition

_FieldT = TypeVar("_FieldT", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[_FieldT]) -> _FieldT:
    """`form.fields[name]` as the kind of field it is (to set its choices or queryset)."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}")
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """`form.fields[name]` as the model choice field it is (to set its queryset)."""
    return form_field(form, name, forms.ModelChoiceField)


class LicenceTransitionForm(forms.Form):
    action = forms.ChoiceField(choices=())
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    valid_from = forms.DateField(
        required=False, help_text="Renewal only: new start date (defaults to the current one)."
    )
    valid_until = forms.DateField(required=False, help_text="Renewal only: new end date.")

    def __init__(self, *args, licence, **kwargs):
        super().__init__(*args, **kwargs)
        self.licence = licence
        labels = dict(LicenceAction.choices)
        form_field(self, "action", forms.ChoiceField).choices = [
            (a, labels[a]) for a in allowed_actions(licence)
        ]

    def apply(self, actor) -> bool:
        """Run the chosen transition. A domain refusal becomes a form error (nothing changed)."""
        data = self.cleaned_data
        try:
            transition(
                self.licence,
                data["action"],
                actor=actor,
                reason=data["reason"],
                valid_from=data.get("valid_from"),
                valid_until=data.get("valid_until"),
            )
        except DomainError as exc:
            self.add_error(None, str(exc))
            return False
        return True

    def success_message(self) -> str:
        licence = self.licence
        return f"Licence {licence.number} is now {licence.get_state_display().lower()}."

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("action") == LicenceAction.RENEW and not data.get("valid_until"):
            self.add_error("valid_until", "A renewal needs the new end date.")
        return data
