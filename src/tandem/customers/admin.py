from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from tandem.core.admin_mixins import ReadOnlyAdminMixin
from tandem.core.admin_translation import TranslatableAdminMixin
from tandem.core.audit import audit_record
from tandem.core.catalog_cache import CatalogCacheAdminMixin
from tandem.core.client_ip import client_ip
from tandem.core.events import event_publish
from tandem.customers.admin_scope import CustomerScopedAdmin
from tandem.customers.api_auth import api_token_active_set, api_token_create, api_token_rotate
from tandem.customers.api_scopes import ALL, SCOPE_CHOICES
from tandem.customers.forms import StaffLoginForm
from tandem.customers.models import (
    Address,
    ApiToken,
    Company,
    CompanyUser,
    Consent,
    CustomerGroup,
    PickupPerson,
    TermsAcceptance,
    TermsVersion,
    User,
)
from tandem.customers.sessions import sign_out_everywhere
from tandem.customers.staff_scope import COMMERCIAL_TERMS, may_change_commercial_terms, sees_all_customers
from tandem.customers.two_factor import two_factor_reset

# The admin's sign-in goes through the same throttle as every other way in.
admin.site.login_form = StaffLoginForm


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class UserAddressInline(admin.StackedInline):
    model = Address
    fk_name = "user"
    extra = 0
    exclude = ["company"]


