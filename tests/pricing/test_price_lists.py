"""Negotiated wholesale prices: group price lists, contract lists, tiers, validity."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tandem.catalog.models import Variant
from tandem.core.context import Channel, CustomerContext
from tandem.customers.models import CustomerGroup
from tandem.pricing import engine
from tandem.pricing.models import PriceList, PriceListEntry
from tandem.pricing.selectors import prices_for_variants
from tests.factories import b2b_context, b2c_context, make_company, make_product

B2B = CustomerContext(channel=Channel.B2B, currency="PLN", country="PL", language="en")


def tier(
    list_id=1,
    scope=engine.ListScope.GROUP,
    priority=0,
    min_quantity=1,
    price=None,
    discount=None,
    name="Wholesale",
) -> engine.ListTier:
    return engine.ListTier(
        price_list_id=list_id,
        list_name=name,
        scope=scope,
        priority=priority,
        min_quantity=min_quantity,
        price=None if price is None else Decimal(price),
        discount_percent=None if discount is None else Decimal(discount),
    )


def priced(*tiers, net="100.00", quantity=1) -> engine.PriceResult:
    pricing = engine.VariantPricing(
        variant_id=1, tax_rate=Decimal("23"), base_prices={("b2b", "PLN"): Decimal(net)}, tiers=tiers
    )
    return engine.resolve_one(B2B, pricing, quantity)


# --- the engine -----------------------------------------------------------------------------


def test_the_highest_tier_reached_gives_the_price_and_says_so():
    result = priced(tier(min_quantity=1, price="95.00"), tier(min_quantity=50, price="90.00"), quantity=60)
    assert (result.unit_net, result.source) == (Decimal("90.00"), "group_list")
    assert result.explanation == ("list price 100.00 PLN (net)", "group price list Wholesale, from 50: 90.00")


def test_below_the_first_tier_the_list_price_applies():
    assert priced(tier(min_quantity=10, price="90.00"), quantity=9).unit_net == Decimal("100.00")


def test_a_discount_tier_takes_a_percentage_off_the_net_list_price():
    result = priced(tier(discount="12.5"))
    assert result.unit_net == Decimal("87.50")
    assert result.explanation[-1] == "group price list Wholesale, from 1: −12.5% = 87.50"


def test_a_contract_list_beats_a_cheaper_group_list():
    result = priced(
        tier(1, engine.ListScope.GROUP, price="80.00"),
        tier(2, engine.ListScope.COMPANY, price="85.00", name="ACME contract"),
    )
    assert (result.unit_net, result.source) == (Decimal("85.00"), "company_list")


def test_a_higher_priority_list_is_tried_first():
    result = priced(
        tier(1, priority=1, price="80.00", name="Low"), tier(2, priority=5, price="85.00", name="High")
    )
    assert result.explanation[-1] == "group price list High, from 1: 85.00"


def test_retail_shoppers_never_get_wholesale_lists():
    pricing = engine.VariantPricing(
        variant_id=1,
        tax_rate=Decimal("23"),
        base_prices={("b2c", "PLN"): Decimal("123.00")},
        tiers=(tier(price="1.00"),),
    )
    retail = CustomerContext("b2c", "PLN", "PL", "en")
    assert engine.resolve_one(retail, pricing).unit_gross == Decimal("123.00")


def test_a_wholesale_only_item_can_be_priced_by_a_list_alone():
    pricing = engine.VariantPricing(variant_id=1, tax_rate=Decimal("23"), tiers=(tier(price="40.00"),))
    assert engine.resolve_one(B2B, pricing).unit_net == Decimal("40.00")


money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10000"), places=2)
tiers_strategy = st.lists(
    st.tuples(st.integers(1, 500), money, st.one_of(st.none(), st.decimals(0, 100, places=2))),
    min_size=1,
    max_size=6,
    unique_by=lambda t: t[0],
)


@given(entries=tiers_strategy, q1=st.integers(1, 1000), q2=st.integers(1, 1000))
def test_buying_more_never_raises_the_unit_price_within_one_list(entries, q1, q2):
    tiers = tuple(tier(min_quantity=m, price=None if d is not None else p, discount=d) for m, p, d in entries)
    first_tier = min(m for m, _p, _d in entries)
    low, high = sorted((max(q1, first_tier), max(q2, first_tier)))  # quantities the list covers
    assert priced(*tiers, quantity=high).unit_net <= priced(*tiers, quantity=low).unit_net


@given(
    lists=st.lists(
        st.tuples(st.sampled_from(["company", "group"]), st.integers(-5, 5), money), min_size=1, max_size=6
    )
)
def test_precedence_company_then_group_then_priority(lists):
    tiers = tuple(
        tier(i + 1, scope, priority, price=str(price), name=f"L{i + 1}")
        for i, (scope, priority, price) in enumerate(lists)
    )
    winner = min(tiers, key=lambda t: (t.scope != "company", -t.priority, t.price_list_id))
    result = priced(*tiers)
    assert result.unit_net == winner.price
    assert f"L{winner.price_list_id}," in result.explanation[-1]


# --- loading from the database --------------------------------------------------------------------


@pytest.fixture
def wholesale(db):
    return CustomerGroup.objects.create(code="wholesale", name="Wholesale")


def price_list(code, *, group=None, company=None, currency="PLN", **fields) -> PriceList:
    price_list = PriceList.objects.create(code=code, name=code.title(), currency=currency, **fields)
    if group:
        price_list.customer_groups.add(group)
    if company:
        price_list.companies.add(company)
    return price_list


def unit_net(context, product, quantity=1) -> Decimal:
    variant = product.variants.get()
    return prices_for_variants(context, [(variant.pk, variant.tax_class_id)], quantity)[variant.pk].unit_net


@pytest.mark.django_db
def test_group_and_contract_prices_reach_the_right_companies_only(wholesale):
    product = make_product("Drill", net="100.00")
    variant = product.variants.get()
    member, contract, outsider = (
        make_company("Member", group=wholesale),
        make_company("Contract", group=wholesale),
        make_company("Outsider"),
    )
    PriceListEntry.objects.create(
        price_list=price_list("group", group=wholesale), variant=variant, price=Decimal("90.00")
    )
    PriceListEntry.objects.create(
        price_list=price_list("acme", company=contract), variant=variant, price=Decimal("88.00")
    )
    assert unit_net(b2b_context(member), product) == Decimal("90.00")
    assert unit_net(b2b_context(contract), product) == Decimal("88.00")
    assert unit_net(b2b_context(outsider), product) == Decimal("100.00")
    retail = prices_for_variants(b2c_context(), [(variant.pk, variant.tax_class_id)])
    assert retail[variant.pk].source == "base_list"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "applies"),
    [
        ({"valid_from": -1, "valid_until": 1}, True),
        ({"valid_from": 1}, False),
        ({"valid_until": -1}, False),
        ({"is_active": False}, False),
        ({"currency": "EUR"}, False),
    ],
    ids=["current", "not-yet", "expired", "inactive", "other-currency"],
)
def test_only_active_lists_valid_today_in_the_customers_currency_apply(wholesale, fields, applies):
    today = timezone.localdate()
    for name in ("valid_from", "valid_until"):
        if name in fields:
            fields[name] = today + timedelta(days=fields[name])
    product = make_product("Drill", net="100.00")
    listing = price_list("list", group=wholesale, **fields)
    PriceListEntry.objects.create(price_list=listing, variant=product.variants.get(), price=Decimal("90.00"))
    expected = Decimal("90.00") if applies else Decimal("100.00")
    assert unit_net(b2b_context(make_company("Member", group=wholesale)), product) == expected


@pytest.mark.django_db
def test_pricing_a_page_with_price_lists_costs_the_same_queries_for_12_or_48_products(wholesale):
    company = make_company("Member", group=wholesale)
    listing = price_list("group", group=wholesale)
    contract = price_list("contract", company=company)
    context = b2b_context(company)

    def add(count):
        for _ in range(count):
            variant = make_product(net="10.00").variants.get()
            PriceListEntry.objects.create(price_list=listing, variant=variant, price=Decimal("9.00"))
            PriceListEntry.objects.create(
                price_list=contract, variant=variant, min_quantity=5, discount_percent=Decimal("5")
            )

    def queries():
        pairs = list(Variant.objects.values_list("pk", "tax_class_id"))
        prices_for_variants(context, pairs)  # warm the per-process caches
        with CaptureQueriesContext(connection) as captured:
            prices_for_variants(context, pairs)
        return len(captured)

    add(12)
    small = queries()
    add(36)
    assert queries() == small <= 3


REVERSE_CHARGE = CustomerContext(
    channel=Channel.B2B, currency="PLN", country="DE", language="en", reverse_charge=True
)


def test_under_reverse_charge_a_list_price_carries_no_vat_and_the_note_comes_last():
    pricing = engine.VariantPricing(
        variant_id=1,
        tax_rate=Decimal("19"),
        base_prices={("b2b", "PLN"): Decimal("100.00")},
        tiers=(tier(price="90.00"),),
    )
    result = engine.resolve_one(REVERSE_CHARGE, pricing)
    assert (result.unit_net, result.unit_gross, result.tax_rate) == (
        Decimal("90.00"),
        Decimal("90.00"),
        Decimal("0"),
    )
    assert result.explanation[1:] == (
        "group price list Wholesale, from 1: 90.00",
        "reverse charge: 0% VAT, the buyer accounts for VAT",
    )


def test_a_list_only_price_under_reverse_charge_says_so_too():
    pricing = engine.VariantPricing(variant_id=1, tax_rate=Decimal("19"), tiers=(tier(price="40.00"),))
    result = engine.resolve_one(REVERSE_CHARGE, pricing)
    assert (result.unit_gross, result.explanation[-1]) == (
        Decimal("40.00"),
        "reverse charge: 0% VAT, the buyer accounts for VAT",
    )


@pytest.mark.django_db
def test_a_b2b_product_page_loads_prices_and_volume_prices_once(wholesale):
    from tandem.catalog.selectors import product_detail

    company = make_company("Member", group=wholesale)
    listing = price_list("group", group=wholesale)

    def queries(variants: int) -> int:
        product = make_product(variants=variants, net="10.00")
        for variant in product.variants.all():
            PriceListEntry.objects.create(
                price_list=listing, variant=variant, min_quantity=10, price=Decimal("9.00")
            )
        product_detail(b2b_context(company), product.slug)  # warm per-process caches
        with CaptureQueriesContext(connection) as captured:
            detail = product_detail(b2b_context(company), product.slug)
        assert [len(v.price_breaks) for v in detail.variants] == [1] * variants
        return len(captured)

    assert queries(1) == queries(4) <= 8
