"""Catalog reads for the storefront and the API, in a constant number of queries."""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache, caches
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from tandem.catalog.models import (
    Attribute,
    AttributeOption,
    Category,
    Product,
    ProductImage,
    Variant,
    Visibility,
    translated_name,
)
from tandem.core.catalog_cache import catalog_version
from tandem.core.context import Channel, CustomerContext
from tandem.core.errors import NotFound
from tandem.core.request_memo import request_memo
from tandem.inventory import selectors as inventory
from tandem.inventory.models import StockItem
from tandem.pricing import selectors as pricing
from tandem.pricing.engine import PriceResult
from tandem.pricing.models import BasePrice

SORTS = ("relevance", "name", "-name", "price", "-price", "newest")
MAX_QUERY_TERMS = 8
MAX_TERM_LENGTH = 40
MAX_FILTER_ATTRIBUTES = 12


# --- visibility ------------------------------------------------------------------------


CATEGORY_CACHE_KEY = "catalog:categories:v1"


def visible_products(context: CustomerContext) -> QuerySet[Product]:
    """Active products this customer may see: by channel, and for B2B by shared catalog."""
    products = Product.objects.filter(is_active=True, visibility__in=[Visibility.BOTH, context.channel])
    if context.channel != Channel.B2B:
        return products
    # Non-correlated IN subqueries: the database evaluates each once, not per product.
    allowed = Q(b2b_restricted=False)
    if context.customer_group_id:
        allowed |= Q(
            pk__in=Product.b2b_groups.through.objects.filter(
                customergroup_id=context.customer_group_id
            ).values("product_id")
        )
    if context.company_id:
        allowed |= Q(
            pk__in=Product.b2b_companies.through.objects.filter(company_id=context.company_id).values(
                "product_id"
            )
        )
    return products.filter(allowed)


def product_visible_to(context: CustomerContext, product: Product) -> bool:
    """``visible_products`` for one product already loaded: its own flags decide, and a
    restricted wholesale product costs at most two indexed lookups (the customer's group, its
    company). Never lists the catalog to check one item."""
    if not product.is_active or product.visibility not in (Visibility.BOTH, context.channel):
        return False
    if context.channel != Channel.B2B or not product.b2b_restricted:
        return True
    if (
        context.customer_group_id
        and Product.b2b_groups.through.objects.filter(
            product_id=product.pk, customergroup_id=context.customer_group_id
        ).exists()
    ):
        return True
    return (
        bool(context.company_id)
        and Product.b2b_companies.through.objects.filter(
            product_id=product.pk, company_id=context.company_id
        ).exists()
    )


# What adding to the cart reads of a variant and its product (the orderability rule's fields).
_ORDERING_FIELDS = (
    "sku",
    "product_id",
    "tax_class_id",
    "min_quantity",
    "max_quantity",
    "quantity_step",
    "product__is_active",
    "product__visibility",
    "product__b2b_restricted",
    "product__allow_backorder",
    "product__name",  # the add-to-cart message names the product
    "product__translations",
)


def visible_variant(context: CustomerContext, sku: str) -> Variant | None:
    """The active variant with this SKU (as typed) with what ordering it needs of its product,
    if this customer may buy it; None otherwise. One or two indexed queries whatever the size
    of the catalog (other fields load when read)."""
    found = (
        Variant.objects.select_related("product")
        .only(*_ORDERING_FIELDS)
        .filter(sku=sku.strip()[:64], is_active=True)[:1]  # SKUs are unique: no ordering
    )
    variant = next(iter(found), None)
    return variant if variant is not None and product_visible_to(context, variant.product) else None


def visible_variants(context: CustomerContext, skus) -> QuerySet[Variant]:
    """Active variants with these SKUs whose products this customer may see."""
    return Variant.objects.filter(sku__in=list(skus), is_active=True, product__in=visible_products(context))


def visible_variants_by_sku(context: CustomerContext, skus: list) -> dict[str, Variant]:
    """The active variants this customer may buy among ``skus`` (matched in any case), keyed
    by upper-case SKU; SKUs that are unknown or not for this customer are simply absent."""
    wanted = {str(sku).strip().upper()[:64] for sku in skus if str(sku).strip()}
    spellings = set()
    for sku in skus:
        text = str(sku).strip()[:64]
        spellings |= {text, text.upper(), text.lower()}
    if not wanted:
        return {}
    variants = visible_variants(context, spellings).select_related("product")
    return {variant.sku.upper(): variant for variant in variants if variant.sku.upper() in wanted}


# --- categories ------------------------------------------------------------------------


@dataclass(slots=True)
class CategoryNode:
    category: Category
    children: list["CategoryNode"] = field(default_factory=list)


