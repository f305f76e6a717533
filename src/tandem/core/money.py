"""Money: Decimal amounts rounded to the currency's minor unit. Never float."""

import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format

# ISO 4217 minor units of the currencies the shop can sell in.
MINOR_UNITS: dict[str, int] = {
    "PLN": 2,
    "EUR": 2,
    "BGN": 2,
    "USD": 2,
    "GBP": 2,
    "CZK": 2,
    "RON": 2,
    "HUF": 2,
    "CHF": 2,
    "SEK": 2,
    "DKK": 2,
    "NOK": 2,
    "JPY": 0,
}
CURRENCY_CHOICES = [(code, code) for code in sorted(MINOR_UNITS)]


@functools.cache
def quantum(currency: str) -> Decimal:
    """The smallest amount of ``currency`` (0.01 for PLN, 1 for JPY)."""
    return Decimal(1).scaleb(-MINOR_UNITS.get(currency, 2))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round half-up to the currency's minor unit."""
    return Decimal(amount).quantize(quantum(currency), rounding=ROUND_HALF_UP)


def gross_from_net(net: Decimal, rate: Decimal, currency: str) -> Decimal:
    """Gross amount for a net amount at a VAT ``rate`` given in percent."""
    return round_money(net * (Decimal(100) + rate) / Decimal(100), currency)


def net_from_gross(gross: Decimal, rate: Decimal, currency: str) -> Decimal:
    """Net amount contained in a gross amount at a VAT ``rate`` given in percent."""
    return round_money(gross * Decimal(100) / (Decimal(100) + rate), currency)


def format_amount(amount: Decimal, currency: str = "") -> str:
    """``amount`` grouped and with the currency's decimals as the active language writes
    them (1 234,50 in Polish), without the currency code."""
    return number_format(amount, MINOR_UNITS.get(currency, 2), use_l10n=True, force_grouping=True)


def format_money(amount: Decimal, currency: str = "") -> str:
    """``amount`` with its currency (1 234,50 PLN in Polish): pages, e-mails and documents
    all show money this way."""
    return f"{format_amount(amount, currency)} {currency}".strip()


def parse_decimal(value: object) -> Decimal | None:
    """A number as people type it — "1 234,50", "1234.5", with spaces or a decimal comma —
    or None when it is not a finite number. Callers decide the range and say what is wrong."""
    text = str(value if value is not None else "").strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
