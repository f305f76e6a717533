from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import ean
from stdnum.exceptions import ValidationError as StdnumError


def validate_gtin(value: str) -> None:
    """EAN-8, UPC-A (12), EAN-13 or GTIN-14 with a correct check digit."""
    if not value:
        return
    try:
        ean.validate(value)
    except StdnumError as error:
        raise ValidationError(
            _("%(value)s is not a valid EAN/GTIN: %(reason)s") % {"value": value, "reason": error.message},
            code="gtin_invalid",
        ) from error
