"""Articles and static pages over the API (public): texts in the caller's language
(``language``, else the request's); an article's product blocks as the caller sees them —
their price and stock, products they may not see left out."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tandem.catalog.schemas import ProductCardOut
from tandem.content import selectors
from tandem.content.models import Article, Page
from tandem.core.translation import active_language
from tandem.customers.api_auth import guest_auth
from tandem.service.markdown import markdown_html

# Anonymous callers, sessions and bearer tokens alike: a token sees exactly what its user sees.
router = Router(tags=["content"], auth=guest_auth)


class ArticleQuery(Schema):
    category: str = Field("", max_length=80, description="an article category's slug; empty: all")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(12, ge=1, le=50)
    language: str = Field("", max_length=8, description="en, pl, bg or ru; default: the request's")


class LanguageQuery(Schema):
    language: str = Field("", max_length=8, description="en, pl, bg or ru; default: the request's")


class ArticleSummaryOut(Schema):
    slug: str
    title: str
    lead: str
    category: str | None = Field(description="the category's slug")
    category_name: str | None
    author: str
    published_at: datetime
    cover: str | None = Field(description="the cover image's URL")
    url: str = Field(description="the article's page")

    @staticmethod
    def fields_of(article: Article, language: str) -> dict:
        return {
            "slug": article.slug,
            "title": article.tr("title", language),
            "lead": article.tr("lead", language),
            "category": article.category.slug if article.category else None,
            "category_name": article.category.tr("name", language) if article.category else None,
            "author": article.author_name,
            "published_at": article.published_at,
            "cover": article.cover.url if article.cover else None,
            "url": article.get_absolute_url(),
        }


class ArticlePageOut(Schema):
    items: list[ArticleSummaryOut]
    count: int
    page: int
    pages: int


class ArticleOut(ArticleSummaryOut):
    body: str = Field(description="Markdown")
    body_html: str = Field(description="the body as safe HTML")
    products: list[ProductCardOut] = Field(description="the product blocks the caller may see, in order")


class PageOut(Schema):
    slug: str
    title: str
    body: str = Field(description="Markdown")
    body_html: str = Field(description="the body as safe HTML")
    updated_at: datetime

    @staticmethod
    def of(page: Page, language: str) -> "PageOut":
        body = page.tr("body", language)
        return PageOut(
            slug=page.slug,
            title=page.tr("title", language),
            body=body,
            body_html=markdown_html(body),
            updated_at=page.updated_at,
        )


@router.get("/articles", response=ArticlePageOut, url_name="articles")
def articles(request: HttpRequest, params: Query[ArticleQuery]):
    """A page of the published articles, newest first (404 for an unknown category)."""
    language = active_language(params.language)
    category = selectors.article_category_by_slug(params.category) if params.category else None
    page = selectors.article_page(category=category, page_number=params.page, per_page=params.page_size)
    return ArticlePageOut(
        items=[ArticleSummaryOut(**ArticleSummaryOut.fields_of(article, language)) for article in page],
        count=page.paginator.count,
        page=page.number,
        pages=page.paginator.num_pages,
    )


@router.get("/articles/{slug}", response=ArticleOut, url_name="article")
def article(request: HttpRequest, slug: str, params: Query[LanguageQuery]):
    """One published article with its body and its product blocks priced for the caller
    (404 for an article unpublished or scheduled for later)."""
    language = active_language(params.language)
    found = selectors.article_published(slug)
    body = found.tr("body", language)
    cards = selectors.article_product_cards(request.customer_context, found)
    return ArticleOut(
        **ArticleSummaryOut.fields_of(found, language),
        body=body,
        body_html=markdown_html(body),
        products=[ProductCardOut.of(card, language) for card in cards],
    )


@router.get("/pages/{slug}", response=PageOut, url_name="content_page")
def page(request: HttpRequest, slug: str, params: Query[LanguageQuery]):
    """A published static page (terms, privacy, delivery, contact…)."""
    return PageOut.of(selectors.page_published(slug), active_language(params.language))
