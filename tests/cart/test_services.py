import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from tandem.cart import services
from tandem.cart.errors import CartError, QuickOrderFileError
from tandem.cart.models import CartLine
from tandem.cart.selectors import priced_cart
from tandem.catalog.models import Visibility
from tandem.pricing.models import BasePrice
from tests.factories import (
    b2b_context,
    b2c_context,
    make_cart,
    make_company,
    make_coupon,
    make_product,
    make_user,
)


@pytest.fixture
def drill(db):
    return make_product("Drill", gross="123.00", stock=10).variants.get()


def test_adding_twice_adds_up_and_the_line_is_priced_with_its_explanation(drill):
    cart = make_cart()
    services.cart_add(cart=cart, context=b2c_context(), sku=drill.sku, quantity=2)
    services.cart_add(cart=cart, context=b2c_context(), sku=drill.sku, quantity=1)
    priced = priced_cart(b2c_context(), cart)
    [line] = priced.lines
    assert (line.quantity, line.unit_price, line.value) == (3, Decimal("123.00"), Decimal("369.00"))
    assert "list price 123.00 PLN (gross)" in line.price.explanation[0]
    assert priced.totals.gross == Decimal("369.00")


@pytest.mark.parametrize(
    "raw",
    ["0", "-1", "1.5", "abc", "", str(10**12), "١٢"],
    ids=["zero", "negative", "fraction", "word", "empty", "huge", "arabic-digits"],
)
def test_impossible_quantities_are_refused_with_a_message(raw):
    with pytest.raises(CartError) as error:
        services.parse_quantity(raw)
    assert error.value.field == "quantity" and str(error.value.message)


def test_an_unknown_or_hidden_sku_cannot_be_added(db):
    hidden = make_product(visibility=Visibility.B2B).variants.get()
    cart = make_cart()
    for sku in ("NOPE-1", hidden.sku):
        with pytest.raises(CartError) as error:
            services.cart_add(cart=cart, context=b2c_context(), sku=sku, quantity=1)
        assert error.value.code == "unknown_sku"
    assert not CartLine.objects.filter(cart=cart).exists()


def test_more_than_in_stock_is_refused_unless_back_orders_are_allowed(db):
    scarce = make_product(stock=2).variants.get()
    backorder = make_product(stock=0, allow_backorder=True).variants.get()
    cart = make_cart()
    with pytest.raises(CartError) as error:
        services.cart_add(cart=cart, context=b2c_context(), sku=scarce.sku, quantity=3)
    assert error.value.code == "insufficient_stock" and "Only 2" in str(error.value.message)
    services.cart_add(cart=cart, context=b2c_context(), sku=backorder.sku, quantity=5)
    [line] = priced_cart(b2c_context(), cart).lines
    assert (line.problem, line.backorder) == ("", 5)


def test_a_quantity_rule_names_the_nearest_valid_quantity(db):
    boxed = make_product(stock=100).variants.get()
    boxed.min_quantity, boxed.quantity_step = 10, 5
    boxed.save()
    with pytest.raises(CartError) as error:
        services.cart_add(cart=make_cart(), context=b2c_context(), sku=boxed.sku, quantity=12)
    assert error.value.code == "quantity_not_multiple" and "10" in str(error.value.message)


def test_a_changed_price_is_pointed_out_once(drill):
    cart = make_cart(lines=[(drill, 1)])
    services.cart_mark_seen(priced=priced_cart(b2c_context(), cart))
    BasePrice.objects.filter(variant=drill).update(amount=Decimal("99.00"))
    priced = priced_cart(b2c_context(), cart)
    assert [(line.previous_unit_price, line.unit_price) for line in priced.price_changes] == [
        (Decimal("123.00"), Decimal("99.00"))
    ]
    services.cart_mark_seen(priced=priced)
    assert priced_cart(b2c_context(), cart).price_changes == []


def test_a_guest_cart_merges_into_the_users_cart_at_login(drill):
    other = make_product(stock=5).variants.get()
    user = make_user()
    make_cart(user=user, lines=[(drill, 1)])
    guest = make_cart(lines=[(drill, 2), (other, 1)])
    guest.coupon_code = "SAVE10"
    guest.save()
    merged = services.cart_merge(guest=guest, user_id=user.pk)
    assert dict(merged.lines.values_list("variant__sku", "quantity")) == {drill.sku: 3, other.sku: 1}
    assert merged.coupon_code == "SAVE10"
    assert not type(guest).objects.filter(pk=guest.pk).exists()


