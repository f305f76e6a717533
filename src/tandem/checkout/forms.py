import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.checkout.services import delivery_date_problem
from tandem.core.countries import COUNTRY_CHOICES
from tandem.orders.models import PaymentMethod, RecurringOrder


class CheckoutForm(forms.Form):
    """The checkout page's fields; which ones show depends on the channel (see the view)."""

    email = forms.EmailField(label=_("E-mail"), help_text=_("We send the order confirmation here."))
    delivery_method = forms.ChoiceField(label=_("Delivery"), widget=forms.RadioSelect)
    address_id = forms.TypedChoiceField(
        label=_("Delivery address"), coerce=int, required=False, empty_value=None
    )
    recipient = forms.CharField(label=_("Recipient"), max_length=150, required=False)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRY_CHOICES, initial="PL", required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    payment_method = forms.ChoiceField(label=_("Payment"), widget=forms.RadioSelect)
    po_number = forms.CharField(label=_("Your PO number"), max_length=60, required=False)
    requested_delivery_date = forms.DateField(
        label=_("Requested delivery date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    repeat_every = forms.IntegerField(
        label=_("Repeat this order every"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("Leave empty for a one-off order."),
    )
    repeat_unit = forms.ChoiceField(
        label=_("Repeat unit"),
        choices=RecurringOrder.Unit.choices,
        initial=RecurringOrder.Unit.MONTH,
        required=False,
    )
    submission = forms.CharField(widget=forms.HiddenInput, max_length=40)
    expected_total = forms.DecimalField(
        widget=forms.HiddenInput, required=False, max_digits=16, decimal_places=2
    )

    def __init__(
        self, *args, delivery_choices, payment_choices, address_choices, is_b2b, email_locked=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        # A signed-in customer's orders (and coupon limits) go by their account's e-mail.
        self.fields["email"].disabled = email_locked
        self.is_b2b = is_b2b
        self.fields["delivery_method"].choices = delivery_choices
        self.fields["payment_method"].choices = [
            (code, label) for code, label in PaymentMethod.choices if code in payment_choices
        ]
        new_address = [] if is_b2b else [("", _("A new address (below)"))]
        self.fields["address_id"].choices = new_address + address_choices
        if delivery_choices:
            self.fields["delivery_method"].initial = delivery_choices[0][0]
        if payment_choices:
            self.fields["payment_method"].initial = payment_choices[0]
        self.fields["submission"].initial = uuid.uuid4().hex
        if address_choices:  # the customer's (or company's) first saved address, chosen already
            self.fields["address_id"].initial = address_choices[0][0]
        if is_b2b:
            for name in ("email", "recipient", "street", "postal_code", "city", "country", "phone"):
                del self.fields[name]
        else:
            del self.fields["po_number"]
            del self.fields["requested_delivery_date"]
        if not email_locked:  # a guest has no account to keep a recurring order in
            del self.fields["repeat_every"]
            del self.fields["repeat_unit"]

    def clean_requested_delivery_date(self):
        value = self.cleaned_data.get("requested_delivery_date")
        problem = delivery_date_problem(value)
        if problem is not None:
            raise forms.ValidationError(problem[1], code=problem[0])
        return value
