from decimal import Decimal, InvalidOperation

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from tandem.billing.documents.issuing import Correction, credit_note_issue, invoice_issue, invoice_line_states
from tandem.billing.documents.responses import einvoice_response, invoice_pdf_response
from tandem.billing.errors import InvoiceError
from tandem.billing.models import (
    DocumentKind,
    Invoice,
    InvoiceLine,
    LedgerEntry,
    Payment,
    PaymentCallback,
    PaymentTerms,
)
from tandem.core.admin_translation import TranslatableAdminMixin
from tandem.core.errors import DomainError
from tandem.core.money import parse_decimal
from tandem.customers.admin_scope import CustomerScopedAdmin
from tandem.orders.admin_actions import order_admin_action


@admin.register(PaymentTerms)
class PaymentTermsAdmin(TranslatableAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "net_days"]
    search_fields = ["name", "code"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(CustomerScopedAdmin):
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
class PaymentAdmin(CustomerScopedAdmin):
    company_path = "order__company"

    list_display = ["created_at", "order", "provider", "amount", "currency", "status", "confirmed_at"]
    list_filter = ["provider", "status"]
    search_fields = ["order__number", "reference", "provider_transaction"]
    readonly_fields = [
        "order",
        "provider",
        "reference",
        "amount",
        "currency",
        "status",
        "provider_transaction",
        "created_at",
        "confirmed_at",
    ]
    inlines = [PaymentCallbackInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(PaymentCallback)
class PaymentCallbackAdmin(CustomerScopedAdmin):
    company_path = "payment__order__company"

    list_display = ["received_at", "provider", "event_id", "outcome", "payment"]
    list_filter = ["provider", "outcome"]
    readonly_fields = ["received_at", "provider", "event_id", "outcome", "payment", "payload"]

    def has_add_permission(self, request) -> bool:
        return False


# --- invoices and credit notes (read-only: issued documents are never edited) ----------------


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    fk_name = "invoice"
    extra = 0
    can_delete = False
    fields = [
        "position",
        "sku",
        "name",
        "quantity",
        "unit",
        "unit_net",
        "discount",
        "tax_rate",
        "line_net",
        "before_quantity",
        "before_unit_net",
        "before_line_net",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(CustomerScopedAdmin):
    """Issued invoices and credit notes with their downloads. Finance staff (*add invoice*)
    issue invoices from the order list (action "Issue invoice") and credit notes from an
    invoice's page ("Issue a credit note")."""

    list_display = ["number", "kind", "issue_date", "buyer_name", "total_gross", "currency", "downloads"]
    list_filter = ["kind", "issue_date", "currency", ("company", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["number", "company__name", "company__vat_id", "order__number"]
    list_select_related = ["company"]
    date_hierarchy = "issue_date"
    inlines = [InvoiceLineInline]
    readonly_fields = [field.name for field in Invoice._meta.fields] + ["downloads", "credit_note_link"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "kind",
                    "number",
                    "order",
                    "shipment",
                    "corrects",
                    "company",
                    "user",
                    "downloads",
                    "credit_note_link",
                ]
            },
        ),
        (
            _("Dates and payment"),
            {
                "fields": [
                    "issue_date",
                    "sale_date",
                    "due_date",
                    "payment_method",
                    "payment_terms",
                    "paid_at_issue",
                    "currency",
                    "language",
                ]
            },
        ),
        (_("Parties"), {"fields": ["seller", "buyer", "reverse_charge"]}),
        (
            _("Totals"),
            {
                "fields": [
                    "total_net",
                    "total_tax",
                    "total_gross",
                    "tax_summary",
                    "reason",
                    "created_by",
                    "created_at",
                ]
            },
        ),
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("buyer"))
    def buyer_name(self, invoice: Invoice) -> str:
        return invoice.company.name if invoice.company_id else invoice.buyer.get("name", "")

    @admin.display(description=_("downloads"))
    def downloads(self, invoice: Invoice) -> str:
        links = [("pdf", "PDF"), ("ubl", "UBL")]
        if (invoice.seller or {}).get("country") == "PL":
            links.append(("fa3", "FA(3)"))
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:billing_invoice_download", args=[invoice.pk, key]), label)
                for key, label in links
            ),
        )

    @admin.display(description=_("correction"))
    def credit_note_link(self, invoice: Invoice) -> str:
        if invoice.is_credit_note:
            return "—"
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:billing_invoice_credit_note", args=[invoice.pk]),
            gettext("Issue a credit note"),
        )

    def get_urls(self):
        return [
            path(
                "<int:invoice_id>/download/<str:file_format>/",
                self.admin_site.admin_view(self.download_view),
                name="billing_invoice_download",
            ),
            path(
                "<int:invoice_id>/credit-note/",
                self.admin_site.admin_view(self.credit_note_view),
                name="billing_invoice_credit_note",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, invoice_id: int, file_format: str):
        invoice = (
            self.get_queryset(request)
            .select_related("order", "corrects", "shipment")
            .filter(pk=invoice_id)
            .first()
        )
        if invoice is None or file_format not in ("pdf", "ubl", "fa3"):
            raise Http404
        if not self.has_view_permission(request, invoice):
            raise PermissionDenied
        if file_format == "pdf":
            return invoice_pdf_response(invoice)
        try:
            return einvoice_response(invoice, file_format)
        except DomainError as error:
            raise Http404(str(error.message)) from error

    def credit_note_view(self, request, invoice_id: int):
        """A form with each line's new quantity and unit price and the reason; the service
        decides, and its refusals are shown next to their lines."""
        invoice = Invoice.objects.filter(pk=invoice_id, kind=DocumentKind.INVOICE).first()
        if invoice is None:
            raise Http404
        if not request.user.has_perm("billing.add_invoice"):
            raise PermissionDenied
        states = invoice_line_states(invoice)
        values = request.POST if request.method == "POST" else {}
        line_errors: dict[int, str] = {}
        error = ""
        if request.method == "POST":
            corrections = []
            for line_id in states:
                quantity, unit_net = (
                    values.get(f"quantity_{line_id}", "").strip(),
                    values.get(f"unit_net_{line_id}", "").strip(),
                )
                try:
                    correction = Correction(line_id, quantity=_decimal(quantity), unit_net=_decimal(unit_net))
                except (InvalidOperation, ValueError):
                    line_errors[line_id] = gettext("Enter a number.")
                    continue
                if correction.quantity is not None or correction.unit_net is not None:
                    corrections.append(correction)
            if not line_errors:
                try:
                    note = credit_note_issue(
                        invoice=invoice,
                        corrections=corrections,
                        actor=request.user,
                        reason=values.get("reason", ""),
                    )
                except InvoiceError as refusal:
                    error = str(refusal.message)
                    line_errors = {
                        problem["line"]: problem["message"] for problem in refusal.lines if "line" in problem
                    }
                    error = " ".join(
                        [error] + [problem["message"] for problem in refusal.lines if "line" not in problem]
                    )
                else:
                    self.message_user(
                        request, gettext("Credit note %(number)s issued.") % {"number": note.number}
                    )
                    return HttpResponseRedirect(reverse("admin:billing_invoice_change", args=[note.pk]))
            else:
                error = gettext("The correction cannot be issued: see each line.")
        rows = [
            {
                "state": state,
                "quantity": values.get(f"quantity_{line_id}", ""),
                "unit_net": values.get(f"unit_net_{line_id}", ""),
                "error": line_errors.get(line_id, ""),
            }
            for line_id, state in states.items()
        ]
        return TemplateResponse(
            request,
            "admin/billing/invoice/credit_note.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "invoice": invoice,
                "rows": rows,
                "reason": values.get("reason", ""),
                "error": error,
                "title": gettext("Issue a credit note to %(number)s") % {"number": invoice.number},
            },
            status=400 if error else 200,
        )


def _decimal(text: str) -> Decimal | None:
    if not text:
        return None
    value = parse_decimal(text)
    if value is None or value < 0 or value >= 10**10:
        raise ValueError(text)
    return value


@order_admin_action
@admin.action(description=_("Issue invoice (finance)"), permissions=["view"])
def issue_invoices(modeladmin, request, queryset):
    """Invoice what is not invoiced yet of each chosen order (finance staff only)."""
    if not request.user.has_perm("billing.add_invoice"):
        modeladmin.message_user(
            request, gettext("Only finance staff can issue invoices."), level=messages.ERROR
        )
        return
    issued, refused = [], []
    for order in queryset:
        try:
            issued.append(invoice_issue(order=order, actor=request.user).number)
        except DomainError as error:
            refused.append(f"{order.number}: {error.message}")
    if issued:
        modeladmin.message_user(
            request,
            ngettext("Invoice issued: %(numbers)s.", "Invoices issued: %(numbers)s.", len(issued))
            % {"numbers": ", ".join(issued)},
        )
    for message in refused:
        modeladmin.message_user(request, message, level=messages.ERROR)


from tandem.billing.receivables import admin as receivables_admin  # noqa: E402, F401 - the finance pages register themselves
