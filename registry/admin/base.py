from django.contrib import admin

from registry import access


class AccessAdmin(admin.ModelAdmin):
    """An admin whose rows and write rights come from registry.access, the one place that
    decides who sees what; model permissions (role groups) only say which pages a role gets."""

    access_rows: str | None = None  # name of the registry.access function giving visible rows

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self.access_rows is None or access.viewer(request.user).reads_everything:
            return qs
        visible = getattr(access, self.access_rows)(request.user)
        return qs.filter(pk__in=visible.values("pk"))

    def may_write(self, request, obj) -> bool:
        """Row-level write rule; by default the caller must regulate the record's company."""
        return access.regulates(request.user, obj.company_id)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.may_write(request, obj))
