import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tandem.messaging.delivery import standard_webhooks_secret
from tandem.messaging.events import WebhookEvent
from tandem.messaging.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tandem.messaging.webhooks import (
    webhook_delivery_retry,
    webhook_secret_rotate,
    webhook_test_send,
    webhook_url_refusal,
)


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("http:// or https:// only; receives a POST with a JSON body."),
    )
    events = forms.MultipleChoiceField(
        label=_("events"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(value, label) for value, label in WebhookEvent.choices if value != WebhookEvent.TEST],
        help_text=_("None ticked: every event."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events", "is_active"]

    def clean_url(self) -> str:
        """Refuse a URL whose host is on an address webhooks may not reach (loopback,
        private, link-local …). A host that does not resolve yet is accepted: each delivery
        checks the address again before it connects."""
        url = self.cleaned_data["url"]
        refusal = webhook_url_refusal(url)
        if refusal:
            raise ValidationError(refusal, code="address_refused")
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Integrations told about events; the receiver checks each body's signature with the
    secret shown here (docs/api.md, "Webhooks")."""

    form = WebhookEndpointForm
    list_display = ["name", "url", "is_active", "subscribed", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    readonly_fields = ["secret", "standard_secret", "created_at"]
    actions = ["send_test", "new_secret"]

    @admin.display(description=_("secret for Standard Webhooks libraries"))
    def standard_secret(self, endpoint: WebhookEndpoint) -> str:
        return standard_webhooks_secret(endpoint.secret) if endpoint.secret else ""

    @admin.display(description=_("events"))
    def subscribed(self, endpoint: WebhookEndpoint) -> str:
        return ", ".join(endpoint.events) if endpoint.events else str(_("all"))

    @admin.action(description=_("Send a test event"), permissions=["change"])
    def send_test(self, request, queryset) -> None:
        sent = webhook_test_send(endpoints=queryset)
        self.message_user(
            request,
            ngettext(
                "A test event is on its way to %(count)d endpoint; see its result under webhook deliveries.",
                "A test event is on its way to %(count)d endpoints; "
                "see the results under webhook deliveries.",
                len(sent),
            )
            % {"count": len(sent)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Generate a new signing secret"), permissions=["change"])
    def new_secret(self, request, queryset) -> None:
        for endpoint in queryset:
            webhook_secret_rotate(endpoint=endpoint)
        self.message_user(
            request,
            _(
                "New secrets made; give them to the receivers. "
                "For 24 hours deliveries carry the old one's signature too."
            ),
            messages.WARNING,
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """What was sent where, with the receiver's answer. Read-only: deliveries are a record."""

    list_display = [
        "id",
        "created_at",
        "event",
        "endpoint",
        "status",
        "attempts",
        "response_code",
        "next_attempt_at",
    ]
    list_filter = ["status", "event", "endpoint"]
    list_select_related = ["endpoint"]
    date_hierarchy = "created_at"
    fields = [
        "endpoint",
        "event",
        "status",
        "attempts",
        "response_code",
        "last_error",
        "created_at",
        "delivered_at",
        "next_attempt_at",
        "payload_pretty",
    ]
    readonly_fields = fields
    actions = ["retry"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("messaging.change_webhookdelivery")

    @admin.display(description=_("payload"))
    def payload_pretty(self, delivery: WebhookDelivery) -> str:
        return format_html("<pre>{}</pre>", json.dumps(delivery.payload, ensure_ascii=False, indent=2))

    @admin.action(description=_("Retry now"), permissions=["retry"])
    def retry(self, request, queryset) -> None:
        queued = sum(
            webhook_delivery_retry(delivery=delivery)
            for delivery in queryset.exclude(status=DeliveryStatus.DELIVERED)
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery queued again.",
                "%(count)d deliveries queued again.",
                queued,
            )
            % {"count": queued},
            messages.SUCCESS,
        )
