"""Checks of identifiers that customers type in: VAT IDs (python-stdnum checksums)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError

from tandem.core.countries import EU_COUNTRIES


def vat_id_normalise(value: str) -> str:
    """Upper case, without spaces, dots and dashes: ``pl 526-000-12-46`` → ``PL5260001246``."""
    return "".join(ch for ch in value.upper() if ch.isalnum())


def validate_vat_id(value: str, country: str) -> str:
    """Return the normalised VAT ID or raise ValidationError saying what is wrong.

    EU numbers must carry the country prefix of the company's country and pass the
    member state's checksum; other countries are checked when python-stdnum knows them.
    """
    number = vat_id_normalise(value)
    if not number:
        raise ValidationError(_("Enter a VAT ID."), code="vat_id_missing")
    if country in EU_COUNTRIES:
        prefix = "EL" if country == "GR" else country
        if number.isdigit():
            number = prefix + number
        if not number.startswith(prefix):
            raise ValidationError(
                _("A VAT ID of a company in %(country)s must start with %(prefix)s.")
                % {"country": country, "prefix": prefix},
                code="vat_id_country",
            )
        return _checked(eu_vat, number)
    module = get_cc_module(country.lower(), "vat")
    return _checked(module, number) if module is not None else number


def _checked(module, number: str) -> str:
    """``module.validate(number)`` with python-stdnum's reason as a field error."""
    try:
        return module.validate(number)
    except StdnumError as error:
        raise ValidationError(
            _("%(number)s is not a valid VAT ID: %(reason)s") % {"number": number, "reason": error.message},
            code="vat_id_invalid",
        ) from error
