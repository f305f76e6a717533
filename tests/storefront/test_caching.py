"""Catalog pages are cached per price context: nobody ever sees another context's prices."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.cart.services import cart_add, cart_get
from tandem.catalog.caching import price_context_key
from tandem.catalog.models import Visibility
from tandem.core.catalog_cache import catalog_version
from tandem.customers.models import CustomerGroup
from tandem.inventory.services import StockRequest, stock_reserve
from tandem.messaging.services import notifications_read_all, notify_users
from tandem.pricing.models import BasePrice, PriceList, PriceListEntry
from tests.factories import b2b_context, make_company, make_company_user, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def drill():
    return make_product("Cordless drill", gross="123.00", net="90.00")


def test_a_page_cached_for_guests_is_not_served_to_a_company_buyer(client, drill, buyer):
    url = drill.category.get_absolute_url()
    assert "123.00 PLN" in client.get(url).text
    client.force_login(buyer)
    page = client.get(url).text
    assert "90.00 PLN" in page and "123.00 PLN" not in page


def test_a_page_cached_for_one_company_is_not_served_to_another(client, drill):
    installers = CustomerGroup.objects.create(code="installers", name="Installers")
    special = make_product(
        "Installer kit",
        category=drill.category,
        b2b_restricted=True,
        visibility=Visibility.B2B,
        net="50.00",
        gross=None,
    )
    special.b2b_groups.add(installers)
    insider = make_company_user(make_company("Insider", group=installers))
    outsider = make_company_user(make_company("Outsider"))
    url = drill.category.get_absolute_url()
    client.force_login(insider)
    assert "Installer kit" in client.get(url).text
    client.force_login(outsider)
    assert "Installer kit" not in client.get(url).text
    assert client.get(special.get_absolute_url()).status_code == 404


def test_price_explanations_for_staff_are_never_shown_to_shoppers(client, drill, staff_admin):
    client.force_login(staff_admin)
    assert 'data-testid="price-explanation"' in client.get(drill.get_absolute_url()).text
    client.logout()
    assert 'data-testid="price-explanation"' not in client.get(drill.get_absolute_url()).text


def test_a_price_changed_by_staff_shows_at_once(
    client, drill, staff_admin, django_capture_on_commit_callbacks
):
    assert "123.00 PLN" in client.get(drill.get_absolute_url()).text
    price = BasePrice.objects.get(variant__product=drill, channel="b2c")
    client.force_login(staff_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/pricing/baseprice/{price.pk}/change/",
            {"variant": price.variant_id, "currency": "PLN", "channel": "b2c", "amount": "99.00"},
        )
    client.logout()
    page = client.get(drill.get_absolute_url()).text
    assert "99.00 PLN" in page and "123.00 PLN" not in page


def test_each_language_gets_its_own_cached_page(client):
    product = make_product("Hammer", translations={"pl": {"name": "Młotek"}})
    assert "Hammer" in client.get(product.get_absolute_url()).text
    client.get(reverse("storefront:preferences"), {"language": "pl"})
    assert "Młotek" in client.get(product.get_absolute_url()).text


def test_companies_on_the_same_lists_share_cached_pages_and_a_contract_price_does_not(client, drill):
    """Pages are cached per price context, not per company: two companies of one group with
    no prices of their own share one entry; a company with a contract price gets its own."""
    installers = CustomerGroup.objects.create(code="installers", name="Installers")
    first, second, contracted = (
        make_company(name, group=installers) for name in ("First", "Second", "Contract")
    )
    contract = PriceList.objects.create(code="contract", name="Contract", currency="PLN")
    contract.companies.add(contracted)
    PriceListEntry.objects.create(
        price_list=contract, variant=drill.variants.get(), min_quantity=1, price="77.00"
    )
    version = catalog_version()

    assert price_context_key(b2b_context(first), version) == price_context_key(b2b_context(second), version)
    assert price_context_key(b2b_context(contracted), version) != price_context_key(
        b2b_context(first), version
    )

    url = drill.category.get_absolute_url()
    client.force_login(make_company_user(first))
    assert "90.00 PLN" in client.get(url).text
    client.force_login(make_company_user(contracted))
    page = client.get(url).text
    assert "77.00 PLN" in page and "90.00 PLN" not in page


def test_a_cached_b2b_page_runs_no_query_and_its_header_counts_stay_true(client, drill):
    """The header's cart and inbox counts come from the shared cache: a cached category page
    costs a company buyer no database query, and the counts change the moment the cart or
    the inbox does."""
    buyer = make_company_user(make_company("ACME"))
    client.force_login(buyer)
    url = drill.category.get_absolute_url()
    client.get(url)

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    assert [query["sql"] for query in captured] == []

    cart = cart_get(user_id=buyer.pk, token=None, create=True)
    cart_add(
        cart=cart, context=b2b_context(buyer.company_user.company), sku=drill.variants.get().sku, quantity=1
    )
    notify_users(user_ids=[buyer.pk], kind="test", title="Hello")
    page = client.get(url).text
    assert 'data-testid="cart-count">1<' in page and 'data-testid="inbox-count">1<' in page
    notifications_read_all(user=buyer)
    assert 'data-testid="inbox-count"' not in client.get(url).text


def test_the_pages_of_a_listing_share_its_facet_counts_and_total(client, drill):
    """Page 2 (or another sort) of a category counts nothing again: the facets and the total
    of that listing for that price context come from the shared cache."""
    for _ in range(50):
        make_product(category=drill.category)
    url = drill.category.get_absolute_url()
    client.get(url)

    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"{url}?page=2&sort=name")

    assert page.status_code == 200
    assert not [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]


def test_companies_of_different_groups_share_a_page_and_see_their_own_prices(client, drill):
    """The page is built once for everyone who sees the same products; each price context
    only prices its variants (no listing, facet or card query)."""
    variant = drill.variants.get()
    groups = []
    for code, price in (("silver", "80.00"), ("gold", "70.00")):
        group = CustomerGroup.objects.create(code=code, name=code)
        price_list = PriceList.objects.create(code=code, name=code, currency="PLN")
        price_list.customer_groups.add(group)
        PriceListEntry.objects.create(price_list=price_list, variant=variant, min_quantity=1, price=price)
        groups.append(group)
    url = drill.category.get_absolute_url()
    client.force_login(make_company_user(make_company("Silver buyer", group=groups[0])))
    assert "80.00 PLN" in client.get(url).text

    client.force_login(make_company_user(make_company("Gold buyer", group=groups[1])))
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).text
    assert "70.00 PLN" in page and "80.00 PLN" not in page
    tables = {q["sql"].split(" FROM ")[1].split()[0].strip('"') for q in captured if " FROM " in q["sql"]}
    assert "catalog_product" not in tables and "catalog_productimage" not in tables
    assert "pricing_pricelistentry" in tables


@override_settings(STOCK_CACHE_SECONDS=0)
def test_a_sale_shows_on_a_cached_page_without_rebuilding_it(client, drill, buyer):
    url = drill.get_absolute_url()
    client.force_login(buyer)
    page = client.get(url).text
    assert "10 in stock" in page and 'data-testid="add-to-cart"' in page
    stock_reserve(requests=[StockRequest(drill.variants.get().pk, 10)], reference="TEST-1")

    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).text
    assert "Out of stock" in page and 'data-testid="add-to-cart"' not in page
    assert not [q for q in captured if 'FROM "catalog_product"' in q["sql"]]  # the page itself was cached


def test_a_product_text_cannot_forge_a_price_slot(client):
    product = make_product("<!--slot:price:1--> Tricky", gross="10.00")
    page = client.get(product.category.get_absolute_url()).text
    assert "&lt;!--slot:price:1--&gt; Tricky" in page
    assert "10.00 PLN" in page
