from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.catalog.models import Visibility
from tandem.content.models import Article, ArticleCategory, ArticleProduct, Page
from tests.factories import make_product


def make_article(slug: str = "", *, products=(), days_ago: int = 1, **fields) -> Article:
    """A published article (yesterday, by default) with the given product blocks in order."""
    slug = slug or f"article-{Article.objects.count() + 1}"
    fields.setdefault("is_published", True)
    article = Article.objects.create(
        slug=slug,
        title=fields.pop("title", slug.replace("-", " ").capitalize()),
        lead=fields.pop("lead", "A short lead."),
        body=fields.pop("body", "Some **useful** advice."),
        published_at=fields.pop("published_at", timezone.now() - timedelta(days=days_ago)),
        **fields,
    )
    for order, product in enumerate(products):
        ArticleProduct.objects.create(article=article, product=product, sort_order=order)
    return article


def make_page(slug: str = "delivery", **fields) -> Page:
    return Page.objects.create(
        slug=slug,
        title=fields.pop("title", slug.capitalize()),
        body=fields.pop("body", "We ship on **working days**."),
        **fields,
    )


@pytest.fixture
def category(db) -> ArticleCategory:
    return ArticleCategory.objects.create(name="Buying guides", slug="buying-guides")


@pytest.fixture
def shelf(db):
    """Products of an article: for everyone, wholesale only, retail only, and one kept to a
    restricted wholesale catalog that the test company is not listed in."""
    return {
        "everyone": make_product("Cordless drill", net="100.00", gross="123.00", stock=5),
        "wholesale": make_product("Bulk screws", net="40.00", gross="49.20", visibility=Visibility.B2B),
        "retail": make_product("Gift set", net="20.00", gross="24.60", visibility=Visibility.B2C),
        "restricted": make_product("Contract drill", net="80.00", gross="98.40", b2b_restricted=True),
    }
