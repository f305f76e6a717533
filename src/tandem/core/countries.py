"""Countries the shop sells to (ISO 3166-1 alpha-2) and which of them are in the EU."""

from django.utils.translation import gettext_lazy as _

EU_COUNTRIES = frozenset(
    [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    ]
)

COUNTRY_CHOICES = [
    ("AT", _("Austria")), ("BE", _("Belgium")), ("BG", _("Bulgaria")), ("HR", _("Croatia")),
    ("CY", _("Cyprus")), ("CZ", _("Czechia")), ("DK", _("Denmark")), ("EE", _("Estonia")),
    ("FI", _("Finland")), ("FR", _("France")), ("DE", _("Germany")), ("GR", _("Greece")),
    ("HU", _("Hungary")), ("IE", _("Ireland")), ("IT", _("Italy")), ("LV", _("Latvia")),
    ("LT", _("Lithuania")), ("LU", _("Luxembourg")), ("MT", _("Malta")),
    ("NL", _("Netherlands")), ("PL", _("Poland")), ("PT", _("Portugal")), ("RO", _("Romania")),
    ("SK", _("Slovakia")), ("SI", _("Slovenia")), ("ES", _("Spain")), ("SE", _("Sweden")),
    ("NO", _("Norway")), ("CH", _("Switzerland")), ("GB", _("United Kingdom")),
    ("UA", _("Ukraine")), ("RS", _("Serbia")), ("MK", _("North Macedonia")),
    ("TR", _("Türkiye")), ("US", _("United States")),
]
