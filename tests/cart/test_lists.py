from decimal import Decimal

import pytest

from tandem.cart import lists
from tandem.cart.errors import CartError
from tandem.core.errors import NotFound, PermissionDenied
from tandem.customers.models import CompanyRole
from tests.factories import (
    b2b_context,
    make_cart,
    make_company,
    make_company_user,
    make_product,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme():
    return make_company("ACME", credit_limit=Decimal("1000"))


def test_a_shared_list_is_seen_by_colleagues_but_changed_only_by_its_owner(acme):
    owner = make_company_user(acme, CompanyRole.BUYER)
    colleague = make_company_user(acme, CompanyRole.BUYER)
    outsider = make_company_user(make_company("Other"))
    variant = make_product(net="10.00", stock=10).variants.get()
    private = lists.shopping_list_create(owner=owner, name="Mine")
    shared = lists.shopping_list_create(owner=owner, name="Site B", shared=True)
    lists.shopping_list_add(
        user=owner,
        shopping_list=shared,
        context=b2b_context(acme),
        items=[(variant.sku, 5), (variant.sku, "2")],
    )
    assert list(lists.shopping_lists_for(colleague)) == [shared]
    assert shared.lines.get().quantity == 7
    with pytest.raises(PermissionDenied):
        lists.shopping_list_add(
            user=colleague, shopping_list=shared, context=b2b_context(acme), items=[(variant.sku, 1)]
        )
    for user, found in ((outsider, shared.pk), (colleague, private.pk)):
        with pytest.raises(NotFound):
            lists.shopping_list_for(user, found)


def test_an_unknown_sku_or_a_bad_quantity_changes_nothing(acme):
    owner = make_company_user(acme)
    variant = make_product(net="10.00", stock=10).variants.get()
    shopping_list = lists.shopping_list_create(owner=owner, name="List")
    for items in ([(variant.sku, 1), ("NOPE", 1)], [(variant.sku, "1.5")], [(variant.sku, 0)]):
        with pytest.raises(CartError):
            lists.shopping_list_add(
                user=owner, shopping_list=shopping_list, context=b2b_context(acme), items=items
            )
    assert not shopping_list.lines.exists()


def test_ordering_a_list_or_chosen_lines_goes_through_the_quick_order_rules(acme):
    owner = make_company_user(acme)
    plenty = make_product(net="10.00", stock=100).variants.get()
    scarce = make_product(net="10.00", stock=1).variants.get()
    shopping_list = lists.shopping_list_create(owner=owner, name="Weekly")
    lists.shopping_list_add(
        user=owner,
        shopping_list=shopping_list,
        context=b2b_context(acme),
        items=[(plenty.sku, 10), (scarce.sku, 5)],
    )
    cart = make_cart(user=owner)
    report = lists.shopping_list_to_cart(shopping_list=shopping_list, cart=cart, context=b2b_context(acme))
    assert [(r.sku, r.added, r.code) for r in report.results] == [
        (plenty.sku, True, ""),
        (scarce.sku, False, "insufficient_stock"),
    ]
    chosen = shopping_list.lines.get(variant=plenty).pk
    lists.shopping_list_to_cart(
        shopping_list=shopping_list, cart=cart, context=b2b_context(acme), line_ids=[chosen]
    )
    assert dict(cart.lines.values_list("variant__sku", "quantity")) == {plenty.sku: 20}


def test_a_cart_and_a_past_order_can_be_saved_as_lists(acme, client):
    owner = make_company_user(acme)
    variant = make_product(net="10.00", stock=10).variants.get()
    cart = make_cart(user=owner, lines=[(variant, 4)])
    saved = lists.shopping_list_from_cart(user=owner, cart=cart, name="From cart")
    assert saved.lines.get().quantity == 4 and cart.lines.count() == 1
    with pytest.raises(CartError):
        lists.shopping_list_create(owner=make_user(), name="   ")


def test_lists_over_the_api_and_another_companys_list_is_a_404(client, acme):
    owner = make_company_user(acme)
    variant = make_product(net="10.00", stock=10).variants.get()
    client.force_login(owner)
    created = client.post("/api/v1/lists", {"name": "Tools", "shared": True}, content_type="application/json")
    list_id = created.json()["id"]
    added = client.post(
        f"/api/v1/lists/{list_id}/items",
        {"items": [{"sku": variant.sku, "quantity": 3}]},
        content_type="application/json",
    ).json()
    assert added["lines"][0]["quantity"] == 3 and added["shared"] is True
    moved = client.post(f"/api/v1/lists/{list_id}/to-cart", {}, content_type="application/json").json()
    assert moved["added"] == 1 and moved["cart"]["lines"][0]["quantity"] == 3
    client.force_login(make_company_user(make_company("Other")))
    assert client.get(f"/api/v1/lists/{list_id}").status_code == 404


def test_the_list_pages(client, acme):
    owner = make_company_user(acme)
    variant = make_product("Hammer", net="10.00", stock=10).variants.get()
    client.force_login(owner)
    created = client.post("/account/lists/", {"name": "Site A"})
    page_url = created["Location"]
    client.post(page_url, {"sku": variant.sku, "quantity": "2"})
    assert "Hammer" in client.get(page_url).text
    result = client.post(page_url + "to-cart/", follow=True)
    assert "1 added, 0 not added." in result.text
    assert (
        "not a whole number" in client.post(page_url, {"sku": variant.sku, "quantity": "x"}, follow=True).text
    )
