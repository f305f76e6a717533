"""Each use case announces its change as a domain event, in the change's own transaction
(docs/architecture.md lists them with their payloads)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tandem.billing.documents.issuing import Correction, credit_note_issue, invoice_issue
from tandem.billing.receivables.services import payment_record
from tandem.checkout.services import order_place
from tandem.core.models import OutboxEvent
from tandem.inventory.models import StockItem, Warehouse
from tandem.inventory.services import StockRequest, stock_count, stock_receive, stock_reserve
from tandem.pricing.imports import price_list_entries_import
from tandem.pricing.models import PriceList
from tests.checkout.conftest import company_details, retail_details
from tests.factories import (
    b2c_context,
    company_address,
    make_cart,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    user_context,
)

pytestmark = pytest.mark.django_db


def published(name: str) -> list[dict]:
    return [event.payload for event in OutboxEvent.objects.filter(name=name).order_by("pk")]


def test_issuing_an_invoice_and_a_credit_note_and_booking_a_payment(staff_admin):
    make_delivery("courier", price_net="0.00")
    company = make_company(credit_limit=Decimal("100000"))
    buyer = make_company_user(company)
    variant = make_product(net="100.00", gross=None, stock=10).variants.get()
    order = order_place(
        cart=make_cart(lines=[(variant, 2)]),
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(company_address(company).pk),
    )

    invoice = invoice_issue(order=order, actor=staff_admin)
    line = invoice.lines.get()
    note = credit_note_issue(
        invoice=invoice,
        actor=staff_admin,
        reason="One returned",
        corrections=[Correction(line_id=line.pk, quantity=Decimal(1))],
    )
    payment_record(
        company=company,
        amount=Decimal("50.00"),
        currency=company.currency,
        received_on=timezone.localdate(),
        reference="bank",
        actor=staff_admin,
    )

    [issued] = published("invoice.issued")
    assert (issued["number"], issued["order_id"], issued["total_gross"]) == (
        invoice.number,
        order.pk,
        str(invoice.total_gross),
    )
    assert [(event["number"], event["invoice_number"]) for event in published("credit_note.issued")] == [
        (note.number, invoice.number)
    ]
    assert [(event["company_id"], event["amount"]) for event in published("payment.received")] == [
        (company.pk, "50.00")
    ]


def test_stock_low_is_announced_once_when_free_units_fall_to_the_threshold(settings):
    settings.STOCK_LOW_THRESHOLD = 5
    variant = make_product(stock=8).variants.get()

    stock_reserve(requests=[StockRequest(variant.pk, 2)], reference="order:1")  # 6 left: not yet
    stock_reserve(requests=[StockRequest(variant.pk, 2)], reference="order:2")  # 4 left: low
    stock_reserve(requests=[StockRequest(variant.pk, 1)], reference="order:3")  # 3 left: still low

    assert published("stock.low") == [{"variant_id": variant.pk, "available": 4, "threshold": 5}]
    item = StockItem.objects.get()
    stock_count(item_id=item.pk, on_hand=40)  # restocked…
    stock_count(item_id=item.pk, on_hand=6)  # …and counted down below again: a new crossing
    assert [event["available"] for event in published("stock.low")] == [4, 1]


def test_an_order_from_checkout_announces_itself():
    make_delivery("courier")
    variant = make_product(gross="10.00", stock=10).variants.get()
    order = order_place(
        cart=make_cart(lines=[(variant, 1)]),
        context=b2c_context(),
        details=retail_details(),
        acting_user=AnonymousUser(),
    )
    assert [event["number"] for event in published("order.placed")] == [order.number]


def test_a_price_list_import_announces_the_change(staff_admin):
    variant = make_product(net="10.00", gross=None).variants.get()
    price_list = PriceList.objects.create(code="vip", name="VIP", currency="PLN")

    price_list_entries_import(
        price_list=price_list,
        file_name="prices.csv",
        dry_run=False,
        content=f"sku;price\n{variant.sku};9.00\n".encode(),
        actor_id=staff_admin.pk,
    )
    price_list_entries_import(
        price_list=price_list,
        file_name="prices.csv",
        dry_run=True,
        content=f"sku;price\n{variant.sku};8.00\n".encode(),
        actor_id=staff_admin.pk,
    )

    assert published("price_list.changed") == [
        {"price_list_id": price_list.pk, "source": "import", "created": 1, "updated": 0}
    ]


def test_a_company_changed_in_the_admin_is_announced(client, staff_admin):
    company = make_company("ACME")
    client.force_login(staff_admin)
    form = client.get(f"/admin/customers/company/{company.pk}/change/").context["adminform"].form
    data = {
        name: "" if form.initial.get(name) is None else form.initial[name]
        for name in form.fields
        if name != "logo"
    }
    inlines = {
        f"{prefix}-{key}": "0"
        for prefix in ("members", "addresses", "pickup_persons")
        for key in ("TOTAL_FORMS", "INITIAL_FORMS")
    }

    response = client.post(
        f"/admin/customers/company/{company.pk}/change/", {**data, **inlines, "phone": "+48 22 111 11 11"}
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert published("company.changed") == [{"company_id": company.pk, "created": False, "fields": ["phone"]}]


def test_a_count_in_one_warehouse_is_not_low_stock_while_another_holds_plenty(settings):
    settings.STOCK_LOW_THRESHOLD = 5
    variant = make_product(stock=3).variants.get()  # 3 in the main warehouse
    sofia = Warehouse.objects.create(code="sof", name="Sofia", country="BG")
    stock_receive(variant_id=variant.pk, warehouse_id=sofia.pk, quantity=50)

    stock_count(item_id=StockItem.objects.get(warehouse=sofia).pk, on_hand=40)  # 43 free: fine
    stock_count(item_id=StockItem.objects.get(warehouse=sofia).pk, on_hand=1)  # 4 free: low

    assert published("stock.low") == [{"variant_id": variant.pk, "available": 4, "threshold": 5}]
