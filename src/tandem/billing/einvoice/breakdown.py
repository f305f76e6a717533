"""What both e-invoice formats read off a document: its VAT breakdown, the parties'
addresses and VAT numbers, and numbers written the way XML schemas want them."""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tandem.billing.models import Invoice, InvoiceLine

CENT = Decimal("0.01")
# Greece's VAT numbers carry EL, not its ISO country code
VAT_PREFIX = {"GR": "EL"}
_POSTAL_CITY = re.compile(r"^(?P<postal>\S*\d\S*)\s+(?P<city>\S.*)$")


class VatCategory:
    """UNCL 5305 VAT category codes used by Tandem's documents."""

    STANDARD = "S"
    ZERO_RATED = "Z"
    INTRA_COMMUNITY = "K"


@dataclass(frozen=True, slots=True)
class VatGroup:
    category: str
    rate: Decimal
    net: Decimal
    tax: Decimal


def money(amount: Decimal) -> str:
    """An amount with exactly two decimals, half-up."""
    return str(Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP))


def plain(number: Decimal) -> str:
    """A decimal without trailing zeros or an exponent: 3.000 → 3, 12.50 → 12.5."""
    text = format(Decimal(number).normalize(), "f")
    return text if text != "-0" else "0"


def unit_price(amount: Decimal) -> str:
    """A unit price: two decimals, or up to four when the price has them."""
    amount = Decimal(amount)
    return money(amount) if amount == amount.quantize(CENT) else plain(amount)


def rate_key(rate: Decimal) -> Decimal:
    """23, 23.0 and 23.00 are one rate."""
    return Decimal(rate).normalize() + 0


def vat_category(invoice: Invoice, rate: Decimal) -> str:
    """Reverse charge in Tandem is an intra-EU supply of goods to a company (category K);
    another 0 % line is zero rated."""
    if invoice.reverse_charge:
        return VatCategory.INTRA_COMMUNITY
    return VatCategory.STANDARD if rate_key(rate) > 0 else VatCategory.ZERO_RATED


def vat_breakdown(invoice: Invoice, lines: list[InvoiceLine]) -> list[VatGroup]:
    """VAT per (category, rate) on the sum of line nets, rounded half-up: the same
    figures as the document's ``tax_summary`` (``pricing.totals.document_totals``)."""
    nets: dict[tuple[str, Decimal], Decimal] = {}
    for line in lines:
        key = (vat_category(invoice, line.tax_rate), rate_key(line.tax_rate))
        nets[key] = nets.get(key, Decimal(0)) + line.line_net
    return [
        VatGroup(
            category,
            rate,
            net.quantize(CENT, rounding=ROUND_HALF_UP),
            (net * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP),
        )
        for (category, rate), net in sorted(nets.items(), key=lambda item: (-item[0][1], item[0][0]))
    ]


@dataclass(frozen=True, slots=True)
class PostalAddress:
    street: str
    postal_code: str
    city: str
    other: str
    country: str


def postal_address(party: dict) -> PostalAddress:
    """The snapshot's address lines as street, postal code and city (the first line that
    starts with a code containing a digit), and whatever else remains."""
    lines = [line.strip() for line in party.get("address_lines") or [] if line and line.strip()]
    street, postal_code, city, rest = (lines[0] if lines else ""), "", "", []
    for line in lines[1:]:
        match = _POSTAL_CITY.match(line)
        if match and not postal_code:
            postal_code, city = match["postal"], match["city"]
        else:
            rest.append(line)
    return PostalAddress(street, postal_code, city, ", ".join(rest), (party.get("country") or "").upper())


def vat_number(party: dict) -> str:
    """The party's VAT ID with its country prefix (EN 16931 BR-CO-9), or ""."""
    vat_id = re.sub(r"[\s.\-]", "", party.get("vat_id") or "").upper()
    if not vat_id:
        return ""
    if vat_id[:2].isalpha():
        return vat_id
    country = (party.get("country") or "").upper()
    return VAT_PREFIX.get(country, country) + vat_id


def bank_account(party: dict) -> str:
    """The account number without spaces (an IBAN as machines read it)."""
    return re.sub(r"\s", "", party.get("bank_account") or "").upper()
