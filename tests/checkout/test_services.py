from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.utils import timezone

from tandem.billing.errors import CreditLimitExceeded, OverdueBlocked
from tandem.billing.models import LedgerEntry, LedgerKind
from tandem.billing.receivables.selectors import credit_position
from tandem.cart.models import CartLine
from tandem.cart.selectors import priced_cart
from tandem.checkout.errors import CheckoutError
from tandem.checkout.services import order_place
from tandem.core.errors import PermissionDenied
from tandem.customers.models import CompanyRole
from tandem.inventory.models import StockItem
from tandem.orders.models import Order, OrderStatus
from tandem.pricing.errors import CouponError
from tandem.pricing.models import BasePrice, Promotion
from tests.checkout.conftest import company_details, retail_details
from tests.factories import (
    b2c_context,
    company_address,
    make_cart,
    make_company,
    make_company_user,
    make_coupon,
    make_product,
    make_user,
    user_context,
)

GUEST = AnonymousUser()


def test_a_guest_order_keeps_a_full_snapshot_and_reserves_stock(courier, django_capture_on_commit_callbacks):
    variant = make_product("Hammer", gross="123.00", stock=10).variants.get()
    cart = make_cart(lines=[(variant, 2)])
    with django_capture_on_commit_callbacks(execute=True):
        order = order_place(cart=cart, context=b2c_context(), details=retail_details(), acting_user=GUEST)
    assert order.status == OrderStatus.PLACED and order.payment_status == "awaiting"
    assert (order.total_gross, order.total_net, order.total_tax) == (
        Decimal("258.30"),
        Decimal("210.00"),
        Decimal("48.30"),
    )  # 246.00 goods + 12.30 delivery
    [line] = order.lines.all()
    assert (line.sku, line.quantity, line.unit_gross, line.unit_net, line.tax_rate) == (
        variant.sku,
        2,
        Decimal("123.00"),
        Decimal("100.00"),
        Decimal("23"),
    )
    assert line.price_explanation and line.reserved == {str(StockItem.objects.get().warehouse_id): 2}
    assert order.shipping_address["city"] == "Warszawa" and order.email == "anna@shop.test"
    assert StockItem.objects.get().reserved == 2
    assert not CartLine.objects.filter(cart=cart).exists()
    assert order.events.get().kind == "placed"
    assert "received" in mail.outbox[0].subject and order.number in mail.outbox[0].body


def test_a_double_submitted_checkout_makes_one_order(courier):
    variant = make_product(stock=10).variants.get()
    cart = make_cart(lines=[(variant, 1)])
    first = order_place(
        cart=cart,
        context=b2c_context(),
        details=retail_details(),
        acting_user=GUEST,
        idempotency_key="form-1",
    )
    again = order_place(
        cart=cart,
        context=b2c_context(),
        details=retail_details(),
        acting_user=GUEST,
        idempotency_key="form-1",
    )
    assert first.pk == again.pk and Order.objects.count() == 1


def test_a_price_changed_since_it_was_shown_stops_the_order_and_is_shown(courier):
    from tandem.cart.selectors import priced_cart
    from tandem.cart.services import cart_mark_seen

    variant = make_product(gross="100.00", stock=10).variants.get()
    cart = make_cart(lines=[(variant, 1)])
    cart_mark_seen(priced=priced_cart(b2c_context(), cart))
    BasePrice.objects.filter(variant=variant).update(amount=Decimal("110.00"))
    with pytest.raises(CheckoutError) as error:
        order_place(cart=cart, context=b2c_context(), details=retail_details(), acting_user=GUEST)
    assert error.value.code == "prices_changed"
    assert error.value.lines == [{"sku": variant.sku, "was": "100.00", "now": "110.00"}]
    # now seen: the second attempt goes through at the new price
    order = order_place(cart=cart, context=b2c_context(), details=retail_details(), acting_user=GUEST)
    assert order.lines.get().unit_gross == Decimal("110.00")


