"""Finance in the admin: received payments (record, allocate), the bank statement import,
ledger adjustments, the receivables ageing, documents issued per month and payments not
allocated in full. Reading needs ``billing.view_receivedpayment`` (a sales rep sees only
their customers); booking needs ``billing.add_receivedpayment``, adjusting the ledger
``billing.add_ledgerentry``."""

import re
from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.billing.models import PaymentAllocation, ReceivedPayment
from tandem.billing.receivables import reports
from tandem.billing.receivables.selectors import (
    AGEING_BUCKETS,
    payments_with_unallocated,
    receivables_ageing,
)
from tandem.billing.receivables.selectors import receivables_companies_for as companies_for
from tandem.billing.receivables.services import (
    AllocationRequest,
    bank_statement_import,
    ledger_adjustment,
    payment_allocate,
    payment_record,
)
from tandem.core.audit import audit_record
from tandem.core.dates import clamped
from tandem.core.errors import DomainError
from tandem.core.money import CURRENCY_CHOICES, parse_decimal, round_money
from tandem.customers.admin_scope import CustomerScopedAdmin
from tandem.customers.models import Company
from tandem.customers.staff_scope import companies_managed_by

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VIEW, BOOK, ADJUST = "billing.view_receivedpayment", "billing.add_receivedpayment", "billing.add_ledgerentry"


def _allocation_requests(text: str) -> list[AllocationRequest]:
    """“FV/2026/000001 100.00” per line (amount after a space, tab or semicolon)."""
    requests = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = re.fullmatch(r"(\S+)[\s;,]+([0-9][0-9 .,]*)", line)
        amount = parse_decimal(match.group(2)) if match else None
        if amount is None:
            raise forms.ValidationError(
                _("Line %(line)s: write the invoice number and the amount, e.g. FV/2026/000001 100.00.")
                % {"line": number}
            )
        requests.append(AllocationRequest(match.group(1), amount))
    return requests


class AllocationsField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4, "cols": 50})

    def clean(self, value):
        return _allocation_requests(super().clean(value) or "")


ALLOCATIONS_HELP = gettext_lazy(
    "One invoice per line: its number and the amount, e.g. “FV/2026/000001 "
    "100.00”. Leave empty to settle the oldest open invoices first."
)


def _company_choice(field: forms.ModelChoiceField, admin_site, user) -> None:
    """Pick one of the companies the user works with by typing its name or VAT ID (the
    company admin's search)."""
    field.queryset = field.queryset.filter(pk__in=companies_managed_by(user).values("pk"))
    field.widget = AutocompleteSelect(ReceivedPayment._meta.get_field("company"), admin_site)
    field.widget.choices = field.choices


class PaymentForm(forms.Form):
    company = forms.ModelChoiceField(Company.objects.filter(is_active=True), label=gettext_lazy("Company"))
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"), max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    currency = forms.ChoiceField(label=gettext_lazy("Currency"), choices=CURRENCY_CHOICES)
    received_on = forms.DateField(label=gettext_lazy("Received on"), initial=timezone.localdate)
    reference = forms.CharField(label=gettext_lazy("Reference"), max_length=200, required=False)
    allocations = AllocationsField(
        label=gettext_lazy("Allocate to"), required=False, help_text=ALLOCATIONS_HELP
    )

    def __init__(self, *args, admin_site, user, **kwargs):
        super().__init__(*args, **kwargs)
        _company_choice(self.fields["company"], admin_site, user)


class AllocateForm(forms.Form):
    allocations = AllocationsField(
        label=gettext_lazy("Allocate to"), required=False, help_text=ALLOCATIONS_HELP
    )


class AdjustmentForm(forms.Form):
    company = forms.ModelChoiceField(Company.objects.all(), label=gettext_lazy("Company"))
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"),
        max_digits=14,
        decimal_places=2,
        help_text=gettext_lazy(
            "Positive: the company owes more (a debit); negative: a credit to the company."
        ),
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255)

    def __init__(self, *args, admin_site, user, **kwargs):
        super().__init__(*args, **kwargs)
        _company_choice(self.fields["company"], admin_site, user)


class BankFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Bank statement (CSV)"))


