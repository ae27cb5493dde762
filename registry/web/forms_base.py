"""Accessible form rendering: errors and help texts are tied to their fields for screen readers."""

from django import forms


class AccessibleFormMixin:
    """Marks invalid fields with aria-invalid and points aria-describedby at help and errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._describe()

    def full_clean(self):
        super().full_clean()
        self._describe()

    def _describe(self):
        errors = self._errors or {}
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
