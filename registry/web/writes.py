"""Pages write through registry.services.records; refusals and late validation errors become a
403 with the rule's message or errors on the form."""

from django.core.exceptions import PermissionDenied, ValidationError

from registry.errors import WriteRefused
from registry.services import records

from .errors import add_validation_error


def save_form(request, form):
    """The saved record, or None with the errors on `form`."""
    try:
        return records.save_form(form, actor=request.user)
    except WriteRefused as exc:
        raise PermissionDenied(str(exc)) from None
    except ValidationError as exc:
        add_validation_error(form, exc)
        return None
