"""A sales rep acting for a customer: who may, what the shop shows them, the acting cart, and
orders placed on the customer's behalf (both identities recorded, the customer sees it)."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from tandem.billing.models import LedgerEntry
from tandem.cart.models import Cart, CartLine
from tandem.catalog.models import Visibility
from tandem.core.models import AuditEntry
from tandem.customers.models import CompanyRole
from tandem.messaging.models import Notification
from tandem.orders.models import Order, OrderEvent
from tandem.pricing.models import PriceList, PriceListEntry
from tests.factories import (
    company_address,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    make_user,
)
from tests.salesrep.conftest import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(rep):
    """ACME (the rep's customer) with a contract price list and its admin and buyer; Other
    Trading (another rep's); a drill for everyone and a pallet for companies only."""
    make_delivery("courier", price_net="0.00")
    acme = make_company("ACME Tools", sales_rep=rep, credit_limit=Decimal("5000"), email="invoices@acme.test")
    other = make_company("Other Trading", sales_rep=staff_user("rita@shop.test", "Sales rep"))
    drill = make_product("Drill", gross="123.00", net="100.00", stock=50)
    pallet = make_product("Pallet of drills", gross=None, net="9000.00", visibility=Visibility.B2B, stock=5)
    contract = PriceList.objects.create(code="acme", name="ACME contract", currency="PLN")
    contract.companies.add(acme)
    PriceListEntry.objects.create(
        price_list=contract, variant=drill.variants.get(), min_quantity=1, price=Decimal("80.00")
    )
    return {
        "acme": acme,
        "other": other,
        "drill": drill,
        "pallet": pallet,
        "address": company_address(acme),
        "admin": make_company_user(acme, CompanyRole.ADMIN, email="ada@acme.test", full_name="Ada Admin"),
        "buyer": make_company_user(acme, CompanyRole.BUYER, email="bob@acme.test", full_name="Bob Buyer"),
    }


def act(client, company):
    return client.post(f"/rep/customers/{company.pk}/act/")


def add(client, variant, quantity=1):
    return client.post("/cart/add/", {"sku": variant.sku, "quantity": quantity})


def checkout(client, shop, **fields):
    page = client.get("/checkout/")
    submission = re.search(r'name="submission" value="([0-9a-f]+)"', page.text).group(1)
    return client.post(
        "/checkout/",
        {
            "delivery_method": "courier",
            "payment_method": "on_account",
            "address_id": shop["address"].pk,
            "po_number": "PO-REP-1",
            "submission": submission,
            **fields,
        },
    )


# --- who may act for whom --------------------------------------------------------------------


def test_acting_for_an_assigned_customer_shows_their_net_contract_prices_and_the_banner(client, rep, shop):
    client.force_login(rep)
    assert "80.00" not in client.get(shop["drill"].get_absolute_url()).text  # the rep's own view: retail

    response = act(client, shop["acme"])

    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get(shop["drill"].get_absolute_url()).text
    assert re.search(r'data-testid="product-price"><strong>80.00 PLN', page)
    assert re.search(r'data-testid="acting-banner"', page)
    assert "Acting for ACME Tools as Rep" in page
    assert shop["pallet"].name in client.get("/search/?q=pallet").text  # the B2B-only assortment
    assert client.session["acting_company_id"] == shop["acme"].pk


def test_starting_and_stopping_are_audited_with_both_identities(client, rep, shop):
    client.force_login(rep)
    act(client, shop["acme"])
    response = client.post("/rep/acting/stop/")

    assert response["Location"] == "/rep/"
    assert "acting_company_id" not in client.session
    assert list(AuditEntry.objects.order_by("pk").values_list("action", "actor", "on_behalf_of")) == [
        ("acting.started", rep.pk, shop["acme"].pk),
        ("acting.stopped", rep.pk, shop["acme"].pk),
    ]
    assert "acting-banner" not in client.get("/").text


def test_acting_for_another_reps_customer_is_a_404_and_starts_nothing(client, rep, shop):
    client.force_login(rep)
    assert act(client, shop["other"]).status_code == 404
    assert client.post("/rep/customers/999999/act/").status_code == 404
    assert "acting_company_id" not in client.session
    assert not AuditEntry.objects.exists()


def test_a_forged_or_stale_acting_company_in_the_session_is_dropped(client, rep, shop):
    """The session is checked on every request: another rep's customer never gets through."""
    client.force_login(rep)
    session = client.session
    session["acting_company_id"] = shop["other"].pk
    session.save()

    page = client.get(shop["drill"].get_absolute_url()).text

    assert "acting-banner" not in page and "Other Trading" not in page
    assert "acting_company_id" not in client.session


def test_a_customer_given_to_another_rep_stops_the_acting(client, rep, shop):
    client.force_login(rep)
    act(client, shop["acme"])
    shop["acme"].sales_rep = shop["other"].sales_rep
    shop["acme"].save()

    assert "acting-banner" not in client.get("/").text
    assert "acting_company_id" not in client.session


def test_an_admin_with_act_for_all_customers_may_act_for_any_company(client, shop):
    admin = staff_user("boss@shop.test", "Admin")
    client.force_login(admin)
    assert act(client, shop["other"]).status_code == 302
    assert "Acting for Other Trading" in client.get("/").text
    assert list(
        Group.objects.filter(permissions__codename="act_for_all_customers")
        .values_list("name", flat=True)
        .order_by("name")
    ) == ["Admin", "Sales manager"]


@pytest.mark.parametrize("who", ["buyer", "retail", "plain staff"])
def test_customers_and_other_staff_cannot_act(client, shop, who):
    user = {
        "buyer": lambda: shop["buyer"],
        "retail": lambda: make_user("anna@shop.test"),
        "plain staff": lambda: make_user("idle@shop.test", is_staff=True),
    }[who]()
    client.force_login(user)
    assert act(client, shop["acme"]).status_code == 403
    assert "acting_company_id" not in client.session


def test_a_customer_cannot_slip_into_acting_through_the_session(client, shop):
    client.force_login(shop["buyer"])
    session = client.session
    session["acting_company_id"] = shop["other"].pk
    session.save()
    assert "acting-banner" not in client.get("/").text


def test_the_acting_page_cache_is_not_served_to_the_companys_users(client, rep, shop):
    """The rep (staff) sees where the price comes from; the company's buyer must not."""
    client.force_login(rep)
    act(client, shop["acme"])
    assert "price-explanation" in client.get(shop["drill"].get_absolute_url()).text

    client.force_login(shop["buyer"])
    page = client.get(shop["drill"].get_absolute_url()).text
    assert "price-explanation" not in page and "acting-banner" not in page
    assert re.search(r'data-testid="product-price"><strong>80.00 PLN', page)


# --- the acting cart ----------------------------------------------------------------------------


def test_the_acting_cart_is_neither_the_reps_own_nor_the_company_users(client, rep, shop):
    drill = shop["drill"].variants.get()
    own = Cart.objects.create(user=rep)
    CartLine.objects.create(cart=own, variant=drill, quantity=7)
    buyers = Cart.objects.create(user=shop["buyer"])
    CartLine.objects.create(cart=buyers, variant=drill, quantity=3)
    client.force_login(rep)
    act(client, shop["acme"])

    add(client, drill, 2)

    acting_cart = Cart.objects.get(token=client.session[f"acting_cart:{shop['acme'].pk}"])
    assert acting_cart.user is None
    assert list(acting_cart.lines.values_list("quantity", flat=True)) == [2]
    assert (own.lines.get().quantity, buyers.lines.get().quantity) == (7, 3)
    assert re.search(r'data-testid="cart-count">1<', client.get("/").text)
    client.post("/rep/acting/stop/")
    assert re.search(r'data-testid="cart-count">1<', client.get("/").text)  # the rep's own, 1 line
    assert "80.00" not in client.get("/cart/").text


def test_the_acting_cart_waits_for_the_rep_to_come_back_to_that_customer(client, rep, shop):
    client.force_login(rep)
    act(client, shop["acme"])
    add(client, shop["drill"].variants.get(), 4)
    client.post("/rep/acting/stop/")
    act(client, shop["acme"])
    assert re.search(r'value="4"[^>]*data-testid="line-quantity"', client.get("/cart/").text)


# --- placing an order on the customer's behalf ----------------------------------------------


def test_an_order_placed_while_acting_records_the_rep_and_the_company(
    client, rep, shop, django_capture_on_commit_callbacks
):
    client.force_login(rep)
    act(client, shop["acme"])
    add(client, shop["drill"].variants.get(), 2)

    with django_capture_on_commit_callbacks(execute=True):
        response = checkout(client, shop)

    assert response.status_code == 302, response.text
    order = Order.objects.get()
    assert (order.company, order.placed_by, order.user, order.channel) == (shop["acme"], rep, rep, "b2b")
    assert (order.total_net, order.po_number, order.email) == (
        Decimal("160.00"),
        "PO-REP-1",
        "invoices@acme.test",
    )
    event = OrderEvent.objects.get(order=order, kind="placed")
    assert (event.actor, event.on_behalf_of, event.status) == (rep, shop["acme"], "placed")
    # the confirmation goes to the company (its invoice e-mail, its admins), not to the rep
    assert [message.to for message in mail.outbox] == [["invoices@acme.test", "ada@acme.test"]]
    assert not CartLine.objects.filter(cart__user=rep).exists()
    # the company's admins see it in their inbox; the rep is not told of their own order
    told = set(Notification.objects.filter(order=order).values_list("user__email", flat=True))
    assert told == {"ada@acme.test"}


def test_a_company_without_an_invoice_email_gets_the_confirmation_at_its_admin(client, rep, shop):
    shop["acme"].email = ""
    shop["acme"].save()
    client.force_login(rep)
    act(client, shop["acme"])
    add(client, shop["drill"].variants.get())
    checkout(client, shop)
    assert Order.objects.get().email == "ada@acme.test"


def test_the_companys_credit_limit_holds_for_the_rep_too(client, rep, shop):
    LedgerEntry.objects.create(
        company=shop["acme"],
        kind="invoice",
        reference="FV/1",
        currency="PLN",
        debit=Decimal("4900.00"),
        booked_on="2030-01-01",
        due_date="2030-02-01",
    )
    client.force_login(rep)
    act(client, shop["acme"])
    add(client, shop["drill"].variants.get(), 2)  # 196.80 gross, 100.00 available

    response = checkout(client, shop)

    assert response.status_code == 200
    assert "exceeds your available credit" in response.text
    assert not Order.objects.exists()


def test_the_rep_orders_from_the_companys_delivery_addresses_only(client, rep, shop):
    foreign = company_address(shop["other"])
    client.force_login(rep)
    act(client, shop["acme"])
    add(client, shop["drill"].variants.get())
    page = client.get("/checkout/").text
    assert "Dock 4" in page and f'value="{foreign.pk}"' not in page
    response = checkout(client, shop, address_id=foreign.pk)
    assert response.status_code == 200 and not Order.objects.exists()


def test_the_customer_sees_the_order_the_rep_placed_for_them(client, rep, shop):
    client.force_login(rep)
    act(client, shop["acme"])
    add(client, shop["drill"].variants.get())
    checkout(client, shop)
    order = Order.objects.get()

    client.force_login(shop["buyer"])
    listing = client.get("/account/orders/").text
    detail = client.get(f"/account/orders/{order.number}/").text

    assert order.number in listing
    assert re.search(r'Rep <small data-testid="placed-by-rep">\(sales rep, on your behalf\)', listing)
    assert "Placed by Rep (your sales rep) on your behalf." in detail
    client.force_login(rep)  # the rep's own (retail) history does not list the company's order
    assert order.number not in client.get("/account/orders/").text


def test_an_order_placed_by_other_staff_names_the_shop_not_their_sales_rep(client, shop):
    admin = staff_user("boss@shop.test", "Admin")
    client.force_login(admin)
    act(client, shop["acme"])
    add(client, shop["drill"].variants.get())
    checkout(client, shop)

    client.force_login(shop["buyer"])
    detail = client.get(f"/account/orders/{Order.objects.get().number}/").text
    assert "Placed by Boss of Tandem Tools on your behalf." in detail and "(your sales rep)" not in detail


def test_a_staff_members_own_retail_order_has_no_on_your_behalf_note(client, rep, shop):
    client.force_login(rep)
    add(client, shop["drill"].variants.get())
    page = client.get("/checkout/")
    submission = re.search(r'name="submission" value="([0-9a-f]+)"', page.text).group(1)
    client.post(
        "/checkout/",
        {
            "delivery_method": "courier",
            "payment_method": "bank_transfer",
            "address_id": "",
            "recipient": "Rep",
            "street": "Home 1",
            "postal_code": "00-001",
            "city": "Warszawa",
            "country": "PL",
            "submission": submission,
        },
    )
    order = Order.objects.get()
    assert (order.company, order.user) == (None, rep)
    assert "placed-by-rep" not in client.get(f"/account/orders/{order.number}/").text
    assert "placed-by-rep" not in client.get("/account/orders/").text


def test_each_order_placed_for_a_customer_is_in_the_audit_log(client, rep, shop):
    client.force_login(rep)
    act(client, shop["acme"])
    add(client, shop["drill"].variants.get())
    checkout(client, shop)
    order = Order.objects.get()
    entry = AuditEntry.objects.get(action="acting.order_placed")
    assert (entry.actor, entry.on_behalf_of, entry.object_id) == (rep, shop["acme"], str(order.pk))
    assert entry.changes["number"] == order.number and entry.changes["total_gross"] == str(order.total_gross)

    client.force_login(shop["buyer"])  # the customer's own order is not acting
    add(client, shop["drill"].variants.get())
    checkout(client, shop)
    assert AuditEntry.objects.filter(action="acting.order_placed").count() == 1
