from django.contrib import admin

from tandem.core.admin_mixins import ReadOnlyAdminMixin
from tandem.core.models import AuditEntry, OutboxEvent


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Records the system writes and staff only read: no adding, changing or deleting."""


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log, to read and filter: by action, by who, for which customer, by date."""

    list_display = ["created_at", "action", "actor", "on_behalf_of", "object_type", "object_id", "ip_address"]
    list_filter = [
        "action",
        "object_type",
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("on_behalf_of", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["action", "object_id", "actor__email", "on_behalf_of__name", "ip_address"]
    list_select_related = ["actor", "on_behalf_of"]
    readonly_fields = [
        "created_at",
        "action",
        "actor",
        "on_behalf_of",
        "object_type",
        "object_id",
        "changes",
        "ip_address",
    ]
    date_hierarchy = "created_at"


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnlyAdmin):
    """Domain events, to read: what is still undelivered, how often a subscriber failed and why."""

    list_display = ["created_at", "name", "delivered_at", "attempts"]
    list_filter = ["name", ("delivered_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "last_error"]
    date_hierarchy = "created_at"
    readonly_fields = ["name", "payload", "created_at", "delivered_at", "attempts", "last_error"]