def test_a_coupon_and_an_automatic_promotion_are_applied_and_vat_stays_exact(db):
    make_coupon("SAVE10", value="10")
    make_coupon("", name="Spend 500 save 5 %", value="5", minimum_order=Decimal(500))
    variant = make_product(gross="246.00", stock=10).variants.get()
    cart = make_cart(lines=[(variant, 3)])
    services.cart_apply_coupon(cart=cart, code="save10")
    priced = priced_cart(b2c_context(), cart)
    # 738.00 − 5 % (36.90) = 701.10 − 10 % (70.11) = 630.99
    assert [applied.amount for applied in priced.discounts] == [Decimal("36.90"), Decimal("70.11")]
    assert priced.totals.gross == Decimal("630.99")
    assert priced.totals.net == Decimal("513.00") and priced.totals.tax == Decimal("117.99")


def test_a_coupon_below_its_minimum_stays_on_the_cart_with_the_reason(drill):
    make_coupon("BIG", value="10", minimum_order=Decimal(1000))
    cart = make_cart(lines=[(drill, 1)])
    services.cart_apply_coupon(cart=cart, code="BIG")
    priced = priced_cart(b2c_context(), cart)
    assert priced.discounts == [] and priced.coupon_error.code == "coupon_minimum_not_reached"


def test_an_unknown_coupon_is_refused(drill):
    with pytest.raises(CartError) as error:
        services.cart_apply_coupon(cart=make_cart(), code="NOPE")
    assert error.value.code == "coupon_unknown"


def test_pricing_a_cart_takes_the_same_queries_for_3_or_300_lines(db):
    company = make_company(credit_limit=Decimal(0))
    context = b2b_context(company)
    variants = [make_product(net="10.00", stock=5).variants.get() for _ in range(300)]

    def count(lines):
        cart = make_cart(lines=[(variant, 1) for variant in lines])
        priced_cart(context, cart)  # warm the per-process caches (tax rates, lists)
        with CaptureQueriesContext(connection) as queries:
            priced_cart(context, cart)
        return len(queries)

    assert count(variants[:3]) == count(variants)


# --- quick order -----------------------------------------------------------------------


def test_a_quick_order_pad_merges_duplicates_and_reports_every_line(db):
    company = make_company()
    context = b2b_context(company)
    good = make_product(net="10.00", stock=100).variants.get()
    scarce = make_product(net="10.00", stock=1).variants.get()
    hidden = make_product(net="10.00", b2b_restricted=True).variants.get()
    cart = make_cart()
    rows = services.quick_order_rows_from_text(
        f"{good.sku} 2\n\n{good.sku};3\nNOPE 1\n{scarce.sku} 5\n{hidden.sku} 1\n{good.sku} x\n"
    )
    report = services.quick_order_add(cart=cart, context=context, rows=rows)
    results = {(result.sku, result.added): result for result in report.results}
    assert results[(good.sku, True)].quantity == 5 and results[(good.sku, True)].lines == (1, 3)
    assert results[("NOPE", False)].code == "unknown_sku"
    assert results[(scarce.sku, False)].code == "insufficient_stock"
    assert results[(hidden.sku, False)].code == "not_available"
    assert results[(good.sku, False)].code == "quantity_invalid"
    assert dict(cart.lines.values_list("variant__sku", "quantity")) == {good.sku: 5}


def test_a_quick_order_csv_with_bom_and_semicolons_is_read(db):
    good = make_product(net="10.00", stock=100).variants.get()
    content = f"\ufeffSKU;Quantity\n{good.sku};4\n\n".encode()
    rows = services.quick_order_rows_from_file("order.csv", content)
    assert [(row.line, row.sku, row.quantity) for row in rows] == [(2, good.sku, "4")]


def test_a_quick_order_xlsx_is_read(db):
    book = Workbook()
    book.active.append(["sku", "qty"])
    book.active.append(["ABC-1", 7])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = services.quick_order_rows_from_file("order.xlsx", buffer.getvalue())
    assert [(row.sku, row.quantity) for row in rows] == [("ABC-1", "7")]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("order.csv", b"SKU;Menge\nA;1\n", "header"),
        ("order.csv", "sku,quantity\nŻ,1\n".encode("cp1250"), "UTF-8"),
        ("order.xlsx", b"PK\x03\x04 not really a workbook", "XLSX"),
        ("order.csv", b"\n\n\n", "empty"),
        ("order.csv", ("sku,quantity\n" + "A,1\n" * 50_000).encode(), "5000"),
    ],
    ids=["missing-column", "wrong-encoding", "not-xlsx", "empty", "50000-lines"],
)
def test_an_unreadable_quick_order_file_is_refused_with_a_reason(name, content, message):
    with pytest.raises(QuickOrderFileError) as error:
        services.quick_order_rows_from_file(name, content)
    assert message in str(error.value.message).replace(",", "")


