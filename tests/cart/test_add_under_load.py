"""Adding to the cart under load: visibility of one product is checked for that product
only, and the write transaction holds only the cart's own rows (issue 11: the old check
listed the whole catalog inside the database's write lock)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.cart.services import cart_add
from tandem.catalog.models import Product, Visibility
from tandem.catalog.selectors import product_visible_to, visible_products
from tandem.customers.models import CustomerGroup
from tests.concurrency import run_at_once
from tests.factories import b2b_context, b2c_context, make_cart, make_company, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    """Products of every kind of visibility, and companies in and out of a shared catalog."""
    group = CustomerGroup.objects.create(code="pro", name="Pro")
    insider = make_company("Insider", group=group)
    named = make_company("Named")
    outsider = make_company("Outsider")
    products = {
        "both": make_product(visibility=Visibility.BOTH),
        "retail": make_product(visibility=Visibility.B2C),
        "wholesale": make_product(visibility=Visibility.B2B, gross=None, net="10.00"),
        "for the group": make_product(
            visibility=Visibility.B2B, gross=None, net="10.00", b2b_restricted=True
        ),
        "for a company": make_product(
            visibility=Visibility.B2B, gross=None, net="10.00", b2b_restricted=True
        ),
        "inactive": make_product(is_active=False),
    }
    products["for the group"].b2b_groups.add(group)
    products["for a company"].b2b_companies.add(named)
    contexts = {
        "retail": b2c_context(),
        "insider": b2b_context(insider),
        "named": b2b_context(named),
        "outsider": b2b_context(outsider),
    }
    return products, contexts


def test_one_product_is_visible_exactly_when_the_catalog_listing_shows_it(catalog):
    products, contexts = catalog
    for who, context in contexts.items():
        listed = set(visible_products(context).values_list("pk", flat=True))
        for kind, product in products.items():
            product = Product.objects.get(pk=product.pk)
            assert product_visible_to(context, product) == (product.pk in listed), (who, kind)


def _queries_inside_the_transaction(captured) -> list[str]:
    inside, depth = [], 0
    for sql in (query["sql"] for query in captured):
        if re.match(r"\s*(SAVEPOINT|BEGIN)", sql):
            depth += 1
        elif re.match(r"\s*(RELEASE SAVEPOINT|COMMIT|ROLLBACK)", sql):
            depth -= 1
        elif depth:
            inside.append(sql)
    return inside


@pytest.mark.parametrize("catalog_size", [1, 40])
def test_adding_to_the_cart_costs_the_same_for_any_catalog_and_locks_only_the_cart(catalog, catalog_size):
    products, contexts = catalog
    for _ in range(catalog_size):
        make_product(visibility=Visibility.B2B, gross=None, net="5.00", b2b_restricted=True)
    cart = make_cart()
    sku = products["for the group"].variants.get().sku

    with CaptureQueriesContext(connection) as captured:
        cart_add(cart=cart, context=contexts["insider"], sku=sku, quantity=2)

    inside = _queries_inside_the_transaction(captured)
    assert len(captured) <= 12
    assert inside and not [sql for sql in inside if "catalog_product" in sql or "inventory_stockitem" in sql]


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_parallel_adds_of_one_new_item_to_one_cart_make_one_line_of_their_sum():
    """Quick clicks from several tabs: the cart's row lock lets each add see the line the
    one before it made (without it two inserts collide on the one-line-per-item rule)."""
    product = make_product(stock=100)
    cart = make_cart()
    sku = product.variants.get().sku

    results = run_at_once([lambda: cart_add(cart=cart, context=b2c_context(), sku=sku, quantity=1)] * 8)

    assert not [result for result in results if isinstance(result, Exception)], results
    assert list(cart.lines.values_list("quantity", flat=True)) == [8]
