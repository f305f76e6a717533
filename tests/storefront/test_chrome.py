"""The page around catalog pages is kept per visitor state: whatever changes per request is
still that request's (storefront.chrome)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_company, make_company_user, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def drill():
    return make_product("Cordless drill", gross="123.00", net="90.00")


def _token(page: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)


def test_each_buyer_of_one_company_sees_their_own_name_on_a_shared_page(client, drill):
    company = make_company("ACME")
    first = make_company_user(company, email="first@acme.test", full_name="<b>First</b> Buyer")
    second = make_company_user(company, email="second@acme.test", full_name="Second Buyer")
    url = drill.category.get_absolute_url()
    client.force_login(first)
    page = client.get(url).text
    assert "&lt;b&gt;First&lt;/b&gt;</a>" in page

    client.force_login(second)
    page = client.get(url).text
    assert "Second" in page and "First" not in page
    client.logout()
    page = client.get(url).text
    assert "Second" not in page and 'data-testid="b2b-bar"' not in page


def test_the_token_of_a_kept_page_is_this_request_s_and_accepted_by_a_form(drill, buyer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)
    url = drill.category.get_absolute_url()
    first, second = _token(client.get(url).text), _token(client.get(url).text)
    assert first != second  # masked anew per request, as a full render does
    assert "tandemchrome" not in first

    response = client.post(
        reverse("cart:add"),
        {"csrfmiddlewaretoken": second, "sku": drill.variants.get().sku, "quantity": "1", "next": url},
    )
    assert response.status_code == 302
    page = client.get(url).text
    assert "Added 1 × " in page  # the flash message, on a kept page
    assert 'data-testid="cart-count">1<' in page
    assert "Added 1 × " not in client.get(url).text  # shown once


def test_search_words_and_product_descriptions_are_filled_in_escaped(client):
    product = make_product("Angle grinder", description='Cuts "steel" & <stone>')
    page = client.get(reverse("storefront:search"), {"q": '<script>"x"'}).text
    assert 'value="&lt;script&gt;&quot;x&quot;"' in page

    page = client.get(product.get_absolute_url()).text
    assert '<meta name="description" content="Cuts &quot;steel&quot; &amp; &lt;stone&gt;">' in page
    assert "<title>Angle grinder · " in page
    category = client.get(product.category.get_absolute_url()).text
    assert '<meta name="description" content="Tools and hardware for professionals' in category