def all_categories() -> list[Category]:
    """Every active category in tree order (cached; staff edits clear the cache; read once
    per request when the caches are off)."""
    key = f"{CATEGORY_CACHE_KEY}:{catalog_version()}"
    categories = caches["local"].get(key)
    if categories is None:
        categories = request_memo(key, lambda: list(Category.objects.filter(is_active=True).order_by("path")))
        caches["local"].set(key, categories, settings.CATALOG_CACHE_SECONDS)
    return categories


def category_tree() -> list[CategoryNode]:
    nodes = {category.pk: CategoryNode(category) for category in all_categories()}
    roots: list[CategoryNode] = []
    for node in nodes.values():
        parent = nodes.get(node.category.parent_id) if node.category.parent_id else None
        (parent.children if parent else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda child: (child.category.sort_order, child.category.tr("name")))
    roots.sort(key=lambda root: (root.category.sort_order, root.category.tr("name")))
    return roots


def category_by_slug(slug: str) -> Category:
    for category in all_categories():
        if category.slug == slug:
            return category
    raise NotFound()


def category_ancestors(category: Category) -> list[Category]:
    """Root first, the category itself last (for breadcrumbs)."""
    by_id = {c.pk: c for c in all_categories()}
    ids = [int(part) for part in category.path.split(".") if part]
    return [by_id[pk] for pk in ids if pk in by_id] or [category]


def category_subtree_ids(category: Category) -> list[int]:
    """The category and all its descendants (from the cached tree: no query)."""
    return [c.pk for c in all_categories() if c.path.startswith(category.path)]


def category_children(category: Category) -> list[Category]:
    return [c for c in all_categories() if c.parent_id == category.pk]


# --- search and filters ------------------------------------------------------------------


def search_terms(query: str) -> list[str]:
    """Words of a shopper's query, casefolded; operators and punctuation are dropped."""
    words = re.findall(r"\w+", query.casefold())
    return [word[:MAX_TERM_LENGTH] for word in words[:MAX_QUERY_TERMS]]


def apply_search(products: QuerySet[Product], query: str) -> QuerySet[Product]:
    """Products matching every word of ``query`` as a word prefix of their texts in any
    language, SKU or EAN: PostgreSQL full-text search, SQLite FTS5 (substring ``LIKE``
    only on a SQLite built without FTS5)."""
    terms = search_terms(query)
    if not terms:
        return products.none() if query.strip() else products
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        raw = " & ".join(f"{term}:*" for term in terms)
        ts_query = SearchQuery(raw, search_type="raw", config="simple")
        vector = SearchVector("search_text", config="simple")
        return products.annotate(search=vector, rank=SearchRank(vector, ts_query)).filter(search=ts_query)
    if _sqlite_fts_available():
        match = " ".join(f'"{term}"*' for term in terms)  # terms hold only word characters
        return products.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM catalog_product_fts WHERE catalog_product_fts MATCH %s", (match,)
            )
        )
    for term in terms:
        products = products.filter(search_text__contains=term)
    return products


def _sqlite_fts_available() -> bool:
    """Whether migration 0004 could create the FTS5 table (remembered per connection)."""
    known = getattr(connection, "_tandem_fts", None)
    if known is None:
        known = "catalog_product_fts" in connection.introspection.table_names()
        connection._tandem_fts = known
    return known


def parse_filters(raw_values: list[str]) -> dict[str, list[str]]:
    """``["voltage:18-v", "colour:red"]`` → ``{"voltage": ["18-v"], "colour": ["red"]}``.

    At most MAX_FILTER_ATTRIBUTES attributes count (each costs a facet query; the shop's
    own links never come near), at most 50 values in all."""
    selected: dict[str, list[str]] = {}
    for raw in raw_values[:50]:
        code, sep, slug = raw.partition(":")
        code = code[:40]
        if not (sep and code and slug):
            continue
        if code in selected or len(selected) < MAX_FILTER_ATTRIBUTES:
            selected.setdefault(code, []).append(slug[:140])
    return selected


def apply_filters(products: QuerySet[Product], selected: dict[str, list[str]]) -> QuerySet[Product]:
    """Any of the chosen values within an attribute, all chosen attributes together."""
    through = Product.options.through
    for code, slugs in selected.items():
        products = products.filter(
            Exists(
                through.objects.filter(
                    product_id=OuterRef("pk"),
                    attributeoption__attribute__code=code,
                    attributeoption__slug__in=slugs,
                )
            )
        )
    return products


@dataclass(slots=True)
class FacetValue:
    option: AttributeOption
    count: int
    selected: bool


@dataclass(slots=True)
class Facet:
    attribute: Attribute
    values: list[FacetValue]


def facets_for(products: QuerySet[Product], selected: dict[str, list[str]]) -> list[Facet]:
    """Filterable attribute values with product counts, the way shoppers expect them:
    an attribute's counts honour every *other* chosen filter, so choosing "18 V" still shows
    how many "36 V" products there are. One query, plus one per attribute filtered on."""
    return _facets(_facet_counts(products, selected), selected)


