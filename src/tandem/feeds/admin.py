from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tandem.customers.admin_scope import CustomerScopedAdmin
from tandem.customers.models import CustomerGroup
from tandem.feeds import selectors, services
from tandem.feeds.models import Feed


class FeedAdminForm(forms.ModelForm):
    class Meta:
        model = Feed
        fields = ["company", "customer_group", "name", "file_format", "language", "currency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].required = False
        self.fields["currency"].help_text = _("Empty: the company's currency.")

    def clean(self):
        data = super().clean()
        if bool(data.get("company")) == bool(data.get("customer_group")):
            raise forms.ValidationError(_("Choose a company or a customer group (one of them)."))
        return data


@admin.register(Feed)
class FeedAdmin(CustomerScopedAdmin):
    """Feeds are turned on here for a customer (or a customer group); the URL with its token
    is shown once, right after saving or rotating. Who may: staff who may change the company,
    for the companies they work with (a rep: their own customers)."""

    form = FeedAdminForm
    list_display = [
        "__str__",
        "name",
        "file_format",
        "language",
        "currency",
        "is_active",
        "stale",
        "generated_at",
        "rows_count",
        "last_fetched_at",
        "fetch_count",
    ]
    list_filter = ["is_active", "file_format", "stale"]
    search_fields = ["company__name", "name", "token_hint"]
    list_select_related = ["company", "customer_group"]
    actions = ["rotate", "revoke"]
    readonly_fields = [
        "company",
        "customer_group",
        "name",
        "file_format",
        "language",
        "currency",
        "token_hint",
        "is_active",
        "created_by",
        "created_at",
        "revoked_at",
        "generated_at",
        "modified_at",
        "etag",
        "rows_count",
        "stale",
        "changed_at",
        "last_error",
        "last_fetched_at",
        "fetch_count",
    ]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else FeedAdminForm.Meta.fields

    def get_queryset(self, request):
        managed = selectors.feeds_managed_by(request.user).values("pk")
        return admin.ModelAdmin.get_queryset(self, request).filter(pk__in=managed)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is CustomerGroup:
            kwargs["queryset"] = selectors.groups_for_feeds(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return selectors.manages_company_feeds(request.user)

    def has_view_permission(self, request, obj=None):
        return selectors.manages_company_feeds(request.user)

    def has_add_permission(self, request):
        return selectors.manages_company_feeds(request.user)

    def has_change_permission(self, request, obj=None):
        return selectors.manages_company_feeds(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the audit log keeps who did what

    def _tell_url(self, request, feed: Feed, token: str) -> None:
        url = request.build_absolute_uri(reverse("feeds:download", kwargs={"token": token}))
        messages.warning(
            request,
            _("The address of feed %(feed)s — copy it now, it will not be shown again: %(url)s")
            % {"feed": feed.pk, "url": url},
        )

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing of a feed is edited; rotate or revoke it
        data = form.cleaned_data
        feed, token = services.feed_create(
            actor=request.user,
            company=data.get("company"),
            customer_group=data.get("customer_group"),
            file_format=data["file_format"],
            language=data["language"],
            currency=data.get("currency") or None,
            name=data.get("name") or "",
        )
        obj.pk, obj.currency, obj.token_hash, obj.token_hint = (
            feed.pk,
            feed.currency,
            feed.token_hash,
            feed.token_hint,
        )
        obj._state.adding = False
        self._tell_url(request, feed, token)

    @admin.action(description=_("New address (the old one stops working)"))
    def rotate(self, request, queryset):
        for feed in queryset.filter(is_active=True):
            self._tell_url(request, feed, services.feed_rotate(feed=feed, actor=request.user))

    @admin.action(description=_("Revoke (the address stops working)"))
    def revoke(self, request, queryset):
        for feed in queryset.filter(is_active=True):
            services.feed_revoke(feed=feed, actor=request.user)
        messages.success(request, _("The feeds are revoked."))
