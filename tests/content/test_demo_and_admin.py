"""The demo's articles and pages, and editing them in the admin."""

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from tandem.catalog.models import Visibility
from tandem.content.demo_content import content_demo_load
from tandem.content.models import Article, ArticleProduct, Page
from tests.content.conftest import make_article
from tests.factories import make_category, make_product

pytestmark = pytest.mark.django_db


def test_the_demo_writes_articles_and_pages_in_every_language_with_product_blocks():
    drills = make_category("Cordless drills", slug="cordless-drills")
    first, second = make_product(category=drills), make_product(category=drills)
    plugs = make_category("Wall plugs", slug="wall-plugs")
    wholesale = make_product(category=plugs, visibility=Visibility.B2B)

    assert content_demo_load() >= 4

    for article in Article.objects.all():
        assert article.is_published and article.cover and default_storage.exists(article.cover.name)
        for language in ("pl", "bg", "ru"):
            texts = article.translations[language]
            assert texts["title"] != article.title and texts["lead"] and texts["body"]
    drill_article = Article.objects.get(slug="choosing-a-cordless-drill-for-a-renovation-crew")
    assert list(drill_article.product_blocks.values_list("product", flat=True)) == [first.pk, second.pk]
    assert ArticleProduct.objects.filter(product=wholesale).exists()
    assert set(Page.objects.filter(show_in_footer=True).values_list("slug", flat=True)) == {
        "terms",
        "privacy",
        "delivery",
        "contact",
    }
    assert all(set(page.translations) == {"pl", "bg", "ru"} for page in Page.objects.all())
    assert content_demo_load() == 0  # loaded once


def test_staff_edit_an_article_with_its_translations_and_product_blocks(client: Client, staff_admin):
    product = make_product("Cordless drill")
    article = make_article("drills", products=[product])
    client.force_login(staff_admin)

    form = client.get(f"/admin/content/article/{article.pk}/change/").content.decode()
    lookup = client.get(
        "/admin/autocomplete/",
        {"app_label": "content", "model_name": "articleproduct", "field_name": "product", "term": "cordless"},
    )

    assert 'name="title__pl"' in form and 'name="body__ru"' in form and 'name="cover"' in form
    assert 'name="product_blocks-0-product"' in form
    assert [result["text"] for result in lookup.json()["results"]] == ["Cordless drill"]
    for path in (
        "/admin/content/article/",
        "/admin/content/page/add/",
        "/admin/content/articlecategory/add/",
    ):
        assert client.get(path).status_code == 200