def _facet_counts(products: QuerySet[Product], selected: dict[str, list[str]]) -> dict[int, int]:
    """option id → products carrying it (see ``facets_for``)."""
    chosen_codes = set(selected)
    counts = _option_counts(apply_filters(products, selected), excluded_codes=chosen_codes)
    for code in chosen_codes:
        others = {other: slugs for other, slugs in selected.items() if other != code}
        counts.update(_option_counts(apply_filters(products, others), attribute_code=code))
    return counts


def _facets(counts: dict[int, int], selected: dict[str, list[str]]) -> list[Facet]:
    if not counts:
        return []
    options = AttributeOption.objects.filter(
        pk__in=counts.keys(), attribute__is_filterable=True
    ).select_related("attribute")
    facets: dict[int, Facet] = {}
    for option in options:
        facet = facets.setdefault(option.attribute_id, Facet(option.attribute, []))
        chosen = option.slug in selected.get(option.attribute.code, [])
        facet.values.append(FacetValue(option, counts[option.pk], chosen))
    ordered = sorted(facets.values(), key=lambda f: (f.attribute.sort_order, f.attribute.code))
    for facet in ordered:
        facet.values.sort(key=lambda v: (v.option.sort_order, v.option.tr("value")))
    return ordered


def _option_counts(
    products: QuerySet[Product],
    *,
    attribute_code: str | None = None,
    excluded_codes: set[str] = frozenset(),
) -> dict[int, int]:
    """option id → number of ``products`` carrying it (one query)."""
    rows = Product.options.through.objects.filter(product_id__in=products.values("pk"))
    if attribute_code is not None:
        rows = rows.filter(attributeoption__attribute__code=attribute_code)
    if excluded_codes:
        rows = rows.exclude(attributeoption__attribute__code__in=excluded_codes)
    return dict(
        rows.values_list("attributeoption_id")
        .annotate(n=Count("product_id"))
        .values_list("attributeoption_id", "n")
    )


# --- listing ----------------------------------------------------------------------------


@dataclass(slots=True)
class ProductCard:
    product: Product
    price: PriceResult | None
    price_varies: bool
    variant_count: int
    available: int
    image: ProductImage | None
    variants: list[tuple[int, int]] = field(default_factory=list)  # (variant id, tax class id)


@dataclass(slots=True)
class Listing:
    page: Page
    cards: list[ProductCard]
    facets: list[Facet]
    sort: str


def apply_sort(
    products: QuerySet[Product], sort: str, context: CustomerContext, searching: bool
) -> QuerySet[Product]:
    if sort == "relevance":
        if searching and "rank" in products.query.annotations:
            return products.order_by("-rank", "pk")
        sort = "name"
    if sort in ("name", "-name"):
        if context.language != settings.LANGUAGE_CODE:
            products = products.annotate(sort_name=translated_name(context.language))
            field_name = "sort_name"
        else:
            field_name = "name"
        return products.order_by(f"-{field_name}" if sort == "-name" else field_name, "pk")
    if sort in ("price", "-price"):
        cheapest = BasePrice.objects.filter(
            variant__product=OuterRef("pk"), variant__is_active=True, currency=context.currency
        ).order_by(F("channel").desc() if context.channel == Channel.B2C else "channel", "amount")
        products = products.annotate(sort_price=Subquery(cheapest.values("amount")[:1]))
        if sort == "price":
            return products.order_by(F("sort_price").asc(nulls_last=True), "pk")
        return products.order_by(F("sort_price").desc(nulls_last=True), "pk")
    return products.order_by("-created_at", "-pk")


def price_from(prices: list[PriceResult]) -> tuple[PriceResult | None, bool]:
    """The price a product card shows (its cheapest variant's), and whether its variants'
    prices differ (the card then says "from")."""
    cheapest = min(prices, key=lambda price: price.unit_display, default=None)
    return cheapest, len({price.unit_display for price in prices}) > 1