@pytest.mark.parametrize(
    ("details", "code"),
    [
        (retail_details(email="not-an-email"), "email_invalid"),
        (retail_details(delivery_method="teleport"), "delivery_method_invalid"),
        (retail_details(payment_method="on_account"), "payment_method_invalid"),
        (retail_details(address=None), "address_required"),
        (
            retail_details(requested_delivery_date=timezone.localdate() - timedelta(days=1)),
            "delivery_date_past",
        ),
    ],
    ids=["email", "delivery", "payment", "address", "date"],
)
def test_bad_checkout_details_are_refused_and_nothing_changes(courier, details, code):
    variant = make_product(stock=10).variants.get()
    cart = make_cart(lines=[(variant, 1)])
    with pytest.raises(CheckoutError) as error:
        order_place(cart=cart, context=b2c_context(), details=details, acting_user=GUEST)
    assert error.value.code == code
    assert not Order.objects.exists() and StockItem.objects.get().reserved == 0
    assert CartLine.objects.filter(cart=cart).count() == 1


def test_an_empty_cart_cannot_be_ordered(courier):
    with pytest.raises(CheckoutError) as error:
        order_place(cart=make_cart(), context=b2c_context(), details=retail_details(), acting_user=GUEST)
    assert error.value.code == "cart_empty"


def test_a_coupon_use_is_counted_when_the_order_is_placed(courier):
    coupon = make_coupon("ONCE", value="10", usage_limit=1)
    variant = make_product(gross="100.00", stock=10).variants.get()
    cart = make_cart(lines=[(variant, 1)])
    cart.coupon_code = "ONCE"
    cart.save()
    order = order_place(cart=cart, context=b2c_context(), details=retail_details(), acting_user=GUEST)
    assert order.discount_total == Decimal("10.00") and order.coupon_code == "ONCE"
    coupon.refresh_from_db()
    assert coupon.times_used == 1 and coupon.redemptions.get().order == order
    again = make_cart(lines=[(variant, 1)])
    again.coupon_code = "ONCE"
    again.save()
    with pytest.raises(CouponError) as error:
        order_place(cart=again, context=b2c_context(), details=retail_details(), acting_user=GUEST)
    assert error.value.code == "coupon_used_up"


def test_a_once_per_customer_coupon_is_once_per_account_whatever_e_mail_is_typed(courier):
    make_coupon("WELCOME", value="10", usage_limit_per_customer=1)
    anna = make_user("anna@shop.test")
    context = user_context(anna)
    variant = make_product(gross="100.00", stock=10).variants.get()

    def cart_with_coupon():
        cart = make_cart(lines=[(variant, 1)])
        cart.coupon_code = "WELCOME"
        cart.save()
        return cart

    order_place(cart=cart_with_coupon(), context=context, details=retail_details(), acting_user=anna)
    cart = cart_with_coupon()
    assert priced_cart(context, cart).coupon_error.code == "coupon_customer_limit"  # said in the cart
    with pytest.raises(CouponError) as error:
        order_place(
            cart=cart, context=context, details=retail_details(email="another@shop.test"), acting_user=anna
        )
    assert error.value.code == "coupon_customer_limit"
    with pytest.raises(CouponError) as error:  # a guest cannot use it at all
        order_place(
            cart=cart_with_coupon(), context=b2c_context(), details=retail_details(), acting_user=GUEST
        )
    assert error.value.code == "coupon_sign_in"


def test_free_shipping_coupon_makes_delivery_free(courier):
    make_coupon("FREESHIP", kind="free_shipping", value="0")
    variant = make_product(gross="50.00", stock=10).variants.get()
    cart = make_cart(lines=[(variant, 1)])
    cart.coupon_code = "FREESHIP"
    cart.save()
    order = order_place(cart=cart, context=b2c_context(), details=retail_details(), acting_user=GUEST)
    assert order.delivery_net == 0 and order.total_gross == Decimal("50.00")


# --- B2B -------------------------------------------------------------------------------


