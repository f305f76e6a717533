import re

import pytest
from django.core import mail
from django.urls import reverse

from tandem.catalog.models import Visibility
from tandem.customers.models import Address, CompanyRole
from tests.factories import PASSWORD, make_company, make_company_user, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def drill():
    return make_product(
        "Cordless drill",
        gross="123.00",
        net="90.00",
        stock=7,
        translations={"pl": {"name": "Wiertarka akumulatorowa"}},
    )


# --- catalog pages --------------------------------------------------------------------------


def test_a_guest_sees_the_gross_list_price_on_the_product_page(client, drill):
    response = client.get(drill.get_absolute_url())
    assert response.status_code == 200
    assert "123.00 PLN" in response.text and "incl. VAT" in response.text
    assert "7 in stock" in response.text


def test_a_company_buyer_sees_net_prices_company_name_rep_and_terms(
    client, buyer, company, staff_admin, drill
):
    company.sales_rep = staff_admin
    company.save()
    client.force_login(buyer)
    response = client.get(drill.get_absolute_url())
    assert "90.00 PLN" in response.text and "net, excl. VAT" in response.text
    assert "123.00 PLN" not in response.text
    assert company.name in response.text and "Ada Admin" in response.text
    assert "Net 30 days" in response.text


def test_the_ui_and_product_texts_follow_the_chosen_language(client, drill):
    response = client.get(
        reverse("storefront:preferences"), {"language": "pl", "next": drill.get_absolute_url()}, follow=True
    )
    assert "Wiertarka akumulatorowa" in response.text
    assert '<html lang="pl"' in response.text


