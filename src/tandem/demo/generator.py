"""Demo and benchmark data: a believable tools-and-hardware business selling to
retail shoppers and to companies in several countries.

``seed_all(products=520, companies=5)`` loads the demo; the same code bulk-loads
100,000 products and 1,000 companies for benchmarks (``tandem seed``).
"""

import io
import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from stdnum.eu import vat as eu_vat

from tandem.billing.models import LedgerEntry, LedgerKind, PaymentTerms
from tandem.cart.models import Cart, CartLine
from tandem.catalog.models import (
    Attribute,
    AttributeOption,
    Category,
    Product,
    ProductImage,
    Variant,
    Visibility,
)
from tandem.catalog.services import category_tree_rebuild, search_text_for
from tandem.checkout.models import DeliveryKind, DeliveryMethod, DeliveryPrice
from tandem.checkout.services import CheckoutDetails, order_place
from tandem.content.demo_content import content_demo_load
from tandem.core.context import Channel
from tandem.customers.models import (
    Address,
    AddressKind,
    Company,
    CompanyRole,
    CompanyUser,
    CustomerGroup,
    PickupPerson,
    TermsAcceptance,
    TermsVersion,
    User,
)
from tandem.customers.roles import staff_roles_sync
from tandem.customers.selectors import customer_context_for
from tandem.demo.texts import ATTRIBUTES, BRANDS, CATALOG, DESCRIPTIONS, PANGRAMS, VARIANTS
from tandem.inventory.models import StockItem, Warehouse
from tandem.inventory.services import stock_rows_open
from tandem.orders.models import ApprovalRule, Order
from tandem.orders.shipments import ShipmentRequest, shipment_create
from tandem.pricing import engine
from tandem.pricing.models import (
    BasePrice,
    PriceList,
    PriceListEntry,
    Promotion,
    PromotionChannel,
    PromotionKind,
    TaxClass,
    TaxRate,
)
from tandem.pricing.selectors import variant_pricing
from tandem.quotes.services import (
    OfferLineInput,
    OfferTerms,
    RequestedLine,
    offer_draft_save,
    offer_send,
    quote_request,
)
from tandem.service.demo_faq import faq_demo_load
from tandem.service.demo_history import demo_history_load

DEMO_PASSWORD = "tandem-demo"
DEMO_LOGINS = [
    ("admin@example.com", "staff admin"),
    ("rep@example.com", "sales rep (ACME, Instal-Serwis)"),
    ("boss@acme.example", "company admin, ACME Narzędzia (PL)"),
    ("buyer@acme.example", "buyer, ACME Narzędzia"),
    ("approver@acme.example", "approver, ACME Narzędzia"),
    ("accountant@acme.example", "accountant, ACME Narzędzia"),
    ("anna@example.com", "retail (B2C) customer"),
]
LANGS = ("pl", "bg", "ru")
EUR_RATE = Decimal("4.30")  # PLN per EUR for the demo's euro list prices
BATCH = 2000


def demo_data_present() -> bool:
    return User.objects.filter(email="admin@example.com").exists()


def _translations(texts: dict[str, str], field: str = "name") -> dict:
    return {lang: {field: texts[lang]} for lang in LANGS if texts.get(lang)}


