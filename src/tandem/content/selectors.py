"""Reading articles and pages as the public sees them, and the product blocks of an article
as one reader sees them (only products they may see, at their price, with stock)."""

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.utils import timezone

from tandem.catalog.models import Category, Product
from tandem.catalog.selectors import ProductCard, product_cards, visible_products
from tandem.content.models import Article, ArticleCategory, ArticleProduct, Page
from tandem.core.context import Channel, CustomerContext
from tandem.core.errors import NotFound

ARTICLES_PER_PAGE = 12


def articles_published() -> QuerySet[Article]:
    """Published articles whose publication date has come, newest first."""
    return (
        Article.objects.filter(is_published=True, published_at__lte=timezone.now())
        .select_related("category")
        .order_by("-published_at", "-pk")
    )


def article_page(
    *, category: ArticleCategory | None = None, page_number: str | int = 1, per_page: int = ARTICLES_PER_PAGE
) -> PaginatorPage:
    """One page of the public articles, of one category or all (an out-of-range page
    number gives the last page)."""
    articles = articles_published()
    if category is not None:
        articles = articles.filter(category=category)
    return Paginator(articles, per_page).get_page(page_number)


def article_categories() -> list[ArticleCategory]:
    return list(ArticleCategory.objects.all())


def article_category_by_slug(slug: str) -> ArticleCategory:
    """Raises NotFound for a slug no category has."""
    category = ArticleCategory.objects.filter(slug=slug).first()
    if category is None:
        raise NotFound()
    return category


def article_published(slug: str) -> Article:
    """A public article; NotFound for one unpublished, scheduled for later or unknown."""
    article = articles_published().filter(slug=slug).first()
    if article is None:
        raise NotFound()
    return article


def article_product_cards(context: CustomerContext, article: Article) -> list[ProductCard]:
    """The article's product blocks for this reader, in the article's order: products they
    may not see (another channel, a restricted wholesale catalog, inactive) are left out;
    each card holds the reader's price and stock. A constant number of queries."""
    product_ids = list(
        ArticleProduct.objects.filter(article=article)
        .order_by("sort_order", "pk")
        .values_list("product_id", flat=True)
    )
    if not product_ids:
        return []
    visible = {product.pk: product for product in visible_products(context).filter(pk__in=product_ids)}
    products = [visible[product_id] for product_id in product_ids if product_id in visible]
    return product_cards(context, products, with_prices=True)


def page_published(slug: str) -> Page:
    """A published static page; NotFound otherwise."""
    page = Page.objects.filter(slug=slug, is_published=True).first()
    if page is None:
        raise NotFound()
    return page


def pages_published() -> QuerySet[Page]:
    return Page.objects.filter(is_published=True).order_by("sort_order", "title")


def footer_pages() -> list[Page]:
    """The published pages linked from the footer, in their order."""
    return list(pages_published().filter(show_in_footer=True).only("slug", "title", "translations"))


# --- the sitemap -----------------------------------------------------------------------------


def sitemap_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).only("slug").order_by("pk")


def sitemap_products() -> QuerySet[Product]:
    """The products an anonymous retail visitor may open (the catalog's own rule): only the
    columns a sitemap needs, in a stable order to page through."""
    guest = CustomerContext(
        channel=Channel.B2C,
        currency=settings.SHOP_CURRENCY,
        country=settings.SHOP_COUNTRY,
        language=settings.LANGUAGE_CODE,
    )
    return visible_products(guest).only("slug", "updated_at").order_by("pk")


def sitemap_products_updated():
    """When the newest of ``sitemap_products`` changed (one aggregate, not a read of them all)."""
    return sitemap_products().aggregate(latest=Max("updated_at"))["latest"]
