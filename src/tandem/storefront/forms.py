from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tandem.core.client_ip import client_ip
from tandem.core.countries import COUNTRY_CHOICES
from tandem.core.tasks import send_email
from tandem.customers.api_scopes import SCOPES
from tandem.customers.company_keys import COMPANY_SCOPES
from tandem.customers.models import AddressKind, CompanyRole
from tandem.customers.throttle import password_reset_allowed


class RegisterForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    accept_terms = forms.BooleanField(label=_("I accept the terms of sale and the privacy policy"))
    marketing_email = forms.BooleanField(
        label=_("Send me offers and news by e-mail (you can stop them any time on your account)"),
        required=False,
    )


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class AddressForm(forms.Form):
    label = forms.CharField(
        label=_("Label"), max_length=80, required=False, help_text=_("e.g. Home, Warehouse Kraków")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=AddressKind.choices, initial=AddressKind.DELIVERY)
    recipient = forms.CharField(label=_("Recipient"), max_length=150)
    street = forms.CharField(label=_("Street and number"), max_length=200)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20)
    city = forms.CharField(label=_("City"), max_length=100)
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRY_CHOICES, initial="PL")
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    is_default = forms.BooleanField(label=_("Default address"), required=False)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the e-mail sent by the background worker, and requests
    counted per account and address (``customers.throttle``)."""

    def save(self, *args, request=None, **kwargs):
        if request is not None and not password_reset_allowed(
            account=self.cleaned_data["email"], ip=client_ip(request)
        ):
            return  # the same page as when a mail is sent: nobody learns whether it was
        super().save(*args, request=request, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        with translation.override(getattr(context.get("user"), "language", None)):
            # in the language the customer chose for their account, not the page's
            subject = "".join(render_to_string(subject_template_name, context).splitlines())
            body = render_to_string(email_template_name, context)
            html = render_to_string(html_email_template_name, context) if html_email_template_name else None
        send_email.enqueue(subject=subject, body=body, to=[to_email], html=html)


class MemberForm(forms.Form):
    """A company user's role and spending limits, set by the company admin."""

    role = forms.ChoiceField(label=_("Role"), choices=CompanyRole.choices, initial=CompanyRole.BUYER)
    spending_limit_per_order = forms.DecimalField(
        label=_("Spending limit per order"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    spending_limit_per_month = forms.DecimalField(
        label=_("Spending limit per month"), required=False, min_value=0, max_digits=14, decimal_places=2
    )


class InviteForm(MemberForm):
    email = forms.EmailField(label=_("E-mail"))

    field_order = ["email", "role", "spending_limit_per_order", "spending_limit_per_month"]


class MemberEditForm(MemberForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)


class ChoosePasswordForm(forms.Form):
    """The password of a new account, chosen behind the confirmation link."""

    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
        max_length=128,
    )


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128)


class PickupPersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    document_number = forms.CharField(label=_("ID document number"), max_length=40)
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty when the authorisation does not expire."),
    )
    notes = forms.CharField(label=_("Notes"), max_length=255, required=False)


class ApprovalRuleForm(forms.Form):
    min_total = forms.DecimalField(label=_("From (gross)"), min_value=0, max_digits=14, decimal_places=2)
    role = forms.ChoiceField(
        label=_("Decided by"),
        choices=[(CompanyRole.APPROVER, _("an approver")), (CompanyRole.ADMIN, _("the company admin"))],
    )
    category = forms.TypedChoiceField(
        label=_("Only for products in"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("any category (the whole order)")), *categories]


class CompanyKeyForm(forms.Form):
    name = forms.CharField(label=_("For which system"), max_length=80)
    user_id = forms.TypedChoiceField(label=_("Acts as"), coerce=int)
    scopes = forms.MultipleChoiceField(label=_("May"), widget=forms.CheckboxSelectMultiple)
    expires = forms.DateField(
        label=_("Expires"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user_id"].choices = [
            (member.user_id, f"{member.user.full_name or member.user.email} ({member.user.email})")
            for member in members
        ]
        self.fields["scopes"].choices = [(code, f"{code} — {SCOPES[code]}") for code in COMPANY_SCOPES]