def test_a_quick_order_of_1000_lines_is_added_in_one_go(db):
    company = make_company()
    variants = [make_product(net="1.00", stock=50).variants.get() for _ in range(40)]
    rows = [services.QuickOrderRow(line=n + 1, sku=variants[n % 40].sku, quantity="1") for n in range(1000)]
    cart = make_cart()
    report = services.quick_order_add(cart=cart, context=b2b_context(company), rows=rows)
    assert len(report.added) == 40 and not report.refused
    assert sum(cart.lines.values_list("quantity", flat=True)) == 1000


def test_a_retail_total_is_the_sum_of_the_gross_prices_shown(db):
    """Ten items at 1.00 gross: nets rounded line by line would give 9.96; the customer
    pays exactly what the lines show."""
    variants = [make_product(gross="1.00", stock=5).variants.get() for _ in range(10)]
    priced = priced_cart(b2c_context(), make_cart(lines=[(variant, 1) for variant in variants]))
    assert (priced.totals.net, priced.totals.tax, priced.totals.gross) == (
        Decimal("8.13"),
        Decimal("1.87"),
        Decimal("10.00"),
    )
    assert sum(line.net for line in priced.lines) == Decimal("8.13")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DR-1 5", [("DR-1", "5")]),
        ("DR-1;5\nDR-2\t7", [("DR-1", "5"), ("DR-2", "7")]),
        ("DR-1,5", [("DR-1", "5")]),
        ("DR-1 1,5", [("DR-1", "1,5")]),
        ("DR-1;1 000", [("DR-1", "1 000")]),
        ("DR-1", [("DR-1", "1")]),
        ("DR-1, 5\nDR-2 ,7", [("DR-1", "5"), ("DR-2", "7")]),
    ],
    ids=["space", "semicolon-tab", "comma", "decimal-comma", "thousands", "sku-only", "comma-and-spaces"],
)
def test_the_quick_order_pad_keeps_what_follows_the_sku_as_the_quantity(text, expected):
    assert [(row.sku, row.quantity) for row in services.quick_order_rows_from_text(text)] == expected


def test_quick_order_finds_skus_whatever_their_case(db):
    lower = make_product(stock=10).variants.get()
    lower.sku = "ab-100x"
    lower.save()
    report = services.quick_order_add(
        cart=make_cart(),
        context=b2c_context(),
        rows=services.quick_order_rows_from_text("AB-100X 2\nab-100x 1"),
    )
    results = [(result.sku, result.added, result.quantity) for result in report.results]
    assert results == [("ab-100x", True, 3)]


def test_a_quantity_over_the_cap_is_refused_even_when_added_in_parts(db):
    variant = make_product(stock=0, allow_backorder=True).variants.get()
    rows = [services.QuickOrderRow(line=n, sku=variant.sku, quantity="1000000") for n in range(1, 4)]
    report = services.quick_order_add(cart=make_cart(), context=b2c_context(), rows=rows)
    assert report.results[0].code == "quantity_too_large" and not report.added


def test_cart_lines_carry_the_product_name_in_the_customers_language(db):
    variant = make_product("Drill", translations={"pl": {"name": "Wiertarka"}}, stock=5).variants.get()
    cart = make_cart(lines=[(variant, 1)])
    assert priced_cart(b2c_context(language="pl"), cart).lines[0].product_name == "Wiertarka"
    assert priced_cart(b2c_context(language="bg"), cart).lines[0].product_name == "Drill"


@pytest.mark.parametrize("typed", ["-3", "−3", "- 3"])
def test_a_negative_quantity_is_refused_as_below_one_not_as_a_word(typed):
    with pytest.raises(services.CartError) as refused:
        services.parse_quantity(typed)
    assert refused.value.code == "quantity_not_positive"


def test_adding_to_the_cart_names_the_product_without_reading_it_again(client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    variant = make_product("Cordless drill", stock=10).variants.get()
    with CaptureQueriesContext(connection) as queries:
        answer = client.post("/cart/add/", {"sku": variant.sku, "quantity": "1"}, follow=False)
    assert answer.status_code == 302
    product_reads = [q for q in queries.captured_queries if q["sql"].startswith('SELECT "catalog_product"')]
    assert product_reads == []  # the name (and translations) came with the variant
