"""Page-number pagination for small tables, cursor pagination for large ones; sizes are bounded.

The paging parameters are checked like filters: `page_size` is a whole number from 1 (more than
API_MAX_PAGE_SIZE is capped to it), `page` a page number or `last`, `cursor` one the API gave in
a next/previous link; anything else is a 400 naming the parameter. A page past the last is a
404, as before."""

import re

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

from registry.filters import INTEGER_FIELDS, strict_id

_WHOLE = re.compile(r"[1-9][0-9]{0,8}")


class StrictPageSize:
    # Typed as DRF's paginations type them (None: no page_size parameter, no maximum).
    page_size: int | None = settings.API_PAGE_SIZE
    page_size_query_param: str | None = "page_size"
    max_page_size: int | None = settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        param = self.page_size_query_param
        raw = request.query_params.get(param) if param is not None else None
        if param is None or raw is None:
            return self.page_size
        if not _WHOLE.fullmatch(raw.strip()):
            raise ValidationError({param: [f"A whole number from 1 to {self.max_page_size}."]})
        size = int(raw)
        return size if self.max_page_size is None else min(size, self.max_page_size)


class PageNumberPagination(StrictPageSize, pagination.PageNumberPagination):
    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param, 1)
        if raw != 1 and raw not in self.last_page_strings and not _WHOLE.fullmatch(raw):
            raise ValidationError({self.page_query_param: ["A page number (1, 2, …) or last."]})
        return super().get_page_number(request, paginator)


class CursorPagination(StrictPageSize, pagination.CursorPagination):
    """Stable, constant-cost pages over tables with hundreds of thousands of rows."""

    ordering = "-id"
    invalid_cursor = "Invalid cursor; use the next or previous link the API gave."

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor]}) from None
        if cursor is not None and cursor.position is not None:
            self._check_position(cursor.position)
        return cursor

    def _check_position(self, position):
        """The position is compared with the ordering column: it must be a value of its type."""
        name = self.ordering[0].lstrip("-") if self.ordering else None
        try:
            field = self._model._meta.get_field(name)
        except (FieldDoesNotExist, AttributeError, TypeError):
            return
        try:
            if isinstance(field, INTEGER_FIELDS):
                if strict_id(position) is None:
                    raise DjangoValidationError("not an id")
            else:
                field.to_python(position)
        except (DjangoValidationError, ValueError, TypeError):
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor]}) from None
