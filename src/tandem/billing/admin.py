from django.contrib import admin

from tandem.billing.models import LedgerEntry, Payment, PaymentCallback, PaymentTerms
from tandem.core.admin_translation import TranslatableAdminMixin


@admin.register(PaymentTerms)
class PaymentTermsAdmin(TranslatableAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "net_days"]
    search_fields = ["name", "code"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    list_display = ["booked_on", "company", "kind", "reference", "debit", "credit", "currency", "due_date"]
    list_filter = ["kind", "currency"]
    search_fields = ["reference", "company__name", "company__vat_id"]
    autocomplete_fields = ["company"]
    date_hierarchy = "booked_on"


class PaymentCallbackInline(admin.TabularInline):
    model = PaymentCallback
    extra = 0
    can_delete = False
    readonly_fields = ["received_at", "event_id", "outcome", "payload"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["created_at", "order", "provider", "amount", "currency", "status", "confirmed_at"]
    list_filter = ["provider", "status"]
    search_fields = ["order__number", "reference", "provider_transaction"]
    readonly_fields = ["order", "provider", "reference", "amount", "currency", "status",
                       "provider_transaction", "created_at", "confirmed_at"]
    inlines = [PaymentCallbackInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(PaymentCallback)
class PaymentCallbackAdmin(admin.ModelAdmin):
    list_display = ["received_at", "provider", "event_id", "outcome", "payment"]
    list_filter = ["provider", "outcome"]
    readonly_fields = ["received_at", "provider", "event_id", "outcome", "payment", "payload"]

    def has_add_permission(self, request) -> bool:
        return False
