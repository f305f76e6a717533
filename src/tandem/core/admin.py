from django.contrib import admin

from tandem.core.admin_mixins import ReadOnlyAdminMixin
from tandem.core.models import AuditEntry, OutboxEvent


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Records the system writes and staff only read: no adding, changing or deleting."""


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor", "on_behalf_of", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["action", "object_id", "actor__email"]
    date_hierarchy = "created_at"


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnlyAdmin):
    """Domain events, to read: what is still undelivered, how often a subscriber failed and why."""

    list_display = ["created_at", "name", "delivered_at", "attempts"]
    list_filter = ["name", ("delivered_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "last_error"]
    date_hierarchy = "created_at"
    readonly_fields = ["name", "payload", "created_at", "delivered_at", "attempts", "last_error"]
