from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from tandem.checkout.recurring_runs import recurring_run_due
from tandem.checkout.services import order_place
from tandem.core.errors import DomainError
from tandem.customers.models import CompanyRole
from tandem.inventory.models import StockItem
from tandem.messaging.models import Notification
from tandem.orders.models import Order, RecurringOrder
from tandem.orders.recurring import next_date, recurring_from_order, recurring_set_state
from tandem.pricing.models import BasePrice
from tests.checkout.conftest import company_details
from tests.factories import (
    company_address,
    make_cart,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    make_user,
    user_context,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def past_order():
    make_delivery("courier")
    rep = make_user("rep@shop.test", is_staff=True)
    company = make_company("ACME", credit_limit=Decimal("100000"), sales_rep=rep)
    buyer = make_company_user(company, CompanyRole.BUYER)
    variant = make_product(net="10.00", gross=None, stock=100).variants.get()
    order = order_place(
        cart=make_cart(user=buyer, lines=[(variant, 5)]),
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(company_address(company).pk),
    )
    return order, buyer, variant, rep


@pytest.mark.parametrize(
    ("day", "every", "unit", "expected"),
    [
        (date(2026, 1, 31), 1, "month", date(2026, 2, 28)),
        (date(2026, 11, 30), 3, "month", date(2027, 2, 28)),
        (date(2026, 12, 30), 2, "week", date(2027, 1, 13)),
        (date(2026, 12, 30), 10, "day", date(2027, 1, 9)),
    ],
    ids=["month-end", "over-the-year", "weeks", "days"],
)
def test_the_next_date(day, every, unit, expected):
    assert next_date(day, every, unit) == expected


def test_a_due_recurring_order_is_placed_through_checkout_and_moves_on(past_order):
    order, buyer, variant, _rep = past_order
    recurring = recurring_from_order(owner=buyer, order=order, every=2, unit="week", start=TODAY)
    assert recurring_run_due() == (1, 0)
    recurring.refresh_from_db()
    repeat = recurring.last_order
    assert repeat.pk != order.pk and repeat.lines.get().quantity == 5 and repeat.po_number == order.po_number
    assert recurring.next_run == TODAY + timedelta(weeks=2) and recurring.state == "active"
    assert recurring_run_due() == (0, 0)  # not due again today
    assert StockItem.objects.get().reserved == 10


def test_a_failing_run_pauses_and_tells_the_buyer_and_the_rep(past_order, django_capture_on_commit_callbacks):
    order, buyer, variant, rep = past_order
    recurring = recurring_from_order(owner=buyer, order=order, every=1, unit="month", start=TODAY)
    StockItem.objects.update(on_hand=6)  # 5 already reserved: only 1 left
    with django_capture_on_commit_callbacks(execute=True):
        assert recurring_run_due() == (0, 1)
    recurring.refresh_from_db()
    assert recurring.state == "paused" and variant.sku in recurring.last_error
    assert sorted(mail.outbox[-1].to) == sorted([buyer.email, rep.email])
    assert Notification.objects.filter(user=buyer, kind="recurring_order.failed").count() == 1
    assert Order.objects.count() == 1
    StockItem.objects.update(on_hand=100)
    recurring_set_state(user=buyer, recurring_id=recurring.pk, state="active")
    assert recurring_run_due() == (1, 0)


def test_bad_intervals_and_other_peoples_recurring_orders_are_refused(past_order):
    order, buyer, _variant, _rep = past_order
    yesterday = TODAY - timedelta(days=1)
    for every, unit, start in ((0, "week", TODAY), (1, "year", TODAY), (1, "week", yesterday)):
        with pytest.raises(DomainError):
            recurring_from_order(owner=buyer, order=order, every=every, unit=unit, start=start)
    recurring = recurring_from_order(owner=buyer, order=order, every=1, unit="week", start=TODAY)
    from tandem.core.errors import NotFound

    with pytest.raises(NotFound):
        recurring_set_state(user=make_user(), recurring_id=recurring.pk, state="paused")


def test_an_end_date_ends_it(past_order):
    order, buyer, _variant, _rep = past_order
    recurring_from_order(
        owner=buyer, order=order, every=1, unit="week", start=TODAY, end=TODAY + timedelta(days=3)
    )
    assert recurring_run_due() == (1, 0)
    assert RecurringOrder.objects.get().state == "ended"


def test_the_recurring_pages(client, past_order):
    order, buyer, _variant, _rep = past_order
    client.force_login(buyer)
    client.post(
        f"/account/orders/{order.number}/repeat/", {"every": "1", "unit": "month", "start": TODAY.isoformat()}
    )
    recurring = RecurringOrder.objects.get()
    assert recurring.name in client.get("/account/recurring/").text
    client.post("/account/recurring/", {"id": recurring.pk, "state": "paused"})
    recurring.refresh_from_db()
    assert recurring.state == "paused"


def test_an_item_no_longer_sold_pauses_the_run_with_the_reason(past_order):
    order, buyer, variant, _rep = past_order
    recurring_from_order(owner=buyer, order=order, every=1, unit="week", start=TODAY)
    variant.is_active = False
    variant.save()
    assert recurring_run_due() == (0, 1)
    recurring = RecurringOrder.objects.get()
    assert recurring.state == "paused" and variant.sku in recurring.last_error


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_housekeeping_runs_at_once_place_a_due_order_once():
    from tests.concurrency import run_at_once

    make_delivery("courier")
    company = make_company("ACME", credit_limit=Decimal("100000"))
    buyer = make_company_user(company, CompanyRole.BUYER)
    variant = make_product(net="10.00", gross=None, stock=100).variants.get()
    order = order_place(
        cart=make_cart(user=buyer, lines=[(variant, 1)]),
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(company_address(company).pk),
    )
    recurring_from_order(owner=buyer, order=order, every=1, unit="week", start=TODAY)
    results = run_at_once([recurring_run_due, recurring_run_due])
    assert sorted(results) == [(0, 0), (1, 0)], results
    assert Order.objects.count() == 2


def test_a_price_rise_over_the_accepted_share_stops_the_run_until_the_buyer_resumes(
    past_order, django_capture_on_commit_callbacks
):
    """Agreed at 10.00 with 10 % accepted: 11.00 still runs, 11.50 asks the buyer first."""
    order, buyer, variant, rep = past_order
    recurring = recurring_from_order(owner=buyer, order=order, every=1, unit="day", start=TODAY)
    assert recurring.items[0]["unit_price"] == "10.00" and recurring.currency == "PLN"
    BasePrice.objects.filter(variant=variant).update(amount=Decimal("11.00"))
    assert recurring_run_due() == (1, 0)
    BasePrice.objects.filter(variant=variant).update(amount=Decimal("11.50"))
    with django_capture_on_commit_callbacks(execute=True):
        assert recurring_run_due(TODAY + timedelta(days=1)) == (0, 1)
    recurring.refresh_from_db()
    assert recurring.state == "paused" and "10.00 PLN → 11.50 PLN" in recurring.last_error
    assert sorted(mail.outbox[-1].to) == sorted([buyer.email, rep.email])
    assert "11.50" in mail.outbox[-1].body
    recurring_set_state(user=buyer, recurring_id=recurring.pk, state="active")  # accepts 11.50
    recurring.refresh_from_db()
    assert recurring.items[0]["unit_price"] == "11.50"
    assert recurring_run_due(recurring.next_run) == (1, 0)


def test_the_accepted_price_rise_is_validated(past_order):
    order, buyer, _variant, _rep = past_order
    with pytest.raises(DomainError) as error:
        recurring_from_order(
            owner=buyer, order=order, every=1, unit="day", start=TODAY, max_price_increase=Decimal("-1")
        )
    assert error.value.field == "max_price_increase"


def test_recurring_orders_over_the_api(past_order, client):
    order, buyer, _variant, _rep = past_order
    client.force_login(buyer)
    created = client.post(
        "/api/v1/recurring-orders",
        {
            "order_number": order.number,
            "every": 1,
            "unit": "month",
            "start": TODAY.isoformat(),
            "max_price_increase": "5",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["items"] == [{"sku": order.lines.get().sku, "quantity": 5, "unit_price": "10.00"}]
    assert body["max_price_increase"] == "5.00" and body["state"] == "active"
    paused = client.post(
        f"/api/v1/recurring-orders/{body['id']}/state", {"state": "paused"}, content_type="application/json"
    )
    assert paused.json()["state"] == "paused"
    assert [item["id"] for item in client.get("/api/v1/recurring-orders").json()] == [body["id"]]
    past = client.post(
        "/api/v1/recurring-orders",
        {"order_number": order.number, "every": 1, "unit": "month", "start": "2001-01-01"},
        content_type="application/json",
    )
    assert past.status_code == 400 and past.json()["code"] == "dates_invalid"


def test_another_users_recurring_order_or_order_is_not_found_over_the_api(past_order, client):
    order, buyer, _variant, _rep = past_order
    mine = recurring_from_order(owner=buyer, order=order, every=1, unit="month", start=TODAY)
    client.force_login(make_company_user(make_company("Other"), CompanyRole.ADMIN))
    assert client.get(f"/api/v1/recurring-orders/{mine.pk}").status_code == 404
    assert (
        client.post(
            f"/api/v1/recurring-orders/{mine.pk}/state", {"state": "ended"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/recurring-orders",
            {"order_number": order.number, "every": 1, "unit": "month", "start": TODAY.isoformat()},
            content_type="application/json",
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("language", "every", "unit", "text"),
    [
        ("en", 1, "month", "every 1 month"),
        ("pl", 1, "month", "co 1 miesiąc"),
        ("pl", 3, "month", "co 3 miesiące"),
        ("pl", 5, "week", "co 5 tygodni"),
        ("ru", 2, "day", "раз в 2 дня"),
        ("bg", 1, "week", "на всеки 1 седмица"),
    ],
)
def test_how_often_is_said_with_the_plural_its_number_takes(language, every, unit, text):
    from django.utils import translation

    from tandem.orders.models import RecurringOrder

    with translation.override(language):
        assert RecurringOrder(every=every, unit=unit).interval_display() == text
