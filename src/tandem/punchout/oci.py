"""SAP's Open Catalog Interface (OCI 4.0/5.0): the login parameters a catalog call carries and
the ``NEW_ITEM-…`` fields a cart goes back with (one set per line ``n``, counted from 1)."""

from dataclasses import dataclass
from decimal import Decimal

from django.http import QueryDict

DESCRIPTION_LENGTH = 40  # SAP's short text
LONGTEXT_LENGTH = 132  # one line of SAP's long text


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    hook_url: str
    language: str


def login_read(*parameters: QueryDict) -> Login:
    """USERNAME, PASSWORD, HOOK_URL and language from the query or the form, whatever their
    case (SAP systems differ)."""
    found: dict[str, str] = {}
    for values in parameters:
        for name, value in values.items():
            found.setdefault(name.lower(), value)
    return Login(
        username=found.get("username", "").strip(),
        password=found.get("password", ""),
        hook_url=found.get("hook_url", "").strip(),
        language=found.get("language", "").strip().lower()[:8],
    )


@dataclass(frozen=True)
class OciItem:
    sku: str
    description: str
    long_text: str
    quantity: int
    unit: str  # ISO unit code
    unit_price: Decimal  # the company's net price of one unit
    currency: str
    category: str
    gtin: str


def oci_fields(items: list[OciItem], *, vendor: str = "") -> list[tuple[str, str]]:
    """The hidden fields of the form that returns the cart to the HOOK_URL, in order."""
    fields: list[tuple[str, str]] = []
    for n, item in enumerate(items, start=1):
        fields += [
            (f"NEW_ITEM-DESCRIPTION[{n}]", item.description[:DESCRIPTION_LENGTH]),
            (f"NEW_ITEM-QUANTITY[{n}]", str(item.quantity)),
            (f"NEW_ITEM-UNIT[{n}]", item.unit),
            (f"NEW_ITEM-PRICE[{n}]", f"{item.unit_price.quantize(Decimal('0.01'))}"),
            (f"NEW_ITEM-PRICEUNIT[{n}]", "1"),
            (f"NEW_ITEM-CURRENCY[{n}]", item.currency),
            (f"NEW_ITEM-VENDORMAT[{n}]", item.sku),
            (f"NEW_ITEM-MATGROUP[{n}]", item.category),
            (f"NEW_ITEM-VENDOR[{n}]", vendor),
            (f"NEW_ITEM-LEADTIME[{n}]", ""),
            (f"NEW_ITEM-EXT_PRODUCT_ID[{n}]", item.gtin),
            (f"NEW_ITEM-LONGTEXT_{n}:132[]", item.long_text[: LONGTEXT_LENGTH * 20]),
        ]
    return fields
