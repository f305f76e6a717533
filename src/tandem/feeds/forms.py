from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tandem.feeds.models import FeedFormat


def _currencies() -> list[tuple[str, str]]:
    return [(code, code) for code in settings.SHOP_CURRENCIES]


class FeedForm(forms.Form):
    """A new feed in the client panel (the company is the admin's own)."""

    name = forms.CharField(
        label=_("For"), max_length=80, required=False, help_text=_("Who reads it, e.g. our ERP.")
    )
    file_format = forms.ChoiceField(label=_("Format"), choices=FeedFormat.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    currency = forms.ChoiceField(label=_("Currency"), choices=_currencies)
