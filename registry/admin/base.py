from django.contrib import admin
from django.core.exceptions import PermissionDenied

from registry import access
from registry.errors import WriteRefused
from registry.services import records


def _without(fields, hidden):
    """`fields` (names or tuples of names on one line) less the hidden names."""
    out = []
    for f in fields:
        if isinstance(f, list | tuple):
            kept = [x for x in f if x not in hidden]
            if kept:
                out.append(type(f)(kept))
        elif f not in hidden:
            out.append(f)
    return out


def _is_hidden(lookup, hidden) -> bool:
    name = lookup if isinstance(lookup, str) else getattr(lookup, "__name__", "")
    return name.lstrip("^=@").split("__")[0] in hidden


class AccessAdmin(admin.ModelAdmin):
    """An admin whose rows, fields and write rights come from registry.access, the one place
    that decides who sees what; model permissions (role groups) only say which pages a role
    gets."""

    access_rows: str | None = None  # name of the registry.access function giving visible rows

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self.access_rows is None or access.viewer(request.user).reads_everything:
            return qs
        visible = getattr(access, self.access_rows)(request.user)
        return qs.filter(pk__in=visible.values("pk"))

    def hidden_fields(self, request, obj=None) -> frozenset[str]:
        return access.hidden_fields(request.user, self.model, obj)

    def get_fields(self, request, obj=None):
        return _without(super().get_fields(request, obj), self.hidden_fields(request, obj))

    def get_fieldsets(self, request, obj=None):
        hidden = self.hidden_fields(request, obj)
        return [
            (name, {**options, "fields": _without(options["fields"], hidden)})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def get_list_display(self, request):
        hidden = self.hidden_fields(request)
        return [f for f in super().get_list_display(request) if not _is_hidden(f, hidden)]

    def get_list_filter(self, request):
        hidden = self.hidden_fields(request)
        return [f for f in super().get_list_filter(request) if not _is_hidden(f, hidden)]

    def get_search_fields(self, request):
        # A search over a hidden field would answer yes/no questions about it.
        hidden = self.hidden_fields(request)
        return [f for f in super().get_search_fields(request) if not _is_hidden(f, hidden)]

    def may_write(self, request, obj) -> bool:
        """Row-level write rule; by default the caller must regulate the record's company."""
        return access.regulates(request.user, obj.company_id)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.may_write(request, obj))


class ServiceWritesAdmin(AccessAdmin):
    """Every save and delete goes through registry.services.records (write rule, validation,
    audit, compliance re-check); one request's writes re-check compliance once, at the end."""

    def may_write(self, request, obj) -> bool:
        return access.may_write(request.user, self.model, obj, None)

    def changeform_view(self, request, *args, **kwargs):
        return self._through_service(super().changeform_view, request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._through_service(super().delete_view, request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        return self._through_service(super().changelist_view, request, *args, **kwargs)

    def _through_service(self, view, request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        try:
            with records.writes():
                return view(request, *args, **kwargs)
        except WriteRefused as exc:
            raise PermissionDenied(str(exc)) from None

    def save_model(self, request, obj, form, change):
        records.save_form(form, actor=request.user)

    def save_related(self, request, form, formsets, change):
        # The form's many-to-many values were saved with the record (save_form).
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        form_of = {id(f.instance): f for f in formset.forms}
        for obj in formset.save(commit=False):
            inline = form_of.get(id(obj))
            m2m = {
                f.name: inline.cleaned_data[f.name]
                for f in obj._meta.many_to_many
                if inline is not None and f.name in inline.cleaned_data
            }
            records.save(obj, actor=request.user, m2m=m2m)
        for obj in formset.deleted_objects:
            records.delete(obj, actor=request.user)

    def delete_model(self, request, obj):
        records.delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            records.delete(obj, actor=request.user)
