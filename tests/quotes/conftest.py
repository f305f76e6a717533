"""A company with a rep and two products (one with a purchase price), and the steps of a
negotiation as one-liners."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from tandem.customers.models import CompanyRole
from tandem.customers.roles import staff_roles_sync
from tandem.quotes.models import OfferStatus
from tandem.quotes.services import (
    OfferLineInput,
    OfferTerms,
    RequestedLine,
    offer_accept,
    offer_draft_save,
    offer_send,
    quote_request,
)
from tests.checkout.conftest import company_details
from tests.factories import (
    company_address,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    make_user,
    user_context,
)

TODAY = timezone.localdate()


def staff(email: str, role: str):
    user = make_user(email, is_staff=True, full_name=email.split("@")[0].title())
    user.groups.set(Group.objects.filter(name=role))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def shop(db):
    staff_roles_sync()
    make_delivery("courier", price_net="0.00")
    rep = staff("rep@shop.test", "Sales rep")
    company = make_company("Łódź Budowa Sp. z o.o.", credit_limit=Decimal("100000"), sales_rep=rep)
    buyer = make_company_user(company, CompanyRole.BUYER, email="buyer@lodz.test")
    drill = make_product("Wiertarka udarowa", net="100.00", gross=None, stock=500).variants.get()
    saw = make_product("Пила дисковая", net="50.00", gross=None, stock=500).variants.get()
    drill.cost_price = Decimal("70.00")
    drill.save()
    return {
        "rep": rep,
        "company": company,
        "buyer": buyer,
        "drill": drill,
        "saw": saw,
        "address": company_address(company),
    }


def request(shop, **fields):
    """The buyer asks for 20 drills (hoping for 85.00) and 10 saws."""
    buyer = shop["buyer"]
    lines = fields.pop(
        "lines", [RequestedLine(shop["drill"].sku, "20", "85.00"), RequestedLine(shop["saw"].sku, 10)]
    )
    return quote_request(
        user=buyer,
        context=user_context(buyer),
        message=fields.pop("message", "Site in Łódź"),
        lines=lines,
        **fields,
    )


def offer(shop, quote, *, drill_price="90.00", valid_days=14, send=True):
    """The rep offers drills at ``drill_price`` and saws 10 % off, and sends it."""
    offer_draft_save(
        rep=shop["rep"],
        quote=quote,
        lines=[
            OfferLineInput(shop["drill"].sku, 20, unit_price=drill_price),
            OfferLineInput(shop["saw"].sku, 10, discount_percent="10"),
        ],
        terms=OfferTerms(
            valid_until=TODAY + timedelta(days=valid_days),
            delivery_terms="3 days",
            payment_terms="Net 30",
            notes="Prices net.",
        ),
    )
    return offer_send(rep=shop["rep"], quote=quote) if send else quote.offers.get(status=OfferStatus.DRAFT)


def accept(shop, quote, revision, user=None):
    user = user or shop["buyer"]
    return offer_accept(
        user=user,
        context=user_context(user),
        quote=quote,
        revision=revision,
        details=company_details(shop["address"].pk),
    )
