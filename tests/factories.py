"""Test data builders per domain: explicit functions with sensible defaults."""

import itertools
from decimal import Decimal

import pytest

from tandem.billing.models import PaymentTerms
from tandem.catalog.models import Attribute, AttributeOption, Category, Product, Variant, Visibility
from tandem.catalog.services import category_tree_rebuild, product_reindex
from tandem.core.context import Channel, CustomerContext
from tandem.customers.models import Company, CompanyRole, CompanyUser, CustomerGroup, User
from tandem.inventory.models import StockItem, Warehouse
from tandem.inventory.services import stock_rows_open
from tandem.pricing.models import BasePrice, TaxClass, TaxRate

PASSWORD = "correct-horse-battery"
_sequence = itertools.count(1)

# Valid VAT IDs (checksums pass python-stdnum) for test companies.
VAT_IDS = {
    "PL": ["PL5260001246", "PL7740001454", "PL1132191233"],
    "DE": ["DE136695976"],
    "BG": ["BG175074752"],
}


def b2c_context(currency: str = "PLN", language: str = "en") -> CustomerContext:
    return CustomerContext(channel=Channel.B2C, currency=currency, country="PL", language=language)


def b2b_context(company: Company, language: str = "en") -> CustomerContext:
    return CustomerContext(
        channel=Channel.B2B,
        currency=company.currency,
        country=company.country,
        language=language,
        company_id=company.pk,
        customer_group_id=company.customer_group_id,
    )


def standard_tax() -> TaxClass:
    tax_class, created = TaxClass.objects.get_or_create(code="standard", defaults={"name": "Standard"})
    if created:
        TaxRate.objects.create(tax_class=tax_class, country="PL", rate=Decimal("23"))
        TaxRate.objects.create(tax_class=tax_class, country="DE", rate=Decimal("19"))
    return tax_class


def make_category(name: str = "", parent: Category | None = None, **fields) -> Category:
    number = next(_sequence)
    name = name or f"Category {number}"
    category = Category.objects.create(
        name=name, slug=fields.pop("slug", f"category-{number}"), parent=parent, **fields
    )
    category_tree_rebuild()
    category.refresh_from_db()
    return category


def make_product(
    name: str = "",
    *,
    category: Category | None = None,
    gross: str | None = "123.00",
    net: str | None = None,
    currency: str = "PLN",
    stock: int = 10,
    variants: int = 1,
    visibility: str = Visibility.BOTH,
    options: list[AttributeOption] = (),
    translations: dict | None = None,
    **fields,
) -> Product:
    number = next(_sequence)
    category = category or make_category()
    product = Product.objects.create(
        name=name or f"Product {number}",
        slug=fields.pop("slug", f"product-{number}"),
        category=category,
        visibility=visibility,
        translations=translations or {},
        **fields,
    )
    product.options.set(options)
    warehouse, _ = Warehouse.objects.get_or_create(code="MAIN", defaults={"name": "Main", "country": "PL"})
    for index in range(variants):
        variant = Variant.objects.create(
            product=product,
            sku=f"SKU-{number}-{index + 1}",
            name=f"Variant {index + 1}",
            tax_class=standard_tax(),
            sort_order=index,
        )
        if gross is not None:
            BasePrice.objects.create(
                variant=variant, currency=currency, channel=Channel.B2C, amount=Decimal(gross)
            )
        if net is not None:
            BasePrice.objects.create(
                variant=variant, currency=currency, channel=Channel.B2B, amount=Decimal(net)
            )
        stock_rows_open([StockItem(variant=variant, warehouse=warehouse, on_hand=stock)])
    product_reindex(product_id=product.pk)
    product.refresh_from_db()
    return product


def make_option(attribute_code: str, value: str) -> AttributeOption:
    attribute, _ = Attribute.objects.get_or_create(
        code=attribute_code, defaults={"name": attribute_code.title()}
    )
    option, _ = AttributeOption.objects.get_or_create(
        attribute=attribute, slug=value.lower().replace(" ", "-"), defaults={"value": value}
    )
    return option


