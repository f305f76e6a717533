"""Is a company's VAT ID valid for intra-EU reverse charge? A replaceable checker.

The default checks the number's checksum offline (python-stdnum). An online VIES checker
can be plugged in with the ``VAT_CHECKER`` setting (a dotted path to a class with
``is_valid(vat_id: str, country: str) -> bool``).
"""

from functools import cache as memoize
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

from tandem.core.countries import EU_COUNTRIES
from tandem.customers.validators import validate_vat_id


class VatChecker(Protocol):
    def is_valid(self, vat_id: str, country: str) -> bool: ...


class ChecksumVatChecker:
    """Offline: the number is well formed for its country and its check digits add up."""

    def is_valid(self, vat_id: str, country: str) -> bool:
        try:
            validate_vat_id(vat_id, country)
        except ValidationError:
            return False
        return True


@memoize
def _checker(path: str) -> VatChecker:
    return import_string(path)()


def reverse_charge_applies(*, vat_id: str, country: str) -> bool:
    """An EU company in another member state than the shop, with a valid VAT ID, buys
    without VAT: the buyer accounts for it (Art. 196 of the VAT Directive)."""
    if country not in EU_COUNTRIES or country == settings.SHOP_COUNTRY or not vat_id:
        return False
    return _checker(settings.VAT_CHECKER).is_valid(vat_id, country)