def product_cards(
    context: CustomerContext, products: list[Product], *, with_prices: bool = True
) -> list[ProductCard]:
    """Prices, stock and a picture for a page of products: four queries whatever its size
    (two fewer ``with_prices=False``: the storefront prices its cards apart, see
    ``storefront.price_slots``)."""
    product_ids = [product.pk for product in products]
    variants = list(
        Variant.objects.filter(product_id__in=product_ids, is_active=True).values_list(
            "pk", "product_id", "tax_class_id"
        )
    )
    prices = (
        pricing.prices_for_variants(
            context, [(variant_id, tax_class_id) for variant_id, _p, tax_class_id in variants]
        )
        if with_prices
        else {}
    )
    available = inventory.available_by_variant(variant_id for variant_id, _p, _t in variants)
    images: dict[int, ProductImage] = {}
    for image in ProductImage.objects.filter(product_id__in=product_ids).order_by(
        "product_id", "sort_order", "pk"
    ):
        images.setdefault(image.product_id, image)
    by_product: dict[int, list[tuple[int, int]]] = {}
    for variant_id, product_id, tax_class_id in variants:
        by_product.setdefault(product_id, []).append((variant_id, tax_class_id))
    cards = []
    for product in products:
        pairs = by_product.get(product.pk, [])
        variant_ids = [variant_id for variant_id, _tax in pairs]
        cheapest, varies = price_from([prices[v] for v in variant_ids if v in prices])
        cards.append(
            ProductCard(
                product=product,
                price=cheapest,
                price_varies=varies,
                variant_count=len(variant_ids),
                available=sum(available.get(v, 0) for v in variant_ids),
                image=images.get(product.pk),
                variants=pairs,
            )
        )
    return cards


def product_listing(
    context: CustomerContext,
    *,
    category: Category | None = None,
    query: str = "",
    selected: dict[str, list[str]] | None = None,
    sort: str = "relevance",
    page_number: str | int = 1,
    per_page: int = 24,
    with_facets: bool = True,
    with_prices: bool = True,
    shared_key: str = "",
) -> Listing:
    """One page of a category, a search or the whole catalog, as this customer sees it.

    With ``shared_key`` (what decides the set of products: the price context, the catalog
    version, the category, the search and the filters — never the page or the sort), the
    facet counts and the number of products are kept in the shared cache: every page and sort
    of the same listing reuses them. ``with_prices=False`` leaves the cards unpriced."""
    selected = selected or {}
    sort = sort if sort in SORTS else "relevance"
    base = visible_products(context)
    if category is not None:
        base = base.filter(category_id__in=category_subtree_ids(category))
    base = apply_search(base, query)
    memo = cache.get(f"listing:{shared_key}") if shared_key else None
    if memo is None:
        memo = {"counts": _facet_counts(base, selected) if with_facets else {}, "total": None}
    facets = _facets(memo["counts"], selected) if with_facets else []
    products = apply_sort(apply_filters(base, selected), sort, context, bool(query.strip()))
    paginator = Paginator(products.select_related("category"), per_page)
    if memo["total"] is not None:
        paginator.__dict__["count"] = memo["total"]  # Paginator.count is a cached property
    page = paginator.get_page(page_number)
    if shared_key and memo["total"] is None:
        memo["total"] = paginator.count
        cache.set(f"listing:{shared_key}", memo, settings.CATALOG_CACHE_SECONDS)
    cards = product_cards(context, list(page.object_list), with_prices=with_prices)
    return Listing(page=page, cards=cards, facets=facets, sort=sort)


# --- product page -----------------------------------------------------------------------


@dataclass(slots=True)
class VariantView:
    variant: Variant
    price: PriceResult | None
    available: int
    stock: list[StockItem]
    price_breaks: list[tuple[int, PriceResult]] = field(default_factory=list)


@dataclass(slots=True)
class ProductDetail:
    product: Product
    variants: list[VariantView]
    specifications: list[tuple[Attribute, list[AttributeOption]]]
    images: list[ProductImage]
    breadcrumbs: list[Category]


def product_detail(context: CustomerContext, slug: str, *, with_prices: bool = True) -> ProductDetail:
    """Everything the product page shows; NotFound when this customer may not see it.
    ``with_prices=False`` leaves the variants unpriced (see ``storefront.price_slots``)."""
    product = visible_products(context).select_related("category").filter(slug=slug[:220]).first()
    if product is None:
        raise NotFound()
    variants = list(product.variants.filter(is_active=True).order_by("sort_order", "sku"))
    pairs = [(variant.pk, variant.tax_class_id) for variant in variants]
    prices, breaks = pricing.prices_and_breaks_for_variants(context, pairs) if with_prices else ({}, {})
    stock = inventory.stock_by_warehouse(variant.pk for variant in variants)
    specifications: dict[int, tuple[Attribute, list[AttributeOption]]] = {}
    for option in product.options.select_related("attribute").order_by(
        "attribute__sort_order", "attribute__code", "sort_order"
    ):
        specifications.setdefault(option.attribute_id, (option.attribute, []))[1].append(option)
    return ProductDetail(
        product=product,
        variants=[
            VariantView(
                variant=variant,
                price=prices.get(variant.pk),
                available=max(sum(item.available for item in stock.get(variant.pk, [])), 0),
                stock=stock.get(variant.pk, []),
                price_breaks=breaks.get(variant.pk, []),
            )
            for variant in variants
        ],
        specifications=list(specifications.values()),
        images=list(product.images.all()),
        breadcrumbs=category_ancestors(product.category),
    )