def make_user(email: str = "", **fields) -> User:
    email = email or f"user{next(_sequence)}@example.com"
    return User.objects.create_user(email, PASSWORD, **fields)


def make_company(
    name: str = "", *, country: str = "PL", group: CustomerGroup | None = None, **fields
) -> Company:
    number = next(_sequence)
    used = set(Company.objects.values_list("vat_id", flat=True))
    vat_id = next(v for v in VAT_IDS[country] if v not in used)
    terms, _ = PaymentTerms.objects.get_or_create(
        code="net-30", defaults={"name": "Net 30 days", "net_days": 30}
    )
    return Company.objects.create(
        name=name or f"Company {number}",
        vat_id=vat_id,
        country=country,
        street="Main 1",
        postal_code="00-001",
        city="Warszawa",
        customer_group=group,
        payment_terms=terms,
        currency=fields.pop("currency", "PLN" if country == "PL" else "EUR"),
        **fields,
    )


def make_company_user(company: Company, role: str = CompanyRole.BUYER, email: str = "", **fields) -> User:
    user = make_user(email, full_name=fields.pop("full_name", "Bob Buyer"))
    CompanyUser.objects.create(user=user, company=company, role=role, **fields)
    return user


@pytest.fixture
def company(db) -> Company:
    return make_company("ACME Test Sp. z o.o.", credit_limit=Decimal("10000"))


@pytest.fixture
def buyer(company) -> User:
    return make_company_user(company, CompanyRole.BUYER, email="buyer@acme.test")


@pytest.fixture
def customer(db) -> User:
    return make_user("anna@shop.test", full_name="Anna Nowak")


@pytest.fixture
def staff_admin(db) -> User:
    return User.objects.create_superuser("admin@shop.test", PASSWORD, full_name="Ada Admin")


# --- selling ---------------------------------------------------------------------------


def make_delivery(
    code: str = "courier",
    *,
    price_net: str = "10.00",
    currency: str = "PLN",
    kind: str = "courier",
    channel: str = "both",
    free_from: str | None = None,
):
    from tandem.checkout.models import DeliveryMethod, DeliveryPrice

    method, _ = DeliveryMethod.objects.get_or_create(
        code=code,
        defaults={"name": code.title(), "kind": kind, "channel": channel, "tax_class": standard_tax()},
    )
    DeliveryPrice.objects.update_or_create(
        method=method,
        currency=currency,
        defaults={"price_net": Decimal(price_net), "free_from": Decimal(free_from) if free_from else None},
    )
    return method


def make_coupon(code: str = "SAVE10", *, kind: str = "percent", value: str = "10", **fields):
    from tandem.pricing.models import Promotion

    return Promotion.objects.create(
        name=fields.pop("name", f"Coupon {code}"),
        code=code,
        kind=kind,
        value=Decimal(value),
        currency=fields.pop("currency", "PLN"),
        channel=fields.pop("channel", "b2c"),
        **fields,
    )


def make_cart(*, user: User | None = None, lines: list[tuple[Variant, int]] = ()):
    from tandem.cart.models import Cart, CartLine

    cart = Cart.objects.create(user=user)
    for variant, quantity in lines:
        CartLine.objects.create(cart=cart, variant=variant, quantity=quantity)
    return cart


def company_address(company: Company):
    from tandem.customers.models import Address, AddressKind

    return Address.objects.create(
        company=company,
        kind=AddressKind.DELIVERY,
        recipient=company.name,
        street="Dock 4",
        postal_code="00-950",
        city="Warszawa",
        country="PL",
    )


def user_context(user: User, language: str = "en") -> CustomerContext:
    from tandem.customers.selectors import customer_context_for

    return customer_context_for(user, language=language)
