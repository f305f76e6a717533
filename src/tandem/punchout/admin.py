"""Punchout in the admin, within the staff scope (a rep sees their customers' connections and
logs). A credential's secret is shown once, after saving or rotating."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from tandem.core.client_ip import client_ip
from tandem.customers.admin_scope import CustomerScopedAdmin
from tandem.customers.models import CompanyRole
from tandem.punchout import credentials
from tandem.punchout.models import Protocol, PunchoutCredential, PunchoutOrder, PunchoutSession


class CredentialForm(forms.ModelForm):
    class Meta:
        model = PunchoutCredential
        fields = ["company", "name", "protocol", "domain", "identity", "buyer", "vendor_number", "is_active"]

    def clean(self):
        data = super().clean()
        company, buyer = (
            data.get("company") or self.instance.company_id and self.instance.company,
            data.get("buyer"),
        )
        may_order = buyer is not None and (
            buyer.is_active and buyer.user.is_active and buyer.role != CompanyRole.ACCOUNTANT
        )
        if company and buyer and (buyer.company_id != company.pk or not may_order):
            self.add_error("buyer", _("Choose an active user of the company who may order."))
        if "protocol" in data:
            data["domain"] = "" if data["protocol"] == Protocol.OCI else (data.get("domain") or "NetworkID")
        return data


@admin.register(PunchoutCredential)
class PunchoutCredentialAdmin(CustomerScopedAdmin):
    list_display = ["name", "company", "protocol", "domain", "identity", "buyer", "is_active", "last_used_at"]
    list_filter = ["protocol", "is_active"]
    search_fields = ["name", "identity", "company__name"]
    list_select_related = ["company", "buyer__user"]
    autocomplete_fields = ["company", "buyer"]
    form = CredentialForm
    actions = ["rotate", "deactivate"]

    def get_readonly_fields(self, request, obj=None):
        # who and how a system signs in are fixed once made: a new one is a new connection
        return ["company", "protocol", "domain", "identity"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        credential, secret = credentials.credential_create(
            actor=request.user,
            name=obj.name,
            protocol=obj.protocol,
            identity=obj.identity,
            domain=obj.domain,
            buyer_user_id=obj.buyer.user_id,
            vendor_number=obj.vendor_number,
            company_id=obj.company_id,
            ip_address=client_ip(request) or None,
        )
        obj.pk, obj.secret_hash, obj.created_at = credential.pk, credential.secret_hash, credential.created_at
        messages.warning(
            request, _("Copy the secret now; it will not be shown again: %(secret)s") % {"secret": secret}
        )

    @admin.action(description=_("New secret (the old one stops working)"), permissions=["change"])
    def rotate(self, request, queryset):
        for credential in queryset.filter(is_active=True):
            _credential, secret = credentials.credential_rotate(
                actor=request.user, credential_id=credential.pk, ip_address=client_ip(request) or None
            )
            messages.warning(
                request,
                _("New secret for %(name)s — copy it now; it will not be shown again: %(secret)s")
                % {"name": credential.name, "secret": secret},
            )

    @admin.action(description=_("Switch off"), permissions=["change"])
    def deactivate(self, request, queryset):
        for credential in queryset.filter(is_active=True):
            credentials.credential_deactivate(
                actor=request.user, credential_id=credential.pk, ip_address=client_ip(request) or None
            )


class ReadOnlyLogAdmin(CustomerScopedAdmin):
    company_path = "credential__company"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PunchoutSession)
class PunchoutSessionAdmin(ReadOnlyLogAdmin):
    list_display = [
        "started_at",
        "credential",
        "protocol",
        "status",
        "lines_transferred",
        "transferred_at",
        "remote_address",
    ]
    list_filter = ["protocol", "status"]
    search_fields = ["credential__name", "credential__company__name", "buyer_cookie"]
    list_select_related = ["credential"]
    exclude = ["cart"]


@admin.register(PunchoutOrder)
class PunchoutOrderAdmin(ReadOnlyLogAdmin):
    list_display = ["received_at", "credential", "po_number", "order", "status", "error"]
    list_filter = ["status"]
    search_fields = ["po_number", "payload_id", "credential__company__name", "order__number"]
    list_select_related = ["credential", "order"]
