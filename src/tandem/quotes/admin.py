from django.contrib import admin

from tandem.quotes.models import Offer, OfferLine, Quote, QuoteEvent, QuoteRequestLine
from tandem.quotes.selectors import quotes_managed_by


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class RequestLineInline(ReadOnlyInline):
    model = QuoteRequestLine
    fields = readonly_fields = ["sku", "name", "quantity", "target_price"]


class OfferInline(ReadOnlyInline):
    model = Offer
    fields = readonly_fields = [
        "revision",
        "status",
        "valid_until",
        "total_net",
        "total_gross",
        "sent_at",
        "created_by",
        "floor_approved_by",
    ]
    show_change_link = True


class EventInline(ReadOnlyInline):
    model = QuoteEvent
    fields = readonly_fields = ["created_at", "kind", "actor", "on_behalf_of", "message"]


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    """Requests and their offers, for reading: offers are built and sent in the rep panel,
    where the floor, the revisions and the notifications are handled."""

    list_display = ["number", "company", "status", "sales_rep", "created_at", "order"]
    list_filter = ["status", "currency"]
    search_fields = ["number", "company__name", "company__vat_id"]
    list_select_related = ["company", "sales_rep", "order"]
    readonly_fields = [
        "number",
        "company",
        "requested_by",
        "created_by",
        "status",
        "currency",
        "language",
        "message",
        "order",
        "created_at",
        "updated_at",
    ]
    fields = [
        "number",
        "company",
        "sales_rep",
        "requested_by",
        "created_by",
        "status",
        "currency",
        "language",
        "message",
        "order",
        "created_at",
        "updated_at",
    ]
    inlines = [RequestLineInline, OfferInline, EventInline]

    def get_queryset(self, request):
        return quotes_managed_by(request.user)  # a rep: their customers' quotes only

    def has_add_permission(self, request) -> bool:
        return False


class OfferLineInline(ReadOnlyInline):
    model = OfferLine
    fields = readonly_fields = ["sku", "name", "quantity", "list_price", "unit_price", "tax_rate", "line_net"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "valid_until", "total_net", "sent_at"]
    list_filter = ["status"]
    search_fields = ["quote__number", "quote__company__name"]
    readonly_fields = [field.name for field in Offer._meta.fields]
    inlines = [OfferLineInline]

    def get_queryset(self, request):
        return Offer.objects.filter(quote__in=quotes_managed_by(request.user))

    def has_add_permission(self, request) -> bool:
        return False
