"""Query parameters of the API refuse control characters (ASVS 5.1.4): a NUL in
?licence_number= broke PostgreSQL with a 500; now it is a 400 naming the parameter, in the
error shape, before any view runs. Pages check theirs in their forms (a form error)."""

from django.http import JsonResponse

from registry.validators import control_character, control_character_message


class QueryParametersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            fields = {}
            for name, values in request.GET.lists():
                for text in (name, *values):
                    char = control_character(text)
                    if char is not None:
                        fields[control_character(name) and "non_field_errors" or name] = [
                            control_character_message(char)
                        ]
                        break
            if fields:
                body = {"status": 400, "code": "invalid", "detail": "Invalid input."}
                return JsonResponse({**body, "fields": fields}, status=400)
        return self.get_response(request)
