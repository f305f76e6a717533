"""Privacy requests in the admin: staff note a person's request and carry it out here."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.client_ip import client_ip
from tandem.core.errors import DomainError
from tandem.customers.admin_scope import CustomerScopedAdmin
from tandem.privacy.models import PrivacyRequest, RequestKind, RequestStatus
from tandem.privacy.services import personal_data_erase, personal_data_export, zip_download


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(CustomerScopedAdmin):
    company_path = "user__company_user__company"
    list_display = ["received_at", "user", "kind", "status", "due_at", "handled_by", "handled_at"]
    list_filter = ["kind", "status"]
    search_fields = ["user__email", "note"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "handled_by"]
    readonly_fields = ["handled_by", "handled_at", "outcome"]
    actions = ["carry_out"]

    @admin.action(description=_("Carry out (a copy downloads; erasure anonymises the account)"))
    def carry_out(self, request, queryset):
        requests = list(queryset.filter(status=RequestStatus.OPEN).select_related("user"))
        if len(requests) != 1:
            self.message_user(request, _("Choose one open request."), messages.WARNING)
            return None
        item = requests[0]
        ip = client_ip(request) or None
        if item.kind == RequestKind.EXPORT:
            archive = personal_data_export(user=item.user, actor=request.user, ip_address=ip)
            self._close(item, request, RequestStatus.DONE, _("Copy produced."))
            return zip_download(archive, f"data-{item.user_id}-{timezone.localdate()}.zip")
        try:
            report = personal_data_erase(user=item.user, actor=request.user, ip_address=ip)
        except DomainError as error:
            self._close(item, request, RequestStatus.REFUSED, str(error.message))
            self.message_user(request, error.message, messages.ERROR)
            return None
        outcome = _("Erased; %(orders)s orders and %(invoices)s invoices kept until %(year)s.") % {
            "orders": report.orders_kept,
            "invoices": report.invoices_kept,
            "year": report.kept_until_year,
        }
        self._close(item, request, RequestStatus.DONE, outcome)
        self.message_user(request, outcome)
        return None

    @staticmethod
    def _close(item: PrivacyRequest, request, status: str, outcome: str) -> None:
        item.status, item.outcome = status, str(outcome)
        item.handled_by, item.handled_at = request.user, timezone.now()
        item.save(update_fields=["status", "outcome", "handled_by", "handled_at"])
