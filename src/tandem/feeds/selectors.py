"""Feed reads: whose feeds a user manages, the feed behind a token, and a feed's items.

One access rule for every surface (the admin, the client panel, the API): a company admin
manages their own company's feeds; staff who may change companies manage the feeds of the
companies they work with (``customers.staff_scope``: a rep, their own customers); a customer
group's feeds, which reach many companies, belong to staff who see every customer and may
change customer groups. Anyone else's feed is "not found".
"""

import dataclasses
from collections.abc import Iterator
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from tandem.catalog.models import Product, ProductImage, Variant
from tandem.catalog.selectors import all_categories, visible_products
from tandem.core.context import Channel, CustomerContext
from tandem.core.tokens import token_digest
from tandem.customers.auth import membership_of
from tandem.customers.models import CompanyRole, CustomerGroup, User
from tandem.customers.selectors import company_context_for
from tandem.customers.staff_scope import companies_managed_by, is_active_staff, sees_all_customers
from tandem.feeds.formats import FeedItem
from tandem.feeds.models import Feed, FeedFormat
from tandem.inventory.selectors import available_by_variant
from tandem.pricing.selectors import prices_and_breaks_for_variants

BATCH = 500  # variants priced, and products read, at a time
CHANGE_COMPANY = "customers.change_company"
CHANGE_GROUP = "customers.change_customergroup"


def feed_by_token(token: str) -> Feed | None:
    """The active feed whose secret is ``token``, else None (unknown, revoked, rotated away)."""
    if not 20 <= len(token) <= 100:
        return None
    return Feed.objects.filter(token_hash=token_digest(token), is_active=True).first()


# --- who manages which feeds ----------------------------------------------------------------


def company_admin_company_id(user: User) -> int | None:
    """The company of an active company admin, else None."""
    membership = membership_of(user) if user.is_authenticated and user.is_active else None
    if membership is None or not membership.is_active or membership.role != CompanyRole.ADMIN:
        return None
    return membership.company_id


def manages_company_feeds(user: User) -> bool:
    """Staff whose role may change companies (their customers' feeds)."""
    return is_active_staff(user) and user.has_perm(CHANGE_COMPANY)


def manages_group_feeds(user: User) -> bool:
    """Staff who see every customer and may change customer groups."""
    return sees_all_customers(user) and user.has_perm(CHANGE_GROUP)


def may_manage_feeds(user: User) -> bool:
    return company_admin_company_id(user) is not None or manages_company_feeds(user)


def feeds_managed_by(user: User) -> QuerySet[Feed]:
    """The feeds ``user`` may see, make, rotate and revoke, newest first; none for anyone else."""
    feeds = Feed.objects.select_related("company", "customer_group", "created_by")
    company_id = company_admin_company_id(user)
    if company_id is not None:
        return feeds.filter(company_id=company_id)
    if not manages_company_feeds(user):
        return feeds.none()
    scope = Q(company__in=companies_managed_by(user).values("pk"))
    if manages_group_feeds(user):
        scope |= Q(customer_group__isnull=False)
    return feeds.filter(scope)


def groups_for_feeds(user: User) -> QuerySet[CustomerGroup]:
    return CustomerGroup.objects.all() if manages_group_feeds(user) else CustomerGroup.objects.none()


# --- what a feed holds ----------------------------------------------------------------------


def feed_context(feed: Feed) -> CustomerContext:
    """Whose eyes the feed sees the catalog with: the company's (or the group's) B2B context
    in the feed's language and currency — net prices, the assortment they may buy."""
    if feed.company_id is not None:
        context = company_context_for(feed.company, user_id=None, language=feed.language)
        return dataclasses.replace(context, currency=feed.currency)
    return CustomerContext(
        channel=Channel.B2B,
        currency=feed.currency,
        country=settings.SHOP_COUNTRY,
        language=feed.language,
        customer_group_id=feed.customer_group_id,
    )


