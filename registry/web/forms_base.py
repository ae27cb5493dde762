"""Accessible form rendering: errors and help texts are tied to their fields for screen readers."""

from typing import TYPE_CHECKING

from django import forms

# Type checkers see the form the mixin goes into; at run time it is a plain mixin.
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class AccessibleFormMixin(_FormBase):
    """Marks invalid fields with aria-invalid and points aria-describedby at help and errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._describe()

    def full_clean(self):
        super().full_clean()
        self._describe()

    def _describe(self):
        # BaseForm's private _errors (None until the form is cleaned) is not in django-stubs.
        errors = self._errors or {}  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            auto_id = self[name].auto_id
            described = [f"{auto_id}_help"] if field.help_text else []
            if name in errors:
                field.widget.attrs["aria-invalid"] = "true"
                described.append(f"{auto_id}_errors")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