@pytest.fixture
def acme(db):
    return make_company("ACME", credit_limit=Decimal("1000.00"))


def test_a_company_order_on_account_carries_po_terms_and_counts_against_credit(
    acme, courier, django_capture_on_commit_callbacks
):
    buyer = make_company_user(acme, CompanyRole.BUYER, email="buyer@acme.test")
    admin = make_company_user(acme, CompanyRole.ADMIN, email="boss@acme.test")
    variant = make_product(net="100.00", gross=None, stock=10).variants.get()
    cart = make_cart(user=buyer, lines=[(variant, 2)])
    with django_capture_on_commit_callbacks(execute=True):
        order = order_place(
            cart=cart,
            context=user_context(buyer),
            acting_user=buyer,
            details=company_details(company_address(acme).pk),
        )
    assert (order.company, order.po_number, order.payment_terms, order.payment_days) == (
        acme,
        "PO-77",
        "Net 30 days",
        30,
    )
    assert order.total_gross == Decimal("258.30") and order.payment_status == "on_account"
    assert order.buyer["vat_id"] == acme.vat_id and order.placed_by == buyer
    assert credit_position(acme).available == Decimal("741.70")
    assert sorted(mail.outbox[0].to) == [admin.email, buyer.email]


def test_an_order_over_the_credit_limit_is_refused_with_the_amount(acme, courier):
    buyer = make_company_user(acme)
    LedgerEntry.objects.create(
        company=acme,
        kind=LedgerKind.INVOICE,
        reference="FV/1",
        currency="PLN",
        debit=Decimal("800.00"),
        booked_on=timezone.localdate(),
        due_date=timezone.localdate() + timedelta(days=10),
    )
    variant = make_product(net="100.00", gross=None, stock=10).variants.get()
    cart = make_cart(user=buyer, lines=[(variant, 2)])
    with pytest.raises(CreditLimitExceeded) as error:
        order_place(
            cart=cart,
            context=user_context(buyer),
            acting_user=buyer,
            details=company_details(company_address(acme).pk),
        )
    assert "available credit of 200.00 PLN by 58.30 PLN" in str(error.value.message)
    assert not Order.objects.exists() and StockItem.objects.get().reserved == 0


def test_overdue_invoices_beyond_the_tolerance_block_orders_on_account(acme, courier):
    buyer = make_company_user(acme)
    acme.overdue_tolerance = Decimal("50.00")
    acme.save()
    LedgerEntry.objects.create(
        company=acme,
        kind=LedgerKind.INVOICE,
        reference="FV/1",
        currency="PLN",
        debit=Decimal("120.00"),
        booked_on=timezone.localdate() - timedelta(days=40),
        due_date=timezone.localdate() - timedelta(days=10),
    )
    variant = make_product(net="10.00", gross=None, stock=10).variants.get()
    cart = make_cart(user=buyer, lines=[(variant, 1)])
    with pytest.raises(OverdueBlocked) as error:
        order_place(
            cart=cart,
            context=user_context(buyer),
            acting_user=buyer,
            details=company_details(company_address(acme).pk),
        )
    assert "120.00" in str(error.value.message)
    # paying part of it brings the overdue amount under the tolerance
    LedgerEntry.objects.create(
        company=acme,
        kind=LedgerKind.PAYMENT,
        reference="bank",
        currency="PLN",
        credit=Decimal("80.00"),
        booked_on=timezone.localdate(),
    )
    assert order_place(
        cart=cart,
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(company_address(acme).pk),
    ).pk


def test_a_company_order_must_go_to_one_of_its_own_addresses(acme, courier):
    buyer = make_company_user(acme)
    other = make_company("Other", credit_limit=Decimal(0))
    variant = make_product(net="10.00", gross=None, stock=10).variants.get()
    cart = make_cart(user=buyer, lines=[(variant, 1)])
    from tandem.core.errors import NotFound

    with pytest.raises(NotFound):
        order_place(
            cart=cart,
            context=user_context(buyer),
            acting_user=buyer,
            details=company_details(company_address(other).pk),
        )


