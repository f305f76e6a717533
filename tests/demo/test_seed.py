import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from tandem.catalog.models import Category, Product
from tandem.customers.models import Company, CompanyRole, CompanyUser, User
from tandem.demo.generator import DEMO_LOGINS, DEMO_PASSWORD, demo_data_present

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed", demo=True, no_images=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_is_a_believable_shop(demo):
    assert Product.objects.count() >= 500
    assert Category.objects.filter(children__isnull=True).count() >= 30
    assert Company.objects.values("country").distinct().count() >= 3
    assert set(CompanyUser.objects.values_list("role", flat=True)) == set(CompanyRole.values)
    assert User.objects.filter(is_staff=False, company_user__isnull=True).count() >= 3
    assert User.objects.filter(groups__name="Sales rep").count() == 2
    product = Product.objects.exclude(translations={}).first()
    assert set(product.translations) == {"pl", "bg", "ru"}


def test_the_demo_has_orders_in_each_state_a_page_shows(demo):
    """Placed through the real checkout: one partly shipped, one placed, one waiting for the
    approver (over the buyer's limit)."""
    from tandem.orders.models import Order

    orders = Order.objects.exclude(number__startswith="H-").order_by("pk")
    assert [order.status for order in orders] == ["in_progress", "placed", "pending_approval"]
    assert orders[0].shipments.get().tracking_number == "DPD0001234567"
    assert orders[2].approvals.get().role == "approver"


def test_the_demo_has_a_history_to_recommend_from(demo):
    """18 months of orders bought in patterns, so the buyer has products to buy again and
    the product pages have companions."""
    from tandem.customers.selectors import customer_context_for
    from tandem.service.models import BoughtTogether, RecommendationRun
    from tandem.service.recommendations import buy_again, for_you

    run = RecommendationRun.objects.get()
    assert run.orders > 500 and run.customers >= 5
    assert BoughtTogether.objects.exists()
    buyer = User.objects.get(email="buyer@acme.example")
    context = customer_context_for(buyer, language="pl")
    assert len(buy_again(context)) >= 4 and len(for_you(context)) >= 4


def test_the_demo_has_an_offer_to_negotiate(demo):
    from tandem.quotes.models import Quote

    quote = Quote.objects.get()
    assert quote.status == "offered" and quote.offers.get().lines.count() == 2


def test_the_acme_buyer_sees_contract_and_volume_prices(demo):
    from tandem.customers.models import Company
    from tandem.pricing.models import PriceListEntry
    from tandem.pricing.selectors import prices_for_variants
    from tests.factories import b2b_context

    acme = Company.objects.get(name__startswith="ACME")
    entry = PriceListEntry.objects.filter(price_list__code="acme-contract").select_related("variant").first()
    variant = entry.variant
    price = prices_for_variants(b2b_context(acme), [(variant.pk, variant.tax_class_id)])[variant.pk]
    assert (price.unit_net, price.source) == (entry.price, "company_list")
    other = (
        PriceListEntry.objects.filter(price_list__code="wholesale-pln")
        .exclude(variant__price_list_entries__price_list__code="acme-contract")
        .select_related("variant")
        .first()
    )
    ten = prices_for_variants(b2b_context(acme), [(other.variant_id, other.variant.tax_class_id)], 10)
    assert ten[other.variant_id].explanation[-1].startswith("group price list Wholesale PLN, from 10: −8%")


def test_every_demo_login_works(demo):
    assert demo_data_present()
    for email, _role in DEMO_LOGINS:
        assert authenticate(username=email, password=DEMO_PASSWORD) is not None, email


def test_seeding_scales_by_adding_products_and_companies(demo):
    before = Product.objects.count()
    call_command("seed", products=300, companies=12, no_images=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Product.objects.count() == before + 300
    assert Company.objects.count() == 12