def _money(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- reference data --------------------------------------------------------------------


def seed_reference() -> dict:
    tax = {}
    for code, name, rates in [
        ("standard", "Standard rate", {"PL": 23, "BG": 20, "DE": 19, "CZ": 21, "SK": 23, "AT": 20, "RO": 19}),
        ("reduced", "Reduced rate", {"PL": 8, "BG": 9, "DE": 7, "CZ": 12, "SK": 19, "AT": 10, "RO": 9}),
        ("zero", "Zero rate", {country: 0 for country in ("PL", "BG", "DE", "CZ", "SK", "AT", "RO")}),
        ("exempt", "Exempt", {country: 0 for country in ("PL", "BG", "DE", "CZ", "SK", "AT", "RO")}),
    ]:
        tax_class, _ = TaxClass.objects.get_or_create(code=code, defaults={"name": name})
        for country, rate in rates.items():
            TaxRate.objects.get_or_create(
                tax_class=tax_class, country=country, defaults={"rate": Decimal(rate)}
            )
        tax[code] = tax_class
    terms = {}
    for code, name, days, tr in [
        ("prepayment", "Prepayment", 0, dict(pl="Przedpłata", bg="Предплащане", ru="Предоплата")),
        ("net-14", "Net 14 days", 14, dict(pl="14 dni", bg="14 дни", ru="14 дней")),
        ("net-30", "Net 30 days", 30, dict(pl="30 dni", bg="30 дни", ru="30 дней")),
        ("net-60", "Net 60 days", 60, dict(pl="60 dni", bg="60 дни", ru="60 дней")),
    ]:
        terms[code], _ = PaymentTerms.objects.get_or_create(
            code=code, defaults={"name": name, "net_days": days, "translations": _translations(tr)}
        )
    groups = {}
    for code, name, tr in [
        ("wholesale", "Wholesale", dict(pl="Hurt", bg="Търговия на едро", ru="Опт")),
        ("installers", "Installers", dict(pl="Instalatorzy", bg="Монтажници", ru="Монтажники")),
        ("distributors", "Distributors", dict(pl="Dystrybutorzy", bg="Дистрибутори", ru="Дистрибьюторы")),
    ]:
        groups[code], _ = CustomerGroup.objects.get_or_create(
            code=code, defaults={"name": name, "translations": _translations(tr)}
        )
    warehouses = []
    for code, name, country, city in [
        ("WAW", "Warsaw central warehouse", "PL", "Warszawa"),
        ("SOF", "Sofia warehouse", "BG", "София"),
        ("BER", "Berlin warehouse", "DE", "Berlin"),
    ]:
        warehouse, _ = Warehouse.objects.get_or_create(
            code=code, defaults={"name": name, "country": country, "city": city}
        )
        warehouses.append(warehouse)
    return {"tax": tax, "terms": terms, "groups": groups, "warehouses": warehouses}


def seed_attributes() -> dict[str, list[AttributeOption]]:
    options: dict[str, list[AttributeOption]] = {}
    for sort, (code, names, unit, values) in enumerate(ATTRIBUTES):
        attribute, _ = Attribute.objects.get_or_create(
            code=code,
            defaults={
                "name": names["en"],
                "unit": unit,
                "sort_order": sort,
                "translations": _translations(names),
            },
        )
        options[code] = []
        for position, (slug, texts) in enumerate(values):
            option, _ = AttributeOption.objects.get_or_create(
                attribute=attribute,
                slug=slug,
                defaults={
                    "value": texts["en"],
                    "sort_order": position,
                    "translations": _translations(texts, "value"),
                },
            )
            options[code].append(option)
    return options


@dataclass
class Leaf:
    category: Category
    type_names: dict[str, str]
    variant_kind: str
    price_range: tuple[int, int]
    top_slug: str
    image: str


def _category_image(slug: str, title: str, colour: tuple[int, int, int]) -> str:
    """A simple 480×360 PNG per category (stored once, shared by its products)."""
    name = f"demo/{slug}.png"
    if default_storage.exists(name):
        return name
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (480, 360), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((24, 24, 456, 336), outline=(255, 255, 255), width=4)
    try:
        font = ImageFont.load_default(size=34)
    except TypeError:  # Pillow without FreeType
        font = ImageFont.load_default()
    draw.text((240, 180), title, fill=(255, 255, 255), font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return default_storage.save(name, ContentFile(buffer.getvalue()))


PALETTE = [
    (15, 118, 110),
    (180, 83, 9),
    (30, 64, 175),
    (190, 18, 60),
    (77, 124, 15),
    (109, 40, 217),
    (2, 132, 199),
    (71, 85, 105),
]


def seed_categories(with_images: bool = True) -> list[Leaf]:
    leaves = []
    for position, (slug, names, children) in enumerate(CATALOG):
        top, _ = Category.objects.get_or_create(
            slug=slug,
            defaults={"name": names["en"], "sort_order": position, "translations": _translations(names)},
        )
        for child_position, (child_slug, child_names, type_names, kind, prices) in enumerate(children):
            child, _ = Category.objects.get_or_create(
                slug=child_slug,
                defaults={
                    "name": child_names["en"],
                    "parent": top,
                    "sort_order": child_position,
                    "translations": _translations(child_names),
                },
            )
            image = (
                _category_image(child_slug, child_names["en"], PALETTE[position % len(PALETTE)])
                if with_images
                else ""
            )
            leaves.append(Leaf(child, type_names, kind, prices, slug, image))
    category_tree_rebuild()
    return leaves


# --- products ------------------------------------------------------------------------------


def _gtin(rng: random.Random) -> str:
    body = "590" + "".join(str(rng.randint(0, 9)) for _ in range(9))
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


MATERIALS_BY_GROUP = {
    "power-tools": ["plastic", "aluminium", "steel"],
    "hand-tools": ["steel", "stainless", "aluminium"],
    "fixings": ["steel", "stainless", "brass", "plastic"],
    "electrical": ["plastic", "aluminium"],
    "workwear-safety": ["textile", "plastic"],
    "garden": ["steel", "aluminium", "plastic"],
    "workshop-storage": ["steel", "aluminium", "plastic"],
    "plumbing": ["brass", "stainless", "plastic"],
}


def _options_for(leaf: Leaf, rng: random.Random, options: dict[str, list[AttributeOption]]):
    materials = {o.slug: o for o in options["material"]}
    fitting = MATERIALS_BY_GROUP.get(leaf.top_slug, list(materials))
    chosen = [
        materials[rng.choice(fitting)],
        rng.choice(options["colour"]),
        rng.choice(options["warranty"]),
        rng.choice(options["usage"]),
    ]
    if leaf.top_slug in ("power-tools",):
        source = rng.choice(options["power-source"][:2])
        chosen.append(source)
        if source.slug == "cordless":
            chosen.append(rng.choice(options["voltage"][:3]))
        else:
            chosen.append(options["voltage"][3])
    elif leaf.category.slug in ("chainsaws", "lawn-mowers"):
        chosen.append(rng.choice(options["power-source"][:3]))
    elif leaf.top_slug in ("hand-tools", "garden"):
        chosen.append(options["power-source"][3])
    return chosen


def seed_products(
    count: int,
    leaves: list[Leaf],
    reference: dict,
    options: dict[str, list[AttributeOption]],
    *,
    seed: int = 7,
    progress=None,
    restricted_company: Company | None = None,
) -> int:
    """Bulk-create ``count`` products with variants, prices, stock and specifications."""
    rng = random.Random(seed)
    tax = reference["tax"]
    warehouses = reference["warehouses"]
    installers = reference["groups"]["installers"]
    start = Product.objects.count()
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        with transaction.atomic():
            products, plans = [], []
            for offset in range(size):
                number = start + made + offset
                leaf = leaves[number % len(leaves)]
                brand = rng.choice(BRANDS)
                model = f"{brand[:2].upper()}-{100 + number}"
                names = {lang: f"{brand} {leaf.type_names[lang]} {model}" for lang in ("en", *LANGS)}
                chosen = _options_for(leaf, rng, options)
                material = next(o for o in chosen if o.attribute.code == "material")
                usage = next(o for o in chosen if o.attribute.code == "usage")
                descriptions = {
                    lang: DESCRIPTIONS[lang].format(
                        name=names[lang],
                        brand=brand,
                        material=material.tr("value", lang),
                        usage=usage.tr("value", lang),
                    )
                    for lang in ("en", *LANGS)
                }
                if leaf.category.slug == "labelling":
                    descriptions = {lang: f"{text}\n{PANGRAMS[lang]}" for lang, text in descriptions.items()}
                roll = rng.random()
                visibility = Visibility.BOTH
                if leaf.variant_kind == "box" and roll < 0.3:
                    visibility = Visibility.B2B
                elif roll > 0.96:
                    visibility = Visibility.B2C
                restricted = visibility != Visibility.B2C and 0.90 < roll <= 0.93
                product = Product(
                    name=names["en"],
                    slug=f"{leaf.category.slug}-{model.lower()}",
                    description=descriptions["en"],
                    brand=brand,
                    category=leaf.category,
                    visibility=visibility,
                    b2b_restricted=restricted,
                    allow_backorder=rng.random() < 0.2,
                    translations={
                        lang: {"name": names[lang], "description": descriptions[lang]} for lang in LANGS
                    },
                )
                products.append(product)
                plans.append((leaf, chosen, rng.uniform(*leaf.price_range)))
            Product.objects.bulk_create(products, batch_size=500)
            variants, images, links, restrictions = [], [], [], []
            for product, (leaf, chosen, base) in zip(products, plans, strict=True):
                reduced = leaf.top_slug == "workwear-safety"
                for position, (vnames, factor, unit, pack) in enumerate(VARIANTS[leaf.variant_kind]):
                    variant = Variant(
                        product=product,
                        sku=f"{product.slug.split('-', 1)[0][:4].upper()}-{product.pk}-{position + 1}",
                        gtin=_gtin(rng) if rng.random() < 0.8 else "",
                        name=vnames.get("en", ""),
                        unit=unit,
                        pack_size=pack,
                        tax_class=(
                            tax["reduced"]
                            if reduced and position == 0 and rng.random() < 0.2
                            else tax["standard"]
                        ),
                        sort_order=position,
                        translations=_translations(vnames) if vnames.get("pl") else {},
                        # gloves go out in packs of six pairs; cable reels at least two
                        quantity_step=6 if leaf.category.slug == "work-gloves" else 1,
                        min_quantity=2 if leaf.category.slug == "cables" else 1,
                    )
                    variant._price = _money(base * factor)  # noqa: SLF001
                    variants.append(variant)
                if leaf.image:
                    images.append(ProductImage(product=product, image=leaf.image, alt=product.name))
                links.extend(
                    Product.options.through(product_id=product.pk, attributeoption_id=o.pk) for o in chosen
                )
                if product.b2b_restricted:
                    if restricted_company is not None and rng.random() < 0.5:
                        restrictions.append(("company", product.pk))
                    else:
                        restrictions.append(("group", product.pk))
            Variant.objects.bulk_create(variants, batch_size=1000)
            prices, stock = [], []
            for variant in variants:
                gross = variant._price  # noqa: SLF001
                rate = Decimal(23) if variant.tax_class_id == tax["standard"].pk else Decimal(8)
                net_wholesale = _money(gross / (1 + rate / 100) * Decimal("0.82"))
                prices += [
                    BasePrice(variant=variant, currency="PLN", channel=Channel.B2C, amount=gross),
                    BasePrice(variant=variant, currency="PLN", channel=Channel.B2B, amount=net_wholesale),
                    BasePrice(
                        variant=variant, currency="EUR", channel=Channel.B2C, amount=_money(gross / EUR_RATE)
                    ),
                    BasePrice(
                        variant=variant,
                        currency="EUR",
                        channel=Channel.B2B,
                        amount=_money(net_wholesale / EUR_RATE),
                    ),
                ]
                for warehouse in warehouses:
                    if rng.random() < 0.75:
                        on_hand = rng.choice((0, 0, 3, 8, 15, 40, 120, 500))
                        stock.append(
                            StockItem(
                                variant=variant,
                                warehouse=warehouse,
                                on_hand=on_hand,
                                reserved=min(on_hand, rng.choice((0, 0, 1, 2))),
                            )
                        )
            BasePrice.objects.bulk_create(prices, batch_size=2000)
            stock_rows_open(stock)
            ProductImage.objects.bulk_create(images, batch_size=1000)
            Product.options.through.objects.bulk_create(links, batch_size=2000)
            Product.b2b_groups.through.objects.bulk_create(
                [
                    Product.b2b_groups.through(product_id=pk, customergroup_id=installers.pk)
                    for kind, pk in restrictions
                    if kind == "group"
                ],
                batch_size=1000,
            )
            if restricted_company is not None:
                Product.b2b_companies.through.objects.bulk_create(
                    [
                        Product.b2b_companies.through(product_id=pk, company_id=restricted_company.pk)
                        for kind, pk in restrictions
                        if kind == "company"
                    ],
                    batch_size=1000,
                )
            _index(products, variants, plans)
        made += size
        if progress:
            progress(made)
    return made


def _index(products: list[Product], variants: list[Variant], plans) -> None:
    by_product: dict[int, list[Variant]] = {}
    for variant in variants:
        by_product.setdefault(variant.product_id, []).append(variant)
    for product, (_leaf, chosen, _base) in zip(products, plans, strict=True):
        product.search_text = search_text_for(product, by_product.get(product.pk, []), chosen)
    Product.objects.bulk_update(products, ["search_text"], batch_size=500)


# --- people --------------------------------------------------------------------------------


def _vat_id(country: str, rng: random.Random) -> str:
    digits = {"PL": 10, "BG": 9, "DE": 9, "CZ": 8, "SK": 10, "AT": 8, "RO": 8}[country]
    prefix = "U" if country == "AT" else ""
    while True:
        digits_text = "".join(str(rng.randint(1 if i == 0 else 0, 9)) for i in range(digits))
        number = f"{country}{prefix}{digits_text}"
        if eu_vat.is_valid(number):
            return number


def _user(email: str, name: str, password_hash: str, **extra) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": name, "password": password_hash, **extra}
    )
    return user


DEMO_COMPANIES = [
    # name, country, city, street, postal, currency, language, group, terms, limit, domain, rep
    (
        "ACME Narzędzia Sp. z o.o.",
        "PL",
        "Kraków",
        "ul. Wielicka 250",
        "30-663",
        "PLN",
        "pl",
        "wholesale",
        "net-30",
        50000,
        "acme.example",
        0,
    ),
    (
        "Instal-Serwis Kowalski i Wspólnicy Sp.j.",
        "PL",
        "Gdańsk",
        "ul. Grunwaldzka 82",
        "80-244",
        "PLN",
        "pl",
        "installers",
        "net-14",
        20000,
        "instal-serwis.example",
        0,
    ),
    (
        "Balkan Build EOOD",
        "BG",
        "София",
        "бул. Цариградско шосе 115",
        "1784",
        "EUR",
        "bg",
        "distributors",
        "net-30",
        30000,
        "balkanbuild.example",
        1,
    ),
    (
        "Werkzeughandel Schmidt GmbH",
        "DE",
        "Leipzig",
        "Industriestraße 12",
        "04109",
        "EUR",
        "en",
        "wholesale",
        "net-14",
        25000,
        "schmidt-werkzeug.example",
        1,
    ),
    (
        "Stavby Novák s.r.o.",
        "CZ",
        "Brno",
        "Vídeňská 55",
        "639 00",
        "EUR",
        "en",
        "installers",
        "prepayment",
        0,
        "stavby-novak.example",
        1,
    ),
]


PEOPLE = {
    "acme.example": {
        "boss": "Barbara Wiśniewska",
        "buyer": "Bartosz Nowicki",
        "approver": "Adam Lewandowski",
        "accountant": "Agata Zielińska",
    },
    "balkanbuild.example": {
        "boss": "Иван Георгиев",
        "buyer": "Петър Стоянов",
        "approver": "Мария Николова",
        "accountant": "Десислава Илиева",
    },
    "schmidt-werkzeug.example": {
        "boss": "Klaus Schmidt",
        "buyer": "Jonas Weber",
        "approver": "Anna Becker",
        "accountant": "Petra Wagner",
    },
}


def seed_people(reference: dict, extra_companies: int = 0, *, seed: int = 11) -> dict:
    rng = random.Random(seed)
    password = make_password(DEMO_PASSWORD)
    staff_roles_sync()
    roles = {group.name: group for group in Group.objects.all()}
    admin = _user("admin@example.com", "Ada Admin", password, is_staff=True, is_superuser=True)
    admin.groups.add(roles["Admin"])
    reps = [
        _user(
            "rep@example.com",
            "Jan Kowalski",
            password,
            is_staff=True,
            phone="+48 12 345 67 89",
            language="pl",
        ),
        _user(
            "rep2@example.com",
            "Елена Петрова",
            password,
            is_staff=True,
            phone="+359 2 123 4567",
            language="bg",
        ),
    ]
    for rep in reps:
        rep.groups.add(roles["Sales rep"])
    for email, name, role in [
        ("catalog@example.com", "Celina Katalog", "Catalog manager"),
        ("warehouse@example.com", "Wiktor Magazyn", "Fulfilment"),
        ("finance@example.com", "Fiona Finance", "Finance"),
    ]:
        _user(email, name, password, is_staff=True).groups.add(roles[role])
    for email, name, language in [
        ("anna@example.com", "Anna Nowak", "pl"),
        ("piotr@example.com", "Piotr Wiśniewski", "pl"),
        ("maria@example.com", "Мария Иванова", "bg"),
    ]:
        customer = _user(email, name, password, language=language)
        if not customer.addresses.exists():
            Address.objects.create(
                user=customer,
                kind=AddressKind.DELIVERY,
                label="Home",
                recipient=name,
                street="ul. Długa 5/12",
                postal_code="00-238",
                city="Warszawa",
                country="PL",
                is_default=True,
            )
    companies = []
    specs = list(DEMO_COMPANIES)
    countries = ["PL", "PL", "BG", "DE", "CZ", "SK", "AT", "RO"]
    for number in range(extra_companies):
        country = countries[number % len(countries)]
        specs.append(
            (
                f"Hardware Partner {number + 1:04d}",
                country,
                "Testville",
                f"Main Street {number + 1}",
                "00-001",
                "PLN" if country == "PL" else "EUR",
                "en",
                rng.choice(["wholesale", "installers", "distributors"]),
                rng.choice(["net-14", "net-30", "net-60"]),
                rng.choice([5000, 10000, 50000]),
                f"partner{number + 1:04d}.example",
                number % 2,
            )
        )
    for index, (
        name,
        country,
        city,
        street,
        postal,
        currency,
        language,
        group,
        terms,
        limit,
        domain,
        rep_index,
    ) in enumerate(specs):
        company = Company.objects.filter(name=name).first()
        if company is None:
            company = Company.objects.create(
                name=name,
                vat_id=_vat_id(country, rng),
                country=country,
                street=street,
                postal_code=postal,
                city=city,
                email=f"invoices@{domain}",
                currency=currency,
                language=language,
                customer_group=reference["groups"][group],
                payment_terms=reference["terms"][terms],
                credit_limit=Decimal(limit),
                sales_rep=reps[rep_index],
                is_reseller=index == 1,
            )
            Address.objects.bulk_create(
                [
                    Address(
                        company=company,
                        kind=AddressKind.BILLING,
                        label="Head office",
                        recipient=name,
                        street=street,
                        postal_code=postal,
                        city=city,
                        country=country,
                        is_default=True,
                    ),
                    Address(
                        company=company,
                        kind=AddressKind.DELIVERY,
                        label="Main warehouse",
                        recipient=name,
                        street=street,
                        postal_code=postal,
                        city=city,
                        country=country,
                        is_default=True,
                    ),
                    Address(
                        company=company,
                        kind=AddressKind.DELIVERY,
                        label="Building site",
                        recipient=f"{name} — site",
                        street=f"{street} B",
                        postal_code=postal,
                        city=city,
                        country=country,
                    ),
                ]
            )
            PickupPerson.objects.bulk_create(
                [
                    PickupPerson(
                        company=company,
                        full_name="Tomasz Zieliński",
                        document_number="ABC123456",
                        valid_until=timezone.localdate() + timedelta(days=365),
                    ),
                    PickupPerson(
                        company=company,
                        full_name="Георги Димитров",
                        document_number="BG9876543",
                        valid_until=timezone.localdate() - timedelta(days=10),
                        notes="authorisation expired",
                    ),
                ]
            )
        companies.append(company)
        people = [
            ("boss", CompanyRole.ADMIN),
            ("buyer", CompanyRole.BUYER),
            ("approver", CompanyRole.APPROVER),
            ("accountant", CompanyRole.ACCOUNTANT),
        ]
        if index >= len(DEMO_COMPANIES):
            people = people[:2]
        for local, role in people:
            full_name = PEOPLE.get(domain, {}).get(local, f"{local.title()} {name.split()[0]}")
            user = _user(f"{local}@{domain}", full_name, password, language=language)
            CompanyUser.objects.get_or_create(
                user=user,
                defaults={
                    "company": company,
                    "role": role,
                    "spending_limit_per_order": Decimal(5000) if role == CompanyRole.BUYER else None,
                },
            )
    return {"companies": companies}


def seed_price_lists(reference: dict, acme: Company, *, variants: int = 600) -> None:
    """Group price lists with volume tiers, and ACME's contract prices."""
    if PriceList.objects.exists():
        return
    groups = reference["groups"]
    wholesale = PriceList.objects.create(
        code="wholesale-pln", name="Wholesale PLN", currency="PLN", priority=0
    )
    wholesale.customer_groups.add(groups["wholesale"], groups["installers"])
    distributors = PriceList.objects.create(
        code="distributors-eur", name="Distributors EUR", currency="EUR", priority=0
    )
    distributors.customer_groups.add(groups["distributors"], groups["wholesale"])
    contract = PriceList.objects.create(
        code="acme-contract", name="ACME contract 2026", currency="PLN", priority=10
    )
    contract.companies.add(acme)
    chosen = list(Variant.objects.order_by("pk").values_list("pk", flat=True)[:variants])
    nets = dict(
        BasePrice.objects.filter(variant_id__in=chosen[:60], currency="PLN", channel=Channel.B2B).values_list(
            "variant_id", "amount"
        )
    )
    entries = []
    for variant_id in chosen:
        for price_list in (wholesale, distributors):
            entries += [
                PriceListEntry(
                    price_list=price_list,
                    variant_id=variant_id,
                    min_quantity=1,
                    discount_percent=Decimal("5"),
                ),
                PriceListEntry(
                    price_list=price_list,
                    variant_id=variant_id,
                    min_quantity=10,
                    discount_percent=Decimal("8"),
                ),
                PriceListEntry(
                    price_list=price_list,
                    variant_id=variant_id,
                    min_quantity=50,
                    discount_percent=Decimal("12"),
                ),
            ]
    for variant_id, net in nets.items():
        entries.append(
            PriceListEntry(
                price_list=contract,
                variant_id=variant_id,
                min_quantity=1,
                price=_money(net * Decimal("0.85")),
            )
        )
    PriceListEntry.objects.bulk_create(entries, batch_size=2000)


def seed_all(*, products: int, companies: int, images: bool = True, progress=None) -> dict:
    reference = seed_reference()
    options = seed_attributes()
    leaves = seed_categories(with_images=images)
    people = seed_people(reference, extra_companies=max(companies - len(DEMO_COMPANIES), 0))
    made = seed_products(
        products, leaves, reference, options, progress=progress, restricted_company=people["companies"][0]
    )
    seed_price_lists(reference, people["companies"][0])
    seed_selling(reference, people["companies"])
    seed_orders(people["companies"][:1])
    faq_demo_load()
    demo_history_load()
    content_demo_load(with_images=images)
    return {
        "products": made,
        "companies": len(people["companies"]),
        "categories": Category.objects.count(),
        "language": settings.LANGUAGE_CODE,
    }


def seed_selling(reference: dict, companies: list[Company]) -> None:
    """Delivery methods, a welcome coupon, an automatic promotion, and an open invoice on
    the first company's account (so its available credit is not simply the limit)."""
    if DeliveryMethod.objects.exists():
        return
    standard = reference["tax"]["standard"]
    for position, (code, name, kind, channel, prices, tr) in enumerate(
        [
            (
                "courier",
                "Courier (1–2 working days)",
                DeliveryKind.COURIER,
                PromotionChannel.BOTH,
                {"PLN": ("16.26", "300"), "EUR": ("4.07", "75")},
                dict(
                    pl="Kurier (1–2 dni robocze)",
                    bg="Куриер (1–2 работни дни)",
                    ru="Курьер (1–2 рабочих дня)",
                ),
            ),
            (
                "pallet",
                "Pallet freight",
                DeliveryKind.COURIER,
                PromotionChannel.B2B,
                {"PLN": ("120.00", None), "EUR": ("30.00", None)},
                dict(pl="Transport paletowy", bg="Палетен транспорт", ru="Паллетная доставка"),
            ),
            (
                "pickup-waw",
                "Collect in Warsaw",
                DeliveryKind.PICKUP,
                PromotionChannel.BOTH,
                {"PLN": ("0", None), "EUR": ("0", None)},
                dict(pl="Odbiór osobisty w Warszawie", bg="Вземане от Варшава", ru="Самовывоз в Варшаве"),
            ),
        ]
    ):
        method = DeliveryMethod.objects.create(
            code=code,
            name=name,
            kind=kind,
            channel=channel,
            tax_class=standard,
            position=position,
            translations=_translations(tr),
        )
        for currency, (price, free_from) in prices.items():
            DeliveryPrice.objects.create(
                method=method,
                currency=currency,
                price_net=Decimal(price),
                free_from=Decimal(free_from) if free_from else None,
            )
    Promotion.objects.create(
        name="Welcome 10 % off",
        code="WELCOME10",
        kind=PromotionKind.PERCENT,
        value=Decimal(10),
        currency="PLN",
        channel=PromotionChannel.B2C,
        usage_limit_per_customer=1,
        translations=_translations(
            dict(pl="Powitalne 10% taniej", bg="10% отстъпка за добре дошли", ru="Приветственная скидка 10%")
        ),
    )
    Promotion.objects.create(
        name="Free shipping",
        code="FREESHIP",
        kind=PromotionKind.FREE_SHIPPING,
        currency="PLN",
        channel=PromotionChannel.B2C,
        translations=_translations(
            dict(pl="Darmowa dostawa", bg="Безплатна доставка", ru="Бесплатная доставка")
        ),
    )
    Promotion.objects.create(
        name="Spend 500, save 5 %",
        kind=PromotionKind.PERCENT,
        value=Decimal(5),
        currency="PLN",
        minimum_order=Decimal(500),
        channel=PromotionChannel.B2C,
        translations=_translations(
            dict(pl="Od 500 zł 5% taniej", bg="Над 500 – 5% отстъпка", ru="От 500 — скидка 5%")
        ),
    )
    terms = TermsVersion.objects.create(
        version="2026-01",
        title="Terms of cooperation for business customers",
        text="1. Prices are net; VAT is added on the invoice.\n2. Orders on account are paid within the "
        "agreed payment terms.\n3. Goods remain our property until paid in full.",
        published_at=timezone.now(),
        translations=_translations(
            dict(
                pl="Warunki współpracy dla klientów biznesowych",
                bg="Условия за сътрудничество за бизнес клиенти",
                ru="Условия сотрудничества для бизнес-клиентов",
            ),
            field="title",
        ),
    )
    # The demo's company users have accepted this version (publish a new one to see the flow).
    TermsAcceptance.objects.bulk_create(
        [
            TermsAcceptance(terms=terms, user_id=user_id, company_id=company_id)
            for user_id, company_id in CompanyUser.objects.values_list("user_id", "company_id")
        ]
    )
    if companies:
        today = timezone.localdate()
        company = companies[0]
        LedgerEntry.objects.create(
            company=company,
            kind=LedgerKind.INVOICE,
            reference="FV/2026/0001",
            currency=company.currency,
            debit=Decimal("4200.00"),
            booked_on=today - timedelta(days=20),
            due_date=today + timedelta(days=10),
        )
        LedgerEntry.objects.create(
            company=company,
            kind=LedgerKind.PAYMENT,
            reference="Bank 2026-11-05",
            currency=company.currency,
            credit=Decimal("1200.00"),
            booked_on=today - timedelta(days=5),
        )
        # Its approval rules: big orders also need the company admin; any power tool an approver.
        ApprovalRule.objects.create(company=company, min_total=Decimal(50000), role=CompanyRole.ADMIN)
        power_tools = Category.objects.filter(slug="power-tools").first()
        if power_tools is not None:
            ApprovalRule.objects.create(
                company=company, min_total=Decimal(2000), role=CompanyRole.APPROVER, category=power_tools
            )


def seed_orders(companies: list[Company]) -> None:
    """A few orders of the first company's buyer, placed through the real checkout: two
    placed (one of them partly shipped) and one over the buyer's limit waiting for the
    approver, so the order pages, the approvals queue and the staff pages have content."""
    if not companies or Order.objects.exists():
        return
    company = companies[0]
    membership = (
        CompanyUser.objects.filter(company=company, role=CompanyRole.BUYER).select_related("user").first()
    )
    staff = User.objects.filter(is_superuser=True).first()
    address = Address.objects.filter(company=company, kind=AddressKind.DELIVERY).first()
    variants = list(
        Variant.objects.filter(
            product__visibility="both",
            is_active=True,
            max_quantity__isnull=True,
            stock_items__on_hand__gte=500,
        )
        .exclude(product__category__path__startswith=_power_tools_path())
        .distinct()
        .order_by("pk")[:6]
    )
    if membership is None or address is None or len(variants) < 6:
        return
    buyer = membership.user
    context = customer_context_for(buyer, language=buyer.language)
    pricing = variant_pricing(context, [(variant.pk, variant.tax_class_id) for variant in variants])
    placed = []
    for number, (targets, po) in enumerate(
        [
            ([(variants[0], 400), (variants[1], 400)], "PO-2026-101"),
            ([(variants[2], 600), (variants[3], 600)], "PO-2026-102"),
            ([(variants[4], 3500), (variants[5], 3500)], "PO-2026-103"),  # over the buyer's 5,000 limit
        ]
    ):
        cart = Cart.objects.create()
        CartLine.objects.bulk_create(
            [
                CartLine(
                    cart=cart,
                    variant=variant,
                    quantity=_allowed(variant, value, pricing[variant.pk], context),
                )
                for variant, value in targets
            ]
        )
        placed.append(
            order_place(
                cart=cart,
                context=context,
                acting_user=buyer,
                details=CheckoutDetails(
                    email=buyer.email,
                    delivery_method="courier",
                    payment_method="on_account",
                    address_id=address.pk,
                    po_number=po,
                ),
                idempotency_key=f"demo-{number}",
            )
        )
        cart.delete()
    first = placed[0].lines.order_by("pk").first()
    if staff is not None and first is not None:
        shipment_create(
            order=placed[0],
            actor=staff,
            request=ShipmentRequest(
                quantities={first.sku: first.quantity}, carrier="DPD", tracking_number="DPD0001234567"
            ),
        )
    _seed_quote(company, buyer, context, variants[:2])


def _seed_quote(company: Company, buyer: User, context, variants: list[Variant]) -> None:
    """A request from the buyer and the rep's first offer on it (sent), to negotiate."""
    rep = User.objects.filter(pk=company.sales_rep_id).first()
    if rep is None:
        return
    quantities = {variant.sku: _rounded_quantity(variant, 50) for variant in variants}
    quote = quote_request(
        user=buyer,
        context=context,
        message="Prices for the new warehouse fit-out?",
        lines=[RequestedLine(sku, quantity) for sku, quantity in quantities.items()],
    )
    offer_draft_save(
        rep=rep,
        quote=quote,
        lines=[OfferLineInput(sku, quantity, discount_percent="8") for sku, quantity in quantities.items()],
        terms=OfferTerms(
            valid_until=timezone.localdate() + timedelta(days=14),
            delivery_terms="Delivery within 5 working days",
            payment_terms="Net 30 days",
            notes="Prices net, VAT added.",
        ),
    )
    offer_send(rep=rep, quote=quote)


def _power_tools_path() -> str:
    category = Category.objects.filter(slug="power-tools").first()
    return category.path if category is not None else "-"


def _allowed(variant: Variant, value: int, pricing, context) -> int:
    """About ``value`` (net) worth of the variant, in a quantity its rules accept."""
    price = engine.resolve_one(context, pricing, 1)
    wanted = max(int(value / price.unit_net), 1) if price is not None and price.unit_net > 0 else 1
    return _rounded_quantity(variant, wanted)


def _rounded_quantity(variant: Variant, wanted: int) -> int:
    """The nearest quantity at or above ``wanted`` that the variant's rules accept."""
    step = max(variant.quantity_step, 1)
    return -(-max(wanted, variant.min_quantity) // step) * step