def test_an_accountant_cannot_place_orders(acme, courier):
    accountant = make_company_user(acme, CompanyRole.ACCOUNTANT)
    variant = make_product(net="10.00", gross=None, stock=10).variants.get()
    cart = make_cart(user=accountant, lines=[(variant, 1)])
    with pytest.raises(PermissionDenied):
        order_place(
            cart=cart,
            context=user_context(accountant),
            acting_user=accountant,
            details=company_details(company_address(acme).pk),
        )


def test_an_intra_eu_company_is_reverse_charged(courier):
    german = make_company("Berlin GmbH", country="DE", credit_limit=Decimal("10000"))
    buyer = make_company_user(german)
    make_courier_eur = __import__("tests.factories", fromlist=["make_delivery"]).make_delivery
    make_courier_eur("courier", price_net="5.00", currency="EUR")
    variant = make_product(net="100.00", gross=None, currency="EUR", stock=10).variants.get()
    cart = make_cart(user=buyer, lines=[(variant, 1)])
    order = order_place(
        cart=cart,
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(company_address(german).pk),
    )
    assert order.reverse_charge and order.currency == "EUR"
    assert (order.total_net, order.total_tax, order.total_gross) == (
        Decimal("105.00"),
        Decimal("0.00"),
        Decimal("105.00"),
    )
    assert "reverse charge" in " ".join(order.lines.get().price_explanation)


def test_back_ordered_units_are_recorded_not_refused(courier):
    variant = make_product(stock=1, allow_backorder=True).variants.get()
    order = order_place(
        cart=make_cart(lines=[(variant, 3)]),
        context=b2c_context(),
        details=retail_details(),
        acting_user=GUEST,
    )
    line = order.lines.get()
    assert (sum(line.reserved.values()), line.backordered) == (1, 2)
    assert Promotion.objects.count() == 0


def test_a_total_different_from_the_one_shown_stops_the_order(courier):
    variant = make_product(gross="100.00", stock=10).variants.get()
    cart = make_cart(lines=[(variant, 1)])
    with pytest.raises(CheckoutError) as error:
        order_place(
            cart=cart,
            context=b2c_context(),
            acting_user=GUEST,
            details=retail_details(expected_total=Decimal("100.00")),
        )  # delivery 12.30 came on top
    assert error.value.code == "total_changed" and "112.30" in str(error.value.message)
    order = order_place(
        cart=cart,
        context=b2c_context(),
        acting_user=GUEST,
        details=retail_details(expected_total=Decimal("112.30")),
    )
    assert order.total_gross == Decimal("112.30")


def test_a_company_order_cannot_go_to_its_billing_address(acme, courier):
    from tandem.customers.models import Address, AddressKind

    buyer = make_company_user(acme)
    billing = Address.objects.create(
        company=acme,
        kind=AddressKind.BILLING,
        recipient="ACME",
        street="HQ 1",
        postal_code="00-001",
        city="Warszawa",
        country="PL",
    )
    variant = make_product(net="10.00", gross=None, stock=10).variants.get()
    with pytest.raises(CheckoutError) as error:
        order_place(
            cart=make_cart(user=buyer, lines=[(variant, 1)]),
            context=user_context(buyer),
            acting_user=buyer,
            details=company_details(billing.pk),
        )
    assert error.value.code == "address_not_delivery"


def test_an_unknown_country_is_refused(courier):
    from tests.checkout.conftest import HOME

    variant = make_product(stock=10).variants.get()
    odd = type(HOME)(**{**HOME.as_dict(), "country": "ZZ"})
    with pytest.raises(CheckoutError) as error:
        order_place(
            cart=make_cart(lines=[(variant, 1)]),
            context=b2c_context(),
            acting_user=GUEST,
            details=retail_details(address=odd),
        )
    assert error.value.code == "country_invalid"
