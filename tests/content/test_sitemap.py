"""sitemap.xml and robots.txt: what any retail visitor may open, paged for a big catalog."""

import re

import pytest
from django.test import Client

from tandem.catalog.models import Visibility
from tandem.content.sitemaps import ProductSitemap
from tests.content.conftest import make_article, make_page
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def locations(client: Client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def test_the_index_names_every_section(client: Client):
    sections = locations(client, "/sitemap.xml")

    assert sections == [
        f"http://testserver/sitemap-{name}.xml"
        for name in ("pages", "categories", "products", "articles", "info")
    ]


def test_it_lists_public_pages_and_products_a_retail_visitor_may_see(client: Client):
    product = make_product("Drill", slug="drill")
    make_product("Wholesale box", slug="wholesale-box", visibility=Visibility.B2B)
    make_product("Contract drill", slug="contract-drill", b2b_restricted=True)  # restricts B2B only
    make_product("Retired drill", slug="retired-drill", is_active=False)
    make_article("winter-storage")
    make_article("draft", is_published=False)
    make_page("delivery")

    products = locations(client, "/sitemap-products.xml")
    articles = locations(client, "/sitemap-articles.xml")

    assert products == ["http://testserver/p/drill/", "http://testserver/p/contract-drill/"]
    assert articles == ["http://testserver/articles/winter-storage/"]
    assert locations(client, "/sitemap-info.xml") == ["http://testserver/pages/delivery/"]
    assert f"http://testserver/c/{product.category.slug}/" in locations(client, "/sitemap-categories.xml")
    assert locations(client, "/sitemap-pages.xml") == ["http://testserver/", "http://testserver/articles/"]


def test_products_are_paged_and_each_page_reads_only_its_rows(
    client: Client, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(ProductSitemap, "limit", 2)
    for number in range(5):
        make_product(f"Drill {number}", slug=f"drill-{number}")

    index = locations(client, "/sitemap.xml")
    with django_assert_max_num_queries(6) as reads:
        last = locations(client, "/sitemap-products.xml?p=3")

    assert "http://testserver/sitemap-products.xml?p=3" in index
    assert last == ["http://testserver/p/drill-4/"]
    product_reads = [query["sql"] for query in reads.captured_queries if '"catalog_product"' in query["sql"]]
    assert any("LIMIT 1 OFFSET 4" in sql for sql in product_reads)  # the third page of two
    assert all('"description"' not in sql for sql in product_reads)  # only the columns it needs
    assert client.get("/sitemap-products.xml?p=4").status_code == 404


def test_robots_txt_points_to_the_sitemap(client: Client):
    text = client.get("/robots.txt").content.decode()

    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text
