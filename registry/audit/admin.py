import json

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: entries are written by registry.audit and never edited."""

    list_display = [
        "seq",
        "at",
        "actor_label",
        "channel",
        "action",
        "event",
        "object_type",
        "object_id",
        "company_id",
    ]
    list_filter = ["channel", "action", "object_type"]
    search_fields = ["=object_id", "=actor_label", "=request_id", "event"]
    date_hierarchy = "at"
    show_full_result_count = False
    fields = (
        "seq",
        "at",
        "actor",
        "actor_label",
        "channel",
        "request_id",
        "object_type",
        "object_id",
        "company_id",
        "action",
        "event",
        "reason",
        "changes_table",
        "prev_hash",
        "hash",
        "signature",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="changes")
    def changes_table(self, obj):
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td><code>{}</code></td></tr>",
            ((name, json.dumps(value, ensure_ascii=False)) for name, value in obj.changes.items()),
        )
        return format_html("<table>{}</table>", rows) if obj.changes else "—"
