"""Articles and pages over the API: the same rules as the pages, product blocks priced for
the caller."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from tandem.customers.api_auth import api_token_create
from tests.content.conftest import make_article, make_page

pytestmark = pytest.mark.django_db


def test_the_list_holds_public_articles_newest_first_in_the_callers_language(client: Client, category):
    make_article("old", title="Old", days_ago=9)
    make_article("new", title="New", days_ago=1, category=category, translations={"ru": {"title": "Новое"}})
    make_article("draft", title="Draft", is_published=False)
    make_article("later", title="Later", published_at=timezone.now() + timedelta(hours=1))

    body = client.get("/api/v1/articles", {"language": "ru"}).json()

    assert [item["title"] for item in body["items"]] == ["Новое", "Old"]
    assert body["items"][0]["category"] == "buying-guides"
    assert (body["count"], body["page"], body["pages"]) == (2, 1, 1)


@pytest.mark.parametrize(
    "fields",
    [{"is_published": False}, {"published_at": timezone.now() + timedelta(days=1)}],
    ids=["unpublished", "scheduled-for-later"],
)
def test_an_article_not_yet_public_is_a_404(client: Client, fields):
    make_article("soon", **fields)

    response = client.get("/api/v1/articles/soon")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_guest_gets_gross_retail_prices_and_no_wholesale_products(client: Client, shelf):
    make_article("drills", products=[shelf["everyone"], shelf["wholesale"], shelf["retail"]])

    body = client.get("/api/v1/articles/drills").json()

    assert [block["name"] for block in body["products"]] == ["Cordless drill", "Gift set"]
    price = body["products"][0]["price"]
    assert (Decimal(price["amount"]), price["includes_tax"]) == (Decimal("123.00"), True)
    assert body["products"][0]["available"] == 5


def test_a_company_token_gets_its_net_prices_and_its_assortment(client: Client, buyer, shelf):
    make_article(
        "drills", products=[shelf["everyone"], shelf["wholesale"], shelf["retail"], shelf["restricted"]]
    )
    _token, key = api_token_create(user=buyer, name="erp")

    body = client.get("/api/v1/articles/drills", HTTP_AUTHORIZATION=f"Bearer {key}").json()

    assert [block["name"] for block in body["products"]] == ["Cordless drill", "Bulk screws"]
    price = body["products"][0]["price"]
    assert (Decimal(price["amount"]), price["includes_tax"]) == (Decimal("100.00"), False)


def test_an_article_body_comes_as_markdown_and_as_safe_html(client: Client):
    make_article(
        "safe", body="**Bold** <script>alert(1)</script>", translations={"pl": {"body": "**Gruby**"}}
    )

    english = client.get("/api/v1/articles/safe").json()
    bulgarian = client.get("/api/v1/articles/safe", {"language": "bg"}).json()
    polish = client.get("/api/v1/articles/safe", {"language": "pl"}).json()

    assert "<script>" not in english["body_html"] and "<strong>Bold</strong>" in english["body_html"]
    assert bulgarian["body"] == english["body"]  # no Bulgarian text: the default language's
    assert polish["body_html"] == "<p><strong>Gruby</strong></p>\n"


def test_a_static_page_is_read_when_published(client: Client):
    make_page("contact", title="Contact", translations={"pl": {"title": "Kontakt"}})
    make_page("draft", is_published=False)

    page = client.get("/api/v1/pages/contact", {"language": "pl"}).json()

    assert page["title"] == "Kontakt" and page["body"] == "We ship on **working days**."
    assert client.get("/api/v1/pages/draft").status_code == 404


def test_a_key_needs_only_catalog_read(client: Client, customer):
    make_article("open")
    make_page("contact")
    _token, key = api_token_create(user=customer, name="reader", scopes=["catalog:read"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    statuses = [
        client.get(path, **auth).status_code
        for path in ("/api/v1/articles", "/api/v1/articles/open", "/api/v1/pages/contact")
    ]

    assert statuses == [200, 200, 200]
