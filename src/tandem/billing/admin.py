from django.contrib import admin

from tandem.billing.models import PaymentTerms
from tandem.core.admin_translation import TranslatableAdminMixin


@admin.register(PaymentTerms)
class PaymentTermsAdmin(TranslatableAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "net_days"]
    search_fields = ["name", "code"]
