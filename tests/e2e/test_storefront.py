"""Browser tests: Debian's Chromium driven by Playwright against a live server."""

import re

from playwright.sync_api import Page, expect

from tandem.customers.models import CompanyRole
from tests.e2e.test_self_service import set_up_authenticator
from tests.factories import PASSWORD, make_company, make_company_user, make_user


def test_a_guest_browses_filters_searches_and_opens_a_product(page: Page, live_server, shop):
    page.goto(live_server.url)
    page.get_by_role("link", name="Power tools").first.click()
    expect(page.get_by_role("heading", name="Power tools")).to_be_visible()
    expect(page.get_by_test_id("result-count")).to_have_text("3 products")
    page.get_by_role("link", name=re.compile("cordless")).click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 product")
    expect(page).to_have_url(re.compile(r"f=power-source%3Acordless"))

    page.get_by_role("searchbox").fill("chainsaw")
    page.get_by_role("searchbox").press("Enter")
    page.get_by_role("link", name="Ferrum Chainsaw FE-9").click()
    expect(page.get_by_test_id("product-price")).to_contain_text("1,299.00 PLN")
    expect(page.get_by_test_id("product-price")).to_contain_text("incl. VAT")
    expect(page.get_by_test_id("variants")).to_contain_text("Out of stock")


def test_a_b2b_buyer_logs_in_and_sees_net_prices_and_wholesale_products(page: Page, live_server, shop):
    company = make_company("ACME Narzędzia Sp. z o.o.")
    company.sales_rep = make_user("rep@shop.test", full_name="Jan Kowalski", is_staff=True)
    company.save()
    make_company_user(company, CompanyRole.BUYER, email="buyer@acme.test")

    page.goto(f"{live_server.url}/b2b/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("E-mail").fill("buyer@acme.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_test_id("b2b-bar")).to_contain_text("ACME Narzędzia Sp. z o.o.")
    expect(page.get_by_test_id("b2b-bar")).to_contain_text("Jan Kowalski")
    page.goto(f"{live_server.url}/c/cordless-drills/")
    cards = page.get_by_test_id("product-card")
    expect(cards.filter(has_text="Pallet of drills")).to_contain_text("9,000.00 PLN")
    expect(cards.filter(has_text="Ferrum Cordless drill FE-1")).to_contain_text("330.00 PLN net, excl. VAT")


def test_staff_create_a_product_in_the_admin_and_it_appears_in_the_shop(page: Page, live_server, shop):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("admin@shop.test", PASSWORD)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("E-mail").fill("admin@shop.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    set_up_authenticator(page)  # staff sign in with a second factor, set up at the first sign-in
    expect(page.locator("#site-name")).to_be_visible()  # back in the admin

    page.goto(f"{live_server.url}/admin/catalog/product/add/")
    page.locator("#id_name").fill("Laser level LL-7")
    page.locator("#id_category + .select2").click()  # the admin's autocomplete widget
    page.locator(".select2-container--open .select2-search__field").fill("Cordless")
    page.locator(".select2-results__option", has_text="Cordless drills").click()
    page.locator("#id_variants-0-sku").fill("LL-7")
    page.locator("#id_variants-0-tax_class").select_option(label="Standard")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.goto(f"{live_server.url}/search/?q=laser")
    expect(page.get_by_role("link", name="Laser level LL-7")).to_be_visible()


def test_the_language_switch_changes_the_ui_and_product_names(page: Page, live_server, shop):
    page.goto(f"{live_server.url}/c/cordless-drills/")
    page.get_by_test_id("language").select_option("pl")
    expect(page.get_by_role("heading", name="Wiertarki")).to_be_visible()
    expect(page.get_by_role("link", name="Wiertarka Ferrum FE-1")).to_be_visible()
    expect(page.get_by_role("link", name="Zaloguj się")).to_be_visible()
    page.get_by_test_id("language").select_option("ru")
    expect(page.get_by_role("link", name="Войти")).to_be_visible()


def test_the_api_docs_open_from_the_shops_own_files(page: Page, live_server):
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.get_by_role("heading", name=re.compile("Tandem API"))).to_be_visible()
    expect(page.locator(".opblock-tag").first).to_be_visible()  # the operations, grouped by tag
    assert [url for url in outside if not url.startswith("data:")] == []


def test_the_first_tab_offers_a_skip_to_the_content(page, live_server, shop):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    skip = page.get_by_test_id("skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
