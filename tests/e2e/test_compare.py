"""Browser test: comparing products on a phone."""

from playwright.sync_api import Page, expect


def test_a_guest_compares_three_tools_on_a_phone_without_the_page_scrolling_sideways(
    page: Page, live_server, shop
):
    page.set_viewport_size({"width": 390, "height": 844})
    for name in ("Ferrum Cordless drill FE-1", "Volta Hammer drill VO-2", "Ferrum Chainsaw FE-9"):
        page.goto(f"{live_server.url}/search/?q={name.split()[-1]}")
        page.get_by_role("link", name=name).first.click()
        page.get_by_test_id("compare-add").get_by_role("button", name="Compare").click()
        expect(page.get_by_test_id("compare-added")).to_contain_text("is in your comparison")

    page.get_by_role("link", name="Compare now").click()
    expect(page.get_by_test_id("compare-count")).to_have_text("3 of 4 products")
    expect(page.get_by_test_id("compare-product")).to_have_count(3)
    expect(page.get_by_test_id("compare-price").first).to_contain_text("499.00 PLN incl. VAT")
    expect(page.locator("tr.differs")).to_contain_text("Power-Source")
    # the table scrolls inside its box; the page itself never does
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_test_id("only-differences").check()
    expect(page).to_have_url(f"{live_server.url}/compare/?differences=1")
    page.get_by_test_id("compare-remove").first.click()
    expect(page.get_by_test_id("compare-product")).to_have_count(2)