def retail_context(feed: Feed) -> CustomerContext:
    """A shopper's view in the feed's currency: what a retail (Google) feed prices with."""
    return CustomerContext(
        channel=Channel.B2C, currency=feed.currency, country=settings.SHOP_COUNTRY, language=feed.language
    )


def feed_products(feed: Feed) -> QuerySet[Product]:
    """The products the feed lists: those its company (or group) may buy; for a Google
    Merchant feed only those a shopper can also open at the link (Merchant Center refuses
    items whose landing page is not public)."""
    products = visible_products(feed_context(feed))
    if feed.file_format == FeedFormat.GOOGLE:
        products = products.filter(pk__in=visible_products(retail_context(feed)).values("pk"))
    return products


def _absolute(url: str) -> str:
    return url if "://" in url else settings.SHOP_URL + url


def _category_paths(language: str) -> dict[int, str]:
    """category id → "Tools > Drills" in ``language`` (the cached tree: no query per product)."""
    categories = all_categories()
    by_id = {category.pk: category for category in categories}
    paths = {}
    for category in categories:
        ids = [int(part) for part in category.path.split(".") if part] or [category.pk]
        paths[category.pk] = " > ".join(by_id[pk].tr("name", language) for pk in ids if pk in by_id)
    return paths


def _product_pages(products: QuerySet[Product]) -> Iterator[list[Product]]:
    """The products in pages of BATCH by primary key (keyset: no growing OFFSET, no cursor
    held open while the file is written), each with its active variants and first image."""
    products = products.select_related(None).prefetch_related(
        Prefetch("variants", queryset=Variant.objects.filter(is_active=True).order_by("sort_order", "sku")),
        Prefetch("images", queryset=ProductImage.objects.order_by("sort_order", "pk")),
    )
    last = 0
    while True:
        page = list(products.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not page:
            return
        yield page
        last = page[-1].pk


def _variant_batches(products: QuerySet[Product]) -> Iterator[list[tuple[Product, Variant]]]:
    batch: list[tuple[Product, Variant]] = []
    for page in _product_pages(products):
        for product in page:
            for variant in product.variants.all():
                batch.append((product, variant))
                if len(batch) >= BATCH:
                    yield batch
                    batch = []
    if batch:
        yield batch


def feed_items(feed: Feed) -> Iterator[FeedItem]:
    """The feed's rows, one per active variant, read and priced a batch at a time (a constant
    number of queries per BATCH variants, whatever the catalog's size)."""
    retail = feed.file_format == FeedFormat.GOOGLE
    context = retail_context(feed) if retail else feed_context(feed)
    language = feed.language
    categories = _category_paths(language)
    for batch in _variant_batches(feed_products(feed)):
        pairs = [(variant.pk, variant.tax_class_id) for _product, variant in batch]
        prices, breaks = prices_and_breaks_for_variants(context, pairs)
        stock = available_by_variant([variant.pk for _product, variant in batch])
        for product, variant in batch:
            price = prices.get(variant.pk)
            if price is None:
                continue  # no price in this currency: nothing a partner could order
            name = product.tr("name", language)
            variant_name = variant.tr("name", language)
            if variant_name and len(product.variants.all()) > 1:
                name = f"{name} – {variant_name}"
            images = product.images.all()
            yield FeedItem(
                sku=variant.sku,
                gtin=variant.gtin or "",
                name=name,
                description=product.tr("description", language),
                brand=product.brand,
                category=categories.get(product.category_id, ""),
                unit=variant.unit,
                pack_size=variant.pack_size,
                price=price.unit_display,
                price_includes_tax=price.includes_tax,
                tiers=tuple((quantity, tier.unit_display) for quantity, tier in breaks.get(variant.pk, ())),
                currency=price.currency,
                vat_rate=price.tax_rate or Decimal(0),
                stock=max(stock.get(variant.pk, 0), 0),
                allow_backorder=product.allow_backorder,
                url=_absolute(product.get_absolute_url()),
                image_url=_absolute(images[0].image.url) if images else "",
                product_id=product.pk,
            )