class PaymentAllocationInline(admin.TabularInline):
    model = PaymentAllocation
    extra = 0
    can_delete = False
    fields = readonly_fields = ["invoice", "amount", "created_at", "created_by"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReceivedPayment)
class ReceivedPaymentAdmin(CustomerScopedAdmin):
    list_display = [
        "received_on",
        "company",
        "amount",
        "currency",
        "source",
        "allocated_amount",
        "unallocated_amount",
        "reference",
    ]
    list_filter = ["source", "currency", "received_on"]
    search_fields = [
        "company__name",
        "company__vat_id",
        "reference",
        "counterparty",
        "allocations__invoice__number",
    ]
    autocomplete_fields = ["company"]
    date_hierarchy = "received_on"
    list_select_related = ["company"]
    readonly_fields = [
        "company",
        "amount",
        "currency",
        "received_on",
        "source",
        "reference",
        "counterparty",
        "online_payment",
        "ledger_entry",
        "note",
        "created_by",
        "created_at",
    ]
    inlines = [PaymentAllocationInline]
    change_list_template = "admin/billing/receivables/change_list.html"
    change_form_template = "admin/billing/receivables/change_form.html"

    def get_queryset(self, request):
        return payments_with_unallocated(super().get_queryset(request))

    @admin.display(description=gettext_lazy("allocated"), ordering="allocated")
    def allocated_amount(self, obj) -> Decimal:
        return round_money(obj.allocated, obj.currency)

    @admin.display(description=gettext_lazy("credit left"), ordering="unallocated")
    def unallocated_amount(self, obj) -> Decimal:
        return round_money(obj.unallocated, obj.currency)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # booked money is corrected by a ledger adjustment, never edited

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:billing_receivables_record"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("record/", view(self.record_view), name="billing_receivables_record"),
            path("<int:payment_id>/allocate/", view(self.allocate_view), name="billing_receivables_allocate"),
            path("import/", view(self.import_view), name="billing_receivables_import"),
            path("adjust/", view(self.adjust_view), name="billing_receivables_adjust"),
            path("ageing/", view(self.ageing_view), name="billing_receivables_ageing"),
            path("documents/", view(self.documents_view), name="billing_receivables_documents"),
            path("unmatched/", view(self.unmatched_view), name="billing_receivables_unmatched"),
            *super().get_urls(),
        ]

    # --- shared --------------------------------------------------------------------------------

    def _page(self, request, template: str, title: str, **context) -> TemplateResponse:
        return TemplateResponse(
            request,
            f"admin/billing/receivables/{template}",
            {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **context},
        )

    @staticmethod
    def _require(request, permission: str) -> None:
        if not request.user.has_perm(permission):
            raise PermissionDenied

    @staticmethod
    def _payment_url(payment: ReceivedPayment) -> str:
        return reverse("admin:billing_receivedpayment_change", args=[payment.pk])

    @staticmethod
    def _xlsx(request, content: bytes, name: str, *, report: str) -> HttpResponse:
        audit_record(
            action="receivables.exported",
            actor_id=request.user.pk,
            target=None,
            changes={"report": report},
            ip_address=request.META.get("REMOTE_ADDR"),
        )
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    # --- booking -------------------------------------------------------------------------------

    def record_view(self, request):
        self._require(request, BOOK)
        form = PaymentForm(request.POST or None, admin_site=self.admin_site, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                payment = payment_record(
                    company=data["company"],
                    amount=data["amount"],
                    currency=data["currency"],
                    received_on=data["received_on"],
                    reference=data["reference"],
                    actor=request.user,
                    allocations=data["allocations"] or None,
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error.message))
            else:
                messages.success(
                    request,
                    _("The payment of %(amount)s %(currency)s is booked.")
                    % {"amount": payment.amount, "currency": payment.currency},
                )
                return HttpResponseRedirect(self._payment_url(payment))
        return self._page(
            request, "form.html", _("Record a payment"), form=form, media=self.media + form.media
        )

    def allocate_view(self, request, payment_id: int):
        self._require(request, BOOK)
        payment = get_object_or_404(self.get_queryset(request), pk=payment_id)
        form = AllocateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                created = payment_allocate(
                    payment=payment, allocations=form.cleaned_data["allocations"], actor=request.user
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("%(count)s allocations made.") % {"count": len(created)})
                return HttpResponseRedirect(self._payment_url(payment))
        title = _("Allocate payment %(amount)s %(currency)s of %(company)s") % {
            "amount": payment.amount,
            "currency": payment.currency,
            "company": payment.company,
        }
        return self._page(
            request, "form.html", title, form=form, payment=payment, media=self.media + form.media
        )

    def adjust_view(self, request):
        self._require(request, ADJUST)
        form = AdjustmentForm(request.POST or None, admin_site=self.admin_site, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                ledger_adjustment(
                    company=data["company"], amount=data["amount"], reason=data["reason"], actor=request.user
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error.message))
            else:
                messages.success(
                    request, _("The ledger of %(company)s is adjusted.") % {"company": data["company"]}
                )
                return HttpResponseRedirect(reverse("admin:billing_ledgerentry_changelist"))
        return self._page(
            request, "form.html", _("Adjust a company's ledger"), form=form, media=self.media + form.media
        )

    def import_view(self, request):
        self._require(request, BOOK)
        form = BankFileForm(request.POST or None, request.FILES or None)
        report, file_error = None, None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD_BYTES:
                file_error = _("The file is larger than 5 MB; split it into smaller files.")
            else:
                try:
                    report = bank_statement_import(
                        file_name=upload.name or "", content=upload.read(), actor=request.user
                    )
                except DomainError as error:
                    file_error = str(error.message)
        return self._page(
            request,
            "import.html",
            _("Bank statement import"),
            form=form,
            report=report,
            file_error=file_error,
        )

    # --- reports -------------------------------------------------------------------------------

    def ageing_view(self, request):
        self._require(request, VIEW)
        ageing = receivables_ageing(companies=companies_for(request.user))
        if request.GET.get("format") == "xlsx":
            return self._xlsx(
                request,
                reports.ageing_xlsx(ageing),
                f"ageing-{ageing.today.isoformat()}.xlsx",
                report="ageing",
            )
        labels = [reports.BUCKET_LABELS[bucket] for bucket in AGEING_BUCKETS]
        return self._page(
            request,
            "ageing.html",
            _("Receivables ageing"),
            ageing=ageing,
            labels=labels,
            rows=[(row, _buckets(row)) for row in ageing.rows],
            totals=[(row, _buckets(row)) for row in ageing.totals],
            charts=reports.ageing_charts(ageing),
        )

    def documents_view(self, request):
        self._require(request, VIEW)
        today = timezone.localdate()
        date_from, date_to = _period(request.GET.get("from", ""), request.GET.get("to", ""), today)
        rows = reports.documents_per_month(
            date_from=date_from, date_to=date_to, companies=companies_for(request.user)
        )
        if request.GET.get("format") == "xlsx":
            name = f"documents-{date_from.isoformat()}-{date_to.isoformat()}.xlsx"
            content = reports.documents_xlsx(rows, date_from=date_from, date_to=date_to)
            return self._xlsx(request, content, name, report="documents")
        return self._page(
            request,
            "documents.html",
            _("Documents issued per month"),
            rows=rows,
            date_from=date_from,
            date_to=date_to,
        )

    def unmatched_view(self, request):
        self._require(request, VIEW)
        payments = (
            self.get_queryset(request)
            .filter(unallocated__gt=0)
            .select_related("company")
            .order_by("received_on", "pk")[:1000]
        )
        return self._page(
            request,
            "unmatched.html",
            _("Payments not allocated in full"),
            payments=payments,
            may_book=request.user.has_perm(BOOK),
        )


def _buckets(row) -> list[Decimal]:
    return [getattr(row, bucket) for bucket in AGEING_BUCKETS]


def _period(start: str, end: str, today: date) -> tuple[date, date]:
    """The period asked for (ISO dates), else the last twelve months; at most ten years."""

    def parse(text: str, default: date) -> date:
        try:
            day = date.fromisoformat(text.strip()[:10]) if text.strip() else default
        except ValueError:
            return default
        return clamped(day)  # no arithmetic near the calendar's ends

    date_to = parse(end, today)
    date_from = parse(start, (date_to.replace(day=1) - timedelta(days=335)).replace(day=1))
    if date_from > date_to:
        date_from, date_to = date_to, date_from
    return max(date_from, date_to - timedelta(days=3660)), date_to
