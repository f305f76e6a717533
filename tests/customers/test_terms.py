from decimal import Decimal

import pytest
from django.utils import timezone

from tandem.checkout.errors import CheckoutError
from tandem.checkout.services import order_place
from tandem.customers.models import CompanyRole, TermsAcceptance, TermsVersion
from tandem.customers.terms import terms_accept, terms_pending_for
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


def publish(version: str) -> TermsVersion:
    return TermsVersion.objects.create(
        version=version, title=f"Terms {version}", text="…", published_at=timezone.now()
    )


def test_a_company_user_accepts_the_current_terms_before_ordering():
    make_delivery("courier")
    company = make_company(credit_limit=Decimal("1000"))
    buyer = make_company_user(company, CompanyRole.BUYER)
    variant = make_product(net="10.00", gross=None, stock=5).variants.get()
    cart = make_cart(user=buyer, lines=[(variant, 1)])
    terms = publish("v1")
    with pytest.raises(CheckoutError) as error:
        order_place(
            cart=cart,
            context=user_context(buyer),
            acting_user=buyer,
            details=company_details(company_address(company).pk),
        )
    assert error.value.code == "terms_not_accepted" and "v1" in str(error.value.message)
    acceptance = terms_accept(user=buyer, terms_id=terms.pk, ip_address="203.0.113.7")
    assert (acceptance.company, acceptance.ip_address) == (company, "203.0.113.7")
    assert terms_pending_for(buyer) is None
    assert order_place(
        cart=cart,
        context=user_context(buyer),
        acting_user=buyer,
        details=company_details(company_address(company).pk),
    ).pk


def test_a_new_version_asks_again_and_an_old_one_cannot_be_accepted():
    buyer = make_company_user(make_company())
    old = publish("v1")
    terms_accept(user=buyer, terms_id=old.pk, ip_address=None)
    new = publish("v2")
    assert terms_pending_for(buyer) == new
    from tandem.core.errors import NotFound

    with pytest.raises(NotFound):
        terms_accept(user=buyer, terms_id=old.pk, ip_address=None)
    assert TermsAcceptance.objects.filter(user=buyer).count() == 1


def test_retail_customers_are_not_asked():
    publish("v1")
    assert terms_pending_for(make_user()) is None


def test_the_terms_page_records_the_acceptance_with_the_ip(client):
    buyer = make_company_user(make_company())
    terms = publish("v1")
    client.force_login(buyer)
    assert 'data-testid="accept-terms"' in client.get("/account/terms/").text
    client.post("/account/terms/", {"terms": terms.pk}, REMOTE_ADDR="198.51.100.4")
    assert TermsAcceptance.objects.get(user=buyer).ip_address == "198.51.100.4"
    assert 'data-testid="terms-accepted"' in client.get("/account/terms/").text


def test_only_the_company_admin_sees_the_companys_acceptances(client):
    company = make_company()
    admin = make_company_user(company, CompanyRole.ADMIN, email="boss@acme.test")
    buyer = make_company_user(company, CompanyRole.BUYER, email="buyer@acme.test")
    terms_accept(user=buyer, terms_id=publish("v1").pk, ip_address="192.0.2.1")
    client.force_login(admin)
    assert 'data-testid="acceptances"' in client.get("/account/company/").text
    client.force_login(buyer)
    assert 'data-testid="acceptances"' not in client.get("/account/company/").text
