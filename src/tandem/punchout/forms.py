from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.punchout.models import Protocol


class CredentialForm(forms.Form):
    name = forms.CharField(label=_("Procurement system"), max_length=80)
    protocol = forms.ChoiceField(label=_("Protocol"), choices=Protocol.choices)
    identity = forms.CharField(
        label=_("User name or identity"),
        max_length=128,
        help_text=_("OCI: the USERNAME SAP sends. cXML: the From or Sender identity, e.g. AN01000000001."),
    )
    domain = forms.CharField(
        label=_("cXML domain"),
        max_length=40,
        required=False,
        help_text=_("cXML only, e.g. NetworkID or DUNS (NetworkID when empty)."),
    )
    buyer_user_id = forms.TypedChoiceField(label=_("Orders placed as"), coerce=int)
    vendor_number = forms.CharField(label=_("Our supplier number there"), max_length=40, required=False)

    def __init__(self, *args, buyers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer_user_id"].choices = [
            (member.user_id, f"{member.user.full_name or member.user.email} ({member.user.email})")
            for member in buyers
        ]
