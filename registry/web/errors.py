from django.core.exceptions import ValidationError


def add_validation_error(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field where the form has it, else on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
