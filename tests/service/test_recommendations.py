"""Recommendations: the algorithms on plain data, their quality against popularity, the
computation from the order book, and what each reader is shown (their assortment, stock and
prices only) on pages, in the API, in the order e-mail and in the rep's worklist."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from bench.recommendations_eval import evaluate
from tandem.customers.roles import staff_roles_sync
from tandem.orders.models import Order, OrderLine, OrderStatus
from tandem.pricing.selectors import prices_for_variants
from tandem.service import recommendations, recommending
from tandem.service.models import BoughtTogether, Pick, RecommendationRun, ReorderForecast
from tests.factories import (
    PASSWORD,
    b2b_context,
    b2c_context,
    make_category,
    make_company,
    make_company_user,
    make_product,
    make_user,
)

TODAY = date(2026, 12, 7)


# --- the algorithms ---------------------------------------------------------------------------


def test_bought_together_prefers_a_real_pair_to_two_best_sellers_meeting_by_chance():
    # 1 and 2 sell everywhere; 3 (a drill) comes with 4 (its bits) nearly every time.
    baskets = [[1, 2]] * 5 + [[1]] * 45 + [[2]] * 45 + [[3, 4, 1]] * 8 + [[3]] * 2 + [[4, 2]] * 1
    together = recommending.bought_together(baskets)
    assert together[3][0].product_id == 4
    assert together[3][0].lift > 5
    assert all(t.product_id != 2 for t in together.get(1, []))  # 1 and 2 meet less than chance


def test_a_pair_seen_once_is_not_evidence():
    together = recommending.bought_together([[1, 2], [3], [4]])
    assert together == {}


def test_for_you_leaves_out_what_was_bought_and_falls_back_on_popular_products():
    neighbours = recommending.item_neighbours({"a": [1, 2], "b": [1, 2, 3], "c": [1, 3], "d": [5]})
    picks = recommending.for_you([1], neighbours, fallback=[1, 5, 9], top=4)
    assert [product for product, _s in picks][:2] in ([2, 3], [3, 2])
    assert 1 not in [product for product, _s in picks]
    assert [product for product, _s in picks][2:] == [5, 9]


def test_the_next_purchase_is_expected_after_the_customers_own_median_interval():
    days = [date(2026, 1, 1), date(2026, 1, 11), date(2026, 1, 31), date(2026, 2, 10)]
    forecasts = recommending.reorder_forecasts(
        recommending.Purchase("acme", 7, day, quantity, variant_id=70 + i)
        for i, (day, quantity) in enumerate(zip(days, (10, 12, 10, 30), strict=True))
    )
    (forecast,) = forecasts
    assert (forecast.times, forecast.interval_days, forecast.usual_quantity) == (4, 10, 11)
    assert forecast.expected_on == date(2026, 2, 20)
    assert forecast.variant_id == 73  # the one bought last


def test_for_you_beats_popularity_by_half_again_on_a_generated_history():
    """The offline evaluation of bench/RECOMMENDATIONS.md, smaller: leave the last order out."""
    results = evaluate(200, seed=3)
    model, baseline = results["for you"]
    assert model.cases > 100
    assert model.hit_rate >= 1.5 * baseline.hit_rate
    together, popular = results["bought together"]
    assert together.ndcg > popular.ndcg


# --- from the order book ----------------------------------------------------------------------


def _order(*, company=None, user=None, day: date, lines, status=OrderStatus.COMPLETED, email="") -> Order:
    order = Order.objects.create(
        number=f"T-{Order.objects.count() + 1}",
        channel="b2b" if company else "b2c",
        status=status,
        user=user,
        company=company,
        email=email or (user.email if user else "orders@company.test"),
        language="en",
        currency="PLN",
        country="PL",
        delivery_method="Courier",
        delivery_code="courier",
        payment_method="on_account",
        payment_status="on_account",
        goods_net=Decimal("1"),
        total_net=Decimal("1"),
        total_tax=Decimal("0"),
        total_gross=Decimal("1"),
    )
    for variant, quantity in lines:
        OrderLine.objects.create(
            order=order,
            variant=variant,
            sku=variant.sku,
            name=variant.product.name,
            unit="pcs",
            quantity=quantity,
            unit_net=Decimal("1"),
            unit_gross=Decimal("1.23"),
            tax_rate=Decimal("23"),
            line_net=Decimal(quantity),
            price_source="list",
        )
    moment = timezone.make_aware(datetime.combine(day, time(10)))
    Order.objects.filter(pk=order.pk).update(created_at=moment)
    return order


@pytest.fixture
def shop(db):
    """ACME (with a rep) buys a drill with its bits every 14 days; Other Co. buys them too and
    a restricted product of its own; a retail customer buys the drill."""
    staff_roles_sync()
    rep = make_user("rep@shop.test", is_staff=True)
    rep.groups.set(Group.objects.filter(name="Sales rep"))
    acme = make_company("ACME", sales_rep=rep)
    other = make_company("Other Co")
    tools = make_category("Tools")
    drill = make_product("Drill", category=tools, gross="500.00", net="400.00", stock=20)
    bits = make_product("Bits", category=tools, gross="50.00", net="40.00", stock=100)
    gloves = make_product("Gloves", category=tools, gross="20.00", net="15.00", stock=100)
    secret = make_product(
        "Other's own", category=tools, net="10.00", stock=50, visibility="b2b", b2b_restricted=True
    )
    secret.b2b_companies.add(other)
    v = {p.name: p.variants.get() for p in (drill, bits, gloves, secret)}
    start = TODAY - timedelta(days=70)
    for n in range(5):
        _order(company=acme, day=start + timedelta(days=14 * n), lines=[(v["Drill"], 1), (v["Bits"], 10)])
        _order(
            company=other,
            day=start + timedelta(days=14 * n + 3),
            lines=[(v["Drill"], 2), (v["Bits"], 5), (v["Other's own"], 1)],
        )
    for n in range(4):
        _order(email=f"guest{n}@shop.test", day=start + timedelta(days=n), lines=[(v["Gloves"], 1)])
    anna = make_user("anna@shop.test")
    _order(user=anna, day=start, lines=[(v["Drill"], 1), (v["Bits"], 1)])
    _order(
        company=acme, day=TODAY - timedelta(days=1), lines=[(v["Gloves"], 3)], status=OrderStatus.CANCELLED
    )
    report = recommendations.recommendations_compute(today=TODAY)
    return {"acme": acme, "other": other, "rep": rep, "anna": anna, "report": report, **v}


def test_the_computation_reads_counted_orders_only_and_records_its_run(shop):
    report = shop["report"]
    assert report.orders == 5 + 5 + 4 + 1  # the cancelled order does not count
    assert RecommendationRun.objects.get().orders == report.orders
    pair = BoughtTogether.objects.get(product=shop["Drill"].product, rank=0)
    assert pair.other_id == shop["Bits"].product_id


def test_buy_again_expects_acme_back_after_its_own_rhythm(shop):
    forecast = ReorderForecast.objects.get(company=shop["acme"], product=shop["Bits"].product)
    assert (forecast.times, forecast.interval_days, forecast.usual_quantity) == (5, 14, 10)
    assert forecast.expected_on == TODAY - timedelta(days=70) + timedelta(days=14 * 5)
    items = recommendations.buy_again(b2b_context(shop["acme"]), today=TODAY)
    assert {item.card.product.name for item in items} == {"Drill", "Bits"}
    bits = next(item for item in items if item.card.product.name == "Bits")
    assert (bits.sku, bits.usual_quantity, bits.due) == (shop["Bits"].sku, 10, True)


def test_nobody_is_shown_another_companys_products(shop):
    # Other Co.'s restricted product is bought with the drill: only Other Co. may see it.
    assert BoughtTogether.objects.filter(
        product=shop["Drill"].product, other=shop["Other's own"].product
    ).exists()
    names = lambda cards: {card.product.name for card in cards}  # noqa: E731
    drill = [shop["Drill"].product_id]
    assert "Other's own" in names(recommendations.bought_with(b2b_context(shop["other"]), drill))
    assert "Other's own" not in names(recommendations.bought_with(b2b_context(shop["acme"]), drill))
    assert "Other's own" not in names(recommendations.bought_with(b2c_context(), drill))
    # even a stored pick naming it is not shown to ACME
    Pick.objects.create(
        kind="for_you", company=shop["acme"], product=shop["Other's own"].product, rank=0, score=9
    )
    assert "Other's own" not in names(recommendations.for_you(b2b_context(shop["acme"])))


def test_cards_carry_the_readers_own_price_and_skip_what_cannot_be_bought(shop):
    acme = b2b_context(shop["acme"])
    (card,) = [
        c for c in recommendations.bought_with(acme, [shop["Drill"].product_id]) if c.product.name == "Bits"
    ]
    bits = shop["Bits"]
    expected = prices_for_variants(acme, [(bits.pk, bits.tax_class_id)])[bits.pk]
    assert (card.price.unit_display, card.price.includes_tax) == (expected.unit_display, False)
    (retail,) = [
        c
        for c in recommendations.bought_with(b2c_context(), [shop["Drill"].product_id])
        if c.product.name == "Bits"
    ]
    assert (retail.price.unit_display, retail.price.includes_tax) == (Decimal("50.00"), True)
    bits.stock_items.update(on_hand=0, reserved=0)
    assert "Bits" not in {
        c.product.name for c in recommendations.bought_with(acme, [shop["Drill"].product_id])
    }


def test_guests_and_new_customers_get_what_their_channel_buys_most(shop):
    assert [c.product.name for c in recommendations.for_you(b2c_context())][:1] == ["Gloves"]
    newcomer = make_company("New Co")
    assert {c.product.name for c in recommendations.for_you(b2b_context(newcomer))} >= {"Drill", "Bits"}


def test_the_reps_worklist_names_customers_due_and_forgets_them_once_they_order(shop):
    due = recommendations.reorders_due(shop["rep"], today=TODAY)
    assert [(d.company.name, d.products) for d in due] == [("ACME", 2)]
    _order(company=shop["acme"], day=TODAY, lines=[(shop["Bits"], 10), (shop["Drill"], 1)])
    assert recommendations.reorders_due(shop["rep"], today=TODAY) == []
    # another rep (not ACME's) sees none of it
    assert recommendations.reorders_due(make_user("rep2@shop.test", is_staff=True), today=TODAY) == []


def test_the_scheduler_asks_the_worker_once_a_day(shop):
    cache.delete(recommendations.REQUESTED)
    assert recommendations.recommendations_housekeeping() == "recommendations: up to date"
    RecommendationRun.objects.update(finished_at=timezone.now() - timedelta(hours=25))
    cache.add(recommendations.REQUESTED, True)  # one is waiting for the worker already
    assert recommendations.recommendations_housekeeping() == "recommendations: already requested"
    cache.delete(recommendations.REQUESTED)
    # the tests' task backend runs the task at once: a new run, and the request forgotten
    assert recommendations.recommendations_housekeeping() == "recommendations: computation requested"
    assert RecommendationRun.objects.count() == 2
    assert cache.get(recommendations.REQUESTED) is None


# --- pages, API, e-mail -----------------------------------------------------------------------


def test_the_product_page_fragment_shows_the_buyers_net_prices_in_bounded_queries(
    shop, client, django_assert_max_num_queries
):
    buyer = make_company_user(shop["acme"])
    client.login(username=buyer.email, password=PASSWORD)
    url = f"/recommendations/product/{shop['Drill'].product_id}/"
    client.get(url)
    with django_assert_max_num_queries(16):
        response = client.get(url)
    html = response.content.decode()
    assert 'data-testid="bought-together"' in html and "Bits" in html
    assert "40,00" in html or "40.00" in html
    assert "Other&#x27;s own" not in html and "Other's own" not in html
    assert f'value="{shop["Bits"].sku}"' in html  # one variant: added to the cart from here


def test_the_home_fragment_offers_acme_its_products_due_with_their_usual_quantity(shop, client):
    buyer = make_company_user(shop["acme"])
    client.login(username=buyer.email, password=PASSWORD)
    html = client.get("/recommendations/home/").content.decode()
    assert 'data-testid="buy-again"' in html and 'value="10"' in html
    page = client.get("/buy-again/").content.decode()
    assert page.count('data-testid="buy-again-row"') == 2


def test_an_empty_fragment_for_a_product_nobody_bought_with_anything(shop, client):
    assert client.get(f"/recommendations/product/{shop['Gloves'].product_id}/").content == b""


def test_a_product_id_beyond_any_row_is_an_empty_fragment_not_a_500(shop, client):
    response = client.get("/recommendations/product/99999999999999999999999/")

    assert (response.status_code, response.content) == (200, b"")


def test_the_api_answers_each_kind_for_the_caller(shop, client):
    drill = shop["Drill"].product_id
    guest = client.get(f"/api/v1/recommendations?kind=together&product={drill}").json()
    assert {item["name"] for item in guest} == {"Bits"} and guest[0]["price"]["includes_tax"] is True
    assert client.get("/api/v1/recommendations?kind=together").json()["code"] == "product_required"
    assert client.get("/api/v1/recommendations?kind=buy_again").status_code == 401
    buyer = make_company_user(shop["acme"])
    client.login(username=buyer.email, password=PASSWORD)
    again = client.get("/api/v1/recommendations?kind=buy_again").json()
    bits = next(item for item in again if item["name"] == "Bits")
    assert (bits["sku"], bits["usual_quantity"], bits["price"]["includes_tax"]) == (
        shop["Bits"].sku,
        10,
        False,
    )
    assert bits["price"]["amount"] == "40.00"  # the net price of the variant bought last


def test_the_rep_api_lists_customers_due(shop, client):
    client.force_login(shop["rep"])
    rows = client.get("/api/v1/rep/reorders-due").json()
    assert [(row["company_name"], row["products"]) for row in rows] == [("ACME", 2)]


def test_the_order_confirmation_suggests_what_goes_with_it(shop):
    from tandem.core.events import Event
    from tandem.orders.notifications import order_confirmation_email

    order = _order(user=shop["anna"], day=TODAY, lines=[(shop["Drill"], 1)], status=OrderStatus.PLACED)
    order_confirmation_email(
        Event(id=1, name="order.placed", payload={"order_id": order.pk, "via": "checkout"})
    )
    body = mail.outbox[-1].body
    assert "Often bought with what you ordered" in body
    assert "Bits, 50,00" in body or "Bits, 50.00" in body
