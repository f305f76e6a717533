"""Articles and static pages in the storefront: only what is published and due, in the
reader's language, Markdown made safe, product blocks as the reader sees them."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.content.conftest import make_article, make_page

pytestmark = pytest.mark.django_db


def blocks(html: str) -> int:
    return html.count('data-testid="product-block"')


@pytest.mark.parametrize(
    "fields",
    [
        {"is_published": False},
        {"published_at": timezone.now() + timedelta(days=2)},
    ],
    ids=["unpublished", "scheduled-for-later"],
)
def test_an_article_not_yet_public_is_neither_listed_nor_shown(client: Client, fields):
    make_article("hidden-one", title="Hidden one", **fields)
    make_article("public-one", title="Public one")

    listing = client.get("/articles/").content.decode()

    assert "Public one" in listing and "Hidden one" not in listing
    assert client.get("/articles/hidden-one/").status_code == 404


def test_the_list_shows_the_newest_first_and_filters_by_category(client: Client, category):
    make_article("older", title="Older advice", days_ago=10)
    make_article("newer", title="Newer advice", days_ago=2, category=category)

    everything = client.get("/articles/").content.decode()
    guides = client.get("/articles/", {"category": "buying-guides"}).content.decode()

    assert everything.index("Newer advice") < everything.index("Older advice")
    assert "Newer advice" in guides and "Older advice" not in guides
    assert client.get("/articles/", {"category": "no-such"}).status_code == 404


def test_the_list_is_paged_twelve_a_page(client: Client):
    for number in range(13):
        make_article(f"tip-{number}", days_ago=number + 1)

    first = client.get("/articles/").content.decode()
    second = client.get("/articles/", {"page": 2}).content.decode()

    assert first.count('data-testid="article-card"') == 12
    assert second.count('data-testid="article-card"') == 1
    assert 'data-testid="next-page"' in first


def test_a_guest_sees_the_gross_retail_price_and_only_retail_products(client: Client, shelf):
    make_article("drills", products=[shelf["everyone"], shelf["wholesale"], shelf["retail"]])

    html = client.get("/articles/drills/").content.decode()

    assert blocks(html) == 2
    assert "Cordless drill" in html and "Gift set" in html and "Bulk screws" not in html
    assert "123.00 PLN" in html and "incl. VAT" in html
    assert "In stock" in html


def test_a_company_buyer_sees_the_net_price_and_only_their_assortment(client: Client, buyer, shelf):
    make_article(
        "drills", products=[shelf["everyone"], shelf["wholesale"], shelf["retail"], shelf["restricted"]]
    )
    client.force_login(buyer)

    html = client.get("/articles/drills/").content.decode()

    assert blocks(html) == 2
    assert "Cordless drill" in html and "Bulk screws" in html
    assert "Gift set" not in html and "Contract drill" not in html
    assert "100.00 PLN" in html and "net, excl. VAT" in html and "123.00 PLN" not in html


def test_an_article_is_read_in_the_readers_language_else_in_the_default_one(client: Client):
    make_article(
        "winter",
        title="Storing tools over winter",
        body="Keep batteries **half charged**.",
        translations={
            "pl": {"title": "Przechowywanie narzędzi zimą", "body": "Trzymaj akumulatory **w połowie**."}
        },
    )

    client.cookies["django_language"] = "pl"
    polish = client.get("/articles/winter/").content.decode()
    client.cookies["django_language"] = "bg"
    bulgarian = client.get("/articles/winter/").content.decode()

    assert "Przechowywanie narzędzi zimą" in polish and "<strong>w połowie</strong>" in polish
    assert "Storing tools over winter" in bulgarian and "<strong>half charged</strong>" in bulgarian


def test_markdown_in_an_article_is_rendered_without_scripts(client: Client):
    make_article("unsafe", body="Hello <script>alert('x')</script> [link](javascript:alert(1)) **bold**")

    html = client.get("/articles/unsafe/").content.decode()

    assert "<script>alert" not in html
    assert 'href="javascript' not in html
    assert "<strong>bold</strong>" in html


def test_a_static_page_is_shown_when_published_and_linked_from_the_footer(client: Client):
    make_page("delivery", title="Delivery", show_in_footer=True, translations={"pl": {"title": "Dostawa"}})
    make_page("old-terms", title="Old terms", is_published=False, show_in_footer=True)

    page = client.get("/pages/delivery/").content.decode()
    client.cookies["django_language"] = "pl"
    polish_home = client.get("/").content.decode()

    assert "<strong>working days</strong>" in page
    assert 'href="/pages/delivery/"' in page and 'href="/articles/"' in page
    assert "Old terms" not in page
    assert "Dostawa" in polish_home
    assert client.get("/pages/old-terms/").status_code == 404
    assert client.get("/pages/nothing/").status_code == 404


def test_the_article_page_reads_a_bounded_number_of_queries(
    client: Client, shelf, django_assert_max_num_queries
):
    """Four product blocks cost no more queries than one: they are loaded and priced in bulk."""
    make_article("one", products=[shelf["everyone"]])
    make_article("four", products=list(shelf.values()))
    client.get("/articles/one/")  # the footer and the chrome are read once a minute

    with django_assert_max_num_queries(10) as one:
        client.get("/articles/one/")
    with django_assert_max_num_queries(10) as four:
        client.get("/articles/four/")

    assert len(four.captured_queries) == len(one.captured_queries)
