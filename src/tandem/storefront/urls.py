from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from tandem.storefront import company_views, security_views, views
from tandem.storefront.forms import QueuedPasswordResetForm

app_name = "storefront"

urlpatterns = [
    path("", views.home, name="home"),
    path("c/<slug:slug>/", views.category, name="category"),
    path("search/", views.search, name="search"),
    path("p/<slug:slug>/", views.product, name="product"),
    path("preferences/", views.preferences, name="preferences"),
    path("b2b/", views.b2b_entry, name="b2b"),
    path("favicon.ico", views.favicon, name="favicon"),
    # accounts
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/register/", views.register, name="register"),
    path("accounts/register/<uidb64>/<token>/", views.register_confirm, name="register_confirm"),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="storefront/account/password_reset.html",
            form_class=QueuedPasswordResetForm,
            email_template_name="storefront/email/password_reset.txt",
            subject_template_name="storefront/email/password_reset_subject.txt",
            success_url=reverse_lazy("storefront:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="storefront/account/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="storefront/account/password_reset_confirm.html",
            success_url=reverse_lazy("storefront:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="storefront/account/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("accounts/two-factor/", security_views.two_factor_verify, name="two_factor_verify"),
    path("account/", views.account, name="account"),
    path("account/security/", security_views.security, name="security"),
    path("account/security/two-factor/", security_views.two_factor_setup, name="two_factor_setup"),
    path("account/security/two-factor/off/", security_views.two_factor_disable, name="two_factor_disable"),
    path(
        "account/security/recovery-codes/", security_views.recovery_codes_renew, name="recovery_codes_renew"
    ),
    path(
        "account/security/sign-out-everywhere/",
        security_views.sign_out_everywhere,
        name="sign_out_everywhere",
    ),
    path("account/addresses/", views.addresses, name="addresses"),
    path("account/addresses/new/", views.address_edit, name="address_new"),
    path("account/addresses/<int:address_id>/", views.address_edit, name="address_edit"),
    path("account/addresses/<int:address_id>/delete/", views.address_delete, name="address_delete"),
    path("account/company/", views.company_account, name="company"),
    path("account/company/users/invite/", views.company_user_invite, name="company_user_invite"),
    path("account/company/users/<int:member_id>/", views.company_user_edit, name="company_user_edit"),
    path(
        "account/company/invitations/<int:invitation_id>/revoke/",
        company_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("account/company/pickup-persons/new/", company_views.pickup_person_edit, name="pickup_person_new"),
    path(
        "account/company/pickup-persons/<int:person_id>/",
        company_views.pickup_person_edit,
        name="pickup_person_edit",
    ),
    path(
        "account/company/pickup-persons/<int:person_id>/delete/",
        company_views.pickup_person_delete,
        name="pickup_person_delete",
    ),
    path("account/company/approval-rules/", company_views.approval_rule_add, name="approval_rule_add"),
    path("account/company/two-factor/", company_views.two_factor_rule, name="company_two_factor"),
    path("account/company/api-keys/", company_views.api_key_create, name="company_api_key_create"),
    path(
        "account/company/api-keys/<int:key_id>/rotate/",
        company_views.api_key_rotate,
        name="company_api_key_rotate",
    ),
    path(
        "account/company/api-keys/<int:key_id>/revoke/",
        company_views.api_key_revoke,
        name="company_api_key_revoke",
    ),
    path(
        "account/company/approval-rules/<int:rule_id>/delete/",
        company_views.approval_rule_delete,
        name="approval_rule_delete",
    ),
    path("invite/<str:token>/", views.invitation, name="invitation"),
    path("account/terms/", views.terms, name="terms"),
]
