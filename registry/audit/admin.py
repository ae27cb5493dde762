import json
from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from .models import AuditEntry

# Type checkers see ModelAdmin[AuditEntry]; at run time ModelAdmin takes no type argument.
if TYPE_CHECKING:
    _AuditEntryAdminBase = admin.ModelAdmin[AuditEntry]
else:
    _AuditEntryAdminBase = admin.ModelAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(_AuditEntryAdminBase):
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    @admin.display(description="changes")
    def changes_table(self, obj: AuditEntry) -> str:
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td><code>{}</code></td></tr>",
            ((name, json.dumps(value, ensure_ascii=False)) for name, value in obj.changes.items()),
        )
        return format_html("<table>{}</table>", rows) if obj.changes else "—"