@pytest.mark.parametrize(
    "url",
    ["/p/no-such-product/", "/c/no-such-category/", "/c/no-such-category/?page=2"],
    ids=["product", "category", "category-page"],
)
def test_unknown_slugs_give_the_shop_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_a_wholesale_only_product_is_a_404_for_guests(client):
    product = make_product("Pallet of screws", visibility=Visibility.B2B)
    assert client.get(product.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("page", ["9999", "0", "x"], ids=["beyond", "zero", "text"])
def test_listing_pages_out_of_range_are_not_errors(client, drill, page):
    response = client.get(reverse("storefront:search"), {"q": "", "page": page})
    assert response.status_code == 200
    assert "Cordless drill" in response.text


def test_search_page_with_a_huge_query_is_fine(client, drill):
    assert client.get(reverse("storefront:search"), {"q": "drill " * 500}).status_code == 200


def test_htmx_filter_requests_get_only_the_listing(client, drill):
    response = client.get(reverse("storefront:search"), {"q": "drill"}, HTTP_HX_REQUEST="true")
    assert response.text.lstrip().startswith('<div id="listing"')


def test_currency_switch_shows_euro_prices(client):
    product = make_product("Euro drill", gross="43.00", currency="EUR")
    client.get(reverse("storefront:preferences"), {"currency": "EUR"})
    assert "43.00 EUR" in client.get(product.get_absolute_url()).text


# --- B2B portal ---------------------------------------------------------------------------------


def test_the_b2b_portal_sends_guests_to_the_login_page(client):
    response = client.get(reverse("storefront:b2b"))
    assert response.status_code == 302 and response.url.startswith(reverse("storefront:login"))
    assert client.get(reverse("storefront:company")).status_code == 302


def test_a_b2b_only_hostname_requires_a_company_login(client, settings, buyer):
    settings.B2B_HOSTS = ["b2b.shop.example"]
    response = client.get("/", HTTP_HOST="b2b.shop.example")
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.get("/", HTTP_HOST="testserver").status_code == 200
    client.force_login(buyer)
    assert client.get("/", HTTP_HOST="b2b.shop.example").status_code == 200


def test_a_company_admin_sees_the_company_users_a_buyer_does_not(client, company, buyer):
    boss = make_company_user(company, CompanyRole.ADMIN, email="boss@acme.test")
    client.force_login(boss)
    assert "buyer@acme.test" in client.get(reverse("storefront:company")).text
    client.force_login(buyer)
    assert "buyer@acme.test" not in client.get(reverse("storefront:company")).text


# --- retail accounts -----------------------------------------------------------------------------


def test_password_reset_mails_a_working_link(client, customer):
    client.post(reverse("storefront:password_reset"), {"email": customer.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-secret-9", "new_password2": "brand-new-secret-9"},
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.check_password("brand-new-secret-9")


def test_a_customer_edits_profile_and_addresses(client, customer):
    client.force_login(customer)
    client.post(
        reverse("storefront:account"), {"full_name": "Anna Kowalska", "phone": "123", "language": "pl"}
    )
    customer.refresh_from_db()
    assert (customer.full_name, customer.language) == ("Anna Kowalska", "pl")
    client.post(
        reverse("storefront:address_new"),
        {
            "label": "Home",
            "kind": "delivery",
            "recipient": "Anna",
            "street": "Długa 5",
            "postal_code": "00-238",
            "city": "Warszawa",
            "country": "PL",
        },
    )
    address = Address.objects.get(user=customer)
    client.post(
        reverse("storefront:address_edit", args=[address.pk]),
        {
            "label": "Office",
            "kind": "delivery",
            "recipient": "Anna",
            "street": "Krótka 1",
            "postal_code": "00-001",
            "city": "Warszawa",
            "country": "PL",
        },
    )
    address.refresh_from_db()
    assert (address.label, address.street) == ("Office", "Krótka 1")
    client.post(reverse("storefront:address_delete", args=[address.pk]))
    assert not Address.objects.filter(pk=address.pk).exists()


def test_an_address_form_with_missing_fields_names_them(client, customer):
    client.force_login(customer)
    response = client.post(reverse("storefront:address_new"), {"kind": "delivery", "country": "PL"})
    assert response.status_code == 200
    assert response.text.count("This field is required.") == 4


# --- isolation ----------------------------------------------------------------------------------


def test_another_companys_address_is_a_404(client, company, buyer):
    other = make_company("Other Sp. z o.o.")
    address = Address.objects.create(
        company=other, recipient="Other", street="S", postal_code="1", city="C", country="PL"
    )
    boss = make_company_user(company, CompanyRole.ADMIN)
    client.force_login(boss)
    assert client.get(reverse("storefront:address_edit", args=[address.pk])).status_code == 404
    assert client.post(reverse("storefront:address_delete", args=[address.pk])).status_code == 404
    assert Address.objects.filter(pk=address.pk).exists()


def test_a_retail_customer_cannot_open_another_customers_address(client, customer):
    from tests.factories import make_user

    stranger = make_user()
    address = Address.objects.create(
        user=stranger, recipient="S", street="S", postal_code="1", city="C", country="PL"
    )
    client.force_login(customer)
    assert client.get(reverse("storefront:address_edit", args=[address.pk])).status_code == 404


def test_login_page_logs_a_user_in(client, customer):
    response = client.post(reverse("storefront:login"), {"username": customer.email, "password": PASSWORD})
    assert response.status_code == 302


def test_preferences_refuse_an_offsite_next_url(client):
    response = client.get(
        reverse("storefront:preferences"), {"language": "pl", "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_after_login_the_shop_speaks_the_users_language(client, customer):
    customer.language = "bg"
    customer.save()
    client.post(reverse("storefront:login"), {"username": customer.email, "password": PASSWORD})
    assert '<html lang="bg"' in client.get("/").text


def test_a_retail_customer_on_the_b2b_host_is_told_why_not_looped(client, settings, customer):
    settings.B2B_HOSTS = ["b2b.shop.example"]
    client.force_login(customer)
    response = client.get("/", HTTP_HOST="b2b.shop.example")
    assert response.status_code == 403
    assert "The B2B portal is for users of a company account." in response.text


@pytest.mark.parametrize(
    "url",
    [
        "/c/x/?f=%00:%00",
        "/api/v1/catalog/products/%00",
        "/api/v1/catalog/stock?sku=%00",
        "/search/?q=a%00b",
        "/p/%00/",
    ],
    ids=["filter", "api-slug", "api-sku", "search", "product-slug"],
)
def test_nul_characters_in_urls_are_a_400_not_a_server_error(client, url):
    assert client.get(url).status_code == 400


def test_the_password_reset_mail_speaks_the_customers_language(client, customer):
    customer.language = "pl"
    customer.save()
    client.post(reverse("storefront:password_reset"), {"email": customer.email})
    assert mail.outbox[0].body.startswith("Dzień dobry,")


def test_a_group_buyer_sees_the_list_price_and_volume_prices_on_the_product_page(client, company):
    from tandem.customers.models import CustomerGroup
    from tandem.pricing.models import PriceList, PriceListEntry

    group = CustomerGroup.objects.create(code="wholesale", name="Wholesale")
    company.customer_group = group
    company.save()
    product = make_product("Drill", net="100.00")
    price_list = PriceList.objects.create(code="w", name="Wholesale", currency="PLN")
    price_list.customer_groups.add(group)
    for quantity, discount in ((1, "5"), (10, "10")):
        PriceListEntry.objects.create(
            price_list=price_list,
            variant=product.variants.get(),
            min_quantity=quantity,
            discount_percent=discount,
        )
    client.force_login(make_company_user(company))
    page = client.get(product.get_absolute_url()).text
    assert "95.00 PLN" in page
    assert re.search(r'data-testid="price-breaks">from 10: 90.00 PLN', page)


def test_the_product_page_states_the_quantity_rules(client):
    product = make_product("Gloves")
    product.variants.update(min_quantity=12, quantity_step=6, max_quantity=600)
    page = client.get(product.get_absolute_url()).text
    assert re.search(r'data-testid="quantity-rule">minimum 12, in multiples of 6, maximum 600<', page)


def test_a_buyer_is_told_only_the_company_admin_edits_addresses(client, buyer):
    client.force_login(buyer)
    response = client.get(reverse("storefront:address_new"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("storefront:addresses")
    assert "Only the company admin can change company addresses." in response.text


def test_browsers_asking_for_favicon_ico_get_the_shops_icon(client):
    answer = client.get("/favicon.ico")
    assert answer.status_code == 302 and answer["Location"].endswith(".svg")
    assert "favicon" in answer["Location"]


def test_a_sales_rep_lands_on_the_rep_panel_and_finds_it_in_the_shops_header(client):
    from django.contrib.auth.models import Group

    from tandem.customers.roles import staff_roles_sync
    from tests.factories import PASSWORD, make_company, make_user

    staff_roles_sync()
    rep = make_user("rep@shop.test", is_staff=True)
    rep.groups.set(Group.objects.filter(name="Sales rep"))
    make_company("ACME", sales_rep=rep)
    answer = client.post("/accounts/login/", {"username": "rep@shop.test", "password": PASSWORD})
    assert answer["Location"] == "/rep/"  # (staff then confirm a second factor on the way)
    client.force_login(rep)
    assert client.get("/account/").content.decode().count('data-testid="rep-panel-link"') == 1
    shopper = make_user("anna@shop.test")
    client.force_login(shopper)
    assert 'data-testid="rep-panel-link"' not in client.get("/account/").content.decode()
