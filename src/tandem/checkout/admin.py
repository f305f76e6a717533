from django.contrib import admin

from tandem.checkout.models import DeliveryMethod, DeliveryPrice
from tandem.core.admin_translation import TranslatableAdminMixin


class DeliveryPriceInline(admin.TabularInline):
    model = DeliveryPrice
    extra = 1


@admin.register(DeliveryMethod)
class DeliveryMethodAdmin(TranslatableAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "kind", "channel", "position", "is_active"]
    list_filter = ["kind", "channel", "is_active"]
    inlines = [DeliveryPriceInline]
