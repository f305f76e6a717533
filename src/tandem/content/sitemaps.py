"""sitemap.xml: the home page, categories, products any retail visitor may see, public
articles and pages.

The shop chooses a visitor's language by cookie and browser, not by URL prefix, so every page
has one URL and is listed once. Sections are paged (``limit`` URLs a file, under a sitemap
index): a file of products reads only its own rows and only the columns it needs, and the
index asks the database for the newest change instead of reading every product."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from tandem.content import selectors


class StaticSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[str]:
        return ["storefront:home", "content:articles"]

    def location(self, item: str) -> str:
        return reverse(item)


class CategorySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    limit = 5000

    def items(self):
        return selectors.sitemap_categories()


class ProductSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6
    limit = 5000

    def items(self):
        return selectors.sitemap_products()

    def lastmod(self, product):
        return product.updated_at

    def get_latest_lastmod(self):
        return selectors.sitemap_products_updated()


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7
    limit = 5000

    def items(self):
        return selectors.articles_published().select_related(None).only("slug", "updated_at").order_by("pk")

    def lastmod(self, article):
        return article.updated_at


class PageSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return selectors.pages_published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, page):
        return page.updated_at


SITEMAPS = {
    "pages": StaticSitemap,
    "categories": CategorySitemap,
    "products": ProductSitemap,
    "articles": ArticleSitemap,
    "info": PageSitemap,
}