@admin.register(User)
class UserAdmin(CustomerScopedAdmin, DjangoUserAdmin):
    """Staff and retail customers are seen by those who see every customer; a sales rep sees
    the users of their own customers."""

    company_path = "company_user__company"
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "is_staff",
        "is_active",
        "kind",
        "two_factor_enabled",
        "date_joined",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "two_factor_enabled", "groups", "language"]
    actions = ["two_factor_reset", "sign_out_everywhere"]
    search_fields = ["email", "full_name"]
    inlines = [UserAddressInline]
    list_select_related = ["company_user__company"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "phone", "language"]}),
        (
            _("Staff role and permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
        (_("Sign-in"), {"fields": ["two_factor_enabled"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only a superuser hands out superuser status or permissions outside the roles.
            readonly += ["is_superuser", "user_permissions"]
        return [*readonly, "two_factor_enabled"]

    ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser")

    @staticmethod
    def _access(user: User) -> dict[str, object]:
        """What the user may do: the flags, their roles and their own permissions."""
        return {
            **{name: getattr(user, name) for name in UserAdmin.ACCESS_FIELDS},
            "groups": sorted(user.groups.values_list("name", flat=True)),
            "user_permissions": sorted(
                f"{app}.{code}"
                for app, code in user.user_permissions.values_list("content_type__app_label", "codename")
            ),
        }

    def save_model(self, request, obj, form, change):
        request.access_before = self._access(User.objects.get(pk=obj.pk)) if change else None
        if obj.is_active:  # staff opened it by hand: no longer waiting for the e-mail link
            obj.email_verification_pending = False
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before, after = getattr(request, "access_before", None), self._access(form.instance)
        changed = {
            name: {"before": before[name] if before else None, "after": value}
            for name, value in after.items()
            if before is None and value or before is not None and before[name] != value
        }
        if changed:
            audit_record(
                action="user.access_changed",
                actor_id=request.user.pk,
                target=form.instance,
                changes=changed,
                ip_address=client_ip(request) or None,
            )

    def _targets(self, request, queryset):
        """The chosen users this staff member may secure: staff and superusers only by a
        superuser (a reset would let whoever next signs in set up a new authenticator)."""
        if request.user.is_superuser:
            return list(queryset)
        spared = queryset.filter(is_staff=True) | queryset.filter(is_superuser=True)
        if spared.exists():
            self.message_user(
                request,
                _("Only a superuser does this for staff accounts; they were left out."),
                messages.WARNING,
            )
        return list(queryset.filter(is_staff=False, is_superuser=False))

    @admin.action(
        description=_("Take away the authenticator app (lost phone) and sign out"), permissions=["change"]
    )
    def two_factor_reset(self, request, queryset):
        queryset = self._targets(request, queryset)
        for user in queryset:
            two_factor_reset(user=user, staff=request.user, ip_address=client_ip(request) or None)
        self.message_user(
            request, _("Two-factor sign-in reset for %(count)s users.") % {"count": len(queryset)}
        )

    @admin.action(description=_("Sign out of every session"), permissions=["change"])
    def sign_out_everywhere(self, request, queryset):
        queryset = self._targets(request, queryset)
        for user in queryset:
            sign_out_everywhere(user=user, actor=request.user, ip_address=client_ip(request) or None)
        self.message_user(request, _("Signed out %(count)s users everywhere.") % {"count": len(queryset)})

    @admin.display(description=_("kind"))
    def kind(self, obj: User) -> str:
        if obj.is_staff:
            return str(_("Staff"))
        membership = getattr(obj, "company_user", None)
        if membership is not None:
            return f"{membership.get_role_display()} — {membership.company}"
        return str(_("Retail customer"))


@admin.register(CustomerGroup)
class CustomerGroupAdmin(CatalogCacheAdminMixin, TranslatableAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class CompanyAddressInline(admin.StackedInline):
    model = Address
    fk_name = "company"
    extra = 0
    exclude = ["user"]


class PickupPersonInline(admin.TabularInline):
    model = PickupPerson
    extra = 0


class CompanyUserInline(admin.TabularInline):
    model = CompanyUser
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(CatalogCacheAdminMixin, CustomerScopedAdmin):
    list_display = [
        "name",
        "vat_id",
        "country",
        "customer_group",
        "sales_rep",
        "payment_terms",
        "credit_limit",
        "currency",
        "is_active",
    ]
    list_filter = ["is_active", "country", "customer_group", "is_reseller", "sales_rep"]
    search_fields = ["name", "vat_id", "city", "external_id"]
    list_select_related = ["customer_group", "sales_rep", "payment_terms"]
    autocomplete_fields = ["sales_rep", "customer_group"]
    inlines = [CompanyUserInline, CompanyAddressInline, PickupPersonInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "vat_id",
                    "external_id",
                    "country",
                    "is_active",
                    "is_reseller",
                    "logo",
                    "require_two_factor",
                ]
            },
        ),
        (_("Billing address"), {"fields": ["street", "postal_code", "city", "email", "phone"]}),
        (
            _("Commercial terms"),
            {
                "fields": [
                    "customer_group",
                    "payment_terms",
                    "credit_limit",
                    "currency",
                    "language",
                    "sales_rep",
                ]
            },
        ),
    ]

    company_path = "pk"

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        # the list of every sales rep is not a rep's business: theirs are all their own
        return filters if sees_all_customers(request.user) else [f for f in filters if f != "sales_rep"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not may_change_commercial_terms(request.user):
            readonly += COMMERCIAL_TERMS
        return readonly

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        event_publish(
            "company.changed",
            {"company_id": form.instance.pk, "created": not change, "fields": sorted(form.changed_data)},
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "require_two_factor" in form.changed_data:  # as when the company's admin changes it
            audit_record(
                action="company.two_factor_required"
                if obj.require_two_factor
                else "company.two_factor_optional",
                actor_id=request.user.pk,
                target=obj,
                ip_address=client_ip(request) or None,
            )
        watched = {"credit_limit", "payment_terms", "customer_group", "sales_rep"}
        changed = watched.intersection(form.changed_data)
        if changed:
            audit_record(
                action="company.terms_changed",
                actor_id=request.user.pk,
                target=obj,
                changes={
                    name: {
                        "before": str(form.initial.get(name, "")),
                        "after": str(form.cleaned_data.get(name) or ""),
                    }
                    for name in sorted(changed)
                },
                ip_address=request.META.get("REMOTE_ADDR"),
            )


@admin.register(CompanyUser)
class CompanyUserAdmin(CustomerScopedAdmin):
    list_display = ["user", "company", "role", "spending_limit_per_order", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__email", "user__full_name", "company__name"]
    autocomplete_fields = ["user", "company"]
    list_select_related = ["user", "company"]


@admin.register(PickupPerson)
class PickupPersonAdmin(CustomerScopedAdmin):
    list_display = ["full_name", "company", "document_number", "valid_until"]
    search_fields = ["full_name", "document_number", "company__name"]
    autocomplete_fields = ["company"]


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=SCOPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the key may do; it also never does more than its user may."),
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name", "scopes", "expires_at", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and ALL in (self.instance.scopes or []):
            self.initial["scopes"] = [code for code, _label in SCOPE_CHOICES]


@admin.register(ApiToken)
class ApiTokenAdmin(CustomerScopedAdmin):
    """Tokens are created here; the key is shown once, right after saving."""

    company_path = "user__company_user__company"

    form = ApiTokenForm
    list_display = [
        "name",
        "user",
        "prefix",
        "is_active",
        "scope_list",
        "expires_at",
        "created_at",
        "last_used_at",
    ]
    list_filter = ["is_active"]
    search_fields = ["name", "user__email", "prefix"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
    actions = ["rotate"]

    @admin.display(description=_("scopes"))
    def scope_list(self, token: ApiToken) -> str:
        return ", ".join(token.scopes)

    @admin.action(description=_("Rotate: a new key; the old one works 24 more hours"), permissions=["change"])
    def rotate(self, request, queryset):
        for token in queryset.filter(is_active=True):
            new, key = api_token_rotate(token=token, actor=request.user)
            messages.warning(
                request,
                _("New key for %(name)s — copy it now; it will not be shown again: %(key)s")
                % {"name": new.name, "key": key},
            )

    def save_model(self, request, obj, form, change):
        if change:
            active = obj.is_active
            obj.is_active = form.initial.get("is_active", active)
            super().save_model(request, obj, form, change)
            api_token_active_set(
                token=obj, active=active, actor=request.user, ip_address=client_ip(request) or None
            )
            return
        token, key = api_token_create(
            user=obj.user,
            name=obj.name,
            scopes=form.cleaned_data["scopes"],
            expires_at=obj.expires_at,
            actor=request.user,
            ip_address=client_ip(request) or None,
        )
        obj.pk, obj.prefix, obj.key_hash = token.pk, token.prefix, token.key_hash
        messages.warning(request, _("Copy the key now; it will not be shown again: %(key)s") % {"key": key})

    def delete_model(self, request, obj):
        self.delete_queryset(request, ApiToken.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            audit_record(
                action="api_token.deleted",
                actor_id=request.user.pk,
                target=token,
                changes={"user": token.user.email, "name": token.name, "prefix": token.prefix},
                ip_address=client_ip(request) or None,
            )
        super().delete_queryset(request, queryset)


@admin.register(TermsVersion)
class TermsVersionAdmin(TranslatableAdminMixin, admin.ModelAdmin):
    """Publish a new version by setting its publication time; company users are asked to
    accept it before their next order."""

    list_display = ["version", "title", "published_at"]


@admin.register(TermsAcceptance)
class TermsAcceptanceAdmin(CustomerScopedAdmin):
    list_display = ["accepted_at", "user", "company", "terms", "ip_address"]
    list_filter = ["terms"]
    search_fields = ["user__email", "company__name"]
    readonly_fields = ["terms", "user", "company", "accepted_at", "ip_address"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdminMixin, CustomerScopedAdmin):
    """Consents as given: evidence, so nobody edits or deletes them here."""

    company_path = "user__company_user__company"
    list_display = ["created_at", "user", "kind", "version", "granted", "source", "ip_address"]
    list_filter = ["kind", "granted", "source"]
    search_fields = ["user__email"]
    list_select_related = ["user"]


admin.site.unregister(Group)


@admin.register(Group)
class StaffRoleAdmin(GroupAdmin):
    """Staff roles (groups); every change of a role's permissions is in the audit log."""

    @staticmethod
    def _permissions(group: Group) -> set[str]:
        rows = group.permissions.values_list("content_type__app_label", "codename") if group.pk else []
        return {f"{app}.{codename}" for app, codename in rows}

    def save_model(self, request, obj, form, change):
        request.permissions_before = self._permissions(obj)  # the many-to-many is saved later
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before, after = request.permissions_before, self._permissions(form.instance)
        if before != after:
            audit_record(
                action="role.permissions_changed",
                actor_id=request.user.pk,
                target=form.instance,
                changes={"added": sorted(after - before), "removed": sorted(before - after)},
                ip_address=client_ip(request) or None,
            )
